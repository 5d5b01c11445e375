"""The month chart drawn on its own: bar heights, labels, highlighted months and the cursor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color

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


def style_colour(text: Text, offset: int) -> str | None:
    for span in text.spans:
        if span.start <= offset < span.end and not isinstance(span.style, str):
            color = span.style.color
            return None if color is None else Color.from_rich_color(color).hex
    return None


async def test_bars_rise_with_the_totals_and_the_period_is_highlighted() -> None:
    app = ChartApp()
    async with app.run_test(size=(70, 12)) as pilot:
        chart = app.query_one(MonthBars)
        data = months(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500)
        chart.set_months(data, Period(dt.date(2026, 1, 1), dt.date(2026, 4, 1)))
        await pilot.pause()
        text = chart.render()
        lines = text.plain.split("\n")
        assert len(lines) == 10  # 8 rows of bars, the month names, the years
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
        bottom = sum(len(line) + 1 for line in lines[:7])
        assert style_colour(text, bottom + axis + 11 * column) == accent
        assert style_colour(text, bottom + axis + 9 * column) == accent
        assert style_colour(text, bottom + axis + 8 * column) == primary

        # The cursor starts on the period's last month; Left moves it back.
        assert chart.border_subtitle == "Mar 2026: $1,500.00 spent · 1 expense"
        chart.focus()
        await pilot.press("left", "left", "left")
        assert chart.border_subtitle == "Dec 2025: $800.00 spent · 1 expense"
        await pilot.press("home")
        assert chart.border_subtitle == "Apr 2025: $0.00 spent · 0 expenses"


async def test_nothing_spent_says_so() -> None:
    app = ChartApp()
    async with app.run_test(size=(70, 12)) as pilot:
        chart = app.query_one(MonthBars)
        chart.set_months(months(*[0] * 12))
        await pilot.pause()
        assert chart.render().plain == "Nothing spent in these months."
