"""The first screen's data from a forked child: the same answer as the controller, its errors
with their kind and words, nothing on the terminal, and a clean fall-back when the child dies."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from budget_tui.controller import categories, expenses
from budget_tui.controller.book import open_book
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.errors import ConfigError, DatabaseUnavailable
from budget_tui.tui import prefetch

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")

MARCH = Period.month(__import__("datetime").date(2026, 3, 15))


def march_list(sessions):
    """The load the tests hand to the child (by name, as the app does)."""
    return expenses.list_expenses(sessions, ExpenseFilter(period=MARCH))


def explode(sessions):
    print("chatter on stdout")
    print("chatter on stderr", file=sys.stderr)
    raise RuntimeError("a bug, not a BudgetError")


def _book_with_rows(path: Path) -> str:
    url = f"sqlite:///{path}"
    book = open_book(url)
    categories.create_category(book.sessions, "Groceries")
    for i in range(3):
        expenses.create_expense(
            book.sessions,
            description=f"Market {i}",
            amount=f"{10 + i}.50",
            occurred_on="2026-03-0" + str(i + 1),
            category="Groceries",
        )
    book.close()
    return url


def test_the_child_answers_what_the_controller_answers(tmp_path: Path) -> None:
    url = _book_with_rows(tmp_path / "book.db")
    child = prefetch.start(url, f"{__name__}:march_list")
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.error is None
    assert verdict.location == str(tmp_path / "book.db")
    data, error = child.result()  # type: ignore[misc]
    assert error is None
    book = open_book(url)
    try:
        assert data == march_list(book.sessions)
        assert [e.description for e in data.items] == ["Market 2", "Market 1", "Market 0"]
    finally:
        book.close()


def test_a_url_that_cannot_be_read_is_the_verdict() -> None:
    child = prefetch.start("postgres://user:secret@host/db", f"{__name__}:march_list")
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.location is None
    assert isinstance(verdict.error, ConfigError)
    assert "postgresql://" in str(verdict.error)
    assert "secret" not in str(verdict.error)
    child.close()


def test_an_unreachable_database_comes_back_as_its_error(monkeypatch) -> None:
    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", "2")
    url = "postgresql://budget:s3cret@127.0.0.1:9/nothing"
    child = prefetch.start(url, f"{__name__}:march_list")
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.location is not None
    assert "s3cret" not in verdict.location
    data, error = child.result()  # type: ignore[misc]
    assert data is None
    assert isinstance(error, DatabaseUnavailable)
    assert error.saved is False
    assert "s3cret" not in str(error)


def test_a_child_that_dies_leaves_the_app_to_open_the_book_itself(tmp_path: Path) -> None:
    url = _book_with_rows(tmp_path / "book.db")
    child = prefetch.start(url, f"{__name__}:explode")
    assert child is not None
    assert child.verdict() is not None
    assert child.result() is None


def test_the_child_writes_nothing_to_the_terminal(tmp_path: Path) -> None:
    url = _book_with_rows(tmp_path / "book.db")
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from budget_tui.tui import prefetch
        child = prefetch.start({url!r}, "tests.unit.test_prefetch:explode")
        child.verdict()
        print("result:", child.result())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "always"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "result: None\n"
    assert done.stderr == ""
