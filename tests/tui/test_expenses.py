"""Expenses screen: a person adds, edits, moves and deletes expenses with the keyboard;
the database holds what they did."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from textual.widgets import DataTable, Input, Static

from budget_tui.controller.categories import create_category, list_categories
from budget_tui.controller.expense_list import list_expenses
from budget_tui.controller.expenses import create_expense
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.tui.widgets.expense_form import ExpenseForm, resolve_category
from tests.tui.helpers import clear_and_type, make_app, notifications, ready, settle, type_text

MARCH = Period.month(dt.date(2026, 3, 1))


def all_expenses(book):
    return list_expenses(book.sessions, ExpenseFilter(), limit=1000).items


def seed(book) -> None:
    create_category(book.sessions, "Groceries", "400")
    create_category(book.sessions, "Gifts")
    create_expense(
        book.sessions,
        description="Bakery",
        amount="4.20",
        occurred_on="2026-03-10",
        category="Groceries",
    )


async def test_add_an_expense_with_a_relative_date_and_a_few_letters_of_category(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, ExpenseForm)
        await type_text(pilot, "Market run")
        await pilot.press("tab")
        await type_text(pilot, "23.45")
        await pilot.press("tab")
        await clear_and_type(pilot, "yesterday")
        await pilot.press("tab")
        await type_text(pilot, "gro")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExpenseForm)
        table = app.screen.query_one("#expenses", DataTable)
        selected = app.screen.rows[table.cursor_row]
        assert selected.description == "Market run"
    saved = [e for e in all_expenses(db) if e.description == "Market run"]
    assert len(saved) == 1
    assert saved[0].amount == Decimal("23.45")
    assert saved[0].occurred_on == dt.date(2026, 3, 14)
    assert saved[0].category_name == "Groceries"


async def test_an_invalid_amount_is_shown_next_to_the_field_and_nothing_is_saved(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await type_text(pilot, "Cheese")
        await pilot.press("tab")
        await type_text(pilot, "12,3x")
        await pilot.press("tab", "tab")
        await type_text(pilot, "groc")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExpenseForm)
        error = form.query_one("#amount-error", Static)
        assert error.display
        assert "not an amount" in str(error.render())
        assert form.query_one("#amount-input", Input).value == "12,3x"
        assert form.query_one("#description-input", Input).value == "Cheese"
        assert app.focused is form.query_one("#amount-input", Input)
        # Fixing the amount and saving again works, with the same uid.
        uid = form.uid
        await clear_and_type(pilot, "12.30")
        assert not error.display
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExpenseForm)
    saved = [e for e in all_expenses(db) if e.description == "Cheese"]
    assert [(e.amount, e.uid) for e in saved] == [(Decimal("12.30"), uid)]


async def test_escape_cancels_the_form_and_saves_nothing(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await type_text(pilot, "Never mind")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExpenseForm)
    assert [e.description for e in all_expenses(db)] == ["Bakery"]


async def test_edit_the_selected_expense(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # Enter on a row edits it, like e
        form = app.screen
        assert isinstance(form, ExpenseForm)
        assert form.query_one("#description-input", Input).value == "Bakery"
        await clear_and_type(pilot, "Bakery and cafe")
        await pilot.press("tab")
        await clear_and_type(pilot, "6.80")
        await pilot.press("enter")
        await settle(pilot)
    (expense,) = all_expenses(db)
    assert (expense.description, expense.amount, expense.version) == (
        "Bakery and cafe",
        Decimal("6.80"),
        2,
    )


async def test_move_the_selected_expense_to_another_category(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("m")
        await type_text(pilot, "gif")
        await pilot.press("enter")
        await settle(pilot)
    (expense,) = all_expenses(db)
    assert expense.category_name == "Gifts"


async def test_delete_asks_first_and_keep_keeps_it(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await pilot.press("n")
        await settle(pilot)
        assert len(all_expenses(db)) == 1
        await pilot.press("d")
        await pilot.press("y")
        await settle(pilot)
        assert all_expenses(db) == ()
        assert "No expenses in March 2026" in str(
            app.screen.query_one("#expenses-empty", Static).render()
        )


async def test_month_navigation_shows_each_months_expenses_and_total(empty_url, db):
    seed(db)
    create_expense(
        db.sessions, description="Flowers", amount="15", occurred_on="2026-02-03", category="Gifts"
    )
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert [r.description for r in screen.rows] == ["Bakery"]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.month == Period.month(dt.date(2026, 2, 1))
        assert [r.description for r in screen.rows] == ["Flowers"]
        status = str(screen.query_one("#expenses-status", Static).render())
        assert "February 2026" in status and "$15.00" in status
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert app.month == Period.month(dt.date(2026, 4, 1))
        assert screen.rows == []
        await pilot.press("t")
        await settle(pilot)
        assert app.month == MARCH


async def test_a_saved_expense_in_another_month_is_shown_there(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await type_text(pilot, "Old receipt")
        await pilot.press("tab")
        await type_text(pilot, "9")
        await pilot.press("tab")
        await clear_and_type(pilot, "2026-01-20")
        await pilot.press("tab")
        await type_text(pilot, "gi")
        await pilot.press("enter")
        await settle(pilot)
        assert app.month == Period.month(dt.date(2026, 1, 1))
        screen = app.screen
        assert screen.rows[screen.table.cursor_row].description == "Old receipt"


async def test_filter_by_text_and_category_then_clear(demo_url, db):
    app = make_app(demo_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        everything = len(screen.rows)
        word = screen.rows[-1].description.split()[0].lower()
        await pilot.press("slash")
        await type_text(pilot, word)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.rows  # from every month, not only March
        assert all(word in r.description.lower() for r in screen.rows)
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.rows) == everything
        await pilot.press("c")
        await type_text(pilot, "coff")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.rows and {r.category_name for r in screen.rows} == {"Coffee"}
        await pilot.press("s")
        await settle(pilot)
        amounts = [r.amount for r in screen.rows]
        assert amounts == sorted(amounts, reverse=True)


async def test_adding_without_categories_says_what_to_do(empty_url):
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app.screen, ExpenseForm)
        assert any("Add a category first" in m for m in notifications(app))


def test_a_few_letters_choose_a_category() -> None:
    cats = [(1, "Coffee"), (2, "Dining out"), (3, "Groceries"), (4, "Gifts")]
    assert resolve_category("gro", cats) == (3, "Groceries")
    assert resolve_category("COFFEE", cats) == (1, "Coffee")
    assert resolve_category("out", cats) == (2, "Dining out")
    # Letters that start several names take none of them silently.
    assert (
        resolve_category("g", cats) == "'g' matches Gifts, Groceries: choose one with ↓ and Enter."
    )
    assert "No category matches" in resolve_category("zzz", cats)  # type: ignore[operator]
    assert "no categories" in resolve_category("x", [])  # type: ignore[operator]


def test_list_categories_is_by_name(db) -> None:
    seed(db)
    assert [c.name for c in list_categories(db.sessions)] == ["Gifts", "Groceries"]


async def test_a_save_retried_after_a_lost_reply_adds_one_row(empty_url, db, monkeypatch):
    """The first save commits but its reply is lost; pressing Enter again must not add a twin."""
    from budget_tui.controller import expenses as ex
    from budget_tui.errors import DatabaseUnavailable

    seed(db)
    real = ex.create_expense
    calls: list[str] = []

    def lossy(sessions, **kwargs):
        calls.append(kwargs["uid"])
        view = real(sessions, **kwargs)
        if len(calls) == 1:
            raise DatabaseUnavailable("The connection was lost.", saved=None)
        return view

    monkeypatch.setattr(ex, "create_expense", lossy)
    app = make_app(empty_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await type_text(pilot, "Twice")
        await pilot.press("tab")
        await type_text(pilot, "5")
        await pilot.press("tab", "tab")
        await type_text(pilot, "gro")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExpenseForm)  # still open, with what was typed
        assert any("trying again is safe" in m for m in notifications(app))
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExpenseForm)
    assert len(calls) == 2 and calls[0] == calls[1]
    assert [e.description for e in all_expenses(db)].count("Twice") == 1
