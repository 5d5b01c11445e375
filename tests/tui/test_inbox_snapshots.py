"""Snapshots of the Inbox at 80x24 and 120x40, on the fixed demo book with two proposals from an
assistant, their times fixed (UTC).

Each test names what a reviewer should see in its SVG.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from budget_tui.controller import proposals
from budget_tui.controller.book import open_book
from tests.tui.helpers import make_app
from tests.tui.test_snapshots import keys, sizes


@pytest.fixture
def inbox_url(snapshot_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    book = open_book(snapshot_url, source="tui")
    try:
        proposals.propose(
            book.sessions,
            "mcp:Claude Desktop",
            "add_expense",
            {
                "description": "Pharmacy",
                "amount": "18.40",
                "date": "2026-03-14",
                "category": "Health",
            },
        )
        proposals.propose(
            book.sessions,
            "mcp:Claude Desktop",
            "set_budget",
            {"category": "Dining out", "amount": "300.00", "month": "2026-03-01"},
        )
    finally:
        book.close()
    with sqlite3.connect(Path("budget.db")) as conn:
        conn.execute(
            "UPDATE proposals SET created_at = datetime('2026-03-15 09:00', '+' || id || ' minutes')"
        )
    yield snapshot_url
    monkeypatch.delenv("TZ")
    time.tzset()


@sizes
def test_inbox(snap_compare, inbox_url, size) -> None:
    """The header's tab reads "6 Inbox (2)" and is highlighted; newest first: the budget for
    Dining, then the Pharmacy expense, both from mcp:Claude Desktop; the footer shows y Accept
    and n Reject; the status line says 2 proposals waiting."""
    assert snap_compare(make_app(inbox_url), terminal_size=size, run_before=keys("6"))
