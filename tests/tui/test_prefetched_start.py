"""Start-up with the first screen read by a forked child (what ``budget-tui`` does): the rows are
painted from the child's answer before the app's own book is open, keys pressed meanwhile wait
for that book, and a child's refusal is shown like the app's own."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
from textual.widgets import DataTable

from budget_tui.controller import book as book_module
from budget_tui.controller import expense_list
from budget_tui.controller.book import open_book
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.tui import prefetch
from budget_tui.tui.app import BudgetApp
from budget_tui.tui.screens.connecting import ConnectingScreen
from budget_tui.tui.screens.expenses import ExpensesScreen
from tests.tui.helpers import THEME, settle

FIRST_LOAD = "budget_tui.controller.expense_list:browse_this_month"
FIRST_ROWS = "budget_tui.controller.first_rows:first_rows"


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUDGET_TUI_TODAY", "2026-03-15")  # the demo book's today
    return "2026-03-15"


def _descriptions(app: BudgetApp) -> list[str]:
    table = app.screen.query_one("#expenses", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(min(5, table.row_count))]


def _started_app(
    url: str, load: str, first: str | None, monkeypatch: pytest.MonkeyPatch
) -> tuple[BudgetApp, threading.Event]:
    """The app as ``budget-tui`` starts it, with its own book held back until ``release`` is
    set, so a test sees what the start-up child's answers alone put on the screen."""
    child = prefetch.start(url, load, first)
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.error is None
    release = threading.Event()
    real_open = book_module.open_book

    def held_open(url, *args, **kwargs):
        assert release.wait(30)
        return real_open(url, *args, **kwargs)

    monkeypatch.setattr(book_module, "open_book", held_open)
    app = BudgetApp(url=url, location=verdict.location or "", prefetch=child, first=verdict.first)
    app.theme = THEME
    return app, release


