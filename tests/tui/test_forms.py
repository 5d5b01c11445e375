"""The forms as a new user meets them: every field's error at once with the cursor on the first,
text too long refused with a message (never cut), categories picked from a list, Esc asking
before it drops what was typed, a budget of 0 meaning none, and a form that fits a small
terminal."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, OptionList, Static

from budget_tui.controller.categories import create_category, list_categories
from budget_tui.controller.expense_list import list_expenses
from budget_tui.controller.expenses import create_expense
from budget_tui.controller.views import ExpenseFilter
from budget_tui.tui.screens.confirm import ConfirmScreen
from budget_tui.tui.widgets.category_form import CategoryForm
from budget_tui.tui.widgets.expense_form import ExpenseForm
from tests.tui.helpers import burst, make_app, notifications, ready, settle, type_text


def descriptions(book) -> list[str]:
    return [e.description for e in list_expenses(book.sessions, ExpenseFilter(), limit=100).items]


def seed(book) -> None:
    for name in ("Dining & fun", "Dining out", "Groceries", "Gifts"):
        create_category(book.sessions, name)
    create_expense(
        book.sessions,
        description="Bakery",
        amount="4.20",
        occurred_on="2026-03-10",
        category="Groceries",
    )


def error_of(form, key: str) -> str | None:
    error = form.query_one(f"#{key}-error", Static)
    return str(error.render()) if error.display else None


async def test_enter_on_an_empty_form_shows_every_error_at_once(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExpenseForm)
        assert error_of(form, "description") == "The description can't be empty."
        assert error_of(form, "amount") == "Enter an amount, like 12.50."
        assert error_of(form, "date") is None  # today, filled in
        assert "Choose a category" in (error_of(form, "category") or "")
        assert app.focused is form.query_one("#description-input")
        # Fixing one field clears its error only; the others stay until they are fixed.
        await type_text(pilot, "Lunch")
        assert error_of(form, "description") is None
        assert error_of(form, "amount") is not None
    assert descriptions(db) == ["Bakery"]


async def test_the_cursor_goes_to_the_first_field_in_error(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await type_text(pilot, "Lunch")
        await pilot.press("tab")
        await type_text(pilot, "12.5.0")
        await pilot.press("tab")
        app.focused.value = "32/13/2026"  # type: ignore[union-attr]
        await pilot.press("tab")
        await type_text(pilot, "zzz")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExpenseForm)
        assert error_of(form, "description") is None
        assert all(error_of(form, key) for key in ("amount", "date", "category"))
        assert app.focused is form.query_one("#amount-input")
    assert descriptions(db) == ["Bakery"]


async def test_a_pasted_description_too_long_is_refused_with_a_message_not_cut(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, ExpenseForm)
        description = form.query_one("#description-input", Input)
        description.insert_text_at_cursor("x" * 300)  # what a paste does
        await pilot.press("tab")
        await type_text(pilot, "3")
        await pilot.press("tab", "tab")
        await type_text(pilot, "groc")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExpenseForm)
        assert len(description.value) == 300
        assert error_of(form, "description") == (
            "The description is 300 characters long; the limit is 200."
        )
        assert app.focused is description
    assert descriptions(db) == ["Bakery"]


async def test_a_category_name_too_long_is_refused_with_a_message(empty_url, db):
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, CategoryForm)
        form.query_one("#name-input", Input).insert_text_at_cursor("n" * 60)
        await pilot.press("tab")
        await type_text(pilot, "-5")
        await pilot.press("enter")
        await settle(pilot)
        assert error_of(form, "name") == (
            "The category name is 60 characters long; the limit is 50."
        )
        assert "can't be negative" in (error_of(form, "budget") or "")
        assert app.focused is form.query_one("#name-input")
    assert list_categories(db.sessions) == ()


async def test_the_category_field_lists_matches_and_an_ambiguous_prefix_says_so(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await type_text(pilot, "Pizza")
        await pilot.press("tab")
        await type_text(pilot, "18")
        await pilot.press("tab", "tab")
        await type_text(pilot, "din")
        form = app.screen
        assert isinstance(form, ExpenseForm)
        options = form.query_one("#category-options", OptionList)
        assert options.display
        listed = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert listed == ["Dining & fun", "Dining out"]
        note = str(form.query_one("#category-matches", Static).render())
        assert "'din' matches 2 categories" in note
        # Enter without choosing takes neither: it says which names the letters match.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExpenseForm)
        assert error_of(form, "category") == (
            "'din' matches Dining & fun, Dining out: choose one with ↓ and Enter."
        )
        # Arrow down to the second, Enter takes it, Enter again saves.
        await pilot.press("down")
        assert options.highlighted == 1
        await pilot.press("enter")
        assert form.query_one("#category-input", Input).value == "Dining out"
        assert not options.display
        assert error_of(form, "category") is None
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExpenseForm)
    saved = list_expenses(db.sessions, ExpenseFilter(text="Pizza")).items
    assert [(e.category_name, e.amount) for e in saved] == [("Dining out", Decimal("18.00"))]


async def test_fuzzy_letters_and_the_down_key_offer_the_list(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a", "tab", "tab", "tab")
        form = app.screen
        options = form.query_one("#category-options", OptionList)
        assert not options.display
        await pilot.press("down")  # an empty field: Down lists every category
        assert options.option_count == 4 and options.display
        await pilot.press("escape")  # Esc closes the list, not the form
        assert not options.display and isinstance(app.screen, ExpenseForm)
        await type_text(pilot, "dgo")  # D-innin-G O-ut: letters in order
        listed = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert listed == ["Dining out"]


async def test_escape_asks_before_dropping_what_was_typed(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a", "escape")  # nothing typed: closes at once
        await settle(pilot)
        assert not isinstance(app.screen, (ExpenseForm, ConfirmScreen))
        await pilot.press("a")
        await type_text(pilot, "Half typed")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.title_text == "Discard this expense?"
        await pilot.press("n")  # keep editing: the form is back with the text
        await settle(pilot)
        assert isinstance(app.screen, ExpenseForm)
        assert app.screen.query_one("#description-input", Input).value == "Half typed"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, (ExpenseForm, ConfirmScreen))
    assert descriptions(db) == ["Bakery"]


async def test_a_budget_of_zero_means_no_budget(empty_url, db):
    create_category(db.sessions, "Coffee", "40")
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("b")
        form = app.screen
        assert isinstance(form, CategoryForm)
        form.query_one("#budget-input", Input).value = ""
        await type_text(pilot, "0")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CategoryForm)
    assert [(c.name, c.monthly_budget) for c in list_categories(db.sessions)] == [("Coffee", None)]


async def test_every_field_of_the_form_can_be_reached_at_60x16(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(60, 16)) as pilot:
        await ready(pilot)
        await pilot.press("a", "tab", "tab", "tab")
        await settle(pilot)  # the form scrolls the focused field into view
        form = app.screen
        category = form.query_one("#category-input", Input)
        assert app.focused is category
        assert form.region.contains_region(category.region)
        await type_text(pilot, "gro")
        await pilot.press("enter")  # errors above: the cursor goes back up, into view
        await settle(pilot)
        description = form.query_one("#description-input", Input)
        assert app.focused is description
        assert form.region.contains_region(description.region)


async def test_the_add_a_category_first_toast_does_not_cover_the_category_form(empty_url):
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert any("Add a category first" in m for m in notifications(app))
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CategoryForm)
        assert notifications(app) == []


async def test_dates_are_read_in_the_locales_order(empty_url, db, monkeypatch):
    from budget_tui import money

    monkeypatch.setenv("BUDGET_LOCALE", "en_GB")
    money._defaults.cache_clear()
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for typed, what in (("12/01/2026", "Scarf"), ("1 Dec", "Gloves")):
            await pilot.press("a")
            await type_text(pilot, what)
            await pilot.press("tab")
            await type_text(pilot, "20")
            await pilot.press("tab")
            app.focused.value = ""  # type: ignore[union-attr]
            await type_text(pilot, typed)
            await pilot.press("tab")
            await type_text(pilot, "gif")
            await pilot.press("enter")
            await settle(pilot)
            assert not isinstance(app.screen, ExpenseForm)
    saved = {
        e.description: e.occurred_on.isoformat()
        for e in list_expenses(db.sessions, ExpenseFilter(), limit=100).items
    }
    assert saved["Scarf"] == "2026-01-12" and saved["Gloves"] == "2025-12-01"


async def test_letters_matching_no_category_are_said_once_and_kept(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await type_text(pilot, "Pizza")
        await pilot.press("tab")
        await type_text(pilot, "18")
        await pilot.press("tab", "tab")
        await type_text(pilot, "zzq")
        form = app.screen
        assert isinstance(form, ExpenseForm)
        note = form.query_one("#category-matches", Static)
        assert note.display and "No category matches 'zzq'" in str(note.render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExpenseForm)
        assert error_of(form, "category") == "No category matches 'zzq'; press ↓ for the list."
        assert not note.display  # the error says it; the live note does not repeat it
        assert form.query_one("#category-input", Input).value == "zzq"
    assert list_expenses(db.sessions, ExpenseFilter(text="Pizza")).items == ()


async def test_tab_goes_round_the_fields_and_nothing_else(empty_url, db):
    """Tab visits the form's fields in turn: the form's own scroll area is never a stop of its
    own, where the next key typed would be lost."""
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        visited = []
        for _ in range(8):
            visited.append(app.focused.id if app.focused is not None else None)
            await pilot.press("tab")
            await settle(pilot)
        fields = ["description-input", "amount-input", "date-input", "category-input"]
        assert visited == fields * 2


async def test_fields_typed_in_one_burst_land_in_their_fields(empty_url, db):
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, "categories")
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CategoryForm)
        burst(app, "Gifts\t120")
        await settle(pilot)
        assert form.query_one("#name-input", Input).value == "Gifts"
        assert form.query_one("#budget-input", Input).value == "120"
        burst(app, "\x19")  # and back
        await settle(pilot)
        assert app.focused is form.query_one("#name-input", Input)
        await pilot.press("enter")
        await settle(pilot)
    assert {c.name: c.monthly_budget for c in list_categories(db.sessions)} == {
        "Gifts": Decimal("120.00")
    }


async def test_an_expense_typed_in_one_burst_is_saved_as_typed(empty_url, db):
    create_category(db.sessions, "Groceries")
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ExpenseForm)
        burst(app, "Market run\t23.45\t")
        await settle(pilot)
        app.focused.value = ""  # the date field, filled with today
        burst(app, "2026-03-14\tgro")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    saved = list_expenses(db.sessions, ExpenseFilter(), limit=10).items
    assert [(e.description, e.amount, str(e.occurred_on), e.category_name) for e in saved] == [
        ("Market run", Decimal("23.45"), "2026-03-14", "Groceries")
    ]
