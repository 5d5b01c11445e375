"""Income categories and refunds: exact in every total, the roll-up and every report, on both
backends; undoable like any other change; old books upgrade to them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budget_tui.controller import categories, expense_list, expenses, history, reports
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.errors import InvalidInput
from tests.controller.conftest import add, assert_rollup_consistent

MARCH = Period.month(dt.date(2026, 3, 1))  # the tests' today is 2026-03-15
D = Decimal


@pytest.fixture
def salary(sessions):
    return categories.create_category(sessions, "Salary", kind="income")


def test_income_refunds_and_spending_are_exact_everywhere(book, sessions, food, salary) -> None:
    add(sessions, salary.id, "3000.00", "2026-03-01", "Pay")
    add(sessions, food.id, "120.40", "2026-03-02", "Shoes")
    add(sessions, food.id, "-45.10", "2026-03-03", "Returned shoes")
    add(sessions, food.id, "10.00", "2026-02-27", "Last month")
    assert_rollup_consistent(book)

    listing = expense_list.browse_expenses(sessions, ExpenseFilter(period=MARCH))
    assert (listing.flows.income, listing.flows.spending) == (D("3000.00"), D("75.30"))
    assert listing.flows.net == D("2924.70")
    assert listing.flows.savings_rate == D("0.9749")

    overview = categories.category_overview(sessions, MARCH)
    assert overview.flows == listing.flows
    assert overview.spent == D("75.30")  # income is not spend
    shown = {c.name: c for c in overview.categories}
    assert shown["Salary"].is_income and shown["Salary"].spent == D("3000.00")
    assert shown["Food"].remaining == D("300.00") - D("75.30")

    report = reports.spend_by_category_report(sessions, MARCH)
    assert [r.name for r in report.rows] == ["Food"]  # income categories are not spend rows
    assert (report.total, report.income) == (D("75.30"), D("3000.00"))

    summary = reports.summary(sessions, MARCH.start, MARCH.last_day)
    assert (summary.total, summary.income, summary.flows.net) == (
        D("75.30"),
        D("3000.00"),
        D("2924.70"),
    )
    assert summary.in_progress and summary.days == 15
    assert summary.daily_average == D("5.02")  # 75.30 over the 15 days so far

    full = reports.report(sessions, MARCH, today=dt.date(2026, 3, 15))
    assert [line.name for line in full.budget.lines] == ["Food"]
    assert full.budget.total_spent == D("75.30")
    march = full.chart.months[-1]
    assert (march.total, march.income) == (D("75.30"), D("3000.00"))
    # An odd span (read from rows, not the roll-up) agrees.
    span = reports.summary(sessions, dt.date(2026, 2, 20), dt.date(2026, 3, 3))
    assert (span.total, span.income, span.in_progress) == (D("85.30"), D("3000.00"), False)
    assert span.daily_average == (D("85.30") / 12).quantize(D("0.01"))


def test_a_refund_may_exceed_the_month_spend(sessions, food) -> None:
    add(sessions, food.id, "-20.00", "2026-03-03", "Refund of February")
    overview = categories.category_overview(sessions, MARCH)
    assert overview.flows.spending == D("-20.00")
    assert overview.flows.net == D("20.00") and overview.flows.savings_rate is None


@pytest.mark.parametrize("amount", ["0", "-0", "-0.00", "--5", "-", "-1.001", "-100000000"])
def test_a_refund_keeps_the_amount_rules(sessions, food, amount) -> None:
    with pytest.raises(InvalidInput) as err:
        expenses.create_expense(
            sessions, description="Refund", amount=amount, occurred_on="today", category=food.id
        )
    assert err.value.field == "amount"
    assert expense_list.expense_totals(sessions).count == 0


def test_an_income_category_has_no_budget(sessions, salary) -> None:
    with pytest.raises(InvalidInput):
        categories.create_category(sessions, "Bonus", "100", kind="income")
    with pytest.raises(InvalidInput):
        categories.set_budget(sessions, salary.id, "100")
    with pytest.raises(InvalidInput):
        categories.create_category(sessions, "Odd", kind="savings")


def test_adding_and_deleting_an_income_category_undo_and_redo(book, sessions, salary) -> None:
    categories.delete_category(sessions, salary.id)
    history.undo(sessions)
    back = categories.get_category(sessions, "Salary")
    assert back.is_income
    history.redo(sessions)
    history.undo(sessions)  # the delete, again
    history.undo(sessions)  # the add
    assert categories.list_categories(sessions) == ()
    history.redo(sessions)
    assert categories.get_category(sessions, "salary").kind == "income"


def test_a_refund_is_undone_with_the_rollup_in_step(book, sessions, food) -> None:
    add(sessions, food.id, "30.00", "2026-03-03")
    add(sessions, food.id, "-12.34", "2026-03-04")
    assert expense_list.expense_totals(sessions).total == D("17.66")
    history.undo(sessions)
    assert expense_list.expense_totals(sessions).total == D("30.00")
    assert_rollup_consistent(book)
