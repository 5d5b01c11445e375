"""The Reports screen's period arithmetic and the chart glyphs, without a terminal."""

from __future__ import annotations

import datetime as dt

import pytest

from budget_tui.controller.periods import Period
from budget_tui.controller.reports import chart_period, focus_month
from budget_tui.tui.screens.reports import step_period
from budget_tui.tui.widgets.charts import budget_level, compact_money, hbar, nice_ceiling
from budget_tui.tui.widgets.period_bar import next_preset, period_label, preset_of, preset_period

TODAY = dt.date(2026, 3, 15)


def test_presets_mean_these_periods_on_the_fixed_day() -> None:
    assert preset_period("this-month", TODAY) == Period(dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    assert preset_period("last-month", TODAY) == Period(dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert preset_period("this-year", TODAY) == Period(dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert preset_period("last-12-months", TODAY) == Period(
        dt.date(2025, 4, 1), dt.date(2026, 4, 1)
    )
    assert preset_period("custom", TODAY) is None
    for key in ("this-month", "last-month", "this-year", "last-12-months"):
        period = preset_period(key, TODAY)
        assert period is not None and preset_of(period, TODAY) == key
    assert preset_of(Period.month(dt.date(2026, 1, 1)), TODAY) == "custom"


def test_last_month_in_january_is_last_december() -> None:
    assert preset_period("last-month", dt.date(2026, 1, 31)) == Period.month(dt.date(2025, 12, 1))


@pytest.mark.parametrize(
    ("period", "steps", "expected"),
    [
        (Period.month(dt.date(2026, 3, 1)), -1, Period.month(dt.date(2026, 2, 1))),
        (Period.month(dt.date(2026, 12, 1)), 1, Period.month(dt.date(2027, 1, 1))),
        (Period.year(2026), -1, Period.year(2025)),
        (
            Period(dt.date(2025, 4, 1), dt.date(2026, 4, 1)),
            1,
            Period(dt.date(2026, 4, 1), dt.date(2027, 4, 1)),
        ),
        (
            Period.between(dt.date(2026, 3, 10), dt.date(2026, 3, 12)),
            -1,
            Period.between(dt.date(2026, 3, 7), dt.date(2026, 3, 9)),
        ),
    ],
)
def test_stepping_moves_a_period_by_its_own_length(
    period: Period, steps: int, expected: Period
) -> None:
    assert step_period(period, steps) == expected


def test_the_chart_and_the_budget_follow_the_periods_end_but_not_past_today() -> None:
    assert focus_month(Period.year(2026), TODAY) == TODAY
    assert focus_month(Period.year(2025), TODAY) == dt.date(2025, 12, 31)
    assert focus_month(Period.year(2027), TODAY) == dt.date(2027, 12, 31)
    assert chart_period(Period.year(2025), TODAY) == Period(
        dt.date(2025, 1, 1), dt.date(2026, 1, 1)
    )
    assert chart_period(Period.month(TODAY), TODAY) == Period(
        dt.date(2025, 4, 1), dt.date(2026, 4, 1)
    )


def test_period_labels() -> None:
    assert period_label(Period.month(TODAY)) == "March 2026"
    assert period_label(Period.year(2026)) == "2026"
    assert period_label(Period(dt.date(2025, 4, 1), dt.date(2026, 4, 1))) == "Apr 2025 – Mar 2026"
    assert (
        period_label(Period.between(dt.date(2026, 1, 10), dt.date(2026, 3, 12)))
        == "2026-01-10 – 2026-03-12"
    )


def test_horizontal_bars_are_exact_to_an_eighth_and_never_hide_a_small_amount() -> None:
    assert hbar(0, 10) == ""
    assert hbar(1, 10) == "█" * 10
    assert hbar(2.5, 4) == "████"  # clamped
    assert hbar(0.5, 3) == "█▌"
    assert hbar(0.0001, 10) == "▏"
    assert len(hbar(0.37, 20)) <= 20


def test_nice_ceiling_and_budget_levels() -> None:
    assert nice_ceiling(0) == 1.0
    assert nice_ceiling(7_600) == 8_000
    assert nice_ceiling(4_000) == 4_000
    assert nice_ceiling(4_001) == 5_000
    assert nice_ceiling(11_600) == 12_000
    assert nice_ceiling(0.3) == pytest.approx(0.3)
    assert budget_level(None) == "fill"
    assert budget_level(0.5) == "fill"
    assert budget_level(0.9) == "warning"
    assert budget_level(1.0) == "warning"
    assert budget_level(1.01) == "error"
    assert compact_money(4_321.5) == "$4.3K"


def test_in_december_p_goes_on_from_this_year_to_the_last_12_months() -> None:
    december = dt.date(2026, 12, 6)
    year = Period.year(2026)
    assert preset_period("last-12-months", december) == year  # the same months
    assert next_preset(year, december, "this-year") == "last-12-months"
    assert next_preset(year, december, "last-12-months") == "this-month"
    assert preset_of(year, december, "last-12-months") == "last-12-months"
