"""What the controller hands out: frozen dataclasses, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from budget_tui.controller.periods import Period

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    monthly_budget: Decimal | None
    version: int
    spent: Decimal = ZERO  # in the period the list was asked for
    count: int = 0

    @property
    def remaining(self) -> Decimal | None:
        return None if self.monthly_budget is None else self.monthly_budget - self.spent

    @property
    def used(self) -> float | None:
        """Share of the budget spent (1.0 = all of it); None without a budget."""
        if not self.monthly_budget:
            return None
        return float(self.spent / self.monthly_budget)


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
    total: Decimal
    count: int
    rows: tuple[CategorySpend, ...]


@dataclass(frozen=True)
class MonthSpend:
    month: dt.date  # first day
    total: Decimal
    count: int


@dataclass(frozen=True)
class BudgetLine:
    category_id: int
    name: str
    budget: Decimal | None
    spent: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.spent

    @property
    def used(self) -> float | None:
        return None if not self.budget else float(self.spent / self.budget)


@dataclass(frozen=True)
class BudgetReport:
    month: Period
    lines: tuple[BudgetLine, ...]
    total_budget: Decimal
    total_spent: Decimal  # in budgeted and unbudgeted categories alike


@dataclass(frozen=True)
class Summary:
    period: Period
    total: Decimal
    count: int
    daily_average: Decimal
    by_category: tuple[CategorySpend, ...]
    largest: tuple[ExpenseView, ...] = field(default=())


@dataclass(frozen=True)
class ExpenseListing:
    """Everything the expense list shows, read in one transaction (one consistent snapshot)."""

    page: ExpensePage  # the rows window and its cursors
    totals: Totals  # of everything the filter selects, not only the window
    categories: tuple[CategoryView, ...]  # all of them, with their spend in the filter's period
    anchor_id: int | None  # the row asked to stay selected, when the filter still shows it


@dataclass(frozen=True)
class CategoryOverview:
    """Every category with its spend in ``period``, read in one transaction."""

    period: Period
    categories: tuple[CategoryView, ...]

    @property
    def spent(self) -> Decimal:
        return sum((c.spent for c in self.categories), ZERO)

    @property
    def budgeted(self) -> tuple[CategoryView, ...]:
        return tuple(c for c in self.categories if c.monthly_budget is not None)

    @property
    def budget(self) -> Decimal:
        return sum((c.monthly_budget or ZERO for c in self.budgeted), ZERO)

    @property
    def over_budget(self) -> int:
        return sum(1 for c in self.budgeted if (c.used or 0) > 1)


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
