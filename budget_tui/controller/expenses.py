"""Expense actions: save, edit, move and delete one expense, and read one back. Each public
function is one transaction.

The list of expenses, its totals and search are :mod:`budget_tui.controller.expense_list`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from budget_tui.controller import ledger, validate
from budget_tui.controller._tx import action, read_action
from budget_tui.controller.categories import load as load_category
from budget_tui.controller.queries import expense_view
from budget_tui.controller.views import DeleteResult, ExpenseView
from budget_tui.db.models import Category, Expense
from budget_tui.errors import Conflict, InvalidInput, NotFound


def new_uid() -> str:
    """A uid for an expense about to be saved; keep it across retries of the same save."""
    return str(uuid.uuid4())


def _clean_uid(uid: str | None) -> str:
    if uid is None:
        return new_uid()
    try:
        return str(uuid.UUID(str(uid)))
    except ValueError:
        raise InvalidInput("uid", "The entry id is not a valid UUID.") from None


def _load(session: Session, expense_id: int) -> Expense:
    expense = session.get(Expense, expense_id)
    if expense is None:
        raise NotFound("That expense no longer exists; it may have been deleted elsewhere.")
    return expense


def _check_version(session: Session, expense: Expense, version: int | None) -> None:
    if version is not None and expense.version != version:
        category = session.get(Category, expense.category_id)
        raise Conflict(
            f"This expense was changed elsewhere since you opened it (now: {expense.description!r}, "
            f"{expense.amount}, {expense.occurred_on.isoformat()}, in "
            f"{category.name if category else 'another category'!r}); nothing was saved.",
            hint="Reload and make your change again.",
        )


def _view(session: Session, expense: Expense, *, replayed: bool = False) -> ExpenseView:
    name = session.get(Category, expense.category_id).name  # type: ignore[union-attr]
    return expense_view(expense, name, replayed=replayed)


@action
def create_expense(
    session: Session,
    *,
    description: str,
    amount: Decimal | str,
    occurred_on: dt.date | str,
    category: int | str,
    uid: str | None = None,
) -> ExpenseView:
    """Save a new expense. ``category`` is an id or a name.

    With a ``uid`` from an earlier attempt the save is idempotent: if that attempt was committed
    (its reply lost), the same row comes back with ``replayed=True`` instead of a second row.
    Raises InvalidInput (description, amount, date, category), NotFound (category), Conflict.
    """
    clean_description = validate.description(description)
    clean_amount = validate.entry_amount(amount)
    day = validate.date(occurred_on)
    clean_uid = _clean_uid(uid)
    target = load_category(session, category)

    def replay() -> ExpenseView | None:
        existing = session.scalars(select(Expense).where(Expense.uid == clean_uid)).one_or_none()
        if existing is None:
            return None
        same = (
            existing.description == clean_description
            and existing.amount == clean_amount
            and existing.occurred_on == day
            and existing.category_id == target.id
        )
        if not same:
            raise Conflict("An entry with this id was already saved with other values.")
        return _view(session, existing, replayed=True)

    if (earlier := replay()) is not None:
        return earlier
    expense = Expense(
        uid=clean_uid,
        description=clean_description,
        amount=clean_amount,
        occurred_on=day,
        category_id=target.id,
    )
    try:
        with session.begin_nested():
            ledger.add_expense(session, expense, target)
    except IntegrityError:
        # An earlier attempt with this uid was still in flight and committed while this one
        # waited on its row: that is the save, found rather than doubled.
        if (earlier := replay()) is not None:
            return earlier
        raise
    return expense_view(expense, target.name)


def _change(
    session: Session,
    expense: Expense,
    *,
    description: str | None = None,
    amount: Decimal | str | None = None,
    occurred_on: dt.date | str | None = None,
    category: int | str | None = None,
) -> None:
    # Every value is checked (and the category looked up) before the row is touched: the
    # lookup's autoflush would otherwise write the row twice for one edit.
    ledger.edit_expense(
        session,
        expense,
        description=None if description is None else validate.description(description),
        amount=None if amount is None else validate.entry_amount(amount),
        occurred_on=None if occurred_on is None else validate.date(occurred_on),
        category=None if category is None else load_category(session, category),
    )


@action
def update_expense(
    session: Session,
    expense_id: int,
    *,
    version: int | None = None,
    description: str | None = None,
    amount: Decimal | str | None = None,
    occurred_on: dt.date | str | None = None,
    category: int | str | None = None,
) -> ExpenseView:
    """Change any of an expense's fields (None leaves a field as it is).

    ``version`` is the version the editor loaded: if the row changed since, raises Conflict.
    """
    expense = _load(session, expense_id)
    _check_version(session, expense, version)
    _change(
        session,
        expense,
        description=description,
        amount=amount,
        occurred_on=occurred_on,
        category=category,
    )
    return _view(session, expense)


@action
def move_expense(
    session: Session, expense_id: int, category: int | str, *, version: int | None = None
) -> ExpenseView:
    """Move an expense to another category (by id or name)."""
    expense = _load(session, expense_id)
    _check_version(session, expense, version)
    _change(session, expense, category=category)
    return _view(session, expense)


@action
def delete_expense(
    session: Session, expense_id: int, *, version: int | None = None
) -> DeleteResult:
    """Delete an expense. Raises NotFound, or Conflict if it changed since ``version``."""
    expense = _load(session, expense_id)
    _check_version(session, expense, version)
    ledger.delete_expense(session, expense)
    return DeleteResult(deleted_id=expense_id)


@read_action
def get_expense(session: Session, expense_id: int) -> ExpenseView:
    return _view(session, _load(session, expense_id))
