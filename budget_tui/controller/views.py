"""What the controller hands out: frozen dataclasses, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budget_tui.controller.periods import Period

ZERO = Decimal("0.00")
KINDS = ("spending", "income")


@dataclass(frozen=True)
class Flows:
    """A period's money in and out: income (entries in income categories) and spending (entries
    in spending categories, refunds already taken off), both exact to the cent."""

    income: Decimal = ZERO
    spending: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        """What was saved (negative: more went out than came in)."""
        return self.income - self.spending

    @property
    def savings_rate(self) -> Decimal | None:
        """Net as a share of income (0.25 = a quarter saved), four places; None without income."""
        if self.income <= 0:
            return None
        return (self.net / self.income).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class MonthBudget:
    """A spending category's budget in one month, in cents: the budget in effect, what rollover
    carried into the month (negative: an overspend taken off), and whether this month's own
    leftover rolls over into the next."""

    amount: int
    carried: int = 0
    rollover: bool = False


@dataclass(frozen=True)
class BudgetChange:
    """One row of a category's budget history: from ``month`` on, ``amount`` (None: no budget)."""

    month: dt.date
    amount: Decimal | None
    rollover: bool


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    # The budget of the month the category was listed for (None: no budget that month).
    monthly_budget: Decimal | None
    version: int
    spent: Decimal = ZERO  # in the period the list was asked for (received, for income)
    count: int = 0
    kind: str = "spending"  # or "income"
    carried: Decimal = ZERO  # carried into the month by rollover (negative: overspent before)
    rollover: bool = False  # this month's leftover carries into the next
    upcoming: Decimal = ZERO  # still scheduled in the month, not entered yet (category_overview)

    @property
    def is_income(self) -> bool:
        return self.kind == "income"

    @property
    def funds(self) -> Decimal | None:
        """What the month may spend: its budget and what was carried in; None without a budget."""
        return None if self.monthly_budget is None else self.monthly_budget + self.carried

    @property
    def available(self) -> Decimal | None:
        """What is left to spend this month (negative: overspent); None without a budget."""
        funds = self.funds
        return None if funds is None else funds - self.spent

    @property
    def remaining(self) -> Decimal | None:
        return self.available

    @property
    def projected(self) -> Decimal | None:
        """What will be left once this month's scheduled entries are in; None without a budget."""
        available = self.available
        return None if available is None else available - self.upcoming

    @property
    def used(self) -> float | None:
        """Share of the month's funds spent (1.0 = all of it); None without a budget. With
        nothing to spend (an overspend carried in ate the budget), any spend is over."""
        funds = self.funds
        if funds is None or self.monthly_budget == 0:
            return None
        if funds <= 0:
            return 2.0 if self.spent > 0 else 0.0
        return float(self.spent / funds)


