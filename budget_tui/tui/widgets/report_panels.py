"""The Reports screen's panels. Each renders from its own ``data`` (assigned by the screen when a
report arrives) and redraws itself when its data or its width changes.

* :class:`SummaryLine`: the period's totals over the panels (a ``Summary``);
* :class:`ForecastPanel`: the next months as the schedules project them (a ``Forecast``);
* :class:`CategorySpendPanel`: spend by category, a table with bars (the period's ``Summary``);
* :class:`MonthChartPanel`: spend by month, a bar chart (a ``MonthChart``);
* :class:`BudgetPanel`: budget against actual for one month (a ``BudgetReport``);
* :class:`LargestPanel`: the largest expenses (a tuple of ``ExpenseView``).
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from budget_tui.controller.periods import Period
from budget_tui.controller.views import (
    BudgetReport,
    ExpenseView,
    Forecast,
    MonthChart,
    Summary,
)
from budget_tui.tui.widgets.charts import BarTable, MonthBars, budget_level, format_money
from budget_tui.tui.widgets.period_bar import period_label

CHART_TITLE = "Spend by month"
INCOME_TITLE = "Spend and income (green) by month"


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


class SummaryLine(Static):
    """``2026 (so far)  $4,412.55 spent · 1,066 expenses · $59.63 a day (74 days)`` over a second
    line, when the book has an income category: income, net and the share of it saved. The line
    is there in a period without income too, so the panels under it keep their place (and their
    size) from period to period: a line that came and went moved them, and laid the screen out
    twice."""

    _has_income = False  # the income line is shown: a pending period keeps its place

    def show_pending(self, period: Period) -> None:
        """The period whose figures are on their way."""
        self.update(
            Text.assemble((period_label(period), "bold"), " …", "\n" if self._has_income else "")
        )

    def show(self, summary: Summary, period: Period) -> None:
        noun = "expense" if summary.count == 1 else "expenses"
        flows = summary.flows
        rate = flows.savings_rate
        theme = self.app.theme_variables
        net_style = theme.get("text-error" if flows.net < 0 else "text-success", "")
        so_far = f" ({summary.days} days)" if summary.in_progress else ""
        income: list[str | tuple[str, str]] = []
        self._has_income = summary.has_income
        if summary.has_income:
            income = [
                "\nincome ",
                (format_money(flows.income), "bold"),
                " · net ",
                (format_money(flows.net), f"bold {net_style}".strip()),
                f" · saved {rate * 100:.0f}%" if rate is not None else "",
            ]
        self.update(
            Text.assemble(
                (period_label(period), "bold"),
                (" (so far)" if summary.in_progress else ""),
                "  ",
                (format_money(summary.total), "bold"),
                f" spent · {summary.count:,} {noun} · "
                f"{format_money(summary.daily_average)} a day{so_far}",
                *income,
            )
        )


class ForecastPanel(Static):
    """The next months' scheduled income and spending and the projected net (what is entered
    plus what is scheduled), a line a month; hidden when nothing is scheduled."""

    def show(self, forecast: Forecast | None, today: dt.date) -> None:
        self.display = forecast is not None
        if forecast is None:
            return
        lines = [Text("Forecast from schedules", style="bold")]
        for m in forecast.months:
            rest = " (rest)" if m.month.start <= today < m.month.end else ""
            net = m.projected.net
            lines.append(
                Text.assemble(
                    f"{m.month.start:%b %Y}{rest}: scheduled in ",
                    (format_money(m.scheduled.income), "bold"),
                    " · out ",
                    (format_money(m.scheduled.spending), "bold"),
                    " · projected net ",
                    (format_money(net), "bold red" if net < 0 else "bold green"),
                )
            )
        self.update(Text("\n").join(lines))


class _PanelTable(BarTable):
    """A BarTable that fills itself from its data, again whenever its width changes."""

    def __init__(self, *, id: str, title: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.border_title = title
        self._width = -1

    def _bar_width(self, used: int) -> int:
        # Leave room for a vertical scrollbar, should the rows outgrow the panel.
        return max(6, self.size.width - used - 3)

    def fill(self) -> None:
        raise NotImplementedError

    def on_resize(self) -> None:
        # Bars fill the width the table has, which changes with the terminal and the layout.
        if self.size.width != self._width:
            self._refill()

    def _refill(self) -> None:
        self._width = self.size.width
        self.fill()


class CategorySpendPanel(_PanelTable):
    """Each category's spend in the period, its share and count, largest first, with bars."""

    data: reactive[Summary | None] = reactive(None, init=False)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, title="Spend by category")
        self.border_subtitle = "Enter: chart one category"

    def watch_data(self) -> None:
        self._refill()

    def fill(self) -> None:
        if self.data is None:
            return
        rows = self.data.by_category
        keep = self.cursor_row
        self.clear(columns=True)
        name_w = min(24, max([8, *(len(r.name) for r in rows)]))
        money_w = max([5, *(len(format_money(r.total)) for r in rows)])
        count_w = max([1, *(len(f"{r.count:,}") for r in rows)])
        width = self._bar_width(name_w + money_w + count_w + 6 + 2 * 4)
        self.add_column("Category", width=name_w, key="name")
        self.add_column(Text("Spent", justify="right"), width=money_w, key="total")
        self.add_column(Text("Share", justify="right"), width=6, key="share")
        self.add_column(Text("#", justify="right"), width=count_w, key="count")
        self.add_column("", width=width, key="bar")
        top = max((r.total for r in rows), default=0)
        for r in rows:
            self.add_row(
                Text(r.name, no_wrap=True, overflow="ellipsis"),
                Text(format_money(r.total), justify="right"),
                Text(_percent(float(r.share)), justify="right"),
                Text(f"{r.count:,}", justify="right"),
                self.bar(float(r.total / top) if top else 0.0, width=width),
                key=str(r.category_id),
            )
        if not rows:
            self.show_message("No expenses in this period.")
        elif 0 < keep < len(rows):
            self.move_cursor(row=keep, animate=False)
        noun = "category" if len(rows) == 1 else "categories"
        self.border_subtitle = f"{len(rows)} {noun} · Enter: chart one"


