"""For random books with income and refunds, every view's income, spending and net equal a
plain Python model to the cent, on both backends (whole months from the roll-up, odd spans
from the rows)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.controller import categories, expense_list, expenses, reports
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from tests.property.conftest import empty

CATS = [("Food", "spending"), ("Home", "spending"), ("Salary", "income"), ("Gifts", "income")]
cents = st.integers(min_value=1, max_value=9_999_999_999)
entry = st.tuples(
    st.sampled_from(range(len(CATS))),
    st.one_of(cents, cents.map(lambda c: -c)),  # a refund (or a correction of income)
    st.dates(dt.date(2026, 1, 20), dt.date(2026, 4, 10)),
)
PERIODS = [
    Period.month(dt.date(2026, 3, 1)),  # in progress (the tests' today is 2026-03-15)
    Period.month(dt.date(2026, 2, 1)),
    Period(dt.date(2026, 1, 25), dt.date(2026, 3, 7)),
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=st.lists(entry, max_size=12))
def test_income_spending_and_net_match_a_model(shared_book, entries) -> None:
    empty(shared_book)
    s = shared_book.sessions
    ids = [categories.create_category(s, name, kind=kind).id for name, kind in CATS]
    for i, (cat, amount, day) in enumerate(entries):
        expenses.create_expense(
            s,
            description=f"entry {i}",
            amount=Decimal(amount) / 100,
            occurred_on=day,
            category=ids[cat],
        )
    for period in PERIODS:
        income = spending = 0
        for cat, amount, day in entries:
            if period.start <= day < period.end:
                if CATS[cat][1] == "income":
                    income += amount
                else:
                    spending += amount
        want = (Decimal(income) / 100, Decimal(spending) / 100)
        listing = expense_list.browse_expenses(s, ExpenseFilter(period=period))
        assert (listing.flows.income, listing.flows.spending) == want
        overview = categories.category_overview(s, period)
        assert (overview.flows.income, overview.flows.spending) == want
        report = reports.spend_by_category_report(s, period)
        assert (report.income, report.total) == want
        assert sum((r.total for r in report.rows), Decimal(0)) == want[1]
        summary = reports.summary(s, period.start, period.last_day)
        assert summary.flows.net == want[0] - want[1]
        if period.is_whole_months:
            month = reports.report(s, period, today=dt.date(2026, 3, 15)).chart.months[-1]
            assert (month.income, month.total) == want
