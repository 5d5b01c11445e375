"""Budgets by month and rollover, on both backends: a budget set while looking at a month holds
from that month on, "this month only" leaves the others alone, rollover carries what is left (or
overspent) into the next month, and every change is undoable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budget_tui.controller import categories, history
from budget_tui.controller.views import BudgetChange
from budget_tui.errors import Conflict, InvalidInput
from tests.controller.conftest import add, assert_rollup_consistent

D = dt.date


def budget_in(sessions, name: str, month: str) -> tuple[Decimal | None, Decimal, Decimal | None]:
    view = next(c for c in categories.budget_status(sessions, month).categories if c.name == name)
    return view.monthly_budget, view.carried, view.available


def test_a_budget_set_in_a_month_leaves_earlier_months_as_they_were(sessions) -> None:
    gifts = categories.create_category(sessions, "Gifts", "50", month="2026-01")
    categories.set_budget(sessions, gifts.id, "80", month="2026-06")
    assert budget_in(sessions, "Gifts", "2025-12")[0] is None  # before the first budget
    assert budget_in(sessions, "Gifts", "2026-05")[0] == Decimal("50.00")
    assert budget_in(sessions, "Gifts", "2026-06")[0] == Decimal("80.00")
    assert budget_in(sessions, "Gifts", "2027-03")[0] == Decimal("80.00")
    # Set again from an earlier month on: the later change gives way.
    categories.set_budget(sessions, gifts.id, "60", month="2026-03")
    assert [budget_in(sessions, "Gifts", m)[0] for m in ("2026-02", "2026-03", "2026-09")] == [
        Decimal("50.00"),
        Decimal("60.00"),
        Decimal("60.00"),
    ]


def test_december_only_changes_december(sessions) -> None:
    gifts = categories.create_category(sessions, "Gifts", "50", month="2026-01")
    categories.set_budget(sessions, gifts.id, "400", month="2026-12", only_month=True)
    assert budget_in(sessions, "Gifts", "2026-11")[0] == Decimal("50.00")
    assert budget_in(sessions, "Gifts", "2026-12")[0] == Decimal("400.00")
    assert budget_in(sessions, "Gifts", "2027-01")[0] == Decimal("50.00")
    assert categories.budget_history(sessions, gifts.id) == (
        BudgetChange(D(2026, 1, 1), Decimal("50.00"), False),
        BudgetChange(D(2026, 12, 1), Decimal("400.00"), False),
        BudgetChange(D(2027, 1, 1), Decimal("50.00"), False),
    )


def test_rollover_carries_a_surplus_and_an_overspend(sessions) -> None:
    fun = categories.create_category(sessions, "Fun", "100", month="2026-01", rollover=True)
    add(sessions, fun.id, "70.00", "2026-01-10")  # 30 left
    add(sessions, fun.id, "150.00", "2026-02-10")  # 100 + 30 - 150 = -20
    add(sessions, fun.id, "-5.00", "2026-03-02", "Refund")  # a refund lowers spend
    assert budget_in(sessions, "Fun", "2026-01") == (
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("30.00"),
    )
    assert budget_in(sessions, "Fun", "2026-02") == (
        Decimal("100.00"),
        Decimal("30.00"),
        Decimal("-20.00"),
    )
    assert budget_in(sessions, "Fun", "2026-03") == (
        Decimal("100.00"),
        Decimal("-20.00"),
        Decimal("85.00"),
    )
    # Rollover off from April on: April's leftover no longer reaches May.
    categories.set_budget(sessions, fun.id, "100", month="2026-04", rollover=False)
    assert budget_in(sessions, "Fun", "2026-04")[1] == Decimal("85.00")  # March still carries
    assert budget_in(sessions, "Fun", "2026-05") == (
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    )


def test_a_category_without_rollover_carries_nothing(sessions) -> None:
    food = categories.create_category(sessions, "Food", "100", month="2026-01")
    add(sessions, food.id, "10.00", "2026-01-10")
    assert budget_in(sessions, "Food", "2026-02") == (
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    )


def test_setting_a_budget_is_undone_and_redone_exactly(sessions, book) -> None:
    gifts = categories.create_category(sessions, "Gifts", "50", month="2026-01")
    before = categories.budget_history(sessions, gifts.id)
    categories.set_budget(sessions, gifts.id, "400", month="2026-12", only_month=True)
    after = categories.budget_history(sessions, gifts.id)
    assert history.undo(sessions).message == (
        "Undid: set the budget of 'Gifts' to 400.00 for 2026-12 only"
    )
    assert categories.budget_history(sessions, gifts.id) == before
    history.redo(sessions)
    assert categories.budget_history(sessions, gifts.id) == after


def test_a_deleted_category_comes_back_with_its_budget_history(sessions, book) -> None:
    gifts = categories.create_category(sessions, "Gifts", "50", month="2026-01", rollover=True)
    categories.set_budget(sessions, gifts.id, "400", month="2026-12", only_month=True)
    kept = categories.budget_history(sessions, gifts.id)
    add(sessions, gifts.id, "20.00", "2026-02-01")
    home = categories.create_category(sessions, "Home")
    categories.delete_category(sessions, gifts.id, move_to=home.id)
    history.undo(sessions)
    assert categories.budget_history(sessions, gifts.id) == kept
    assert_rollup_consistent(book)


def test_setting_the_same_budget_again_records_nothing(sessions) -> None:
    food = categories.create_category(sessions, "Food", "100", month="2026-01")
    categories.set_budget(sessions, food.id, "100", month="2026-05")
    assert len(categories.budget_history(sessions, food.id)) == 1


def test_income_categories_have_no_budget_and_rollover_needs_one(sessions) -> None:
    pay = categories.create_category(sessions, "Salary", kind="income")
    with pytest.raises(InvalidInput) as error:
        categories.set_budget(sessions, pay.id, "100")
    assert "income" in error.value.message
    food = categories.create_category(sessions, "Food")
    with pytest.raises(InvalidInput) as error:
        categories.set_budget(sessions, food.id, None, rollover=True)
    assert error.value.field == "rollover"
    with pytest.raises(InvalidInput) as error:
        categories.set_budget(sessions, food.id, "10", month="2026-13")
    assert error.value.field == "month"


def test_clearing_a_budget_from_a_month_on(sessions) -> None:
    food = categories.create_category(sessions, "Food", "100", month="2026-01", rollover=True)
    add(sessions, food.id, "40.00", "2026-01-03")
    categories.set_budget(sessions, food.id, None, month="2026-03")
    assert budget_in(sessions, "Food", "2026-02")[:2] == (Decimal("100.00"), Decimal("60.00"))
    assert budget_in(sessions, "Food", "2026-03") == (None, Decimal("0.00"), None)


def test_a_category_changes_kind_only_while_it_has_no_entries(sessions) -> None:
    gifts = categories.create_category(sessions, "Gifts", "50", month="2026-01")
    made = categories.set_kind(sessions, gifts.id, "income")
    assert (made.kind, made.monthly_budget) == ("income", None)
    assert categories.budget_history(sessions, gifts.id) == ()  # an income category has none
    history.undo(sessions)
    back = categories.get_category(sessions, gifts.id)
    assert (back.kind, back.monthly_budget) == ("spending", Decimal("50.00"))
    add(sessions, gifts.id, "10.00", "2026-02-01")
    with pytest.raises(Conflict) as error:
        categories.set_kind(sessions, gifts.id, "income")
    assert "has 1 entry" in error.value.message
    assert categories.get_category(sessions, gifts.id).kind == "spending"
    with pytest.raises(InvalidInput):
        categories.set_kind(sessions, gifts.id, "savings")