class BudgetPanel(_PanelTable):
    """Each category's budget, spend and what is left in one month, with a bar of the budget used."""

    data: reactive[BudgetReport | None] = reactive(None, init=False)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, title="Budget vs actual")

    def watch_data(self) -> None:
        self._refill()

    def fill(self) -> None:
        if (report := self.data) is None:
            return
        lines = report.lines
        keep = self.cursor_row
        self.clear(columns=True)
        name_w = min(24, max([8, *(len(line.name) for line in lines)]))
        # A rolling-over category (↻) is held to its budget and what it carried in.
        funds = {
            line.category_id: None if line.budget is None else line.budget + line.carried
            for line in lines
        }
        amounts = [
            *(format_money(line.spent) for line in lines),
            *(format_money(f) for f in funds.values() if f is not None),
            *(format_money(line.remaining) for line in lines if line.remaining is not None),
        ]
        money_w = max([6, *(len(a) for a in amounts)])
        width = self._bar_width(name_w + 3 * money_w + 2 * 4)
        self.add_column("Category", width=name_w, key="name")
        self.add_column(Text("Spent", justify="right"), width=money_w, key="spent")
        self.add_column(Text("Budget", justify="right"), width=money_w, key="budget")
        self.add_column(Text("Left", justify="right"), width=money_w, key="left")
        self.add_column("", width=width, key="bar")
        for line in lines:
            used, left = line.used, line.remaining
            self.add_row(
                Text(line.name + (" ↻" if line.carried else ""), no_wrap=True, overflow="ellipsis"),
                Text(format_money(line.spent), justify="right"),
                Text(
                    "—" if (f := funds[line.category_id]) is None else format_money(f),
                    justify="right",
                ),
                Text(
                    "—" if left is None else format_money(left),
                    justify="right",
                    style="" if left is None or left >= 0 else "bold",
                ),
                ""
                if used is None
                else self.bar(used, width=width, level=budget_level(used), track=True),
                key=str(line.category_id),
            )
        if not lines:
            self.show_message("No categories yet: add them on the Categories screen (2).")
        elif 0 < keep < len(lines):
            self.move_cursor(row=keep, animate=False)
        self.border_title = Text(f"Budget vs actual · {report.month.label}")
        self.border_subtitle = (
            f"{format_money(report.total_spent)} spent · "
            f"{format_money(report.total_budget)} budgeted"
        )


class LargestPanel(_PanelTable):
    """The period's largest expenses, largest first."""

    data: reactive[tuple[ExpenseView, ...] | None] = reactive(None, init=False)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, title="Largest expenses")

    def watch_data(self) -> None:
        self._refill()

    def fill(self) -> None:
        if (rows := self.data) is None:
            return
        self.clear(columns=True)
        category_w = min(20, max([8, *(len(e.category_name) for e in rows)]))
        money_w = max([6, *(len(format_money(e.amount)) for e in rows)])
        # Descriptions take what is left, so a long one never pushes the amount out of sight.
        widest = max([11, *(len(e.description) for e in rows)])
        description_w = max(11, min(widest, self.size.width - 10 - category_w - money_w - 8 - 1))
        self.add_column("Date", width=10, key="date")
        self.add_column("Description", width=description_w, key="description")
        self.add_column("Category", width=category_w, key="category")
        self.add_column(Text("Amount", justify="right"), width=money_w, key="amount")
        for e in rows:
            self.add_row(
                e.occurred_on.isoformat(),
                Text(e.description, no_wrap=True, overflow="ellipsis"),
                Text(e.category_name, no_wrap=True, overflow="ellipsis"),
                Text(format_money(e.amount), justify="right"),
                key=str(e.id),
            )
        if not rows:
            self.show_message("No expenses in this period.")


class MonthChartPanel(MonthBars):
    """Spend per month (all categories', or one's), the months of the period highlighted."""

    data: reactive[MonthChart | None] = reactive(None, init=False)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = CHART_TITLE

    def watch_data(self, chart: MonthChart | None) -> None:
        if chart is None:
            return
        name = chart.category_name
        self.set_months(chart.months, chart.highlight)
        if name is not None:
            self.border_title = Text(f"{CHART_TITLE} · {name}")
        else:
            self.border_title = INCOME_TITLE if self.has_income else CHART_TITLE
