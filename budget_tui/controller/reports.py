"""Reports: where the money went. Every figure is a SQL aggregate over a bounded window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget_tui.clock import today as clock_today
from budget_tui.controller import budgets
from budget_tui.controller._tx import read_action
from budget_tui.controller.categories import load as load_category
from budget_tui.controller.periods import Period, add_months, month_start
from budget_tui.controller.queries import (
    expenses_t,
    income_ids,
    spend_by_category,
    totals_t,
    view_of,
    view_rows,
)
from budget_tui.controller.views import (
    BudgetLine,
    BudgetReport,
    CategorySpend,
    ExpenseView,
    MonthChart,
    MonthSpend,
    Report,
    SpendReport,
    Summary,
)
from budget_tui.db.models import Category
from budget_tui.db.money import from_cents
from budget_tui.errors import InvalidInput

MAX_MONTHS = 1200
CHART_MONTHS = 12  # the month chart of a report: the twelve months up to its focus month


def _by_category(
    session: Session,
    period: Period,
    spend: dict[int, tuple[int, int]] | None = None,
    names: dict[int, str] | None = None,
) -> tuple[int, int, tuple[CategorySpend, ...]]:
    if spend is None:
        spend = spend_by_category(session, period)
    if names is None:
        found = cast(
            "Iterable[tuple[int, str]]", session.execute(select(Category.id, Category.name))
        )
        names = {category_id: name for category_id, name in found}
    income = income_ids(session)
    spend = {cat: v for cat, v in spend.items() if cat not in income}
    total = sum(c for c, _ in spend.values())
    count = sum(n for _, n in spend.values())
    rows = [
        CategorySpend(
            category_id=cat,
            name=names.get(cat, "?"),
            total=from_cents(c),
            count=n,
            share=(Decimal(c) / Decimal(total)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)
            if total
            else Decimal("0"),
        )
        for cat, (c, n) in spend.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.name.casefold()))
    return total, count, tuple(rows)


@read_action
def spend_by_category_report(session: Session, period: Period) -> SpendReport:
    """Spend per category in a period: total, count and share, largest first."""
    spend = spend_by_category(session, period)
    total, count, rows = _by_category(session, period, spend)
    return SpendReport(
        period=period,
        total=from_cents(total),
        count=count,
        rows=rows,
        income=_income(session, spend),
    )


def _income(session: Session, spend: dict[int, tuple[int, int]]) -> Decimal:
    """What came in: the income categories' entries in ``spend``."""
    income = income_ids(session)
    return from_cents(sum(c for cat, (c, _) in spend.items() if cat in income))


@read_action
def spend_by_month(
    session: Session, period: Period, *, category: int | str | None = None
) -> tuple[MonthSpend, ...]:
    """Spend per month over the months a period touches, months without spend included as zero.

    Reads the per-month roll-up, so ten years cost the same as one month.
    """
    return _months(
        session, period, None if category is None else load_category(session, category).id
    )


def _months(session: Session, period: Period, category_id: int | None) -> tuple[MonthSpend, ...]:
    months = period.months()
    if len(months) > MAX_MONTHS:
        raise InvalidInput("period", "That range is too long; choose at most 100 years.")
    is_income = Category.kind == "income"
    stmt = (
        select(
            totals_t.c.month,
            is_income,
            func.sum(totals_t.c.total_cents),
            func.sum(totals_t.c.count),
        )
        .join(Category, Category.id == totals_t.c.category_id)
        .where(totals_t.c.month >= months[0], totals_t.c.month < add_months(months[-1], 1))
        .group_by(totals_t.c.month, is_income)
    )
    if category_id is not None:
        stmt = stmt.where(totals_t.c.category_id == category_id)
    spent: dict[dt.date, tuple[int, int]] = {}
    received: dict[dt.date, int] = {}
    for m, income, c, n in cast("Iterable[tuple[dt.date, Any, Any, Any]]", session.execute(stmt)):
        if income:
            received[month_start(m)] = int(c or 0)
        else:
            spent[month_start(m)] = (int(c or 0), int(n or 0))
    return tuple(
        MonthSpend(
            month=m,
            total=from_cents(spent.get(m, (0, 0))[0]),
            count=spent.get(m, (0, 0))[1],
            income=from_cents(received.get(m, 0)),
        )
        for m in months
    )


@read_action
def budget_vs_actual(session: Session, month: dt.date) -> BudgetReport:
    """Each category's budget against its spend in the month containing ``month``."""
    return _budget(session, month, session.scalars(select(Category).order_by(Category.name_key)))


def _budget(
    session: Session,
    month: dt.date,
    categories: Iterable[Category],
    spend: dict[int, tuple[int, int]] | None = None,
) -> BudgetReport:
    period = Period.month(month)
    if spend is None:
        spend = spend_by_category(session, period)
    lines = []
    total_budget = Decimal("0.00")
    income = income_ids(session)
    month_budgets = budgets.month_budgets(session, period.start)
    for cat in categories:
        if cat.id in income:
            continue
        spent = from_cents(spend.get(cat.id, (0, 0))[0])
        budget = month_budgets.get(cat.id)
        amount = None if budget is None else from_cents(budget.amount)
        carried = from_cents(budget.carried if budget is not None else 0)
        lines.append(BudgetLine(cat.id, cat.name, amount, spent, carried))
        total_budget += amount or 0
    return BudgetReport(
        month=period,
        lines=tuple(lines),
        total_budget=total_budget,
        total_spent=from_cents(sum(c for cat, (c, _) in spend.items() if cat not in income)),
    )


