"""What the Expenses screen lists (a month, filters, an order) and the status line under the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content

from budget_tui.controller.periods import Period
from budget_tui.controller.views import (
    ZERO,
    CategoryView,
    ExpenseFilter,
    ExpenseView,
    Flows,
    Totals,
    UpcomingEntry,
)
from budget_tui.tui.format import income_parts, money, period_label
from budget_tui.tui.widgets.expense_table import Source

if TYPE_CHECKING:
    from budget_tui.controller.expense_list import Sort

SORTS: tuple[tuple[Sort, bool, str], ...] = (
    ("date", True, "newest first"),
    ("amount", True, "largest first"),
    ("date", False, "oldest first"),
    ("amount", False, "smallest first"),
)


@dataclass(frozen=True)
class Query:
    """What the list shows: a month (or every month, for a search), optional filters and an
    order. ``period`` is the month the screen is on, kept while ``all_months`` searches."""

    period: Period
    category_id: int | None = None
    text: str | None = None
    sort: int = 0  # index into SORTS
    all_months: bool = False

    @property
    def filter(self) -> ExpenseFilter:
        period = None if self.all_months else self.period
        return ExpenseFilter(period=period, category_id=self.category_id, text=self.text)

    @property
    def key(self) -> Sort:
        return SORTS[self.sort][0]

    @property
    def descending(self) -> bool:
        return SORTS[self.sort][1]

    @property
    def source(self) -> Source:
        return Source(self.filter, self.key, self.descending)

    @property
    def filtered(self) -> bool:
        return bool(self.text or self.category_id)

    def shows(self, item: ExpenseView) -> bool:
        return (
            (self.all_months or self.period.start <= item.occurred_on < self.period.end)
            and self.category_id in (None, item.category_id)
            and (not self.text or self.text.strip().casefold() in item.description.casefold())
        )


def status_line(
    query: Query,
    totals: Totals,
    categories: tuple[CategoryView, ...],
    flows: Flows | None = None,
) -> Content:
    """The month ("so far" while it runs), count and total; unfiltered, the month's spending,
    income, net and savings rate; what is left of the budgets shown; the filters and order."""
    count = f"{totals.count:,} expense{'s' if totals.count != 1 else ''}"
    parts: list[str | tuple[str, str] | Content] = [
        ("All months" if query.all_months else period_label(query.period), "bold"),
        f" · {count}",
    ]
    has_income = any(c.is_income for c in categories)
    # Unfiltered, the total is the month's spending (refunds taken off; income is not in it).
    shown_total = totals.total
    if flows is not None and not query.filtered and not query.all_months:
        shown_total = flows.spending
    parts += [" · ", (money(shown_total), "bold")]
    shown = [c for c in categories if query.category_id in (None, c.id)]
    budgeted = [c for c in shown if c.monthly_budget is not None and not c.is_income]
    if budgeted and not query.all_months:
        # What the month may spend: budgets and what rollover carried into them.
        budget = sum((c.funds or ZERO for c in budgeted), ZERO)
        left = sum((c.available or ZERO for c in budgeted), ZERO)
        parts += [" · left ", (money(left), "$text-error" if left < 0 else "$text-success")]
        parts.append(f" of {money(budget)}")
    if flows is not None and has_income and not query.filtered and not query.all_months:
        parts.append("\n")
        parts += ["income ", *income_parts(flows)[1:]]  # a line of its own
    extra = [f"order: {SORTS[query.sort][2]}"]
    if query.category_id is not None:
        name = next((c.name for c in categories if c.id == query.category_id), "?")
        extra.insert(0, f"category: {name}")
    if query.text:
        extra.insert(0, f"text: {query.text!r}")
    if query.all_months:
        extra.append("[ ] search one month at a time")
    parts.append(("\n" + " · ".join(extra), "$text-muted"))
    return Content.assemble(*parts)


def empty_message(query: Query | None, categories: tuple[CategoryView, ...]) -> Content:
    """What the screen says when the list has no row, and what to do about it."""
    if not categories:
        return Content("No categories yet. Start by adding one: press 2 for Categories, then a.")
    if query is not None and query.filtered:
        return Content("No expenses match the filter. Press Esc to clear it.")
    label = query.period.label if query else ""
    return Content(f"No expenses in {label}. Press a to add one, [ or ] to change month.")


SHOWN_UPCOMING = 3


def upcoming_lines(
    entries: list[UpcomingEntry], period: Period, flows: Flows, category_id: int | None
) -> Content:
    """The month's scheduled entries not posted yet, dimmed and marked (``upcoming`` or
    ``due``), and the month's projected spending: what is entered plus what is scheduled."""
    lines: list[Content] = []
    shown = entries[:SHOWN_UPCOMING]
    width = min(30, max(len(e.description) for e in shown))
    amounts = max(len(money(e.amount)) for e in shown)
    for e in shown:
        mark = "due     " if e.due else "upcoming"
        lines.append(
            Content.assemble(
                (mark, "italic"),
                f"  {e.on.isoformat()}  ",
                e.description[:width].ljust(width),
                f"  {money(e.amount).rjust(amounts)}  ",
                e.category_name,
            ).stylize("dim")
        )
    more = len(entries) - SHOWN_UPCOMING
    scheduled_spend = sum((e.amount for e in entries if e.kind != "income"), ZERO)
    scheduled_income = sum((e.amount for e in entries if e.kind == "income"), ZERO)
    tail: list[str | tuple[str, str]] = []
    if more > 0:
        tail.append(f"and {more} more · ")
    if category_id is None:
        projected = flows.spending + scheduled_spend
        tail += [f"Projected for {period.label}: spending ", (money(projected), "bold")]
        if scheduled_income or flows.income:
            net = flows.income + scheduled_income - projected
            tail += [" · net ", (money(net), "bold")]
    else:
        tail += ["Scheduled: ", (money(scheduled_spend + scheduled_income), "bold")]
    lines.append(Content.assemble(*tail))
    return Content("\n").join(lines)
