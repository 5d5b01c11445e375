"""Reports: where the money went in a period, by category, by month, against the budget.

The period is picked from presets (``p`` cycles them), stepped with ``[`` / ``]``, or typed as a
custom range (``c``; dates accept ``2026-03-01``, ``yesterday``, ``-3``). Tab moves between the
panels: spend by category (a table with bars), spend by month (the twelve months up to the period's
end, those inside it highlighted), budget against actual for the period's month, and the largest
expenses. Each change of period runs the controller's report actions in thread workers.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static

from budget_tui.clock import today as _today
from budget_tui.controller.periods import Period
from budget_tui.errors import InvalidInput
from budget_tui.tui import runner
from budget_tui.tui.widgets.charts import BarTable, MonthBars, budget_level, format_money

if TYPE_CHECKING:
    from budget_tui.controller.views import BudgetReport, MonthSpend, Summary

PRESETS: tuple[tuple[str, str], ...] = (
    ("This month", "this-month"),
    ("Last month", "last-month"),
    ("This year", "this-year"),
    ("Last 12 months", "last-12-months"),
    ("Custom range", "custom"),
)
LARGEST = 10  # expenses in the "largest" panel
CHART_MONTHS = 12


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


def focus_month(period: Period, today: dt.date) -> dt.date:
    """The day whose month the budget panel shows and the month chart ends on: the period's last
    day, or today when the period runs past today."""
    if period.start <= today < period.end:
        return today
    return period.last_day


def chart_period(period: Period, today: dt.date) -> Period:
    """The twelve months ending with the month of :func:`focus_month`."""
    return Period.last_months(focus_month(period, today), CHART_MONTHS)


def period_label(period: Period) -> str:
    """``March 2026``, ``2026``, ``Apr 2025 – Mar 2026`` or ``2026-01-10 – 2026-03-12``."""
    months = period.months()
    calendar_year = len(months) == 12 and months[0].month == 1
    if period.is_whole_months and len(months) > 1 and not calendar_year:
        return f"{period.start:%b %Y} – {period.last_day:%b %Y}"
    return period.label


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


class ReportsScreen(Screen[None]):
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

    DEFAULT_CSS = """
    ReportsScreen #period-bar {
        height: 1;
        padding: 0 1;
    }
    ReportsScreen #preset {
        width: 20;
    }
    ReportsScreen #period-bar Label {
        padding: 0 1;
        color: $foreground-muted;
    }
    ReportsScreen #period-bar Input {
        width: 12;
    }
    ReportsScreen #period-bar Input.-invalid {
        color: $error;
    }
    ReportsScreen #period-error {
        width: 1fr;
        padding-left: 1;
        color: $error;
    }
    ReportsScreen #summary {
        height: auto;
        max-height: 2;
        padding: 0 1;
    }
    ReportsScreen #panels {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    ReportsScreen #panels > BarTable {
        overflow-x: hidden;
    }
    ReportsScreen #panels > * {
        border: round $border-blurred;
        border-title-color: $foreground;
        border-subtitle-color: $foreground-muted;
    }
    ReportsScreen #panels > *:focus {
        border: round $border;
    }
    ReportsScreen #panels > .-stale {
        text-opacity: 40%;
    }
    ReportsScreen.-narrow #panels > DataTable {
        height: auto;
        max-height: 100%;
    }
    ReportsScreen.-wide #panels {
        layout: grid;
        grid-size: 2 2;
        grid-columns: 1fr 1fr;
        grid-rows: 1fr 1fr;
    }
    ReportsScreen.-wide #panels > * {
        height: 1fr;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.today = _today()
        self.period = Period.month(self.today)
        self.chart_category: tuple[int, str] | None = None  # None: all categories
        self.summary: Summary | None = None
        self.budget: BudgetReport | None = None
        self.months: tuple[MonthSpend, ...] = ()

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
            by_category = BarTable(id="by-category", cursor_type="row", zebra_stripes=True)
            by_category.border_title = "Spend by category"
            by_category.border_subtitle = "Enter: chart one category"
            yield by_category
            by_month = MonthBars(id="by-month")
            by_month.border_title = "Spend by month"
            yield by_month
            budget = BarTable(id="budget", cursor_type="row", zebra_stripes=True)
            budget.border_title = "Budget vs actual"
            yield budget
            largest = BarTable(id="largest", cursor_type="row", zebra_stripes=True)
            largest.border_title = "Largest expenses"
            yield largest
        yield Footer()

    def on_mount(self) -> None:
        self._show_period()
        self._show_loading()

    def on_screen_resume(self) -> None:
        # Expenses may have changed on another screen since this one was last shown, and the
        # presets follow the date (the app may have been open since yesterday).
        self.today = _today()
        self.action_reload()

    # -- the period ---------------------------------------------------------------------------

    def set_period(self, period: Period) -> None:
        """Show the report for ``period``."""
        self.period = period
        self._clear_period_error()
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
        """Read every panel's figures for the current period (each in its own worker)."""
        if getattr(self.app, "book", None) is None:
            self.query_one("#summary", Static).update("Waiting for the database…")
            return
        from budget_tui.controller import reports

        period = self.period
        runner.call(
            self,
            reports.summary,
            period.start,
            period.last_day,
            top=LARGEST,
            done=lambda result: self._summary_loaded(period, result),
            group="reports-summary",
            exclusive=True,
        )
        runner.call(
            self,
            reports.budget_vs_actual,
            focus_month(period, self.today),
            done=lambda budget: self._budget_loaded(period, budget),
            group="reports-budget",
            exclusive=True,
        )
        self._load_months()

    def _load_months(self) -> None:
        from budget_tui.controller import reports

        period = self.period
        category = self.chart_category
        runner.call(
            self,
            reports.spend_by_month,
            chart_period(period, self.today),
            category=None if category is None else category[0],
            done=lambda months: self._months_loaded(period, category, months),
            failed=self._months_failed,
            group="reports-months",
            exclusive=True,
        )

    def _months_failed(self, error: Exception) -> bool:
        # The charted category was deleted elsewhere: go back to all categories.
        from budget_tui.errors import NotFound

        if isinstance(error, NotFound) and self.chart_category is not None:
            self.chart_category = None
            self._load_months()
            return True
        return False

    def _summary_loaded(self, period: Period, summary: Summary) -> None:
        if period != self.period:
            return
        self.summary = summary
        for panel in self.query("#by-category, #largest"):
            panel.remove_class("-stale")
        noun = "expense" if summary.count == 1 else "expenses"
        self.query_one("#summary", Static).update(
            Text.assemble(
                (period_label(period), "bold"),
                "  ",
                (format_money(summary.total), "bold"),
                f" spent · {summary.count:,} {noun} · {format_money(summary.daily_average)} a day",
            )
        )
        self._fill_by_category()
        self._fill_largest()

    def _budget_loaded(self, period: Period, budget: BudgetReport) -> None:
        if period != self.period:
            return
        self.budget = budget
        self._fill_budget()
        self.query_one("#budget").remove_class("-stale")

    def _months_loaded(
        self, period: Period, category: tuple[int, str] | None, months: tuple[MonthSpend, ...]
    ) -> None:
        if period != self.period or category != self.chart_category:
            return
        self.months = months
        self.query_one("#by-month").remove_class("-stale")
        chart = self.query_one("#by-month", MonthBars)
        title = "Spend by month"
        chart.border_title = title if category is None else Text(f"{title} · {category[1]}")
        chart.set_months(months, period)

    # -- drawing the tables -------------------------------------------------------------------

    @on(BarTable.Resized)
    def _table_resized(self, event: BarTable.Resized) -> None:
        # Bars fill the width their table has, which changes with the terminal and the layout.
        if event.table.id == "by-category" and self.summary is not None:
            self._fill_by_category()
        elif event.table.id == "budget" and self.budget is not None:
            self._fill_budget()
        elif event.table.id == "largest" and self.summary is not None:
            self._fill_largest()

    @staticmethod
    def _bar_width(table: DataTable, used: int) -> int:
        # Leave room for a vertical scrollbar, should the rows outgrow the panel.
        return max(6, table.size.width - used - 3)

    def _fill_by_category(self) -> None:
        assert self.summary is not None
        table = self.query_one("#by-category", BarTable)
        rows = self.summary.by_category
        keep = table.cursor_row
        table.clear(columns=True)
        name_w = min(24, max([8, *(len(r.name) for r in rows)]))
        money_w = max([5, *(len(format_money(r.total)) for r in rows)])
        count_w = max([1, *(len(f"{r.count:,}") for r in rows)])
        width = self._bar_width(table, name_w + money_w + count_w + 6 + 2 * 4)
        table.add_column("Category", width=name_w, key="name")
        table.add_column(Text("Spent", justify="right"), width=money_w, key="total")
        table.add_column(Text("Share", justify="right"), width=6, key="share")
        table.add_column(Text("#", justify="right"), width=count_w, key="count")
        table.add_column("", width=width, key="bar")
        top = max((r.total for r in rows), default=0)
        for r in rows:
            table.add_row(
                Text(r.name, no_wrap=True, overflow="ellipsis"),
                Text(format_money(r.total), justify="right"),
                Text(_percent(float(r.share)), justify="right"),
                Text(f"{r.count:,}", justify="right"),
                table.bar(float(r.total / top) if top else 0.0, width=width),
                key=str(r.category_id),
            )
        if not rows:
            table.show_message("No expenses in this period.")
        elif 0 < keep < len(rows):
            table.move_cursor(row=keep, animate=False)
        noun = "category" if len(rows) == 1 else "categories"
        table.border_subtitle = f"{len(rows)} {noun} · Enter: chart one"

    def _fill_budget(self) -> None:
        assert self.budget is not None
        table = self.query_one("#budget", BarTable)
        lines = self.budget.lines
        keep = table.cursor_row
        table.clear(columns=True)
        name_w = min(24, max([8, *(len(line.name) for line in lines)]))
        amounts = [
            *(format_money(line.spent) for line in lines),
            *(format_money(line.budget) for line in lines if line.budget is not None),
            *(format_money(line.remaining) for line in lines if line.remaining is not None),
        ]
        money_w = max([6, *(len(a) for a in amounts)])
        width = self._bar_width(table, name_w + 3 * money_w + 2 * 4)
        table.add_column("Category", width=name_w, key="name")
        table.add_column(Text("Spent", justify="right"), width=money_w, key="spent")
        table.add_column(Text("Budget", justify="right"), width=money_w, key="budget")
        table.add_column(Text("Left", justify="right"), width=money_w, key="left")
        table.add_column("", width=width, key="bar")
        for line in lines:
            used = line.used
            left = line.remaining
            table.add_row(
                Text(line.name, no_wrap=True, overflow="ellipsis"),
                Text(format_money(line.spent), justify="right"),
                Text("—" if line.budget is None else format_money(line.budget), justify="right"),
                Text(
                    "—" if left is None else format_money(left),
                    justify="right",
                    style="" if left is None or left >= 0 else "bold",
                ),
                ""
                if used is None
                else table.bar(used, width=width, level=budget_level(used), track=True),
                key=str(line.category_id),
            )
        if not lines:
            table.show_message("No categories yet: add them on the Categories screen (2).")
        elif 0 < keep < len(lines):
            table.move_cursor(row=keep, animate=False)
        report = self.budget
        table.border_title = Text(f"Budget vs actual · {report.month.label}")
        table.border_subtitle = f"{format_money(report.total_spent)} spent · {format_money(report.total_budget)} budgeted"

    def _fill_largest(self) -> None:
        assert self.summary is not None
        table = self.query_one("#largest", BarTable)
        rows = self.summary.largest
        table.clear(columns=True)
        category_w = min(20, max([8, *(len(e.category_name) for e in rows)]))
        money_w = max([6, *(len(format_money(e.amount)) for e in rows)])
        # Descriptions take what is left, so a long one never pushes the amount out of sight.
        widest = max([11, *(len(e.description) for e in rows)])
        description_w = max(11, min(widest, table.size.width - 10 - category_w - money_w - 8 - 1))
        table.add_column("Date", width=10, key="date")
        table.add_column("Description", width=description_w, key="description")
        table.add_column("Category", width=category_w, key="category")
        table.add_column(Text("Amount", justify="right"), width=money_w, key="amount")
        for e in rows:
            table.add_row(
                e.occurred_on.isoformat(),
                Text(e.description, no_wrap=True, overflow="ellipsis"),
                Text(e.category_name, no_wrap=True, overflow="ellipsis"),
                Text(format_money(e.amount), justify="right"),
                key=str(e.id),
            )
        if not rows:
            table.show_message("No expenses in this period.")

    # -- charting one category ----------------------------------------------------------------

    @on(DataTable.RowSelected, "#by-category")
    def _category_selected(self, event: DataTable.RowSelected) -> None:
        if self.summary is None or event.row_key.value is None:
            return
        chosen = next(
            (r for r in self.summary.by_category if str(r.category_id) == event.row_key.value),
            None,
        )
        if chosen is None:
            return
        same = self.chart_category is not None and self.chart_category[0] == chosen.category_id
        self.chart_category = None if same else (chosen.category_id, chosen.name)
        self._load_months()
