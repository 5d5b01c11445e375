"""Reports: where the money went in a period, by category, by month, against the budget.

The period is picked from presets (``p`` cycles them), stepped with ``[`` / ``]``, or typed as a
custom range (``c``; dates accept ``2026-03-01``, ``yesterday``, ``-3``). Tab moves between the
panels: spend by category (a table with bars), spend by month (the twelve months up to the period's
end, those inside it highlighted), budget against actual for the period's month, and the largest
expenses. Each panel is a widget that renders from its own data; the screen loads all of them
with one controller call (``reports.report``) in a thread worker, so they show one snapshot.
The period is the app's ``report_period``: it follows the month the other screens show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static

from budget_tui.clock import today as _today
from budget_tui.controller.periods import Period
from budget_tui.controller.views import MonthChart, Report
from budget_tui.errors import InvalidInput
from budget_tui.tui import runner
from budget_tui.tui.widgets.charts import format_money
from budget_tui.tui.widgets.report_panels import (
    BudgetPanel,
    CategorySpendPanel,
    LargestPanel,
    MonthChartPanel,
)

PRESETS: tuple[tuple[str, str], ...] = (
    ("This month", "this-month"),
    ("Last month", "last-month"),
    ("This year", "this-year"),
    ("Last 12 months", "last-12-months"),
    ("Custom range", "custom"),
)
LARGEST = 10  # expenses in the "largest" panel
CHART_MONTHS = 12  # the "last 12 months" preset


def preset_period(preset: str, today: dt.date) -> Period | None:
    """The period a preset means on ``today``; None for "custom"."""
    if preset == "this-month":
        return Period.month(today)
    if preset == "last-month":
        return Period.month(today).shift(-1)
    if preset == "this-year":
        return Period.year(today.year)
    if preset == "last-12-months":
        return Period.last_months(today, CHART_MONTHS)
    return None


def preset_of(period: Period, today: dt.date) -> str:
    """The preset that means ``period`` today, or "custom"."""
    for _, key in PRESETS:
        if preset_period(key, today) == period:
            return key
    return "custom"


def step_period(period: Period, steps: int) -> Period:
    """The period ``steps`` lengths later (earlier if negative): a month by a month, a year by a year,
    a custom range by its own number of days."""
    if period.is_whole_months:
        return period.shift(steps * len(period.months()))
    return period.shift(steps)


def period_label(period: Period) -> str:
    """``March 2026``, ``2026``, ``Apr 2025 – Mar 2026`` or ``2026-01-10 – 2026-03-12``."""
    months = period.months()
    calendar_year = len(months) == 12 and months[0].month == 1
    if period.is_whole_months and len(months) > 1 and not calendar_year:
        return f"{period.start:%b %Y} – {period.last_day:%b %Y}"
    return period.label


class ReportsScreen(runner.DatabaseWork, Screen[None]):
    """Spend by category, by month, against the budget, and the largest expenses, for a period."""

    TITLE = "Reports"
    AUTO_FOCUS = "#by-category"
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012 (Screen declares it per instance)
        (0, "-narrow"),
        (110, "-wide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "p",
            "next_preset",
            "Period",
            id="reports.next-preset",
            tooltip="Next period: this month, last month, this year, 12 months",
        ),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Earlier",
            id="reports.earlier",
            tooltip="Move the period back by its own length",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Later",
            id="reports.later",
            tooltip="Move the period forward by its own length",
        ),
        Binding(
            "t",
            "this_month",
            "This month",
            show=False,
            id="reports.this-month",
            tooltip="Back to this month",
        ),
        Binding(
            "c",
            "custom_range",
            "Custom",
            id="reports.custom-range",
            tooltip="Type the first and last day of the period",
        ),
        Binding(
            "tab",
            "app.focus_next",
            "Next panel",
            show=False,
            id="reports.next-panel",
            tooltip="Move to the next panel (Shift+Tab: back)",
        ),
        Binding(
            "escape",
            "leave_field",
            "Back to the panels",
            show=False,
            id="reports.leave-field",
            tooltip="Leave the date fields",
        ),
        Binding(
            "r",
            "reload",
            "Refresh",
            show=False,
            id="reports.refresh",
            tooltip="Read the figures from the database again",
        ),
    ]

    @dataclass
    class Loaded(Message):
        """Every panel's figures for ``report.period`` came back."""

        report: Report

    @dataclass
    class ChartLoaded(Message):
        """The month chart came back (another category charted)."""

        chart: MonthChart

    def __init__(self) -> None:
        super().__init__()
        self.today = _today()
        self.chart_category: int | None = None  # None: all categories
        self.report: Report | None = None

    @property
    def period(self) -> Period:
        """The period on screen: the app's ``report_period``, shared with the other screens."""
        return self.app.report_period  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="period-bar"):
            yield Select(
                [(label, key) for label, key in PRESETS],
                value="this-month",
                allow_blank=False,
                compact=True,
                id="preset",
                tooltip="The period the report covers (p: next)",
            )
            yield Label("from")
            yield Input(compact=True, id="from", tooltip="First day: 2026-03-01, yesterday or -3")
            yield Label("to")
            yield Input(compact=True, id="to", tooltip="Last day: 2026-03-31, today or -1")
            yield Static("", id="period-error")
        yield Static("", id="summary")
        with VerticalScroll(id="panels", can_focus=False):
            yield CategorySpendPanel(id="by-category")
            yield MonthChartPanel(id="by-month")
            yield BudgetPanel(id="budget")
            yield LargestPanel(id="largest")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "report_period", self._period_changed, init=False)

    def on_screen_resume(self) -> None:
        # Expenses may have changed on another screen since this one was last shown, and the
        # presets follow the date (the app may have been open since yesterday).
        self.today = _today()
        self._show_period()
        if self.report is None or self.report.period != self.period:
            self._show_loading()
        self.action_reload()

    # -- the period ---------------------------------------------------------------------------

    def set_period(self, period: Period) -> None:
        """Show the report for ``period``."""
        self._clear_period_error()
        if period == self.period:
            self.action_reload()
        else:
            self.app.report_period = period  # type: ignore[attr-defined]

    def _period_changed(self, _period: Period) -> None:
        if self.is_current:
            self._show_period()
            self._show_loading()
            self.action_reload()

    def _show_loading(self) -> None:
        # Figures of the previous period stay dimmed until this period's arrive (or if they can't).
        for panel in self.query("#panels > *"):
            panel.add_class("-stale")
        self.query_one("#summary", Static).update(
            Text.assemble((period_label(self.period), "bold"), " …")
        )

    def _show_period(self) -> None:
        self.query_one("#from", Input).value = self.period.start.isoformat()
        self.query_one("#to", Input).value = self.period.last_day.isoformat()
        select = self.query_one("#preset", Select)
        preset = preset_of(self.period, self.today)
        if select.value != preset:
            select.value = preset

    def action_next_preset(self) -> None:
        keys = [key for _, key in PRESETS if key != "custom"]
        current = preset_of(self.period, self.today)
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        period = preset_period(following, self.today)
        assert period is not None
        self.set_period(period)

    def action_this_month(self) -> None:
        self.set_period(Period.month(self.today))

    def action_step(self, steps: int) -> None:
        try:
            self.set_period(step_period(self.period, steps))
        except (InvalidInput, OverflowError, ValueError):
            self.app.bell()  # stepping past the first or last representable date

    def action_custom_range(self) -> None:
        field = self.query_one("#from", Input)
        field.focus()
        field.select_all()

    def action_leave_field(self) -> None:
        """Escape from the period fields: drop what was typed but not applied, back to the panels."""
        if isinstance(self.focused, (Input, Select)):
            self._clear_period_error()
            self._show_period()
            self.query_one("#by-category").focus()

    @on(Select.Changed, "#preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        if event.value == "custom":
            if preset_of(self.period, self.today) != "custom":
                self.action_custom_range()
            return
        period = preset_period(str(event.value), self.today)
        if period is not None and period != self.period:
            self.set_period(period)

    @on(Input.Submitted, "#from, #to")
    def _range_typed(self, event: Input.Submitted) -> None:
        """Enter on the first day goes on to the last day (applying the range if it is already
        sensible); Enter on the last day applies the range or says what is wrong with it."""
        from budget_tui.controller import validate

        first_field = self.query_one("#from", Input)
        last_field = self.query_one("#to", Input)
        try:
            first = validate.date(first_field.value, "from", today=self.today)
        except InvalidInput as error:
            self.show_field_error(error.field, error.message)
            return
        try:
            last = validate.date(last_field.value, "to", today=self.today)
            if last < first:
                raise InvalidInput("to", "The last day is before the first day.")
        except InvalidInput as error:
            if event.input is first_field:
                self._clear_period_error()
                first_field.value = first.isoformat()
                last_field.focus()
            else:
                self.show_field_error(error.field, error.message)
            return
        if event.input is first_field:
            last_field.focus()
        self.set_period(Period.between(first, last))

    def show_field_error(self, field: str, message: str) -> bool:
        """Show an invalid date next to the field it came from (the runner's protocol too)."""
        self._clear_period_error()
        name = "to" if field in ("to", "end") else "from"
        self.query_one(f"#{name}", Input).add_class("-invalid")
        self.query_one("#period-error", Static).update(Text(message))
        return True

    def _clear_period_error(self) -> None:
        for field in self.query("#period-bar Input"):
            field.remove_class("-invalid")
        self.query_one("#period-error", Static).update("")

    # -- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read every panel's figures for the period on screen: one call, one snapshot."""
        self.load(self.period, self.today, self.chart_category)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, period: Period, today: dt.date, chart_category: int | None) -> None:
        from budget_tui.controller.reports import report

        figures = runner.call(
            self.app, report, period, today=today, chart_category=chart_category, largest=LARGEST
        )
        runner.deliver(self, self.Loaded(figures))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        report = message.report
        if report.period != self.period:
            return
        self.report = report
        self.chart_category = report.chart.category_id  # None if it was deleted elsewhere
        summary = report.summary
        noun = "expense" if summary.count == 1 else "expenses"
        self.query_one("#summary", Static).update(
            Text.assemble(
                (period_label(report.period), "bold"),
                "  ",
                (format_money(summary.total), "bold"),
                f" spent · {summary.count:,} {noun} · {format_money(summary.daily_average)} a day",
            )
        )
        self.query_one(CategorySpendPanel).data = summary
        self.query_one(MonthChartPanel).data = report.chart
        self.query_one(BudgetPanel).data = report.budget
        self.query_one(LargestPanel).data = summary.largest
        for panel in self.query("#panels > *"):
            panel.remove_class("-stale")

    # -- charting one category ----------------------------------------------------------------

    @on(DataTable.RowSelected, "#by-category")
    def _category_selected(self, event: DataTable.RowSelected) -> None:
        if self.report is None or event.row_key.value is None:
            return
        chosen = int(event.row_key.value) if event.row_key.value.isdigit() else None
        if chosen is None:
            return  # the "no expenses" message row
        self.chart_category = None if chosen == self.chart_category else chosen
        self.load_chart(self.period, self.today, self.chart_category)

    @work(thread=True, exclusive=True, group="chart", exit_on_error=False)
    def load_chart(self, period: Period, today: dt.date, category: int | None) -> None:
        from budget_tui.controller.reports import month_chart

        chart = runner.call(self.app, month_chart, period, today=today, category=category)
        runner.deliver(self, self.ChartLoaded(chart))

    @on(ChartLoaded)
    def _chart_loaded(self, message: ChartLoaded) -> None:
        if message.chart.highlight == self.period:
            self.chart_category = message.chart.category_id
            self.query_one(MonthChartPanel).data = message.chart