@dataclass(frozen=True)
class ExpenseView:
    id: int
    uid: str
    description: str
    amount: Decimal
    occurred_on: dt.date
    category_id: int
    category_name: str
    version: int
    # True when a retried save found its own earlier row (the uid matched) instead of adding one.
    replayed: bool = False


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page ends: the sort value and id of its boundary row."""

    value: object
    id: int


@dataclass(frozen=True)
class ExpenseFilter:
    period: Period | None = None
    category_id: int | None = None
    text: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None


@dataclass(frozen=True)
class ExpensePage:
    items: tuple[ExpenseView, ...]
    # Give ``after=next_cursor`` for the following page, ``before=prev_cursor`` for the one above;
    # None when there is nothing more in that direction.
    next_cursor: Cursor | None
    prev_cursor: Cursor | None


@dataclass(frozen=True)
class Totals:
    total: Decimal
    count: int


@dataclass(frozen=True)
class DeleteResult:
    deleted_id: int
    moved: int = 0  # expenses moved to another category before a category was deleted


@dataclass(frozen=True)
class CategorySpend:
    category_id: int
    name: str
    total: Decimal
    count: int
    share: Decimal  # of the period's total, 0..1, four places


@dataclass(frozen=True)
class SpendReport:
    period: Period
    total: Decimal  # spending (refunds taken off); income categories are not in ``rows``
    count: int
    rows: tuple[CategorySpend, ...]
    income: Decimal = ZERO

    @property
    def flows(self) -> Flows:
        return Flows(self.income, self.total)


@dataclass(frozen=True)
class MonthSpend:
    month: dt.date  # first day
    total: Decimal  # spending
    count: int
    income: Decimal = ZERO


@dataclass(frozen=True)
class BudgetLine:
    category_id: int
    name: str
    budget: Decimal | None  # the month's budget
    spent: Decimal
    carried: Decimal = ZERO  # carried in by rollover

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget + self.carried - self.spent

    @property
    def used(self) -> float | None:
        if not self.budget:
            return None
        funds = self.budget + self.carried
        if funds <= 0:
            return 2.0 if self.spent > 0 else 0.0
        return float(self.spent / funds)


@dataclass(frozen=True)
class BudgetReport:
    month: Period
    lines: tuple[BudgetLine, ...]
    total_budget: Decimal
    total_spent: Decimal  # in budgeted and unbudgeted categories alike


@dataclass(frozen=True)
class Summary:
    period: Period
    total: Decimal  # spending (refunds taken off)
    count: int
    daily_average: Decimal  # of spending, over the days elapsed when the period is in progress
    by_category: tuple[CategorySpend, ...]  # spending categories only
    largest: tuple[ExpenseView, ...] = field(default=())
    income: Decimal = ZERO
    # Days the average is over: the period's days, or up to today when it is in progress.
    days: int = 0
    in_progress: bool = False  # the period holds today: its totals are "so far"
    has_income: bool = False  # the book has an income category (this period's may be zero)

    @property
    def flows(self) -> Flows:
        return Flows(self.income, self.total)


@dataclass(frozen=True)
class ExpenseListing:
    """Everything the expense list shows, read in one transaction (one consistent snapshot)."""

    page: ExpensePage  # the rows window and its cursors
    totals: Totals  # of everything the filter selects, not only the window
    categories: tuple[CategoryView, ...]  # all of them, with their spend in the filter's period
    anchor_id: int | None  # the row asked to stay selected, when the filter still shows it
    flows: Flows = Flows()  # income, spending and net of the filter's period (this month without)
    # The month's scheduled entries not posted yet (only for a one-month filter without text).
    upcoming: tuple[UpcomingEntry, ...] = ()


@dataclass(frozen=True)
class CategoryOverview:
    """Every category with its spend in ``period``, read in one transaction."""

    period: Period
    categories: tuple[CategoryView, ...]

    @property
    def spent(self) -> Decimal:
        """Spending (refunds taken off); income is not spend."""
        return self.flows.spending

    @property
    def flows(self) -> Flows:
        return flows_of(self.categories)

    @property
    def budgeted(self) -> tuple[CategoryView, ...]:
        return tuple(c for c in self.categories if c.monthly_budget is not None and not c.is_income)

    @property
    def budget(self) -> Decimal:
        return sum((c.monthly_budget or ZERO for c in self.budgeted), ZERO)

    @property
    def carried(self) -> Decimal:
        return sum((c.carried for c in self.budgeted), ZERO)

    @property
    def available(self) -> Decimal:
        """Left to spend in the budgeted categories (their funds less their spend)."""
        return sum((c.available or ZERO for c in self.budgeted), ZERO)

    @property
    def over_budget(self) -> int:
        return sum(1 for c in self.budgeted if (c.used or 0) > 1)


@dataclass(frozen=True)
class BudgetStatus:
    """A month's budget: every category (spending and income) with its budget, carried amount,
    spend and what is available; read in one transaction."""

    period: Period
    categories: tuple[CategoryView, ...]
    in_progress: bool = False  # the month holds today: its figures are "so far"

    @property
    def flows(self) -> Flows:
        return flows_of(self.categories)

    @property
    def spending(self) -> tuple[CategoryView, ...]:
        return tuple(c for c in self.categories if not c.is_income)


def flows_of(categories: tuple[CategoryView, ...]) -> Flows:
    """Income and spending of categories listed with their figures for one period."""
    income = sum((c.spent for c in categories if c.is_income), ZERO)
    spending = sum((c.spent for c in categories if not c.is_income), ZERO)
    return Flows(income, spending)


@dataclass(frozen=True)
class CategoryUsage:
    """How many expenses (in any month) a category holds: what deleting it would touch."""

    category_id: int
    name: str
    expenses: int


@dataclass(frozen=True)
class MonthChart:
    """Spend per month, oldest first; the months overlapping ``highlight`` stand out."""

    months: tuple[MonthSpend, ...]
    highlight: Period
    category_id: int | None = None  # None: all categories
    category_name: str | None = None


@dataclass(frozen=True)
class Report:
    """Every panel of a report on ``period``, read in one transaction."""

    period: Period
    summary: Summary
    budget: BudgetReport  # for the month of the period's focus day (see reports.focus_month)
    chart: MonthChart
    forecast: Forecast | None = None  # the next months' scheduled entries (None: no schedules)


@dataclass(frozen=True)
class ImportResult:
    rows: int  # new rows added
    categories_created: tuple[str, ...]
    skipped: int = 0  # rows already in the book (imported before), not added again


@dataclass(frozen=True)
class BookInfo:
    backend: str
    location: str  # redacted URL or file path
    revision: str | None
    categories: int
    expenses: int


@dataclass(frozen=True)
class ChangeView:
    """One change of the book's history: who made it, when, and what it did."""

    id: int
    at: dt.datetime
    source: str  # tui | cli | import | mcp:<client> | schedule
    action: str  # expense.add, expense.edit, expense.move, expense.delete, category.*, import...
    summary: str  # "delete 'Groceries' 45.00 on 2026-11-03"
    group_id: str
    reverts: int | None  # for an undo or redo: the change it undid or redid
    undone: bool  # undone now (a redo makes it False again)


