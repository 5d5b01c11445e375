"""Schedules' date rules (dateutil rrule underneath): the 31st through February in leap and
common years, the last day, weekdays across daylight-saving changes and year ends, counts and
end dates, and the words for "how often"."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_tui.controller.cadence import LAST_DAY, Cadence, parse_day, parse_every
from budget_tui.errors import InvalidInput

D = dt.date


def dates(c: Cadence, through: dt.date, after: dt.date | None = None) -> list[str]:
    return [d.isoformat() for d in c.dates(after, through)]


@pytest.mark.parametrize(
    ("year", "february"),
    [(2024, "2024-02-29"), (2026, "2026-02-28"), (2100, "2100-02-28"), (2000, "2000-02-29")],
)
def test_the_31st_falls_on_the_last_day_of_february_in_leap_and_common_years(
    year: int, february: str
) -> None:
    monthly = Cadence("month", 1, 31, D(year, 1, 31))
    assert dates(monthly, D(year, 5, 31)) == [
        f"{year}-01-31",
        february,
        f"{year}-03-31",
        f"{year}-04-30",
        f"{year}-05-31",
    ]


def test_the_30th_and_the_29th_keep_their_day_where_a_month_has_it() -> None:
    assert dates(Cadence("month", 1, 30, D(2026, 1, 30)), D(2026, 3, 31)) == [
        "2026-01-30",
        "2026-02-28",
        "2026-03-30",
    ]
    assert dates(Cadence("month", 1, 29, D(2024, 1, 29)), D(2024, 3, 31)) == [
        "2024-01-29",
        "2024-02-29",
        "2024-03-29",
    ]


def test_the_last_day_of_every_month() -> None:
    c = Cadence("month", 1, LAST_DAY, D(2023, 11, 5))
    assert dates(c, D(2024, 3, 31)) == [
        "2023-11-30",
        "2023-12-31",
        "2024-01-31",
        "2024-02-29",
        "2024-03-31",
    ]


def test_every_three_months_from_a_day_already_past_in_the_start_month() -> None:
    # On the 5th, from the 20th of January: the first date is 5 February, then every 3 months.
    c = Cadence("month", 3, 5, D(2026, 1, 20))
    assert dates(c, D(2026, 12, 31)) == ["2026-02-05", "2026-05-05", "2026-08-05", "2026-11-05"]


def test_yearly_on_29_february_falls_on_the_28th_in_common_years() -> None:
    c = Cadence("year", 1, None, D(2024, 2, 29))
    assert dates(c, D(2028, 12, 31)) == [
        "2024-02-29",
        "2025-02-28",
        "2026-02-28",
        "2027-02-28",
        "2028-02-29",
    ]


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch):
    """The process's local time zone is one with daylight saving (US: 8 March and 1 November
    2026), so a rule that went through local clock times would shift."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    if "TZ" not in os.environ:
        time.tzset()


def test_weekly_keeps_its_weekday_across_daylight_saving_changes(new_york: None) -> None:
    spring = Cadence("week", 1, 6, D(2026, 3, 1))  # Sundays
    assert dates(spring, D(2026, 3, 22)) == ["2026-03-01", "2026-03-08", "2026-03-15", "2026-03-22"]
    autumn = Cadence("week", 1, 6, D(2026, 10, 25))
    assert dates(autumn, D(2026, 11, 8)) == ["2026-10-25", "2026-11-01", "2026-11-08"]
    assert all(D.fromisoformat(d).weekday() == 6 for d in dates(autumn, D(2026, 11, 8)))


def test_weekly_and_fortnightly_across_a_year_end() -> None:
    weekly = Cadence("week", 1, 4, D(2026, 12, 18))  # Fridays
    assert dates(weekly, D(2027, 1, 15)) == [
        "2026-12-18",
        "2026-12-25",
        "2027-01-01",
        "2027-01-08",
        "2027-01-15",
    ]
    # Every 2 weeks on Friday, from a Sunday: the first Friday on or after it, then every 14 days.
    fortnightly = Cadence("week", 2, 4, D(2026, 12, 20))
    assert dates(fortnightly, D(2027, 1, 31)) == ["2026-12-25", "2027-01-08", "2027-01-22"]


def test_an_end_date_and_a_count_end_it() -> None:
    assert dates(Cadence("day", 10, None, D(2026, 1, 1), end=D(2026, 1, 31)), D(2027, 1, 1)) == [
        "2026-01-01",
        "2026-01-11",
        "2026-01-21",
        "2026-01-31",
    ]
    assert dates(Cadence("month", 1, None, D(2026, 1, 15), count=2), D(2027, 1, 1)) == [
        "2026-01-15",
        "2026-02-15",
    ]


