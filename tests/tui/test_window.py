"""The Expenses list holds a window of rows fetched by keyset pages, never the whole month."""

from __future__ import annotations

import datetime as dt

from budget_tui.controller.expenses import list_expenses
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.tui.screens.expenses import MAX_WINDOW
from tests.tui.helpers import make_app, ready, settle

MARCH = ExpenseFilter(period=Period.month(dt.date(2026, 3, 1)))


def month_ids(book, descending: bool = True) -> list[int]:
    ids: list[int] = []
    after = None
    while True:
        page = list_expenses(book.sessions, MARCH, descending=descending, after=after, limit=1000)
        ids += [e.id for e in page.items]
        if page.next_cursor is None:
            return ids
        after = page.next_cursor


async def test_scrolling_down_and_up_walks_every_row_once_with_a_bounded_window(big_url, db):
    expected = month_ids(db)
    assert len(expected) > 2 * MAX_WINDOW
    app = make_app(big_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        seen: dict[int, None] = {}
        largest = 0
        for _ in range(200):
            ids = [r.id for r in screen.rows]
            largest = max(largest, len(ids))
            # The window is always a contiguous run of the month, in order.
            start = expected.index(ids[0])
            assert expected[start : start + len(ids)] == ids
            seen.update(dict.fromkeys(ids))
            if screen.table.next is None and screen.table.cursor_row == len(ids) - 1:
                break
            await pilot.press("pagedown")
            await settle(pilot)
        assert list(seen) == expected
        assert largest <= MAX_WINDOW
        last = screen.rows[screen.table.cursor_row]
        assert last.id == expected[-1]
        # And back to the top.
        for _ in range(200):
            if screen.table.prev is None and screen.table.cursor_row == 0:
                break
            await pilot.press("pageup")
            await settle(pilot)
        assert screen.rows[0].id == expected[0]
        assert len(screen.rows) <= MAX_WINDOW


async def test_sorting_by_amount_pages_in_amount_order(big_url, db):
    app = make_app(big_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        for _ in range(12):
            await pilot.press("pagedown")
            await settle(pilot)
        amounts = [r.amount for r in screen.rows]
        assert amounts == sorted(amounts, reverse=True)
        assert len(screen.rows) > 100  # more than the first page came in
