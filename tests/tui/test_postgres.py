"""The same keyboard flow on PostgreSQL (runs when TEST_DATABASE_URL is set, as in CI)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_tui.controller.categories import create_category
from budget_tui.controller.expense_list import list_expenses
from budget_tui.controller.views import ExpenseFilter
from budget_tui.tui.widgets.category_picker import CategoryPicker
from tests.conftest import make_book, pg_url
from tests.tui.helpers import make_app, ready, settle, type_text

pytestmark = pytest.mark.postgres


async def test_add_move_and_delete_on_postgresql(tmp_path):
    book = make_book("postgresql", tmp_path)
    try:
        create_category(book.sessions, "Groceries", "400")
        create_category(book.sessions, "Gifts")
        app = make_app(pg_url())
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            await pilot.press("a")
            await type_text(pilot, "Cheese")
            await pilot.press("tab")
            await type_text(pilot, "7.25")
            await pilot.press("tab", "tab")
            await type_text(pilot, "gro")
            await pilot.press("enter")
            await settle(pilot)
            (saved,) = list_expenses(book.sessions, ExpenseFilter()).items
            assert (saved.description, saved.amount, saved.category_name) == (
                "Cheese",
                Decimal("7.25"),
                "Groceries",
            )
            await pilot.press("m")
            assert isinstance(app.screen, CategoryPicker)
            await type_text(pilot, "gif")
            await pilot.press("enter")
            await settle(pilot)
            (moved,) = list_expenses(book.sessions, ExpenseFilter()).items
            assert moved.category_name == "Gifts"
            await pilot.press("d", "y")
            await settle(pilot)
            assert list_expenses(book.sessions, ExpenseFilter()).items == ()
    finally:
        book.close()
