"""Each screen load is one controller call: one transaction, so what it shows is one snapshot.

The book's sessionmaker is watched for transactions begun; a person opens each screen, steps a
month and changes the Reports period, and each of those loads begins exactly one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from textual.pilot import Pilot
from textual.widgets import Static

from budget_tui.tui.screens.categories import CategoriesScreen
from budget_tui.tui.screens.expenses import ExpensesScreen
from budget_tui.tui.screens.reports import ReportsScreen
from tests.tui.helpers import make_app, ready, settle


@contextmanager
def transactions(app) -> Iterator[list[str]]:
    """The transactions the app's book begins while the block runs (one entry each)."""
    begun: list[str] = []

    def after_begin(session, transaction, connection) -> None:
        begun.append("begin")

    event.listen(app.book.sessions, "after_begin", after_begin)
    try:
        yield begun
    finally:
        event.remove(app.book.sessions, "after_begin", after_begin)


async def press_and_count(pilot: Pilot, key: str) -> int:
    """Press ``key``, let the screen load, and answer how many transactions that took."""
    with transactions(pilot.app) as begun:
        await pilot.press(key)
        await settle(pilot)
    return len(begun)


async def test_every_screen_load_is_one_transaction(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ExpensesScreen) and app.screen.rows

        # Expenses: the month's rows, totals and categories come in one snapshot.
        assert await press_and_count(pilot, "right_square_bracket") == 1
        assert app.screen.query_state.period.label == "April 2026"
        assert await press_and_count(pilot, "left_square_bracket") == 1
        assert app.screen.query_state.period.label == "March 2026"
        assert await press_and_count(pilot, "left_square_bracket") == 1

        # Categories follow the month the Expenses screen showed.
        assert await press_and_count(pilot, "2") == 1
        assert isinstance(app.screen, CategoriesScreen)
        assert app.screen.period is not None and app.screen.period.label == "February 2026"
        assert await press_and_count(pilot, "right_square_bracket") == 1
        assert app.screen.period is not None and app.screen.period.label == "March 2026"

        # Reports open on that month too; all four panels come from one call.
        assert await press_and_count(pilot, "3") == 1
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        assert str(screen.query_one("#summary", Static).render()).startswith(
            "March 2026 (so far)  $"
        )
        assert await press_and_count(pilot, "p") == 1  # the next preset: last month
        assert str(screen.query_one("#summary", Static).render()).startswith("February 2026  $")
        assert await press_and_count(pilot, "right_square_bracket") == 1
        assert await press_and_count(pilot, "r") == 1

        assert await press_and_count(pilot, "1") == 1
        assert isinstance(app.screen, ExpensesScreen)


async def test_deleting_a_category_asks_with_one_read_and_deletes_with_one_write(
    demo_url: str,
) -> None:
    """How many expenses the category holds is one call; the delete is one; the reload one."""
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, "categories")
        screen = app.screen
        assert isinstance(screen, CategoriesScreen)
        doomed = screen.current
        assert doomed is not None
        with transactions(app) as begun:
            await pilot.press("d")
            await settle(pilot)
        assert len(begun) == 1  # the usage, to ask the right question
        with transactions(app) as begun:
            await pilot.press("enter")  # the first other category takes its expenses
            await settle(pilot)
        assert len(begun) == 2  # the delete, then the list again
        assert app.screen is screen
        assert doomed.id not in [c.id for c in screen.rows]
