"""Budgets by month from the keyboard: the budget form sets the month on screen (or only it),
with rollover; the Categories screen shows budget, carried, spent and left; the database holds
the rows the form promised; undo takes the change back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budget_tui.controller.categories import budget_history, budget_status, create_category
from budget_tui.controller.expenses import create_expense
from budget_tui.controller.views import BudgetChange
from budget_tui.tui.screens.categories import CategoriesScreen
from budget_tui.tui.widgets.category_form import CategoryForm
from tests.tui.helpers import clear_and_type, make_app, ready, settle

D = dt.date


def row(screen: CategoriesScreen, name: str) -> list[str]:
    """The Categories table's cells of one category, as shown."""
    table = screen.table
    index = next(i for i, c in enumerate(screen.rows) if c.name == name)
    return [str(cell).strip() for cell in table.get_row_at(index)[:5]]


async def test_december_only_with_rollover_from_the_keyboard(empty_url, db) -> None:
    gifts = create_category(db.sessions, "Gifts", "40", month="2026-01")
    create_expense(
        db.sessions, description="Card", amount="10.00", occurred_on="2026-01-05", category="Gifts"
    )
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        screen = app.screen
        assert isinstance(screen, CategoriesScreen)
        # The tests' today is 15 March 2026: go to December.
        for _ in range(9):
            await pilot.press("right_square_bracket")
            await settle(pilot)
        assert screen.period is not None and screen.period.start == D(2026, 12, 1)
        await pilot.press("b")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CategoryForm)
        assert "Budget for December 2026" in str(form.query_one(".dialog-title").render())
        assert "from Jan 2026: $40.00" in str(form.query_one("#budget-history").render())
        await clear_and_type(pilot, "400")
        await pilot.press("tab", "space", "tab", "space")  # roll over; December only
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert row(screen, "Gifts")[:5] == ["Gifts ↻", "$400.00", "", "$0.00", "$400.00"]
        # January is 40 again, and December's leftover rolled into it.
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert row(screen, "Gifts")[:5] == ["Gifts", "$40.00", "$400.00", "$0.00", "$440.00"]
    assert budget_history(db.sessions, gifts.id) == (
        BudgetChange(D(2026, 1, 1), Decimal("40.00"), False),
        BudgetChange(D(2026, 12, 1), Decimal("400.00"), True),
        BudgetChange(D(2027, 1, 1), Decimal("40.00"), False),
    )
    november = next(c for c in budget_status(db.sessions, "2026-11").categories)
    assert (november.monthly_budget, november.carried) == (Decimal("40.00"), Decimal("0.00"))


async def test_a_budget_set_in_march_leaves_february_and_undo_takes_it_back(empty_url, db) -> None:
    create_category(db.sessions, "Food", "100", month="2026-01")
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        screen = app.screen
        assert isinstance(screen, CategoriesScreen)
        await pilot.press("b")
        await settle(pilot)
        await clear_and_type(pilot, "250")
        await pilot.press("enter")
        await settle(pilot)
        assert row(screen, "Food")[1] == "$250.00"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert row(screen, "Food")[1] == "$100.00"  # February keeps its budget
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert row(screen, "Food")[1] == "$100.00"  # undone in March too
    assert [c.amount for c in budget_history(db.sessions, "Food")] == [Decimal("100.00")]