@dataclass(frozen=True)
class UndoResult:
    """An undo or redo that was made: ``change`` is the new record, ``target`` the change it
    undid or redid (as it is now)."""

    change: ChangeView
    target: ChangeView

    @property
    def message(self) -> str:
        """``Undid: delete 'Groceries' 45.00 on 2026-11-03`` (or ``Redid: ...``)."""
        verb = "Undid" if self.change.action == "undo" else "Redid"
        return f"{verb}: {self.target.summary}"


@dataclass(frozen=True)
class HistoryPage:
    """What the History screen shows, from one snapshot: changes newest first, and every source
    there is to filter by."""

    changes: tuple[ChangeView, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ScheduleView:
    """A schedule as the Schedules screen, ``schedule list`` and MCP show it."""

    id: int
    description: str
    amount: Decimal
    category_id: int
    category_name: str
    kind: str  # the category's: spending or income
    unit: str  # day | week | month | year
    interval: int
    day: int | None  # weekday 0-6 (week), day of the month 1-31 or -1 (month), else None
    start_on: dt.date
    end_on: dt.date | None
    count: int | None
    mode: str  # post | remind
    paused: bool
    next_on: dt.date | None  # the next date still to post; None when none is left
    every: str  # "every month on the 31st"
    version: int
    every_short: str = ""  # "monthly, 31st": for a narrow column

    @property
    def remind(self) -> bool:
        return self.mode == "remind"

    @property
    def state(self) -> str:
        """``paused``, ``ended``, ``remind`` or ``auto``: one word for a list."""
        if self.paused:
            return "paused"
        if self.next_on is None:
            return "ended"
        return "remind" if self.remind else "auto"


@dataclass(frozen=True)
class UpcomingEntry:
    """A scheduled entry not posted yet: ``due`` when its date has come (a reminder waiting for
    a person, or an entry the next opening posts), otherwise upcoming."""

    schedule_id: int
    description: str
    amount: Decimal
    category_id: int
    category_name: str
    kind: str
    on: dt.date
    due: bool
    remind: bool


@dataclass(frozen=True)
class Upcoming:
    """What falls due in ``period`` and is not posted yet, oldest first, with its totals."""

    period: Period
    entries: tuple[UpcomingEntry, ...]
    flows: Flows  # scheduled income and spending in the period, not posted yet


@dataclass(frozen=True)
class PostResult:
    """The entries a posting saved (none when nothing was due)."""

    posted: tuple[ExpenseView, ...] = ()


@dataclass(frozen=True)
class ForecastMonth:
    month: Period
    actual: Flows  # entered so far
    scheduled: Flows  # upcoming, not posted yet

    @property
    def projected(self) -> Flows:
        return Flows(
            self.actual.income + self.scheduled.income,
            self.actual.spending + self.scheduled.spending,
        )


@dataclass(frozen=True)
class Forecast:
    """This month and the next ones: what is entered, what is scheduled, and the projection."""

    months: tuple[ForecastMonth, ...]


@dataclass(frozen=True)
class SchedulesPage:
    """What the Schedules screen shows, from one snapshot: every schedule, the entries due and
    not posted yet (reminders), and what is scheduled in the coming ``days``."""

    schedules: tuple[ScheduleView, ...]
    due: tuple[UpcomingEntry, ...]
    coming: Flows
    days: int


@dataclass(frozen=True)
class ProposalView:
    """A change an assistant proposed: who, when, what it would change, and where it stands."""

    id: int
    created_at: dt.datetime
    source: str  # mcp:<client>
    tool: str  # add_expense, set_budget...
    arguments: dict[str, Any]
    summary: str  # as History would word the change
    status: str  # pending | accepted | rejected
    change_id: int | None  # the change it became, once accepted
