"""When a schedule falls due: its cadence as a dateutil ``rrule``, and the words for it.

Pure date rules, no database. Dates are plain calendar dates (an rrule over naive midnights), so
a weekly schedule keeps its weekday across daylight-saving changes and year ends.

A monthly schedule on a day past a month's end (the 29th, 30th or 31st) falls on that month's
last day: ``bymonthday=(day, -1), bysetpos=1`` takes the earlier of "day" and "last day" in
each month, which is "day" where the month has it. A yearly one falls on its start's month and
day (29 February: the 28th in common years).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from dateutil import rrule

from budget_tui.errors import InvalidInput

UNITS = ("day", "week", "month", "year")
LAST_DAY = -1
MAX_INTERVAL = 999
MAX_COUNT = 10_000
WEEKDAYS = tuple(calendar.day_name)  # Monday first, as date.weekday()
_FREQ: dict[str, Literal[0, 1, 2, 3, 4, 5, 6]] = {
    "day": rrule.DAILY,
    "week": rrule.WEEKLY,
    "month": rrule.MONTHLY,
    "year": rrule.YEARLY,
}
_EVERY = re.compile(r"^\s*(?:every\s+)?(\d+\s*)?([a-z]+?)s?\s*$", re.IGNORECASE)
_ALIASES = {
    "daily": (1, "day"),
    "weekly": (1, "week"),
    "fortnight": (2, "week"),
    "fortnightly": (2, "week"),
    "monthly": (1, "month"),
    "quarter": (3, "month"),
    "quarterly": (3, "month"),
    "yearly": (1, "year"),
    "annually": (1, "year"),
    "annual": (1, "year"),
}


@dataclass(frozen=True)
class Cadence:
    """Every ``interval`` ``unit``s from ``start`` (on ``day``: see the module docstring), until
    ``end`` (included) or for ``count`` dates, whichever comes first."""

    unit: str
    interval: int
    day: int | None
    start: dt.date
    end: dt.date | None = None
    count: int | None = None

    def rule(self) -> rrule.rrule:
        kw: dict[str, object] = {}
        first = self.first()
        if self.unit == "week":
            kw["byweekday"] = self.start.weekday() if self.day is None else self.day
        elif self.unit == "month":
            day = self.start.day if self.day is None else self.day
            kw.update(bymonthday=(day, LAST_DAY) if day != LAST_DAY else LAST_DAY, bysetpos=1)
        elif self.unit == "year":
            kw.update(bymonth=self.start.month, bymonthday=(self.start.day, LAST_DAY), bysetpos=1)
        return rrule.rrule(
            _FREQ[self.unit],
            dtstart=_midnight(first),
            interval=self.interval,
            until=None if self.end is None else _midnight(self.end),
            count=self.count,
            cache=True,
            **kw,  # type: ignore[arg-type]
        )

    def first(self) -> dt.date:
        """The first date on or after the start that the schedule falls on: every N weeks or
        months count from it (so "every 2 weeks on Friday" from a Sunday starts that Friday)."""
        if self.unit == "week" and self.day is not None:
            return self.start + dt.timedelta(days=(self.day - self.start.weekday()) % 7)
        if self.unit == "month" and self.day is not None:
            here = _clamped(self.start.year, self.start.month, self.day)
            if here >= self.start:
                return here
            following = self.start.replace(day=1) + dt.timedelta(days=32)
            return _clamped(following.year, following.month, self.day)
        return self.start

    def dates(self, after: dt.date | None, through: dt.date) -> Iterator[dt.date]:
        """The dates after ``after`` (None: from the start) up to ``through``, both bounds as
        given: ``after`` excluded, ``through`` included."""
        rule = self.rule()
        first = _midnight(after) if after is not None else None
        current = rule.after(first, inc=False) if first is not None else _first(rule)
        last = _midnight(through)
        while current is not None and current <= last:
            yield current.date()
            current = rule.after(current, inc=False)

    def next_after(self, after: dt.date | None, skipped: Iterable[dt.date] = ()) -> dt.date | None:
        """The first date after ``after`` (None: the first date) that is not skipped."""
        rule = self.rule()
        skip = set(skipped)
        current = _first(rule) if after is None else rule.after(_midnight(after), inc=False)
        while current is not None and current.date() in skip:
            current = rule.after(current, inc=False)
        return None if current is None else current.date()

    def describe(self) -> str:
        """``every month on the 31st``, ``every 2 weeks on Monday``, ``every year on 29 Feb``."""
        every = (
            f"every {self.unit}" if self.interval == 1 else f"every {self.interval} {self.unit}s"
        )
        if self.unit == "week":
            return f"{every} on {WEEKDAYS[self.start.weekday() if self.day is None else self.day]}"
        if self.unit == "month":
            day = self.start.day if self.day is None else self.day
            return f"{every} on the {'last day' if day == LAST_DAY else ordinal(day)}"
        if self.unit == "year":
            return f"{every} on {self.start.day} {self.start:%b}"
        return every


_SHORT_UNIT = {"day": "days", "week": "wk", "month": "mo", "year": "yr"}
_EVERY_ONE = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}


def short(c: Cadence) -> str:
    """``monthly, 31st``, ``every 2 wk, Fri``, ``yearly, 29 Feb``: a cadence for a narrow column."""
    every = _EVERY_ONE[c.unit] if c.interval == 1 else f"every {c.interval} {_SHORT_UNIT[c.unit]}"
    if c.unit == "week":
        return f"{every}, {WEEKDAYS[c.start.weekday() if c.day is None else c.day][:3]}"
    if c.unit == "month":
        day = c.start.day if c.day is None else c.day
        return f"{every}, {'last day' if day == LAST_DAY else ordinal(day)}"
    if c.unit == "year":
        return f"{every}, {c.start.day} {c.start:%b}"
    return every


def _clamped(year: int, month: int, day: int) -> dt.date:
    """``day`` of the month, or its last day when the month is shorter (or ``day`` is -1)."""
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, last if day == LAST_DAY else min(day, last))


def _first(rule: rrule.rrule) -> dt.datetime | None:
    for first in rule:
        return first
    return None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def parse_every(text: str) -> tuple[int, str]:
    """``month``, ``2 weeks``, ``every 3 months``, ``weekly``, ``fortnight``, ``quarterly``
    -> (interval, unit). Raises InvalidInput naming the field ``every``."""
    cleaned = (text or "").strip().lower()
    if cleaned in _ALIASES:
        return _ALIASES[cleaned]
    match = _EVERY.match(cleaned)
    unit = match.group(2) if match else ""
    if unit in _ALIASES and match and not match.group(1):
        return _ALIASES[unit]
    if not match or unit not in UNITS:
        raise InvalidInput(
            "every", "Say how often: day, week, month or year, or a number of them (2 weeks)."
        )
    interval = int(match.group(1)) if match.group(1) else 1
    check_interval(interval)
    return interval, unit


def check_interval(interval: int) -> int:
    if isinstance(interval, bool) or not 1 <= interval <= MAX_INTERVAL:
        raise InvalidInput("every", f"Every 1 to {MAX_INTERVAL} of them.")
    return interval


def check_day(unit: str, day: int | None) -> int | None:
    """The day a schedule falls on, checked for its unit (None: the start date's)."""
    if day is None:
        return None
    if isinstance(day, bool):
        raise InvalidInput("day", "The day must be a number.")
    if unit == "month":
        if day == LAST_DAY or 1 <= day <= 31:
            return day
        raise InvalidInput("day", "A day of the month is 1 to 31, or -1 for the last day.")
    if unit == "week":
        if 0 <= day <= 6:
            return day
        raise InvalidInput("day", "A weekday is 0 (Monday) to 6 (Sunday).")
    raise InvalidInput("day", f"A schedule every {unit} falls on its start date's day.")


def parse_weekday(text: str) -> int:
    """``mon``, ``Monday``, ``0``-``6`` -> 0-6. Raises InvalidInput (``day``)."""
    cleaned = text.strip().lower()
    if cleaned.isdigit() and 0 <= int(cleaned) <= 6:
        return int(cleaned)
    for index, name in enumerate(WEEKDAYS):
        if len(cleaned) >= 2 and name.lower().startswith(cleaned):
            return index
    raise InvalidInput("day", "Give a weekday: Monday to Sunday (or mon, tue...).")


def parse_day(unit: str, text: str | int | None) -> int | None:
    """A day as typed for ``unit``: ``31`` or ``last`` for a month, ``mon`` for a week."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, int):
        return check_day(unit, text)
    cleaned = text.strip().lower()
    if unit == "week":
        return parse_weekday(cleaned)
    if cleaned in ("last", "-1", "end"):
        return check_day(unit, LAST_DAY)
    if not cleaned.lstrip("-").isdigit():
        raise InvalidInput("day", "A day of the month is 1 to 31, or last.")
    return check_day(unit, int(cleaned))
