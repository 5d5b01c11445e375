"""Snapshots of the History screen at 80x24 and 120x40, on the fixed demo book with a few changes
made by the app, the CLI and an assistant, their times fixed (UTC).

Each test names what a reviewer should see in its SVG.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from budget_tui.controller import expense_list, expenses, history
from budget_tui.controller.book import open_book
from budget_tui.controller.ledger import acting_as
from tests.tui.helpers import make_app
from tests.tui.test_snapshots import keys, sizes


@pytest.fixture
def history_url(snapshot_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    book = open_book(snapshot_url, source="tui")
    try:
        first = expense_list.list_expenses(book.sessions, limit=3).items
        expenses.update_expense(book.sessions, first[0].id, amount="12.00")
        expenses.delete_expense(book.sessions, first[1].id)
        with acting_as("mcp:Claude Desktop"):
            expenses.create_expense(
                book.sessions,
                description="Cinema tickets",
                amount="24.00",
                occurred_on="2026-03-14",
                category="Entertainment",
            )
        history.undo(book.sessions, source="tui")
    finally:
        book.close()
    with sqlite3.connect(Path("budget.db")) as conn:
        conn.execute(
            "UPDATE changes SET at = datetime('2026-03-15 09:00', '+' || id || ' minutes')"
        )
    yield snapshot_url
    monkeypatch.delenv("TZ")
    time.tzset()


@sizes
def test_history(snap_compare, history_url, size) -> None:
    """Newest first: the undo of the delete (by tui), the assistant's add (mcp:Claude Desktop),
    the delete shown undone (dim, "(undone)"), the edit, the demo fill; the status line says
    every source."""
    assert snap_compare(make_app(history_url), terminal_size=size, run_before=keys("4"))


@sizes
def test_history_of_one_source(snap_compare, history_url, size) -> None:
    """f twice: only the assistant's change (mcp:Claude Desktop); the status line names it."""
    run_before = keys("f", "f", mode="history")
    assert snap_compare(make_app(history_url), terminal_size=size, run_before=run_before)


async def test_a_long_change_is_cut_with_an_ellipsis_and_fits_the_screen(empty_url, db) -> None:
    from textual.widgets import DataTable

    from budget_tui.controller.categories import create_category
    from tests.tui.helpers import ready, settle

    long_name = "Household repairs, garden tools and the shed"
    create_category(db.sessions, long_name)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, "history")
        table = app.screen.query_one("#history", DataTable)
        line = table.render_line(1).text  # the first row, under the labels
        assert line.rstrip().endswith("…") and "add category 'Household repairs" in line
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 80
        # Wider, the whole of it shows again.
        await pilot.resize_terminal(140, 24)
        await settle(pilot)
        await pilot.pause()  # the table's own new size comes with the next layout
        assert long_name in table.render_line(1).text
        # Undone, at 80 columns again: the summary is cut, and the mark stays in view.
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.pause()
        lines = [table.render_line(y).text.rstrip() for y in (1, 2)]
        assert [line.endswith("… (undone)") for line in lines] == [False, True], lines
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 80
