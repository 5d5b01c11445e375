"""Periods are half-open date ranges ``[start, end)``: a month never loses its last day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budget_tui.errors import InvalidInput


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput("end", "The end of a period must be after its start.")

    @classmethod
    def month(cls, day: dt.date) -> Period:
        start = month_start(day)
        return cls(start, add_months(start, 1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @classmethod
    def last_months(cls, today: dt.date, count: int = 12) -> Period:
        """The ``count`` months ending with ``today``'s month."""
        end = add_months(today, 1)
        return cls(add_months(end, -count), end)

    @classmethod
    def between(cls, first: dt.date, last: dt.date) -> Period:
        """From ``first`` to ``last``, both days included."""
        if last < first:
            raise InvalidInput("end", "The end date is before the start date.")
        return cls(first, last + dt.timedelta(days=1))

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def is_whole_months(self) -> bool:
        return self.start.day == 1 and self.end.day == 1

    def shift(self, months: int) -> Period:
        """The same span moved by whole months (for month periods: the previous/next month)."""
        if self.is_whole_months:
            span = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
            start = add_months(self.start, months)
            return Period(start, add_months(start, span))
        delta = dt.timedelta(days=self.days)
        return Period(self.start + delta * months, self.end + delta * months)

    def months(self) -> list[dt.date]:
        """The first day of each month this period touches."""
        out, cursor = [], month_start(self.start)
        while cursor < self.end:
            out.append(cursor)
            cursor = add_months(cursor, 1)
        return out

    @property
    def label(self) -> str:
        if self.is_whole_months and add_months(self.start, 1) == self.end:
            return self.start.strftime("%B %Y")
        if self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(
            self.start.year + 1, 1, 1
        ):
            return str(self.start.year)
        return f"{self.start.isoformat()} – {self.last_day.isoformat()}"