def test_dates_after_a_point_and_the_next_one_skipping_some() -> None:
    c = Cadence("month", 1, 1, D(2026, 1, 1))
    assert dates(c, D(2026, 4, 1), after=D(2026, 2, 1)) == ["2026-03-01", "2026-04-01"]
    assert c.next_after(D(2026, 2, 1)) == D(2026, 3, 1)
    assert c.next_after(D(2026, 2, 1), [D(2026, 3, 1)]) == D(2026, 4, 1)
    assert c.next_after(None) == D(2026, 1, 1)
    assert Cadence("month", 1, 1, D(2026, 1, 1), count=1).next_after(D(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("month", (1, "month")),
        ("Months", (1, "month")),
        ("2 weeks", (2, "week")),
        ("every 3 months", (3, "month")),
        ("weekly", (1, "week")),
        ("fortnight", (2, "week")),
        ("quarterly", (3, "month")),
        ("year", (1, "year")),
        ("10 days", (10, "day")),
    ],
)
def test_how_often_in_words(text: str, expected: tuple[int, str]) -> None:
    assert parse_every(text) == expected


@pytest.mark.parametrize("text", ["", "fortnite", "0 months", "1000 days", "month 2", "-1 week"])
def test_how_often_refused_names_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_every(text)
    assert caught.value.field == "every"


def test_days_as_typed() -> None:
    assert parse_day("month", "31") == 31
    assert parse_day("month", "last") == LAST_DAY
    assert parse_day("week", "fri") == 4
    assert parse_day("week", "Monday") == 0
    assert parse_day("month", None) is None
    for unit, text in (("month", "32"), ("month", "0"), ("week", "funday"), ("year", "3")):
        with pytest.raises(InvalidInput):
            parse_day(unit, text)


def test_the_words_for_a_cadence() -> None:
    assert Cadence("month", 1, 31, D(2026, 1, 31)).describe() == "every month on the 31st"
    assert Cadence("month", 1, LAST_DAY, D(2026, 1, 31)).describe() == "every month on the last day"
    assert Cadence("week", 2, 4, D(2026, 1, 1)).describe() == "every 2 weeks on Friday"
    assert Cadence("year", 1, None, D(2024, 2, 29)).describe() == "every year on 29 Feb"
    assert Cadence("day", 3, None, D(2024, 2, 29)).describe() == "every 3 days"


def test_the_short_words_for_a_narrow_column() -> None:
    from budget_tui.controller.cadence import short

    assert short(Cadence("month", 1, 31, D(2026, 1, 31))) == "monthly, 31st"
    assert short(Cadence("month", 3, LAST_DAY, D(2026, 1, 31))) == "every 3 mo, last day"
    assert short(Cadence("week", 2, 4, D(2026, 1, 1))) == "every 2 wk, Fri"
    assert short(Cadence("year", 1, None, D(2024, 2, 29))) == "yearly, 29 Feb"
    assert short(Cadence("day", 1, None, D(2024, 2, 29))) == "daily"


@given(
    start=st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31)),
    day=st.one_of(st.integers(1, 31), st.just(LAST_DAY)),
    interval=st.integers(1, 4),
)
def test_monthly_dates_are_the_day_or_the_last_day_every_n_months(
    start: dt.date, day: int, interval: int
) -> None:
    import calendar

    got = list(Cadence("month", interval, day, start).dates(None, start + dt.timedelta(days=800)))
    assert got and got[0] >= start and (got[0] - start).days < 31
    for before, after in itertools.pairwise(got):
        assert (after.year * 12 + after.month) - (before.year * 12 + before.month) == interval
    for d in got:
        last = calendar.monthrange(d.year, d.month)[1]
        assert d.day == (last if day == LAST_DAY else min(day, last))


@given(
    start=st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31)),
    weekday=st.integers(0, 6),
    interval=st.integers(1, 3),
)
def test_weekly_dates_keep_their_weekday_n_weeks_apart(
    start: dt.date, weekday: int, interval: int
) -> None:
    got = list(
        Cadence("week", interval, weekday, start).dates(None, start + dt.timedelta(days=400))
    )
    assert got[0] >= start and (got[0] - start).days < 7
    assert all(d.weekday() == weekday for d in got)
    assert all((b - a).days == 7 * interval for a, b in itertools.pairwise(got))
