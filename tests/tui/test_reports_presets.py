"""Reports' `p` reaches every period from any date, and Reports opens on the month the other
screens show. In December "this year" and "the last 12 months" are the same months; `p` must
still go on to the next preset instead of sticking."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Select

from budget_tui.controller.periods import Period
from budget_tui.tui.screens.reports import ReportsScreen
from tests.tui.helpers import make_app, ready, settle


@pytest.mark.parametrize("month", range(1, 13), ids=lambda m: f"{m:02d}")
async def test_p_reaches_every_period_in_every_month(
    empty_url: str, month: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = dt.date(2026, month, 15)
    monkeypatch.setenv("BUDGET_TUI_TODAY", today.isoformat())
    expected = [
        ("last-month", Period.month(today).shift(-1)),
        ("this-year", Period.year(2026)),
        ("last-12-months", Period.last_months(today, 12)),
        ("this-month", Period.month(today)),
    ]
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        preset = screen.query_one("#preset", Select)
        assert (preset.value, app.report_period) == ("this-month", Period.month(today))
        for key, period in expected * 2:
            await pilot.press("p")
            await settle(pilot)
            assert (preset.value, app.report_period) == (key, period)
            assert screen.query_one("#from", Input).value == period.start.isoformat()
            assert screen.query_one("#to", Input).value == period.last_day.isoformat()


async def test_reports_opens_on_the_month_the_expenses_screen_shows(empty_url: str) -> None:
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert app.report_period == Period.month(dt.date(2026, 1, 1))
        assert app.screen.query_one("#from", Input).value == "2026-01-01"


async def test_a_range_error_is_shown_whole_at_80_columns(empty_url: str) -> None:
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, "reports")
        await pilot.press("c")
        await pilot.press(*"2026-03-10", "enter")
        field = app.screen.query_one("#to", Input)
        field.value = "2026-03-01"
        await pilot.press("enter")
        await settle(pilot)
        error = app.screen.query_one("#period-error")
        message = "The last day is before the first day."
        assert str(error.render()) == message
        assert error.region.width >= len(message) and error.region.right <= 80
