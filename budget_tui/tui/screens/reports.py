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

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select

from budget_tui.clock import today as _today
from budget_tui.controller.periods import Period
from budget_tui.controller.views import MonthChart, Report
from budget_tui.errors import BudgetError, InvalidInput
from budget_tui.tui import runner
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.app_header import AppHeader
from budget_tui.tui.widgets.period_bar import PeriodBar, next_preset, preset_period
from budget_tui.tui.widgets.report_panels import (
    BudgetPanel,
    CategorySpendPanel,
    ForecastPanel,
    LargestPanel,
    MonthChartPanel,
    SummaryLine,
)

LARGEST = 10  # expenses in the "largest" panel
# How long a new period waits for its figures before it is shown without them (the period bar
# and summary say which period is coming, the previous figures are dimmed as stale): an answer
# quicker than this shows the period and its figures in one frame, as one screen update.
STALE_AFTER_S = 0.15


def step_period(period: Period, steps: int) -> Period:
    """The period ``steps`` lengths later (earlier if negative): a month by a month, a year by a year,
    a custom range by its own number of days."""
    if period.is_whole_months:
        return period.shift(steps * len(period.months()))
    return period.shift(steps)


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
        self.preset: str | None = None  # the preset last picked (two may mean one period)
        self._stale_timer: Timer | None = None

    @property
    def period(self) -> Period:
        """The period on screen: the app's ``report_period``, shared with the other screens."""
        return self.app.report_period  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield AppHeader("reports")
        yield PeriodBar(id="period-bar")
        yield SummaryLine(id="summary")
        yield ForecastPanel(id="forecast")
        with VerticalScroll(id="panels", can_focus=False):
            yield CategorySpendPanel(id="by-category")
            yield MonthChartPanel(id="by-month")
            yield BudgetPanel(id="budget")
            yield LargestPanel(id="largest")
        yield AppFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "report_period", self._period_changed, init=False)

    def on_screen_resume(self) -> None:
        if self.shown_again():
            return
        # Expenses may have changed on another screen since this one was last shown, and the
        # presets follow the date (the app may have been open since yesterday).
        self.today = _today()
        self._show_period()
        if self.report is None or self.report.period != self.period:
            self._show_loading()
        self.action_reload()

    # -- the period ---------------------------------------------------------------------------

    def set_period(self, period: Period, preset: str | None = None) -> None:
        """Show the report for ``period`` (``preset``: the preset that was picked for it)."""
        self.preset = preset
        if period == self.period:
            self._show_period()
            self.action_reload()
        else:
            self.app.report_period = period  # type: ignore[attr-defined]

    @on(PeriodBar.Chosen)
    def _period_chosen(self, message: PeriodBar.Chosen) -> None:
        self.set_period(message.period, message.preset)

    def _period_changed(self, _period: Period) -> None:
        if self.is_current:
            self._show_loading()
            self.action_reload()

    def _show_loading(self) -> None:
        # The period is shown with its figures when they come; if they take a moment (or can't
        # come), it is shown without them, the previous period's figures dimmed until they do.
        if self._stale_timer is not None:
            self._stale_timer.stop()
        self._stale_timer = self.set_timer(STALE_AFTER_S, self._show_stale)

    def _show_stale(self) -> None:
        """The period on show, its figures not (yet) come: the previous ones are dimmed."""
        self._show_period()
        self.query_one(SummaryLine).show_pending(self.period)
        for panel in self.query("#panels > *"):
            panel.add_class("-stale")

    def _show_period(self) -> None:
        self.query_one(PeriodBar).show(self.period, self.today, self.preset)

    def action_next_preset(self) -> None:
        following = next_preset(self.period, self.today, self.preset)
        period = preset_period(following, self.today)
        assert period is not None
        self.set_period(period, following)

    def action_this_month(self) -> None:
        self.set_period(Period.month(self.today))

    def action_step(self, steps: int) -> None:
        try:
            self.set_period(step_period(self.period, steps))
        except (InvalidInput, OverflowError, ValueError):
            self.app.bell()  # stepping past the first or last representable date

    def action_custom_range(self) -> None:
        self.query_one(PeriodBar).focus_range()

    def action_leave_field(self) -> None:
        """Escape from the period fields: drop what was typed but not applied, back to the panels."""
        if isinstance(self.focused, (Input, Select)):
            self._show_period()
            self.query_one("#by-category").focus()

    # -- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read every panel's figures for the period on screen: one call, one snapshot."""
        self.load(self.period, self.today, self.chart_category)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, period: Period, today: dt.date, chart_category: int | None) -> None:
        from budget_tui.controller.reports import report

        try:
            figures = runner.call(
                self.app,
                report,
                period,
                today=today,
                chart_category=chart_category,
                largest=LARGEST,
            )
        except BudgetError:
            self.app.call_from_thread(self._show_stale)  # they are not this period's figures
            raise
        runner.deliver(self, self.Loaded(figures))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        report = message.report
        if report.period != self.period:
            return
        self.report = report
        if self._stale_timer is not None:
            self._stale_timer.stop()
            self._stale_timer = None
        if self.query_one(PeriodBar).period != report.period:
            self._show_period()  # (not otherwise: it would drop dates being typed)
        self.chart_category = report.chart.category_id  # None if it was deleted elsewhere
        self.query_one(ForecastPanel).show(report.forecast, self.today)
        summary = report.summary
        self.query_one(SummaryLine).show(summary, report.period)
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

    # Changes made elsewhere (the app hears of them) or undone: read again, the cursor kept.
    book_changed = action_reload
