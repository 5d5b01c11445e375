"""Expenses, categories and their budgets by month: added, edited, moved, deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from budget_tui.controller import validate
from budget_tui.controller.ledger._core import (
    Row,
    _budget_row,
    _Record,
    _record,
    _row_of,
    _simple_row,
    budget_key,
    budgets_t,
    category_row,
    describe_expense,
    expense_row,
    money_text,
    rules_t,
)
from budget_tui.controller.periods import add_months
from budget_tui.controller.queries import bump, expenses_t, merge_deltas, totals_t
from budget_tui.db.models import (
    Budget,
    Category,
    Expense,
)
from budget_tui.db.money import from_cents, to_cents

# -- expenses ------------------------------------------------------------------------------------


def add_expense(session: Session, expense: Expense, category: Category) -> None:
    """Insert ``expense`` (in ``category``), bump the roll-up and record the change.

    Raises IntegrityError when its uid is taken (the caller's save replays then)."""
    session.add(expense)
    session.flush()
    bump(session, {(category.id, expense.occurred_on): (to_cents(expense.amount), 1)})
    row = expense_row(expense)
    record = _Record("expense.add")
    record.expense(expense.uid, None, row)
    _record(session, record, f"add {describe_expense(row)} in {category.name!r}")


def edit_expense(
    session: Session,
    expense: Expense,
    *,
    description: str | None = None,
    amount: Decimal | None = None,
    occurred_on: dt.date | None = None,
    category: Category | None = None,
) -> None:
    """Change the given fields of ``expense`` (None keeps one), keep the roll-up, record it.

    The row is written with its version checked (another terminal's change since gives a
    Conflict at the flush)."""
    before = expense_row(expense)
    if description is not None:
        expense.description = description
    if amount is not None:
        expense.amount = amount
    if occurred_on is not None:
        expense.occurred_on = occurred_on
    if category is not None:
        expense.category_id = category.id
    session.flush()
    after = expense_row(expense)
    deltas: dict = {}
    merge_deltas(
        deltas,
        [
            (
                before["category_id"],
                dt.date.fromisoformat(before["occurred_on"]),
                -before["amount"],
                -1,
            ),
            (after["category_id"], expense.occurred_on, after["amount"], 1),
        ],
    )
    bump(session, deltas)
    moved_only = category is not None and all(
        before[k] == after[k] for k in ("description", "amount", "occurred_on")
    )
    record = _Record("expense.move" if moved_only else "expense.edit")
    record.expense(expense.uid, before, after)
    if moved_only:
        assert category is not None
        summary = f"move {describe_expense(before)} to {category.name!r}"
    else:
        summary = f"edit {describe_expense(before)}" + (
            f" -> {describe_expense(after)}" if _shown_differs(before, after) else ""
        )
    _record(session, record, summary)


def _shown_differs(before: Row, after: Row) -> bool:
    return any(before[k] != after[k] for k in ("description", "amount", "occurred_on"))


def delete_expense(session: Session, expense: Expense) -> None:
    """Delete ``expense``, keep the roll-up and record the row as it was."""
    row = expense_row(expense)
    bump(session, {(expense.category_id, expense.occurred_on): (-row["amount"], -1)})
    session.delete(expense)
    session.flush()
    record = _Record("expense.delete")
    record.expense(row["uid"], row, None)
    _record(session, record, f"delete {describe_expense(row)}")


# -- categories ----------------------------------------------------------------------------------


def _insert_category(session: Session, name: str, kind: str = "spending") -> Category:
    category = Category(name=name, name_key=validate.name_key(name), kind=kind)
    session.add(category)
    session.flush()
    return category


BudgetFrom = tuple[dt.date, int, bool]  # from this month on: cents, rollover


def add_category(
    session: Session, name: str, budget: BudgetFrom | None = None, *, kind: str = "spending"
) -> Category:
    """Insert a category (``name`` already checked for uniqueness), with its budget from a
    month on if given, and record it."""
    category = _insert_category(session, name, kind)
    record = _Record("category.add")
    record.category(category.id, None, category_row(category))
    text = ""
    if budget is not None:
        month, amount, rollover = budget
        _write_budget(session, record, category.id, month, amount, rollover, None)
        text = f" (budget {money_text(amount)} from {month:%Y-%m}{', rolling over' if rollover else ''})"
    what = "income category" if kind == "income" else "category"
    _record(session, record, f"add {what} {name!r}{text}")
    return category


def edit_category(
    session: Session, category: Category, *, name: str | None = None, kind: str | None = None
) -> None:
    """Rename a category or change its kind, and record it. A category that becomes an income
    one loses its budgets (in the same change, so an undo brings them back)."""
    before = category_row(category)
    record = _Record("category.edit")
    if name is not None:
        category.name = name
        category.name_key = validate.name_key(name)
    if kind is not None:
        category.kind = kind
        if kind == "income":
            for row in _budget_rows(session, category.id).values():
                _delete_budget(session, record, row)
    session.flush()
    after = category_row(category)
    record.category(category.id, before, after)
    if before["name"] != after["name"]:
        summary = f"rename category {before['name']!r} to {after['name']!r}"
    else:
        summary = f"make {after['name']!r} an {after['kind']} category".replace(
            "an spending", "a spending"
        )
    _record(session, record, summary)


# -- budgets -------------------------------------------------------------------------------------


def _budget_rows(session: Session, category_id: int, *where: Any) -> dict[str, Row]:
    b = Budget
    rows = session.execute(
        select(b.category_id, b.month, b.amount, b.rollover).where(
            b.category_id == category_id, *where
        )
    ).all()
    return {budget_key(cat, m): _budget_row(cat, m, amount, r) for cat, m, amount, r in rows}


def _write_budget(
    session: Session,
    record: _Record,
    category_id: int,
    month: dt.date,
    amount: int | None,
    rollover: bool,
    before: Row | None,
) -> None:
    """Put the budget row of (category, month) to ``amount``/``rollover`` (insert or update)."""
    c = budgets_t.c
    values = {"amount": None if amount is None else from_cents(amount), "rollover": rollover}
    if before is None:
        session.execute(insert(budgets_t).values(category_id=category_id, month=month, **values))
    else:
        session.execute(
            update(budgets_t).where(c.category_id == category_id, c.month == month).values(values)
        )
    record.budget(
        budget_key(category_id, month), before, _budget_row(category_id, month, amount, rollover)
    )


def _delete_budget(session: Session, record: _Record, row: Row) -> None:
    c = budgets_t.c
    month = dt.date.fromisoformat(row["month"])
    session.execute(delete(budgets_t).where(c.category_id == row["category_id"], c.month == month))
    record.budget(budget_key(row["category_id"], month), row, None)


def set_budget(
    session: Session,
    category: Category,
    month: dt.date,
    amount: int | None,
    rollover: bool | None,
    *,
    only_month: bool = False,
) -> None:
    """Set ``category``'s budget (cents; None: no budget) from ``month`` on and record it.

    Rows after ``month`` give way (the new budget holds for every later month), unless
    ``only_month``: then the budget in effect in the next month is kept there by a row of its own.
    ``rollover`` None keeps the one in effect. A row equal to the budget already in effect is
    not written (a budget history shows changes only)."""
    rows = _budget_rows(session, category.id)
    ordered = sorted(rows.values(), key=lambda r: r["month"])
    key_month = month.isoformat()

    def in_effect(day: str) -> Row | None:
        found = None
        for row in ordered:
            if row["month"] > day:
                break
            found = row
        return found

    current = in_effect(key_month)
    earlier = next((r for r in reversed(ordered) if r["month"] < key_month), None)
    carry = bool(current and current["rollover"]) if rollover is None else rollover
    carry = carry and amount is not None
    record = _Record("budget.set")
    unchanged = (current["amount"], current["rollover"]) if current else (None, False)
    if only_month and unchanged == (amount, carry):
        return  # that month already has this budget: nothing changes
    if only_month:
        following = add_months(month, 1)
        nxt = in_effect(following.isoformat())
        if budget_key(category.id, following) not in rows and nxt is not None:
            _write_budget(
                session, record, category.id, following, nxt["amount"], nxt["rollover"], None
            )
        elif budget_key(category.id, following) not in rows and amount is not None:
            _write_budget(session, record, category.id, following, None, False, None)
    else:
        for row in ordered:
            if row["month"] > key_month:
                _delete_budget(session, record, row)
    same_as_earlier = (earlier is None and amount is None) or (
        earlier is not None and earlier["amount"] == amount and earlier["rollover"] == carry
    )
    own = rows.get(budget_key(category.id, month))
    if same_as_earlier:
        if own is not None:
            _delete_budget(session, record, own)
    elif own is None or own["amount"] != amount or own["rollover"] != carry:
        _write_budget(session, record, category.id, month, amount, carry, own)
    if not record.after["budgets"]:
        return  # nothing changes: the budget already was this
    what = "none" if amount is None else money_text(amount)
    span = f"for {month:%Y-%m} only" if only_month else f"from {month:%Y-%m} on"
    extra = ", rolling over" if carry else ""
    _record(session, record, f"set the budget of {category.name!r} to {what} {span}{extra}")


def delete_category(session: Session, category: Category, move_to: Category | None) -> int:
    """Delete a category; its expenses (if any) move to ``move_to`` first, in the same change.
    Returns how many moved. Each moved expense is recorded (before and after)."""
    record = _Record("category.delete")
    moved = 0
    if move_to is not None:
        rows = session.execute(
            select(expenses_t).where(expenses_t.c.category_id == category.id)
        ).mappings()
        befores = [_row_of(r) for r in rows]
        if befores:
            session.execute(
                update(Expense)
                .where(Expense.category_id == category.id)
                .values(category_id=move_to.id, version=Expense.version + 1)
                .execution_options(synchronize_session=False)
            )
            deltas: dict = {}
            for before in befores:
                after = dict(before, category_id=move_to.id, version=before["version"] + 1)
                record.expense(before["uid"], before, after)
                day = dt.date.fromisoformat(before["occurred_on"])
                merge_deltas(
                    deltas,
                    [
                        (category.id, day, -before["amount"], -1),
                        (move_to.id, day, before["amount"], 1),
                    ],
                )
            bump(session, deltas)
            moved = len(befores)
    for row in _budget_rows(session, category.id).values():
        _delete_budget(session, record, row)
    # Its import rules go with it, recorded, so an undo brings them back too.
    gone = session.execute(select(rules_t.c.id).where(rules_t.c.category_id == category.id)).all()
    for found in gone:
        record.simple("rules", found.id, _simple_row(rules_t, found.id, session), None)
        session.execute(delete(rules_t).where(rules_t.c.id == found.id))
    record.category(category.id, category_row(category), None)
    session.execute(delete(totals_t).where(totals_t.c.category_id == category.id))
    session.delete(category)
    session.flush()
    summary = f"delete category {category.name!r}"
    if moved and move_to is not None:
        summary += f" ({moved} expense{'s' if moved != 1 else ''} moved to {move_to.name!r})"
    _record(session, record, summary)
    return moved
