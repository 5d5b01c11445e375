"""Applying a recorded state: the heart of undo and redo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import (
    Date,
    Table,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.orm import Session

from budget_tui.controller.ledger._core import (
    _SIMPLE,
    Row,
    State,
    _budget_row,
    _category_name,
    _empty_state,
    _parse_stamp,
    _refuse,
    _row_of,
    _simple_row,
    _stamp,
    _versioned_update,
    archive_t,
    budgets_t,
    categories_t,
    changes_t,
    describe_expense,
    money_text,
    schedules_t,
)
from budget_tui.controller.ledger.rules import _apply_simple, _check_simple
from budget_tui.controller.ledger.schedules import (
    _check_schedule,
    _current_schedule,
    _schedule_values,
)
from budget_tui.controller.periods import month_start
from budget_tui.controller.queries import bump, cents, expenses_t, merge_deltas, totals_t
from budget_tui.db.models import (
    utcnow,
)
from budget_tui.db.money import from_cents

# -- applying a recorded state: the heart of undo and redo ---------------------------------------


def _current_expense(session: Session, uid: str) -> Row | None:
    found = session.execute(select(expenses_t).where(expenses_t.c.uid == uid)).mappings().first()
    return None if found is None else _row_of(found)


def _current_category(session: Session, cat_id: int) -> Row | None:
    found = (
        session.execute(select(categories_t).where(categories_t.c.id == cat_id)).mappings().first()
    )
    if found is None:
        return None
    return {
        "id": found["id"],
        "name": found["name"],
        "name_key": found["name_key"],
        "version": found["version"],
        "kind": found["kind"],
    }


def _current_budget(session: Session, key: str) -> Row | None:
    cat, month = key.split(":", 1)
    c = budgets_t.c
    found = session.execute(
        select(c.amount, c.rollover).where(
            c.category_id == int(cat), c.month == dt.date.fromisoformat(month)
        )
    ).first()
    return None if found is None else _budget_row(int(cat), month, found[0], found[1])


_EXPENSE_CONTENT = ("description", "amount", "occurred_on", "category_id")


def _check_expense(session: Session, expected: Row | None, current: Row | None) -> None:
    if expected is None:
        if current is not None:
            raise _refuse(
                f"{describe_expense(current)} was added again since, in "
                f"{_category_name(session, current['category_id'])}"
            )
        return
    if current is None:
        raise _refuse(f"{describe_expense(expected)} was deleted since")
    if any(current[k] != expected[k] for k in _EXPENSE_CONTENT):
        raise _refuse(
            f"{describe_expense(expected)} was changed since (now: {describe_expense(current)} in "
            f"{_category_name(session, current['category_id'])})"
        )


def _check_category(expected: Row | None, current: Row | None) -> None:
    if expected is None:
        if current is not None:
            raise _refuse(f"the category {current['name']!r} exists again")
        return
    if current is None:
        raise _refuse(f"the category {expected['name']!r} was deleted since")
    if current["name"] != expected["name"] or current["kind"] != expected.get("kind", "spending"):
        raise _refuse(
            f"the category {expected['name']!r} was changed since (now: {current['name']!r}, "
            f"{current['kind']})"
        )


def _budget_text(row: Row | None) -> str:
    if row is None or row["amount"] is None:
        return "no budget"
    return money_text(row["amount"]) + (" rolling over" if row["rollover"] else "")


def _check_budget(session: Session, key: str, expected: Row | None, current: Row | None) -> None:
    if expected == current:
        return
    cat, month = key.split(":", 1)
    raise _refuse(
        f"the budget of {_category_name(session, int(cat))} from {month[:7]} was changed since "
        f"(now: {_budget_text(current)})"
    )


def _batch_filter(batch: Mapping[str, Any]) -> Any:
    prefix = batch["prefix"]
    return and_(
        expenses_t.c.id >= batch["first_id"],
        expenses_t.c.id <= batch["last_id"],
        func.substr(expenses_t.c.uid, 1, len(prefix)) == prefix,
    )


def _check_batch(session: Session, expected: Mapping[str, Any], change_id: int) -> None:
    """A batch's rows are as the import left them when they are all there and no later change
    that still stands (not undone) touched one of them: the change log names every row a
    change touched by its uid, and the batch's uids share its prefix."""
    if expected["present"]:
        present = session.scalar(
            select(func.count()).select_from(expenses_t).where(_batch_filter(expected))
        )
        c = changes_t.c
        touched = session.execute(
            select(c.id, c.summary)
            .where(
                c.id > change_id,
                c.reverts.is_(None),
                c.undone.is_(False),
                c.before.contains(f'"{expected["prefix"]}'),
            )
            .order_by(c.id.desc())
        ).first()
        if touched is not None:
            raise _refuse(f"its expenses were changed since (#{touched.id}: {touched.summary})")
        if int(present or 0) != expected["rows"]:
            raise _refuse("some of its expenses are no longer there")
    else:
        kept = session.scalar(
            select(func.count()).select_from(archive_t).where(archive_t.c.change_id == change_id)
        )
        if int(kept or 0) != expected["rows"]:
            raise _refuse("its expenses are no longer kept")


