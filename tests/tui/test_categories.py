"""Categories screen: add, rename, budget and delete categories from the keyboard."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, Static

from budget_tui.controller.categories import create_category, list_categories
from budget_tui.controller.expense_list import expense_totals
from budget_tui.controller.expenses import create_expense
from budget_tui.controller.views import ExpenseFilter
from budget_tui.tui.screens.categories import CategoriesScreen
from budget_tui.tui.screens.confirm import ConfirmScreen
from budget_tui.tui.widgets.category_form import CategoryForm
from budget_tui.tui.widgets.category_picker import CategoryPicker
from tests.tui.helpers import clear_and_type, make_app, ready, settle, type_text


def names(book):
    return {c.name: c.monthly_budget for c in list_categories(book.sessions)}


async def test_add_a_category_with_a_budget(empty_url, db):
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CategoriesScreen)
        assert "No categories yet" in str(
            app.screen.query_one("#categories-empty", Static).render()
        )
        await pilot.press("a")
        assert isinstance(app.screen, CategoryForm)
        await type_text(pilot, "Groceries")
        await pilot.press("tab")
        await type_text(pilot, "450")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CategoriesScreen)
        assert [c.name for c in app.screen.rows] == ["Groceries"]
    assert names(db) == {"Groceries": Decimal("450.00")}


async def test_a_taken_name_and_a_bad_budget_are_both_shown_at_once(empty_url, db):
    create_category(db.sessions, "Groceries")
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("a")
        await type_text(pilot, "groceries")
        await pilot.press("tab")
        await type_text(pilot, "lots")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CategoryForm)
        name_error = str(form.query_one("#name-error", Static).render())
        assert "A category named 'Groceries' already exists." in name_error
        assert form.query_one("#budget-error", Static).display
        # What was typed stays, to be put right.
        assert form.query_one("#name-input", Input).value == "groceries"
        assert form.query_one("#budget-input", Input).value == "lots"
        await pilot.press("escape")
        await settle(pilot)
    assert names(db) == {"Groceries": None}


async def test_a_name_taken_after_the_form_opened_is_refused_by_the_database(empty_url, db):
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("a")
        create_category(db.sessions, "Gifts")  # from another program, as the form is open
        await type_text(pilot, "GIFTS")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CategoryForm)
        assert "already exists" in str(form.query_one("#name-error", Static).render())
        assert form.query_one("#name-input", Input).value == "GIFTS"
    assert names(db) == {"Gifts": None}


async def test_a_category_keeps_its_own_name_in_another_case(empty_url, db):
    create_category(db.sessions, "Food")
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("r")
        await clear_and_type(pilot, "FOOD")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CategoriesScreen)
    assert names(db) == {"FOOD": None}


async def test_rename_and_set_budget(empty_url, db):
    create_category(db.sessions, "Food")
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("r")
        await clear_and_type(pilot, "Groceries")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("b")
        await clear_and_type(pilot, "abc")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CategoryForm)
        assert app.screen.query_one("#budget-error", Static).display
        await clear_and_type(pilot, "300.50")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CategoriesScreen)
    assert names(db) == {"Groceries": Decimal("300.50")}


async def test_delete_an_unused_category_after_confirming(empty_url, db):
    create_category(db.sessions, "Spare")
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
    assert names(db) == {}


async def test_delete_of_a_used_category_moves_its_expenses_first(empty_url, db):
    create_category(db.sessions, "Cafe")
    create_category(db.sessions, "Coffee")
    for day in ("2026-01-05", "2026-03-02"):
        create_expense(
            db.sessions, description="Latte", amount="3.50", occurred_on=day, category="Cafe"
        )
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("d")  # Cafe is first by name
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, CategoryPicker)
        assert "has 2 expenses" in picker.title_text
        await pilot.press("escape")
        await settle(pilot)
        assert set(names(db)) == {"Cafe", "Coffee"}  # cancelled: nothing changed
        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "cof")
        await pilot.press("enter")
        await settle(pilot)
    assert set(names(db)) == {"Coffee"}
    coffee = next(c for c in list_categories(db.sessions) if c.name == "Coffee")
    assert expense_totals(db.sessions, ExpenseFilter(category_id=coffee.id)).count == 2


async def test_delete_of_the_only_category_in_use_is_refused(empty_url, db):
    create_category(db.sessions, "Only")
    create_expense(
        db.sessions, description="Thing", amount="1", occurred_on="2026-03-01", category="Only"
    )
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "no other category" in app.screen.message
        await pilot.press("y")
        await settle(pilot)
    assert set(names(db)) == {"Only"}


async def test_spend_budget_and_left_follow_the_month(demo_url, db):
    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, "categories")
        screen = app.screen
        march = {c.name: c.spent for c in screen.rows}
        await pilot.press("left_square_bracket")
        await settle(pilot)
        february = {c.name: c.spent for c in screen.rows}
        assert march != february
        assert "February 2026" in str(screen.query_one("#categories-status", Static).render())
        # The Expenses screen follows the month chosen here.
        await pilot.press("1")
        await settle(pilot)
        assert "February 2026" in str(app.screen.query_one("#expenses-status", Static).render())


async def test_budget_bars_take_their_colours_from_the_theme(demo_url):
    from budget_tui.tui.widgets.budget_bar import level

    app = make_app(demo_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, "categories")
        screen = app.screen
        over = next(i for i, c in enumerate(screen.rows) if level(c.used) == "over")

        def bar_style() -> str:
            return str(screen.table.get_cell(str(screen.rows[over].id), "bar").spans[0].style)

        dark = app.theme_variables["error"]
        assert bar_style() == dark
        app.theme = "nord"
        await settle(pilot)
        nord = app.theme_variables["error"]
        assert nord != dark
        assert bar_style() == nord
