"""The month chart drawn on its own: bar heights, labels, highlighted months and the cursor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from textual.app import App, ComposeResult
from textual.color import Color
from textual.strip import Strip

from budget_tui.controller.periods import Period, add_months
from budget_tui.controller.views import MonthSpend
from budget_tui.tui.widgets.charts import MonthBars

START = dt.date(2025, 4, 1)


def months(*totals: int) -> list[MonthSpend]:
    return [
        MonthSpend(add_months(START, i), Decimal(total), 1 if total else 0)
        for i, total in enumerate(totals)
    ]


class ChartApp(App[None]):
    CSS = "MonthBars { width: 64; height: 10; }"

    def compose(self) -> ComposeResult:
        yield MonthBars(id="chart")


def drawn(chart: MonthBars) -> list[Strip]:
    """The chart's lines as Textual paints them."""
    return [chart.render_line(y) for y in range(chart.size.height)]


def style_colour(line: Strip, x: int) -> str | None:
    """The colour of the cell ``x`` cells into ``line``."""
    for segment in line:
        if x < segment.cell_length:
            color = segment.style.color if segment.style else None
            return None if color is None else Color.from_rich_color(color).hex
        x -= segment.cell_length
    return None


async def test_bars_rise_with_the_totals_and_the_period_is_highlighted() -> None:
    app = ChartApp()
    async with app.run_test(size=(70, 12)) as pilot:
        chart = app.query_one(MonthBars)
        data = months(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500)
        chart.set_months(data, Period(dt.date(2026, 1, 1), dt.date(2026, 4, 1)))
        await pilot.pause()
        strips = drawn(chart)
        lines = [strip.text for strip in strips]
        assert len(lines) == 10  # 8 rows of bars, the month names, the years
        assert all(
            strip.cell_length == chart.size.width == 62 for strip in strips
        )  # 64 less padding
        assert lines[0].startswith("$1.5K ")  # the scale's top is a round number
        assert lines[7].startswith("   $0 ")
        assert lines[8].split() == [
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
            "Jan",
            "Feb",
            "Mar",
        ]
        assert lines[9].split() == ["2025", "2026"]
        assert lines[9].index("2026") == lines[8].index("Jan")

        column = 4  # 48 columns for 12 months: bars three wide, one space apart
        axis = len("$1.5K ")
        heights = []
        for month in range(12):
            x = axis + month * column
            heights.append(sum(1 for row in lines[:8] if row[x] == "█"))
        assert heights[0] == 0  # nothing spent: no bar at all
        assert heights == sorted(heights)  # taller with every month
        assert heights[-1] == 8  # the largest month reaches the top

        # January to March are inside the period: accent colour; the rest are primary.
        accent = Color.parse(app.theme_variables["accent"]).hex
        primary = Color.parse(app.theme_variables["primary"]).hex
        bottom = strips[7]
        assert style_colour(bottom, axis + 11 * column) == accent
        assert style_colour(bottom, axis + 9 * column) == accent
        assert style_colour(bottom, axis + 8 * column) == primary

        # The cursor starts on the period's last month; Left moves it back.
        assert chart.border_subtitle == "Mar 2026: $1,500.00 spent · 1 expense"
        chart.focus()
        await pilot.press("left", "left", "left")
        assert chart.border_subtitle == "Dec 2025: $800.00 spent · 1 expense"
        await pilot.press("home")
        assert chart.border_subtitle == "Apr 2025: $0.00 spent · 0 expenses"


async def test_the_chart_is_drawn_again_for_its_cursor_and_a_new_theme() -> None:
    """Its lines are kept between paints: moving the cursor, or another theme, draws them anew."""
    app = ChartApp()
    async with app.run_test(size=(70, 12)) as pilot:
        chart = app.query_one(MonthBars)
        chart.set_months(months(*range(100, 1300, 100)), Period.month(dt.date(2026, 3, 1)))
        await pilot.pause()
        names = drawn(chart)[8]
        march, february = names.text.index("Mar"), names.text.index("Feb")
        assert style_colour(names, march) == _hex(chart, "month-bars--cursor")
        assert style_colour(names, february) == _hex(chart, "month-bars--label")

        chart.focus()
        await pilot.press("left")
        names = drawn(chart)[8]
        assert style_colour(names, february) == _hex(chart, "month-bars--cursor")
        assert style_colour(names, march) == _hex(chart, "month-bars--label")

        accent = style_colour(drawn(chart)[7], len("$1.2K ") + 11 * 4)
        assert accent == Color.parse(app.theme_variables["accent"]).hex
        app.theme = "nord"
        await pilot.pause()
        assert Color.parse(app.theme_variables["accent"]).hex != accent
        assert style_colour(drawn(chart)[7], len("$1.2K ") + 11 * 4) == (
            Color.parse(app.theme_variables["accent"]).hex
        )


def _hex(chart: MonthBars, component: str) -> str:
    color = chart.get_component_rich_style(component).color
    assert color is not None
    return Color.from_rich_color(color).hex


async def test_nothing_spent_says_so() -> None:
    app = ChartApp()
    async with app.run_test(size=(70, 12)) as pilot:
        chart = app.query_one(MonthBars)
        chart.set_months(months(*[0] * 12))
        await pilot.pause()
        lines = [strip.text.rstrip() for strip in drawn(chart)]
        assert lines == ["Nothing spent in these months.", *[""] * 9]
