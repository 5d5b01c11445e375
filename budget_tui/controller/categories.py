"""Category actions. Each public function is one user action in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget_tui.clock import today
from budget_tui.controller import budgets, ledger, validate
from budget_tui.controller._tx import action, read_action
from budget_tui.controller.periods import Period
from budget_tui.controller.queries import spend_by_category
from budget_tui.controller.views import (
    BudgetChange,
    BudgetStatus,
    CategoryOverview,
    CategoryUsage,
    CategoryView,
    DeleteResult,
    MonthBudget,
)
from budget_tui.db.models import Category, Expense, MonthlyTotal, Schedule
from budget_tui.db.money import from_cents, to_cents
from budget_tui.errors import Conflict, InvalidInput, NotFound


def _view(
    category: Category, cents: int = 0, count: int = 0, budget: MonthBudget | None = None
) -> CategoryView:
    return CategoryView(
        id=category.id,
        name=category.name,
        monthly_budget=None if budget is None else from_cents(budget.amount),
        version=category.version,
        spent=from_cents(cents),
        count=count,
        kind=category.kind,
        carried=from_cents(budget.carried) if budget is not None else from_cents(0),
        rollover=budget.rollover if budget is not None else False,
    )


def load(session: Session, ref: int | str, field: str = "category") -> Category:
    """The category with this id, or this name (any case). Raises NotFound / InvalidInput."""
    if isinstance(ref, bool):
        raise InvalidInput(field, "Choose a category.")
    if isinstance(ref, int):
        category = session.get(Category, ref)
        if category is None:
            raise NotFound("That category no longer exists.")
        return category
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput(field, "Choose a category.")
    name = validate.clean_text(ref, field, max_length=200, what="The category")
    # name_key() cuts at the column's width, so a longer name would find whichever category
    # shares its first 50 characters; no category has a name that long.
    category = None
    if len(name) <= validate.NAME_MAX:
        key = validate.name_key(name)
        category = session.scalars(select(Category).where(Category.name_key == key)).one_or_none()
    if category is None:
        raise NotFound(f"There is no category named {ref.strip()!r}.")
    return category


def check_version(category: Category, version: int | None) -> None:
    """Raise Conflict when the category is no longer at ``version`` (changed elsewhere)."""
    if version is not None and category.version != version:
        raise Conflict(
            f"The category {category.name!r} was changed elsewhere since you opened it; "
            "nothing was saved.",
            hint="Reload and make your change again.",
        )


def _ensure_unique(session: Session, name: str, *, except_id: int | None = None) -> None:
    stmt = select(Category.name).where(Category.name_key == validate.name_key(name))
    if except_id is not None:
        stmt = stmt.where(Category.id != except_id)
    existing = session.scalars(stmt).first()
    if existing is not None:
        raise Conflict(validate.name_taken(existing))


def ensure_unique(session: Session, name: str) -> None:
    """Raise Conflict when a category of this name (in any case) exists."""
    _ensure_unique(session, name)


@action
def create_category(
    session: Session,
    name: str,
    monthly_budget: Decimal | str | None = None,
    *,
    kind: str = "spending",
    rollover: bool = False,
    month: dt.date | str | None = None,
) -> CategoryView:
    """Add a category, a spending one or (``kind="income"``) an income one, with an optional
    budget from ``month`` (default: this month) on, rolling over or not. Raises InvalidInput
    (name, budget, kind, month) or Conflict (the name is taken, in any case)."""
    clean = validate.category_name(name)
    clean_kind = validate.kind(kind)
    budget = validate.budget(monthly_budget)
    first = budgets.month_of(month)
    if clean_kind == "income" and budget is not None:
        raise InvalidInput("monthly_budget", "An income category has no budget.")
    if rollover and budget is None:
        raise InvalidInput("rollover", "Only a budget can roll over: give it an amount.")
    _ensure_unique(session, clean)
    made = ledger.add_category(
        session,
        clean,
        None if budget is None else (first, to_cents(budget), rollover),
        kind=clean_kind,
    )
    return _view(made, budget=budgets.month_budgets(session, first, [made.id]).get(made.id))


@action
def rename_category(
    session: Session, category_id: int, name: str, *, version: int | None = None
) -> CategoryView:
    """Rename a category; the name it has already changes nothing and records nothing (a change
    with nothing in it would show in History, and undo would take back nothing). Raises
    InvalidInput, NotFound, Conflict (name taken, changed elsewhere)."""
    clean = validate.category_name(name)
    category = load(session, category_id)
    check_version(category, version)
    if category.name == clean:
        return _current(session, category)
    _ensure_unique(session, clean, except_id=category.id)
    ledger.edit_category(session, category, name=clean)
    return _current(session, category)


@action
def set_kind(
    session: Session, category_id: int | str, kind: str, *, version: int | None = None
) -> CategoryView:
    """Make a category a spending or an income one. Only while it has no entries: its entries
    would change from spend to income (or back) in every month. An income category has no
    budget, so its budgets go (undo brings them back). Raises InvalidInput, NotFound,
    Conflict (it has entries; changed elsewhere)."""
    clean = validate.kind(kind)
    category = load(session, category_id)
    check_version(category, version)
    if category.kind == clean:
        return _current(session, category)
    used = _usage(session, category.id)
    if used:
        raise Conflict(
            f"{category.name!r} has {used:,} entr{'ies' if used != 1 else 'y'}, so it stays a "
            f"{category.kind} category; nothing was changed.",
            hint=f"Make a new {clean} category and move the entries there (m on Expenses).",
        )
    ledger.edit_category(session, category, kind=clean)
    return _current(session, category)


def _current(session: Session, category: Category) -> CategoryView:
    """The category as this month's lists show it."""
    period = Period.month(today())
    return category_list(
        session, spend_by_category(session, period), period.start, only=category.id
    )[0]


