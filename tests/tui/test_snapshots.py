"""Snapshots of every screen and dialog of Expenses and Categories, at 80x24 and 120x40, on the
fixed demo book (seed 7, today 2026-03-15) in the textual-dark theme.

Each test names what a reviewer should see in its SVG.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from tests.tui.helpers import make_app, ready, settle, steady_cursor

SIZES = [(80, 24), (120, 40)]
sizes = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


def keys(*presses: str, mode: str = "expenses") -> Callable[[Pilot], Awaitable[None]]:
    """A ``run_before``: wait for the book, go to ``mode``, press each key and let the work finish."""

    async def run_before(pilot: Pilot) -> None:
        await ready(pilot, mode)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)
        await steady_cursor(pilot)

    return run_before


@sizes
def test_expenses_home(snap_compare, snapshot_url, size) -> None:
    """March 2026, newest first; the status line shows the month's total and budget left."""
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=keys())


@sizes
def test_expenses_empty_book(snap_compare, snapshot_empty_url, size) -> None:
    """A new book: the list says to start by adding a category."""
    assert snap_compare(make_app(snapshot_empty_url), terminal_size=size, run_before=keys())


@sizes
def test_expenses_by_amount_filtered_to_a_category(snap_compare, snapshot_url, size) -> None:
    """Groceries only, largest first; the status line names the filter and the order."""
    run_before = keys("c", "g", "r", "o", "enter", "s")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_expenses_text_search(snap_compare, snapshot_url, size) -> None:
    """The search box over the list holds "market"; only matching rows show."""
    run_before = keys("slash", *"market", "enter")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_new_expense_form(snap_compare, snapshot_url, size) -> None:
    """An empty form over the list; the date is today (2026-03-15)."""
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=keys("a"))


@sizes
def test_expense_form_with_an_invalid_amount(snap_compare, snapshot_url, size) -> None:
    """The amount error shows under the amount; everything typed is still there."""
    run_before = keys("a", *"Lunch", "tab", *"12,3x", "tab", "tab", *"din", "enter")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_edit_expense_form(snap_compare, snapshot_url, size) -> None:
    """The selected expense's values fill the form."""
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=keys("e"))


@sizes
def test_delete_expense_confirmation(snap_compare, snapshot_url, size) -> None:
    """Delete asks first, naming the expense, its amount and category."""
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=keys("d"))


@sizes
def test_move_expense_picker(snap_compare, snapshot_url, size) -> None:
    """Move offers the other categories, filtered by the letters typed ("s")."""
    run_before = keys("m", "s")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_categories(snap_compare, snapshot_url, size) -> None:
    """Each category with March's spend, budget, what is left and a bar (warning/error near/over)."""
    run_before = keys(mode="categories")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_new_category_form(snap_compare, snapshot_url, size) -> None:
    """Name and budget fields."""
    run_before = keys("a", mode="categories")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_duplicate_category_name(snap_compare, snapshot_url, size) -> None:
    """A taken name is refused under the name field."""
    run_before = keys("a", *"coffee", "enter", mode="categories")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_set_budget_form(snap_compare, snapshot_url, size) -> None:
    """The selected category's budget, ready to change."""
    run_before = keys("b", mode="categories")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_delete_used_category_offers_a_move(snap_compare, snapshot_url, size) -> None:
    """Deleting a category in use asks where its expenses go."""
    run_before = keys("d", mode="categories")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


@sizes
def test_help(snap_compare, snapshot_url, size) -> None:
    """F1 lists the Expenses keys with what each does."""
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=keys("f1"))


@sizes
def test_database_unavailable(snap_compare, tmp_path, monkeypatch, size) -> None:
    """The book can't be opened: the message says so and offers r to retry, q to quit."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.db").mkdir()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)

    app = make_app("sqlite:///folder.db")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def _with_income(url: str) -> None:
    """The demo book (its salary comes on the 25th) plus freelance income on the 15th, in an
    income category of its own, and a refund in Shopping."""
    from budget_tui.controller.book import open_book
    from budget_tui.controller.categories import create_category
    from budget_tui.controller.expenses import create_expense

    book = open_book(url)
    try:
        freelance = create_category(book.sessions, "Freelance", kind="income")
        for description, amount, category in (
            ("Design invoice", "4200.00", freelance.id),
            ("Returned jacket", "-59.90", "Shopping"),
        ):
            create_expense(
                book.sessions,
                description=description,
                amount=amount,
                occurred_on="2026-03-15",
                category=category,
            )
    finally:
        book.close()


@sizes
def test_expenses_with_income_and_a_refund(snap_compare, snapshot_url, size) -> None:
    """The refund (first row, the cursor is on the row below it) shows as -$59.90 in green; the
    status line's second line has March's income, net and savings rate; March is "so far"."""
    _with_income(snapshot_url)
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=keys("down"))


@sizes
def test_categories_with_income(snap_compare, snapshot_url, size) -> None:
    """Freelance and Salary are marked (income) and have no budget; the status line adds
    income, net, saved."""
    _with_income(snapshot_url)
    run_before = keys(mode="categories")
    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)
