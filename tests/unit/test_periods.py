"""Periods are half-open [start, end): a month keeps its last day, and shifting keeps the span."""

from __future__ import annotations

import datetime as dt

import pytest

from budget_tui.controller.periods import Period, add_months, month_start
from budget_tui.errors import InvalidInput

D = dt.date


@pytest.mark.parametrize(
    ("day", "start", "end", "days"),
    [
        (D(2026, 2, 14), D(2026, 2, 1), D(2026, 3, 1), 28),
        (D(2024, 2, 29), D(2024, 2, 1), D(2024, 3, 1), 29),
        (D(2026, 12, 31), D(2026, 12, 1), D(2027, 1, 1), 31),
        (D(2026, 1, 1), D(2026, 1, 1), D(2026, 2, 1), 31),
    ],
)
def test_month(day: dt.date, start: dt.date, end: dt.date, days: int) -> None:
    p = Period.month(day)
    assert (p.start, p.end, p.days) == (start, end, days)
    assert p.last_day == end - dt.timedelta(days=1)
    assert p.is_whole_months
    assert p.label == start.strftime("%B %Y")


def test_year_last_months_and_between() -> None:
    assert Period.year(2026) == Period(D(2026, 1, 1), D(2027, 1, 1))
    assert Period.year(2026).label == "2026"
    assert Period.last_months(D(2026, 3, 15), 12) == Period(D(2025, 4, 1), D(2026, 4, 1))
    assert Period.last_months(D(2026, 3, 15), 1) == Period.month(D(2026, 3, 1))
    p = Period.between(D(2026, 3, 5), D(2026, 3, 5))
    assert (p.days, p.last_day, p.is_whole_months) == (1, D(2026, 3, 5), False)
    assert p.label == "2026-03-05 – 2026-03-05"


def test_empty_or_reversed_periods_are_refused() -> None:
    with pytest.raises(InvalidInput):
        Period(D(2026, 3, 1), D(2026, 3, 1))
    with pytest.raises(InvalidInput) as err:
        Period.between(D(2026, 3, 2), D(2026, 3, 1))
    assert err.value.field == "end"


def test_shift() -> None:
    jan = Period.month(D(2026, 1, 1))
    assert jan.shift(-1) == Period.month(D(2025, 12, 1))
    assert jan.shift(1) == Period.month(D(2026, 2, 1))  # 28 days: spans are months, not days
    assert jan.shift(14) == Period.month(D(2027, 3, 1))
    quarter = Period(D(2026, 1, 1), D(2026, 4, 1))
    assert quarter.shift(3) == Period(D(2026, 4, 1), D(2026, 7, 1))
    week = Period.between(D(2026, 3, 2), D(2026, 3, 8))
    assert week.shift(1) == Period.between(D(2026, 3, 9), D(2026, 3, 15))
    assert week.shift(-2) == Period.between(D(2026, 2, 16), D(2026, 2, 22))


def test_months_touched() -> None:
    p = Period.between(D(2025, 11, 30), D(2026, 2, 1))
    assert p.months() == [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]
    assert Period.month(D(2026, 5, 9)).months() == [D(2026, 5, 1)]


def test_month_helpers() -> None:
    assert month_start(D(2026, 3, 31)) == D(2026, 3, 1)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 1)
    assert add_months(D(2026, 1, 15), -13) == D(2024, 12, 1)
    assert add_months(D(2026, 12, 1), 1) == D(2027, 1, 1)