def _largest(session: Session, period: Period, limit: int) -> tuple[ExpenseView, ...]:
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit", "Ask for 1 to 1000 expenses.")
    c = expenses_t.c
    order = (c.amount.desc(), c.occurred_on.desc(), c.id.desc())
    # The top ids first, from the covering index (occurred_on, category_id, amount) alone; then
    # only those rows are read (sorting a year of full rows cost SQLite 2-3x more).
    top = select(c.id).where(c.occurred_on >= period.start, c.occurred_on < period.end)
    income = income_ids(session)
    if income:  # a salary is not an expense, however large
        top = top.where(c.category_id.not_in(income))
    top = top.order_by(*order).limit(limit)
    stmt = view_rows().where(c.id.in_(top.scalar_subquery())).order_by(*order)
    return tuple(view_of(r) for r in session.execute(stmt))


@read_action
def largest_expenses(session: Session, period: Period, limit: int = 10) -> tuple[ExpenseView, ...]:
    """The largest expenses in a period (spending categories only), largest first."""
    return _largest(session, period, limit)


@read_action
def summary(session: Session, start: dt.date, end: dt.date, *, top: int = 5) -> Summary:
    """Totals between two dates (both included): spending, income, count, daily average (over
    the days elapsed when the range holds today), spending by category, largest."""
    return _summary(session, Period.between(start, end), top, today=clock_today())


def _summary(
    session: Session,
    period: Period,
    top: int,
    spend: dict[int, tuple[int, int]] | None = None,
    names: dict[int, str] | None = None,
    today: dt.date | None = None,
) -> Summary:
    if spend is None:
        spend = spend_by_category(session, period)
    total, count, rows = _by_category(session, period, spend, names)
    in_progress = today is not None and period.start <= today < period.end
    days = (today - period.start).days + 1 if in_progress and today is not None else period.days
    return Summary(
        period=period,
        total=from_cents(total),
        count=count,
        daily_average=(from_cents(total) / days).quantize(Decimal("0.01")),
        by_category=rows,
        largest=_largest(session, period, top),
        income=_income(session, spend),
        days=days,
        in_progress=in_progress,
        has_income=bool(income_ids(session)),
    )


def focus_month(period: Period, today: dt.date) -> dt.date:
    """The day whose month a report's budget panel shows and its month chart ends on: the
    period's last day, or today when the period runs past today."""
    if period.start <= today < period.end:
        return today
    return period.last_day


def chart_period(period: Period, today: dt.date) -> Period:
    """The twelve months ending with the month of :func:`focus_month`."""
    return Period.last_months(focus_month(period, today), CHART_MONTHS)


def _chart(session: Session, period: Period, today: dt.date, category: int | None) -> MonthChart:
    # A charted category deleted elsewhere is no error: the chart shows all categories again.
    chosen = None if category is None else session.get(Category, category)
    months = _months(session, chart_period(period, today), None if chosen is None else chosen.id)
    return MonthChart(
        months=months,
        highlight=period,
        category_id=None if chosen is None else chosen.id,
        category_name=None if chosen is None else chosen.name,
    )


@read_action
def report(
    session: Session,
    period: Period,
    *,
    today: dt.date,
    chart_category: int | None = None,
    largest: int = 10,
) -> Report:
    """Every figure of a report on ``period``, from one snapshot: the summary (total, count,
    daily average, spend by category, the ``largest`` expenses), budget against actual for the
    month of :func:`focus_month`, spend by month over :func:`chart_period` (one category's,
    or all when ``chart_category`` is None or no longer exists), and the forecast of the
    schedules (None without any).

    Raises InvalidInput for a ``largest`` outside 1..1000."""
    categories = session.scalars(select(Category).order_by(Category.name_key)).all()
    names = {c.id: c.name for c in categories}
    spend = spend_by_category(session, period)
    focus = Period.month(focus_month(period, today))
    budget_spend = spend if focus == period else spend_by_category(session, focus)
    from budget_tui.controller.schedules import forecast_in

    forecast = forecast_in(session)
    scheduled = any(m.scheduled.income or m.scheduled.spending for m in forecast.months)
    return Report(
        period=period,
        summary=_summary(session, period, largest, spend, names, today),
        budget=_budget(session, focus.start, categories, budget_spend),
        chart=_chart(session, period, today, chart_category),
        forecast=forecast if scheduled else None,
    )


@read_action
def month_chart(
    session: Session, period: Period, *, today: dt.date, category: int | None = None
) -> MonthChart:
    """The month chart of :func:`report` alone, for charting another category."""
    return _chart(session, period, today, category)
