"""Category actions. Each public function is one user action in one transaction."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget_tui.clock import today
from budget_tui.controller import ledger, validate
from budget_tui.controller._tx import action, read_action
from budget_tui.controller.periods import Period
from budget_tui.controller.queries import spend_by_category
from budget_tui.controller.views import (
    CategoryOverview,
    CategoryUsage,
    CategoryView,
    DeleteResult,
)
from budget_tui.db.models import Category, Expense, MonthlyTotal, Schedule
from budget_tui.db.money import from_cents
from budget_tui.errors import Conflict, InvalidInput, NotFound


def _view(category: Category, cents: int = 0, count: int = 0) -> CategoryView:
    return CategoryView(
        id=category.id,
        name=category.name,
        monthly_budget=category.monthly_budget,
        version=category.version,
        spent=from_cents(cents),
        count=count,
        kind=category.kind,
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


def _check_version(category: Category, version: int | None) -> None:
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
        raise Conflict(f"A category named {existing!r} already exists.")


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
) -> CategoryView:
    """Add a category, a spending one or (``kind="income"``) an income one. Raises InvalidInput
    (name, budget, kind) or Conflict (the name is taken, in any case)."""
    clean = validate.category_name(name)
    clean_kind = validate.kind(kind)
    budget = validate.budget(monthly_budget)
    if clean_kind == "income" and budget is not None:
        raise InvalidInput("monthly_budget", "An income category has no budget.")
    _ensure_unique(session, clean)
    return _view(ledger.add_category(session, clean, budget, kind=clean_kind))


@action
def rename_category(
    session: Session, category_id: int, name: str, *, version: int | None = None
) -> CategoryView:
    """Rename a category. Raises InvalidInput, NotFound, Conflict (name taken, changed elsewhere)."""
    clean = validate.category_name(name)
    category = load(session, category_id)
    _check_version(category, version)
    _ensure_unique(session, clean, except_id=category.id)
    ledger.edit_category(session, category, name=clean)
    return _view(category)


@action
def set_budget(
    session: Session,
    category_id: int,
    monthly_budget: Decimal | str | None,
    *,
    version: int | None = None,
) -> CategoryView:
    """Set the monthly budget, or clear it with None / empty text."""
    budget = validate.budget(monthly_budget)
    category = load(session, category_id)
    _check_version(category, version)
    if category.kind == "income" and budget is not None:
        raise InvalidInput("monthly_budget", "An income category has no budget.")
    ledger.edit_category(session, category, monthly_budget=budget)
    return _view(category)


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
    _check_version(category, version)
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
    category = load(session, ref)
    spend = spend_by_category(session, Period.month(today())).get(category.id, (0, 0))
    return _view(category, *spend)


@read_action
def list_categories(session: Session, period: Period | None = None) -> tuple[CategoryView, ...]:
    """All categories by name, each with its spend in ``period`` (default: this month)."""
    return category_list(session, spend_by_category(session, period or Period.month(today())))


def category_list(session: Session, spend: dict[int, tuple[int, int]]) -> tuple[CategoryView, ...]:
    """All categories by name, each with its figures from ``spend`` (see spend_by_category)."""
    categories = session.scalars(select(Category).order_by(Category.name_key)).all()
    return tuple(_view(c, *spend.get(c.id, (0, 0))) for c in categories)


@read_action
def category_overview(session: Session, period: Period) -> CategoryOverview:
    """Every category with its spend and budget in ``period``: one snapshot for one screen."""
    return CategoryOverview(period, category_list(session, spend_by_category(session, period)))


@read_action
def category_usage(session: Session, category_id: int) -> CategoryUsage:
    """How many expenses (in any month) use a category, read from the monthly roll-up.

    Raises NotFound when the category was deleted elsewhere."""
    category = load(session, category_id)
    count = session.scalar(
        select(func.coalesce(func.sum(MonthlyTotal.count), 0)).where(
            MonthlyTotal.category_id == category.id
        )
    )
    return CategoryUsage(category.id, category.name, int(count or 0))
