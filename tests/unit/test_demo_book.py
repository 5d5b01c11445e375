"""`budget-tui demo` never touches a book that holds anything: by default it fills a separate demo
book in the data directory and says how to open it; a used book is refused with a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_tui.cli import main
from budget_tui.config import data_dir, demo_path
from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.book import open_book


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


def counts(url: str) -> tuple[int, int]:
    book = open_book(url, create=False)
    try:
        listed = categories.list_categories(book.sessions)
        return len(listed), expense_list.expense_totals(book.sessions).count
    finally:
        book.close()


def own_book(tmp_path: Path) -> str:
    """A person's book with one category and one expense of their own."""
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    book = open_book(url)
    try:
        categories.create_category(book.sessions, "Food", "")
        expenses.create_expense(
            book.sessions,
            description="Bread",
            amount="2.50",
            occurred_on="2026-03-01",
            category="Food",
        )
    finally:
        book.close()
    return url


def test_demo_fills_a_separate_book_and_says_how_to_open_it(tmp_path: Path) -> None:
    mine = own_book(tmp_path)
    # Even with the person's own book configured, demo goes to its own file.
    code, _, err = run("demo", "--expenses", "300", env={"DATABASE_URL": mine})
    assert code == 0, err
    assert demo_path().parent == data_dir() and demo_path().exists()
    assert f"Added 300 demo expenses to {demo_path()}." in err
    assert "Open it with: budget-tui --demo" in err
    assert counts(mine) == (1, 1)
    assert counts(f"sqlite:///{demo_path()}")[1] == 300


def test_a_second_demo_run_refuses_instead_of_doubling(tmp_path: Path) -> None:
    assert run("demo", "--expenses", "100")[0] == 0
    code, _, err = run("demo", "--expenses", "100")
    assert code == 1
    assert "is already filled; nothing was added" in err
    assert "budget-tui demo --fresh" in err
    assert counts(f"sqlite:///{demo_path()}")[1] == 100
    code, _, err = run("demo", "--expenses", "50", "--fresh")
    assert code == 0, err
    assert counts(f"sqlite:///{demo_path()}")[1] == 50


@pytest.mark.parametrize("where", ["before", "after"])
def test_demo_refuses_a_book_that_holds_anything(tmp_path: Path, where: str) -> None:
    mine = own_book(tmp_path)
    args = ["--db", mine, "demo"] if where == "before" else ["demo", "--db", mine]
    code, _, err = run(*args)
    assert code == 1
    assert err.count("\n") == 1
    assert "already holds 1 category and 1 expense" in err
    assert "nothing was added" in err
    assert counts(mine) == (1, 1)
    assert not demo_path().exists()


def test_demo_fills_an_empty_book_named_with_db(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    code, _, err = run("--db", url, "demo", "--expenses", "1")
    assert code == 0, err
    assert "Added 1 demo expense to" in err
    assert f"Open it with: budget-tui --db {tmp_path / 'empty.db'}" in err


def test_the_app_opens_the_demo_book_with_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("budget_tui.tui.app.BudgetApp.run", lambda self: opened.append(self.url))
    code, _, err = run("--demo")
    assert code == 1
    assert "There is no demo book yet" in err and "budget-tui demo" in err
    assert run("demo", "--expenses", "10")[0] == 0
    code, _, err = run("--demo")
    assert code == 0, err
    assert opened == [f"sqlite:///{demo_path()}"]