def _usage(session: Session, category_id: int) -> int:
    count = session.scalar(
        select(func.coalesce(func.sum(MonthlyTotal.count), 0)).where(
            MonthlyTotal.category_id == category_id
        )
    )
    return int(count or 0)


@action
def set_budget(
    session: Session,
    category_id: int | str,
    monthly_budget: Decimal | str | None,
    *,
    month: dt.date | str | None = None,
    rollover: bool | None = None,
    only_month: bool = False,
    version: int | None = None,
) -> CategoryView:
    """Set a spending category's budget from ``month`` (default: this month) on; None, empty
    text or 0 clears it. Earlier months keep theirs; later changes give way to it, unless
    ``only_month``, which sets that one month and leaves the following ones as they were.
    ``rollover`` True/False turns carrying over on or off from that month (None keeps it).

    Returns the category as it stands in that month. Raises InvalidInput (budget, month, an
    income category, rollover without a budget), NotFound, Conflict (changed elsewhere)."""
    budget = validate.budget(monthly_budget)
    first = budgets.month_of(month)
    category = load(session, category_id)
    check_version(category, version)
    if category.kind == "income" and budget is not None:
        raise InvalidInput("monthly_budget", "An income category has no budget.")
    if rollover and budget is None:
        raise InvalidInput("rollover", "Only a budget can roll over: give it an amount.")
    ledger.set_budget(
        session,
        category,
        first,
        None if budget is None else to_cents(budget),
        rollover,
        only_month=only_month,
    )
    return category_list(
        session, spend_by_category(session, Period.month(first)), first, only=category.id
    )[0]


@read_action
def budget_status(session: Session, month: dt.date | str | None = None) -> BudgetStatus:
    """A month's budget (default: this month): every category with its budget, carried amount,
    spend and what is available, and the month's income, spending and net; one snapshot."""
    first = budgets.month_of(month)
    period = Period.month(first)
    listed = category_list(session, spend_by_category(session, period), first)
    return BudgetStatus(period, listed, in_progress=period.start <= today() < period.end)