async def test_rows_are_painted_from_the_child_before_the_app_opens_its_own_book(
    demo_url: str, today: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, release = _started_app(demo_url, FIRST_LOAD, None, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if isinstance(app.screen, ExpensesScreen) and app.screen.rows:
                break
        assert isinstance(app.screen, ExpensesScreen)
        assert app.book is None  # painted from the child's answer alone
        reference = open_book(demo_url)
        try:
            march = expense_list.browse_expenses(
                reference.sessions, ExpenseFilter(period=Period.month(app.month.start))
            )
        finally:
            reference.close()
        assert [r.id for r in app.screen.rows[:20]] == [r.id for r in march.page.items[:20]]
        assert _descriptions(app) == [r.description for r in march.page.items[:5]]

        # A key pressed now waits for the app's book, then does its work.
        await pilot.press("right_square_bracket")
        await pilot.pause(0.1)
        release.set()
        april = Period.month(dt.date(2026, 4, 1))
        for _ in range(300):
            await settle(pilot)
            if app.book is not None and app.screen.shown_month() == april:
                break
        assert app.book is not None
        assert app.month == april and app.screen.shown_month() == april


async def test_a_refusal_from_the_child_is_shown_on_the_connecting_screen(
    tmp_path, today: str
) -> None:
    url = f"sqlite:///{tmp_path / 'book.db'}"
    open_book(url).close()
    # Make the book one this release can't open: its schema revision is from the future.
    with sqlite3.connect(tmp_path / "book.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_a_newer_release'")
    child = prefetch.start(url, FIRST_LOAD)
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.error is None
    app = BudgetApp(url=url, location=verdict.location, prefetch=child)
    app.theme = THEME
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectingScreen)
        text = str(app.screen.query_one("#connecting-message").render())
        assert f"Could not open {tmp_path / 'book.db'}" in text
        assert app.book is None


GATE = "BUDGET_TUI_TEST_GATE"


def gated_first_load(sessions):
    """The whole first listing, once the test opens the gate (a file the child waits for)."""
    import os
    import time
    from pathlib import Path

    gate = Path(os.environ[GATE])
    for _ in range(3000):
        if gate.exists():
            break
        time.sleep(0.01)
    return expense_list.browse_this_month(sessions)


def _status(app: BudgetApp) -> str:
    return str(app.screen.query_one("#expenses-status").render())


async def test_the_first_rows_are_painted_then_the_whole_list_takes_their_place(
    demo_url: str, today: str, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = tmp_path / "gate"
    monkeypatch.setenv(GATE, str(gate))
    app, release = _started_app(demo_url, f"{__name__}:gated_first_load", FIRST_ROWS, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if isinstance(app.screen, ExpensesScreen) and app.screen.rows:
                break
        screen = app.screen
        assert isinstance(screen, ExpensesScreen)
        # The first rows, read before SQLAlchemy: this month's newest, without totals yet.
        assert screen.previewing and app.book is None
        reference = open_book(demo_url)
        try:
            march = expense_list.browse_this_month(reference.sessions)
        finally:
            reference.close()
        assert [r.id for r in screen.rows] == [r.id for r in march.page.items[: len(screen.rows)]]
        assert _descriptions(app) == [r.description for r in march.page.items[:5]]
        assert "counting…" in _status(app)
        # Keys work on them meanwhile.
        await pilot.press("down", "down")
        chosen = screen.current
        assert chosen is not None and chosen.id == march.page.items[2].id

        gate.touch()  # the whole list comes: it replaces the first rows, the cursor kept
        for _ in range(500):
            await pilot.pause(0.01)
            if not screen.previewing:
                break
        assert not screen.previewing
        assert "counting…" not in _status(app)
        assert f"{march.totals.count:,} expenses" in _status(app)
        assert screen.current is not None and screen.current.id == chosen.id
        assert len(screen.rows) == len(march.page.items)

        release.set()
        for _ in range(300):
            await settle(pilot)
            if app.book is not None:
                break
        assert app.book is not None
        assert app.sub_title == app.location == demo_url.removeprefix("sqlite:///")


async def test_first_rows_whose_whole_list_never_came_are_read_again_by_the_app(
    demo_url: str, today: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, release = _started_app(
        demo_url, "tests.unit.test_prefetch:explode_after_the_first_rows", FIRST_ROWS, monkeypatch
    )
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if isinstance(app.screen, ExpensesScreen) and app.screen.rows:
                break
        screen = app.screen
        assert isinstance(screen, ExpensesScreen) and screen.previewing
        release.set()  # the child died without the list: the app's own book reads it
        for _ in range(300):
            await settle(pilot)
            if app.book is not None and not screen.previewing:
                break
        assert not screen.previewing
        assert "expenses" in _status(app) and "counting…" not in _status(app)


async def test_a_month_stepped_to_before_the_whole_list_comes_is_read_without_waiting(
    demo_url: str, today: str, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole first list arrives after a key moved on: nothing is painted from it, and the
    app's own book opens at once for the load that key started (it used to wait for a paint
    that would never come)."""
    from budget_tui.tui import app as app_module

    monkeypatch.setattr(app_module, "FIRST_PAINT_WAIT_S", 600.0)  # a wait would hang the test
    gate = tmp_path / "gate"
    monkeypatch.setenv(GATE, str(gate))
    app, release = _started_app(demo_url, f"{__name__}:gated_first_load", FIRST_ROWS, monkeypatch)
    release.set()  # the app's own book may open as soon as the app asks for it
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if isinstance(app.screen, ExpensesScreen) and app.screen.rows:
                break
        screen = app.screen
        assert isinstance(screen, ExpensesScreen) and screen.previewing
        await pilot.press("right_square_bracket")
        april = Period.month(dt.date(2026, 4, 1))
        gate.touch()
        for _ in range(1000):
            await pilot.pause(0.01)
            shown = app.book is not None and screen.shown_month() == april
            if shown and not screen.previewing and "April 2026" in _status(app):
                break
        assert app.book is not None
        assert "April 2026" in _status(app) and "counting…" not in _status(app)
