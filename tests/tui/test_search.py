"""`/` finds an expense by text in every month ("when did I last pay the plumber?"), newest
first with its date; a month step narrows the search to one month; Esc goes back to the month."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static

from budget_tui.controller.categories import create_category
from budget_tui.controller.expenses import create_expense
from budget_tui.controller.periods import Period
from tests.tui.helpers import make_app, ready, settle, type_text


def seed(book) -> None:
    create_category(book.sessions, "House")
    for day, what in (
        ("2025-04-22", "Plumber, kitchen sink"),
        ("2025-11-03", "Plumber: boiler"),
        ("2026-03-10", "Paint"),
    ):
        create_expense(
            book.sessions, description=what, amount="120", occurred_on=day, category="House"
        )


def shown(screen) -> list[tuple[str, str]]:
    table = screen.query_one("#expenses")
    return [
        (str(table.get_cell_at((row, 0))), str(table.get_cell_at((row, 1))))
        for row in range(table.row_count)
    ]


def status(screen) -> str:
    return str(screen.query_one("#expenses-status", Static).render())


async def test_slash_finds_last_springs_expense_in_every_month(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert shown(screen) == [("2026-03-10", "Paint")]
        await pilot.press("slash")
        await type_text(pilot, "plumber")
        await pilot.press("enter")
        await settle(pilot)
        assert shown(screen) == [
            ("2025-11-03", "Plumber: boiler"),
            ("2025-04-22", "Plumber, kitchen sink"),
        ]
        assert status(screen).startswith("All months · 2 expenses · $240.00")
        assert "text: 'plumber'" in status(screen)
        # A month step narrows the search to a month; the text stays.
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.month == Period.month(dt.date(2026, 2, 1))
        assert shown(screen) == []
        assert "No expenses match" in str(screen.query_one("#expenses-empty").render())
        # Esc clears the search: the month's own list again.
        await pilot.press("escape", "right_square_bracket")
        await settle(pilot)
        assert shown(screen) == [("2026-03-10", "Paint")]
        assert status(screen).startswith("March 2026")


async def test_month_keys_keep_stepping_through_months_without_a_match(empty_url, db):
    """A month with no match hides the list; the next month key steps on, and is never typed
    into the search field."""
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("slash")
        await type_text(pilot, "plumber")
        await pilot.press("enter")
        await settle(pilot)
        for month in (2, 1):  # two months in a row without a plumber
            await pilot.press("left_square_bracket")
            await settle(pilot)
            assert app.month == Period.month(dt.date(2026, month, 1))
            assert shown(screen) == []
        await pilot.press("left_square_bracket")  # December 2025: none either
        await settle(pilot)
        await pilot.press("left_square_bracket")  # November 2025 has one
        await settle(pilot)
        assert app.month == Period.month(dt.date(2025, 11, 1))
        assert shown(screen) == [("2025-11-03", "Plumber: boiler")]
        assert screen.query_one("#search").value == "plumber"
        assert "text: 'plumber'" in status(screen)
        assert app.focused is screen.query_one("#expenses")
