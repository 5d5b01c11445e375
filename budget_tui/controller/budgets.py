"""Budgets by month, and rollover.

A spending category's budget is kept in ``budgets`` as rows "from this month on": the budget of a
month is the row with the latest month not after it (none before the first row; a row without an
amount clears it). Setting a budget while looking at a month therefore leaves every earlier month
as it was, and "this month only" adds a row for the next month that puts the old budget back.

With rollover (a flag of the row in effect), what is left of a month's available amount (its
budget plus what was carried into it, less what was spent, refunds taken off) is carried into the
next month, or taken from it when the month was overspent. The carry is worked out from the
monthly roll-up, one row per category per month, never from the expenses: a key press on a book
with years of history reads a few dozen small rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget_tui.clock import today
from budget_tui.controller import validate
from budget_tui.controller.periods import Period, add_months, month_start
from budget_tui.controller.views import BudgetChange, MonthBudget
from budget_tui.db.models import Budget, MonthlyTotal
from budget_tui.db.money import to_cents


@dataclass(frozen=True)
class _Row:
    month: dt.date
    amount: int | None  # cents
    rollover: bool


def _rows_until(
    session: Session, month: dt.date, category_ids: Iterable[int] | None = None
) -> dict[int, list[_Row]]:
    """Every budget row up to ``month`` (included), per category, oldest first."""
    b = Budget
    stmt = select(b.category_id, b.month, b.amount, b.rollover).where(b.month <= month)
    if category_ids is not None:
        stmt = stmt.where(b.category_id.in_(list(category_ids)))
    out: dict[int, list[_Row]] = {}
    for cat, m, amount, rollover in session.execute(stmt.order_by(b.category_id, b.month)):
        out.setdefault(cat, []).append(
            _Row(m, None if amount is None else to_cents(amount), bool(rollover))
        )
    return out


def _in_effect(rows: list[_Row], month: dt.date) -> _Row | None:
    found = None
    for row in rows:
        if row.month > month:
            break
        found = row
    return found


def _chain_start(rows: list[_Row], month: dt.date) -> dt.date | None:
    """The first month of the unbroken run of rollover budgets that ends with the month before
    ``month``: the months whose leftovers reach ``month``. None when nothing is carried."""
    if month.year == 1 and month.month == 1:
        return None  # no month before the first the calendar has
    previous = add_months(month, -1)
    start = None
    for row in reversed([r for r in rows if r.month <= previous]):
        if not row.rollover or row.amount is None:
            break
        start = row.month
    return start


def month_budgets(
    session: Session, month: dt.date, category_ids: Iterable[int] | None = None
) -> dict[int, MonthBudget]:
    """``{category_id: MonthBudget}`` for the month holding ``month``: the budget in effect, what
    rollover carried into it, and whether the month's own leftover rolls over. Categories with
    no budget in that month are left out."""
    first = month_start(month)
    rows = _rows_until(session, first, category_ids)
    starts: dict[int, dt.date] = {}
    result: dict[int, MonthBudget] = {}
    for cat, cat_rows in rows.items():
        row = _in_effect(cat_rows, first)
        if row is None or row.amount is None:
            continue
        start = _chain_start(cat_rows, first)
        if start is not None:
            starts[cat] = start
        result[cat] = MonthBudget(row.amount, 0, row.rollover)
    if starts:
        spent = _monthly_spend(session, starts, first)
        for cat, start in starts.items():
            carried = 0
            m = start
            while m < first:
                row = _in_effect(rows[cat], m)
                assert row is not None and row.amount is not None
                carried = row.amount + carried - spent.get((cat, m), 0)
                m = add_months(m, 1)
            budget = result[cat]
            result[cat] = MonthBudget(budget.amount, carried, budget.rollover)
    return result


def _monthly_spend(
    session: Session, starts: dict[int, dt.date], before: dt.date
) -> dict[tuple[int, dt.date], int]:
    """Spend per (category, month) from the roll-up, for each category from its start month to
    the month before ``before``."""
    t = MonthlyTotal
    stmt = select(t.category_id, t.month, t.total_cents).where(
        t.category_id.in_(list(starts)), t.month >= min(starts.values()), t.month < before
    )
    out: dict[tuple[int, dt.date], int] = {}
    for cat, m, total in session.execute(stmt):
        day = m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m)[:10])
        if day >= starts[cat]:
            out[(cat, day)] = int(total)
    return out


def budget_month(period: Period) -> dt.date:
    """The month whose budgets a period shows: the period's own month, or for a longer one the
    month of its last day (today's month for a period still in progress)."""
    if Period.month(period.start) == period:
        return period.start
    return month_start(min(period.last_day, today()))


def month_of(value: dt.date | str | None, field: str = "month") -> dt.date:
    """The first day of a month given as a date, ``YYYY-MM``, or None (this month)."""
    if value is None:
        return month_start(today())
    if isinstance(value, dt.date):
        return month_start(value)
    return validate.month(value, field)


def history_of(session: Session, category_id: int) -> tuple[BudgetChange, ...]:
    """A category's budget rows, oldest first."""
    b = Budget
    rows = session.execute(
        select(b.month, b.amount, b.rollover).where(b.category_id == category_id).order_by(b.month)
    ).all()
    return tuple(
        BudgetChange(
            m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m)[:10]),
            amount,
            bool(rollover),
        )
        for m, amount, rollover in rows
    )
