"""Income and refunds from the keyboard: an income category made on Categories (i), a salary
and a refund entered on Expenses; the status lines show income, spending, net and savings."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Static

from budget_tui.controller.categories import create_category, list_categories
from budget_tui.controller.expense_list import list_expenses
from budget_tui.tui.screens.categories import CategoriesScreen
from budget_tui.tui.widgets.category_form import CategoryForm
from budget_tui.tui.widgets.expense_form import ExpenseForm
from tests.tui.helpers import clear_and_type, make_app, ready, settle, type_text


def status(app, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).render())


async def enter(pilot, description: str, amount: str, category: str) -> None:
    await pilot.press("a")
    assert isinstance(pilot.app.screen, ExpenseForm)
    await type_text(pilot, description)
    await pilot.press("tab")
    await type_text(pilot, amount)
    await pilot.press("tab")
    await clear_and_type(pilot, "2026-03-02")
    await pilot.press("tab")
    await type_text(pilot, category)
    await pilot.press("enter")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, ExpenseForm)


async def test_a_salary_a_purchase_and_a_refund_from_the_keyboard(empty_url, db):
    create_category(db.sessions, "Shopping", "200")
    app = make_app(empty_url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("i")
        assert isinstance(app.screen, CategoryForm)
        await type_text(pilot, "Salary")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CategoriesScreen)
        await pilot.press("1")
        await settle(pilot)
        await enter(pilot, "Pay", "2000", "sal")
        await enter(pilot, "Shoes", "120", "shop")
        await enter(pilot, "Returned shoes", "-45.50", "shop")
        line = status(app, "#expenses-status")
        assert "March 2026 (so far)" in line
        assert "3 expenses · $74.50 · left $125.50 of $200.00" in line  # the refund gave back
        assert "income $2,000.00 · net $1,925.50 · saved 96%" in line
        await pilot.press("2")
        await settle(pilot)
        line = status(app, "#categories-status")
        assert "spent $74.50 of $200.00 budgeted" in line
        assert "income $2,000.00 · net $1,925.50 · saved 96%" in line
        await pilot.press("3")
        await settle(pilot)
        summary = status(app, "#summary")
        assert "March 2026 (so far)  $74.50 spent · 2 expenses" in summary
        assert "income $2,000.00 · net $1,925.50 · saved 96%" in summary
        await pilot.press("2")
        await settle(pilot)
        names = [c.name for c in app.screen.rows]
        assert names == ["Salary", "Shopping"]
    kinds = {c.name: c.kind for c in list_categories(db.sessions)}
    assert kinds == {"Salary": "income", "Shopping": "spending"}
    amounts = sorted(e.amount for e in list_expenses(db.sessions, limit=10).items)
    assert amounts == [Decimal("-45.50"), Decimal("120.00"), Decimal("2000.00")]
