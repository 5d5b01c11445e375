"""Quick entry, history, undo and redo on the command line, on both backends: I type a command,
I read its answer, and the book holds what it says."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from budget_tui.cli import main
from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.book import open_book
from budget_tui.controller.ledger import acting_as
from tests.conftest import make_book


@pytest.fixture
def url(backend: str, tmp_path) -> str:
    book = make_book(backend, tmp_path)
    categories.create_category(book.sessions, "Groceries", "400")
    rendered = book.engine.url.render_as_string(hide_password=False)
    book.close()
    return rendered


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def stored(url: str) -> list[tuple[str, Decimal, str]]:
    book = open_book(url)
    try:
        rows = expense_list.list_expenses(book.sessions).items
    finally:
        book.close()
    return [(e.description, e.amount, e.occurred_on.isoformat()) for e in rows]


def test_add_saves_the_entry_and_prints_it(url: str) -> None:
    code, out, err = run("--db", url, "add", "45", "Farmers market", "--category", "groceries")
    assert code == 0, err
    assert out == "Saved #1: 2026-03-15  Farmers market  $45.00  in Groceries\n"
    code, out, _ = run("add", "3.20", "Bread", "-c", "Groceries", "--date", "-2", "--db", url)
    assert code == 0 and "2026-03-13  Bread  $3.20" in out
    assert stored(url) == [
        ("Farmers market", Decimal("45.00"), "2026-03-15"),
        ("Bread", Decimal("3.20"), "2026-03-13"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("12,3x", "Lunch", "-c", "Groceries"), "'12,3x' is not an amount"),
        (("0", "Lunch", "-c", "Groceries"), "amount"),
        (("5", "   ", "-c", "Groceries"), "description"),
        (("5", "Lunch", "-c", "Groceries", "--date", "2026-02-30"), "date"),
        (("5", "Lunch", "-c", "Nope"), "There is no category named 'Nope'."),
    ],
)
def test_add_refuses_bad_input_with_the_field_message_and_exit_1(
    url: str, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run("--db", url, "add", *args)
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and message.lower() in err.lower()
    assert len(err.strip().splitlines()) == 1
    assert stored(url) == []


def test_history_undo_and_redo(url: str) -> None:
    run("--db", url, "add", "45", "Groceries", "-c", "Groceries", "--date", "2026-11-03")
    book = open_book(url)
    with acting_as("mcp:Claude"):
        expenses.delete_expense(
            book.sessions, expense_list.list_expenses(book.sessions).items[0].id
        )
    book.close()
    code, out, _ = run("--db", url, "history")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "Time", "Source", "Change"]
    assert "mcp:Claude" in lines[1] and "delete 'Groceries' 45.00 on 2026-11-03" in lines[1]
    assert "cli" in lines[2] and "add 'Groceries' 45.00 on 2026-11-03" in lines[2]

    code, out, _ = run("--db", url, "history", "--source", "mcp", "--format", "json")
    data = json.loads(out)
    assert [(c["source"], c["action"]) for c in data] == [("mcp:Claude", "expense.delete")]
    change_id = data[0]["id"]

    code, out, _ = run("--db", url, "undo", str(change_id))
    assert (code, out) == (0, "Undid: delete 'Groceries' 45.00 on 2026-11-03\n")
    assert stored(url) == [("Groceries", Decimal("45.00"), "2026-11-03")]
    code, out, _ = run("--db", url, "redo")
    assert (code, out) == (0, "Redid: delete 'Groceries' 45.00 on 2026-11-03\n")
    assert stored(url) == []
    code, out, _ = run("--db", url, "history", "--limit", "2", "--format", "json")
    assert [c["action"] for c in json.loads(out)] == ["redo", "undo"]


def test_undo_refuses_with_exit_1_and_changes_nothing(url: str) -> None:
    code, _, err = run("--db", url, "undo", "999")
    assert code == 1 and err == "Error: There is no change #999.\n"
    run("--db", url, "add", "5", "Tea", "-c", "Groceries")
    book = open_book(url, source="tui")
    tea = expense_list.list_expenses(book.sessions).items[0]
    expenses.update_expense(book.sessions, tea.id, amount="6")  # another terminal, later
    book.close()
    code, _, err = run("--db", url, "undo", "2")  # the CLI's add of Tea
    assert code == 1
    assert "'Tea' 5.00 on 2026-03-15 was changed since (now: 'Tea' 6.00" in err
    assert stored(url) == [("Tea", Decimal("6.00"), "2026-03-15")]


def test_history_and_undo_never_create_a_book(tmp_path) -> None:
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    for args in (("history",), ("undo",), ("redo",)):
        code, _, err = run("--db", missing, *args)
        assert code == 1 and "There is no budget book" in err
    assert not (tmp_path / "none.db").exists()
