"""Read-only is enforced by the database, not only by which tools exist; and no message a client
reads carries the database URL or its password."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from budget_tui.controller import reports
from budget_tui.controller.book import info, open_book
from budget_tui.controller.periods import Period
from budget_tui.errors import ConfigError
from budget_tui.mcp_server import create_server
from tests.mcp.conftest import Seeded, tools_for


def snapshot(seeded: Seeded) -> tuple:
    """What a write would change: counts, and every category's spend over the whole book."""
    counts = info(seeded.book.sessions)
    spend = reports.spend_by_category_report(seeded.book.sessions, Period.year(2026))
    return counts.categories, counts.expenses, spend


async def test_a_write_without_allow_write_fails_and_changes_nothing(seeded: Seeded) -> None:
    before = snapshot(seeded)
    async with tools_for(seeded.url) as t:
        message = await t.error(
            "add_expense", description="Sneaky", amount="1.00", category="Groceries"
        )
        deleted = await t.error("delete_expense", expense_id=1)
    assert "Unknown tool" in message and "add_expense" in message
    assert "Unknown tool" in deleted
    assert snapshot(seeded) == before


async def test_the_database_refuses_writes_even_through_a_write_tool(seeded: Seeded) -> None:
    """The write tools over a book opened read-only, as ``budget-tui mcp`` opens it: the
    database itself says no."""
    before = snapshot(seeded)
    async with tools_for(seeded.url, allow_write=True, read_only=True) as t:
        added = await t.error(
            "add_expense", description="Sneaky", amount="1.00", category="Groceries"
        )
        made = await t.error("create_category", name="Sneaky")
        butcher = (await t.ok("search_expenses", text="Butcher"))["expenses"][0]
        deleted = await t.error("delete_expense", expense_id=butcher["id"])
    for message in (added, made, deleted):
        assert "This connection is read-only; nothing was changed." in message
    assert snapshot(seeded) == before


def test_a_read_only_book_refuses_raw_sql_writes(seeded: Seeded) -> None:
    """Below the controller too: a plain INSERT on the read-only engine fails in the database."""
    book = open_book(seeded.url, read_only=True)
    try:
        with pytest.raises(DBAPIError) as caught, book.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO categories (name, name_key, version) VALUES ('X', 'x', 1)")
            )
        reason = str(caught.value.orig).lower()
        assert "read-only" in reason or "readonly" in reason
    finally:
        book.close()
    assert info(seeded.book.sessions).categories == 3


def test_serving_a_book_that_does_not_exist_yet_says_what_to_do(tmp_path) -> None:
    """Read-only cannot create the file; the error says how to, before any stdio starts."""
    from budget_tui.mcp_server import run_stdio

    missing = tmp_path / "missing.db"
    with pytest.raises(ConfigError) as caught:
        run_stdio(f"sqlite:///{missing}")
    assert caught.value.message == f"There is no budget book at {missing}."
    assert "budget-tui db upgrade" in (caught.value.hint or "")
    assert not missing.exists()


async def test_an_unreachable_database_is_a_tool_error_without_the_password() -> None:
    """Nothing listens on port 9: every tool answers with an error that names no URL part."""
    url = "postgresql://budget_owner:s3cret-Pa55@127.0.0.1:9/ledger"
    book = open_book(url, read_only=True, migrate=False)
    try:
        from mcp import Client

        async with Client(create_server(book)) as client:
            calls = [
                ("list_categories", {}),
                ("budget_status", {"month": "2026-03"}),
                ("query_expenses_by_category", {"category": "Groceries"}),
                ("summarize_spending", {"start": "2026-03-01", "end": "2026-03-31"}),
            ]
            for name, arguments in calls:
                result = await client.call_tool(name, arguments)
                assert result.is_error
                message = result.content[0].text
                assert "Nothing is listening at the database address." in message
                # A look-up changes nothing: its error does not speak of saving.
                assert "saved" not in message.lower(), message
                for secret in ("s3cret", "budget_owner", "ledger", "127.0.0.1", "postgresql"):
                    assert secret not in message, (name, message)
    finally:
        book.close()