@read_action
def budget_history(session: Session, category_id: int | str) -> tuple[BudgetChange, ...]:
    """When a category's budget changed, and to what (with rollover or not), oldest first."""
    return budgets.history_of(session, load(session, category_id).id)


@action
def delete_category(
    session: Session,
    category_id: int,
    *,
    move_to: int | None = None,
    version: int | None = None,
) -> DeleteResult:
    """Delete a category. If expenses use it, ``move_to`` must name the category that takes them
    (moved and deleted in one transaction); otherwise raises Conflict and changes nothing."""
    category = load(session, category_id)
    check_version(category, version)
    scheduled = (
        session.scalar(
            select(func.count()).select_from(Schedule).where(Schedule.category_id == category.id)
        )
        or 0
    )
    if scheduled:
        raise Conflict(
            f"{category.name!r} has {scheduled} schedule{'s' if scheduled != 1 else ''}; "
            "move them to another category or delete them first (Schedules, 5)."
        )
    in_use = (
        session.scalar(
            select(func.count()).select_from(Expense).where(Expense.category_id == category.id)
        )
        or 0
    )
    target = None
    if in_use:
        if move_to is None:
            raise Conflict(
                f"{category.name!r} has {in_use} expense{'s' if in_use != 1 else ''}; "
                "choose a category to move them to before deleting it."
            )
        target = load(session, move_to, "move_to")
        # Compared after the lookup: move_to may name the same category ("food" for Food).
        if target.id == category.id:
            raise InvalidInput("move_to", "Choose a different category to move the expenses to.")
    moved = ledger.delete_category(session, category, target)
    return DeleteResult(deleted_id=category_id, moved=moved)


@read_action
def get_category(session: Session, ref: int | str) -> CategoryView:
    """One category by id or name (spend is this month's)."""
    return _current(session, load(session, ref))


@read_action
def list_categories(session: Session, period: Period | None = None) -> tuple[CategoryView, ...]:
    """All categories by name, each with its spend in ``period`` (default: this month) and the
    budget of the period's month (see budgets.budget_month)."""
    period = period or Period.month(today())
    return category_list(session, spend_by_category(session, period), budgets.budget_month(period))


def category_list(
    session: Session,
    spend: dict[int, tuple[int, int]],
    month: dt.date,
    *,
    only: int | None = None,
) -> tuple[CategoryView, ...]:
    """All categories by name (or the one ``only`` names), each with its figures from ``spend``
    (see spend_by_category) and its budget in ``month``."""
    stmt = select(Category).order_by(Category.name_key)
    if only is not None:
        stmt = stmt.where(Category.id == only)
    categories = session.scalars(stmt).all()
    month_budgets = budgets.month_budgets(session, month, None if only is None else [only])
    return tuple(
        _view(c, *spend.get(c.id, (0, 0)), budget=month_budgets.get(c.id)) for c in categories
    )


@read_action
def category_overview(session: Session, period: Period) -> CategoryOverview:
    """Every category with its spend, budget (carried, available) and what its schedules still
    add in ``period``: one snapshot for one screen."""
    from budget_tui.controller.schedules import upcoming_cents_by_category

    month = budgets.budget_month(period)
    listed = category_list(session, spend_by_category(session, period), month)
    upcoming = upcoming_cents_by_category(session, period)
    if upcoming:
        listed = tuple(replace(c, upcoming=upcoming.get(c.id, c.upcoming)) for c in listed)
    return CategoryOverview(period, listed)


@read_action
def category_usage(session: Session, category_id: int) -> CategoryUsage:
    """How many expenses (in any month) use a category, read from the monthly roll-up.

    Raises NotFound when the category was deleted elsewhere."""
    category = load(session, category_id)
    return CategoryUsage(category.id, category.name, _usage(session, category.id))
