"""The Expenses list holds a window of rows fetched by keyset pages, never the whole month."""

from __future__ import annotations

import datetime as dt

from budget_tui.controller.expense_list import list_expenses
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


async def test_end_and_home_go_to_the_last_and_first_row_of_the_month(big_url, db):
    expected = month_ids(db)
    assert len(expected) > 2 * MAX_WINDOW
    app = make_app(big_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("end")
        await settle(pilot)
        assert screen.current.id == expected[-1]
        assert screen.table.next is None
        await pilot.press("up")  # the window continues upwards from there
        await settle(pilot)
        assert screen.current.id == expected[-2]
        await pilot.press("home")
        await settle(pilot)
        assert screen.current.id == expected[0]
        assert screen.table.prev is None


async def test_held_pagedown_loses_no_press_at_page_edges(big_url, db):
    """Over four windows' worth of rows (a search of every month): presses made while the next
    page is still on its way are made when it arrives, so 80 presses move 80 pages, across a dozen
    fetched pages and rows dropped from the window's far end as it goes."""
    matching = ExpenseFilter(text="e")
    ids: list[int] = []
    after = None
    while True:
        page = list_expenses(db.sessions, matching, after=after, limit=1000)
        ids += [e.id for e in page.items]
        if page.next_cursor is None or len(ids) > 2000:
            break
        after = page.next_cursor
    app = make_app(big_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("slash", "e", "enter")
        await settle(pilot)
        step = screen.table._page_rows()
        presses = 80
        assert presses * step > 4 * MAX_WINDOW and len(ids) > presses * step
        for _ in range(presses):
            await pilot.press("pagedown")  # no waiting for the pages: a key held down
        await settle(pilot)
        assert screen.current.id == ids[presses * step]
        for _ in range(presses):
            await pilot.press("pageup")
        await settle(pilot)
        assert screen.current.id == ids[0]
