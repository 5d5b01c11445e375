"""For random books with income, refunds, budget changes (from a month on, one month only,
rollover on and off) and spending, every month's budget, carried amount, spend and available
equal a plain Python model to the cent, in every view that shows them: the controller's budget
status, the Categories overview, the Expenses screen's status line, Reports' budget panel, the CLI's ``budget show --format json``
and the MCP ``budget_status`` tool; on both backends.

The model is :mod:`tests.property.budget_model`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from decimal import Decimal

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.cli import main
from budget_tui.controller import categories, expense_list, expenses, reports
from budget_tui.controller.periods import Period, add_months
from budget_tui.controller.views import ExpenseFilter
from budget_tui.tui.format import money as tui_money
from budget_tui.tui.screens.expense_query import Query, status_line
from tests.mcp.conftest import book_url, tools_for
from tests.property.budget_model import Plan, month_budget, set_budget
from tests.property.conftest import empty

MONTHS = [add_months(dt.date(2025, 11, 1), i) for i in range(8)]  # Nov 2025 .. Jun 2026
SPENDING = ["Food", "Fun"]
cents = st.integers(min_value=1, max_value=500_00)
budget_step = st.tuples(
    st.just("budget"),
    st.sampled_from(range(len(SPENDING))),
    st.one_of(st.none(), st.integers(min_value=1, max_value=400_00)),
    st.sampled_from(range(len(MONTHS))),
    st.sampled_from([None, True, False]),  # rollover: keep, on, off
    st.booleans(),  # that month only
)
entry_step = st.tuples(
    st.just("entry"),
    st.sampled_from(range(len(SPENDING) + 1)),  # the last is the income category
    st.one_of(cents, cents.map(lambda c: -c)),  # refunds too
    st.dates(MONTHS[0], MONTHS[-1] + dt.timedelta(days=27)),
)


class Model:
    def __init__(self) -> None:
        self.plan: list[Plan] = [[(None, False)] * len(MONTHS) for _ in SPENDING]
        self.spent = [[0] * len(MONTHS) for _ in SPENDING]
        self.income = [0] * len(MONTHS)

    def set(self, cat: int, amount: int | None, at: int, rollover: bool | None, only: bool):
        set_budget(self.plan[cat], amount, at, rollover, only)

    def entry(self, cat: int, amount: int, day: dt.date) -> None:
        m = MONTHS.index(day.replace(day=1))
        if cat == len(SPENDING):
            self.income[m] += amount
        else:
            self.spent[cat][m] += amount

    def month(self, cat: int, m: int) -> tuple[int | None, int, int | None]:
        """(budget, carried, available) in cents."""
        return month_budget(self.plan[cat], self.spent[cat], m)


def money(c: int | None) -> Decimal | None:
    return None if c is None else Decimal(c) / 100


def text(c: int | None) -> str | None:
    return None if c is None else f"{Decimal(c) / 100:.2f}"


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.one_of(budget_step, entry_step), max_size=14))
def test_every_view_of_a_months_budget_matches_a_model(shared_book, steps) -> None:
    empty(shared_book)
    s = shared_book.sessions
    ids = [categories.create_category(s, name).id for name in SPENDING]
    ids.append(categories.create_category(s, "Salary", kind="income").id)
    model = Model()
    for i, step in enumerate(steps):
        if step[0] == "budget":
            _, cat, amount, at, rollover, only = step
            rollover = rollover and amount is not None
            categories.set_budget(
                s,
                ids[cat],
                money(amount),
                month=MONTHS[at],
                rollover=rollover,
                only_month=only,
            )
            model.set(cat, amount, at, rollover, only)
        else:
            _, cat, amount, day = step
            if cat == len(SPENDING) and amount < 0:
                amount = -amount  # income is entered as it came in
            expenses.create_expense(
                s, description=f"e{i}", amount=money(amount), occurred_on=day, category=ids[cat]
            )
            model.entry(cat, amount, day)
    url = book_url(shared_book)
    for m, first in enumerate(MONTHS):
        want = {name: model.month(c, m) for c, name in enumerate(SPENDING)}
        status = categories.budget_status(s, first)
        got = {
            c.name: (c.monthly_budget, c.carried, c.available)
            for c in status.categories
            if not c.is_income
        }
        assert got == {n: (money(a), money(c), money(v)) for n, (a, c, v) in want.items()}
        spending = sum(model.spent[c][m] for c in range(len(SPENDING)))
        assert (status.flows.income, status.flows.spending) == (
            money(model.income[m]),
            money(spending),
        )
        overview = categories.category_overview(s, Period.month(first))
        assert {c.name: c.available for c in overview.budgeted} == {
            n: money(v) for n, (a, _, v) in want.items() if a is not None
        }
        # The Expenses screen's status line: what the month's budgets have left, of what.
        listing = expense_list.browse_expenses(s, ExpenseFilter(period=Period.month(first)))
        line = status_line(
            Query(period=Period.month(first)), listing.totals, listing.categories, listing.flows
        ).plain
        budgeted = [v for v in want.values() if v[0] is not None]
        if budgeted:
            left = sum(v[2] or 0 for v in budgeted)
            funds = sum((v[0] or 0) + v[1] for v in budgeted)
            assert f"left {tui_money(money(left))} of {tui_money(money(funds))}" in line, line
        else:
            assert " left " not in line
        panel = reports.budget_vs_actual(s, first)
        assert {line.name: (line.budget, line.carried, line.remaining) for line in panel.lines} == {
            n: (money(a), money(c), money(v)) for n, (a, c, v) in want.items()
        }
    # The command line and the MCP tool, for the month with the most history behind it.
    last = len(MONTHS) - 1
    want = {name: model.month(c, last) for c, name in enumerate(SPENDING)}
    result = CliRunner().invoke(
        main,
        [
            "--db",
            url,
            "budget",
            "show",
            "--month",
            MONTHS[last].strftime("%Y-%m"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert {
        r["category"]: (r["budgeted"], r["carried"], r["available"]) for r in shown["categories"]
    } == {n: (text(a), text(c) or "0.00", text(v)) for n, (a, c, v) in want.items()}
    assert shown["income"] == text(model.income[last])
    tool = asyncio.run(_budget_status(url, MONTHS[last].strftime("%Y-%m")))
    assert {x["category"]: (x["budget"], x["carried"], x["available"]) for x in tool["lines"]} == {
        n: (text(a), text(c) or "0.00", text(v)) for n, (a, c, v) in want.items()
    }


async def _budget_status(url: str, month: str) -> dict:
    async with tools_for(url) as t:
        return await t.ok("budget_status", month=month)