def _month_of(column: Any, session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return cast_(func.date_trunc("month", column), Date)
    return func.date(column, "start of month")


def _batch_deltas(session: Session, table: Table, where: Any, sign: int) -> dict:
    c = table.c
    month = _month_of(c.occurred_on, session)
    rows = session.execute(
        select(c.category_id, month, cents(func.sum(c.amount)), func.count())
        .where(where)
        .group_by(c.category_id, month)
    ).all()
    out: dict = {}
    for cat, m, total, n in rows:
        day = m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m)[:10])
        out[(cat, month_start(day))] = (sign * int(cast(int, total)), sign * int(cast(int, n)))
    return out


_EXPENSE_COLUMNS = (
    "id",
    "uid",
    "description",
    "amount",
    "occurred_on",
    "category_id",
    "created_at",
    "updated_at",
    "version",
    "import_key",
)


def _apply_batch(session: Session, target: Mapping[str, Any], change_id: int) -> None:
    """Move a batch's rows out of the book into the archive (``present`` False) or back."""
    if target["present"]:
        where = archive_t.c.change_id == change_id
        bump(session, _batch_deltas(session, archive_t, where, +1))
        copied: list[Any] = [archive_t.c[name] for name in _EXPENSE_COLUMNS]
        session.execute(
            insert(expenses_t).from_select(list(_EXPENSE_COLUMNS), select(*copied).where(where))
        )
        session.execute(delete(archive_t).where(where))
    else:
        where = _batch_filter(target)
        bump(session, _batch_deltas(session, expenses_t, where, -1))
        columns: list[Any] = [literal(change_id).label("change_id")] + [
            expenses_t.c[name] for name in _EXPENSE_COLUMNS
        ]
        session.execute(
            insert(archive_t).from_select(
                ["change_id", *_EXPENSE_COLUMNS], select(*columns).where(where)
            )
        )
        session.execute(delete(expenses_t).where(where))


def _values(row: Row) -> dict[str, Any]:
    return {
        "uid": row["uid"],
        "description": row["description"],
        "amount": from_cents(row["amount"]),
        "occurred_on": dt.date.fromisoformat(row["occurred_on"]),
        "category_id": row["category_id"],
        "import_key": row["import_key"],
    }


def apply_state(
    session: Session, expected: State, target: State, *, batch_change: int | None = None
) -> State:
    """Bring the rows named in ``target`` to it, after checking each is as ``expected`` says.

    Raises Conflict (nothing written) when a row is not as expected. Returns the rows as they
    are afterwards, as the change log keeps them (versions moved on: every write is a new
    version). ``batch_change`` is the id of the import or demo change whose rows a ``batch``
    entry names (the archive keeps them under it).
    """
    exp_rows: dict[str, Row | None] = expected.get("expenses", {})
    cat_rows: dict[str, Row | None] = expected.get("categories", {})
    # 1. Every check first, so a refusal changes nothing.
    current_exp = {uid: _current_expense(session, uid) for uid in target.get("expenses", {})}
    for uid, current in current_exp.items():
        _check_expense(session, exp_rows.get(uid), current)
    current_cat = {
        key: _current_category(session, int(key)) for key in target.get("categories", {})
    }
    for key, current in current_cat.items():
        _check_category(cat_rows.get(key), current)
    bud_rows: dict[str, Row | None] = expected.get("budgets", {})
    current_bud = {key: _current_budget(session, key) for key in target.get("budgets", {})}
    for key, current in current_bud.items():
        _check_budget(session, key, bud_rows.get(key), current)
    sched_rows: dict[str, Row | None] = expected.get("schedules", {})
    current_sched = {
        key: _current_schedule(session, int(key)) for key in target.get("schedules", {})
    }
    for key, current in current_sched.items():
        _check_schedule(sched_rows.get(key), current)
    if "batch" in target:
        assert batch_change is not None
        _check_batch(session, expected["batch"], batch_change)
    for key, (table, _shown) in _SIMPLE.items():
        for row_id in target.get(key, {}):
            current_row = _simple_row(table, int(row_id), session)
            _check_simple(key, expected.get(key, {}).get(row_id), current_row)
    result = _empty_state()
    # 2. Categories that must exist (restored or changed back) before their expenses.
    for key, row in target.get("categories", {}).items():
        current = current_cat[key]
        if row is None:
            continue
        values = {
            "name": row["name"],
            "name_key": row["name_key"],
            # Rows recorded before income categories (0006) were all spending categories.
            # (A "monthly_budget" in rows recorded before budgets by month (0007) is not applied:
            # those budgets now live in ``budgets``, and their old changes undo as renames.)
            "kind": row.get("kind", "spending"),
        }
        if current is None:
            version = row["version"] + 1
            session.execute(insert(categories_t).values(id=int(key), version=version, **values))
        else:
            version = current["version"] + 1
            _versioned_update(session, categories_t, int(key), current["version"], values, version)
        result["categories"][key] = {
            k: v for k, v in dict(row, version=version).items() if k != "monthly_budget"
        }
    # 2b. Budget rows (their categories exist now; a category that goes loses its rows first).
    for key, row in target.get("budgets", {}).items():
        cat, month = key.split(":", 1)
        where = and_(
            budgets_t.c.category_id == int(cat), budgets_t.c.month == dt.date.fromisoformat(month)
        )
        if row is None:
            session.execute(delete(budgets_t).where(where))
        else:
            values = {
                "amount": None if row["amount"] is None else from_cents(row["amount"]),
                "rollover": row["rollover"],
            }
            if current_bud[key] is None:
                session.execute(
                    insert(budgets_t).values(
                        category_id=int(cat), month=dt.date.fromisoformat(month), **values
                    )
                )
            else:
                session.execute(update(budgets_t).where(where).values(values))
        result["budgets"][key] = row
    # 2c. Schedules (after the categories they name, before any category goes).
    for key, row in target.get("schedules", {}).items():
        result.setdefault("schedules", {})[key] = _apply_schedule(
            session, int(key), row, current_sched[key]
        )
    # 3. Expenses, with the roll-up moved by exactly what changed.
    deltas: dict = {}
    now = utcnow()
    for uid, row in target.get("expenses", {}).items():
        current = current_exp[uid]
        if current is not None:
            day = dt.date.fromisoformat(current["occurred_on"])
            merge_deltas(deltas, [(current["category_id"], day, -current["amount"], -1)])
        if row is None:
            assert current is not None
            session.execute(delete(expenses_t).where(expenses_t.c.id == current["id"]))
            result["expenses"][uid] = None
            continue
        merge_deltas(
            deltas,
            [(row["category_id"], dt.date.fromisoformat(row["occurred_on"]), row["amount"], 1)],
        )
        values = _values(row)
        if current is None:
            version = row["version"] + 1
            taken = session.scalar(select(expenses_t.c.id).where(expenses_t.c.id == row["id"]))
            ids = {} if taken is not None else {"id": row["id"]}
            new_id: int = session.execute(
                insert(expenses_t)
                .values(
                    **ids,
                    **values,
                    version=version,
                    created_at=_parse_stamp(row["created_at"]) or now,
                    updated_at=now,
                )
                .returning(expenses_t.c.id)
            ).scalar_one()
            result["expenses"][uid] = dict(row, id=new_id, version=version, updated_at=_stamp(now))
        else:
            version = current["version"] + 1
            _versioned_update(
                session,
                expenses_t,
                current["id"],
                current["version"],
                dict(values, updated_at=now),
                version,
            )
            result["expenses"][uid] = dict(
                row, id=current["id"], version=version, updated_at=_stamp(now)
            )
    # The roll-up now, before a category's rows of it go with the category.
    bump(session, deltas)
    # Rules and profiles, now that the categories they name exist (and before any goes).
    for key in _SIMPLE:
        if key in target:
            result[key] = _apply_simple(session, key, target[key])
    # 4. A batch (import, demo) out of the book or back into it.
    if "batch" in target:
        assert batch_change is not None
        _apply_batch(session, target["batch"], batch_change)
        result["batch"] = target["batch"]
    # 5. Categories that must go, now that no expense of the change is in them.
    for key, row in target.get("categories", {}).items():
        if row is None and current_cat[key] is not None:
            cat_id = int(key)
            session.execute(delete(totals_t).where(totals_t.c.category_id == cat_id))
            session.execute(delete(categories_t).where(categories_t.c.id == cat_id))
            result["categories"][key] = None
    return result


def _apply_schedule(
    session: Session, schedule_id: int, row: Row | None, current: Row | None
) -> Row | None:
    """Bring one schedule to ``row`` (None: delete it). Where posting has got to is kept as it
    is now: what was posted (or undone) since is never posted again."""
    if row is None:
        if current is not None:
            session.execute(delete(schedules_t).where(schedules_t.c.id == schedule_id))
        return None
    through = current["posted_through"] if current is not None else row["posted_through"]
    values = _schedule_values(row, through)
    if current is None:
        version = row["version"] + 1
        session.execute(insert(schedules_t).values(id=schedule_id, version=version, **values))
    else:
        version = current["version"] + 1
        _versioned_update(session, schedules_t, schedule_id, current["version"], values, version)
    return dict(row, posted_through=through, version=version)
