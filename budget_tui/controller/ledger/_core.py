"""What every change shares: the tables, who is writing (the source), rows as the change log
keeps them, and writing one change."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Table,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from budget_tui.db.models import (
    ArchivedExpense,
    Budget,
    Category,
    Change,
    Expense,
    ImportProfile,
    Rule,
    Schedule,
    utcnow,
)
from budget_tui.db.money import from_cents, to_cents
from budget_tui.errors import Conflict
from budget_tui.money import plain

changes_t = cast(Table, Change.__table__)
categories_t = cast(Table, Category.__table__)
archive_t = cast(Table, ArchivedExpense.__table__)
budgets_t = cast(Table, Budget.__table__)
schedules_t = cast(Table, Schedule.__table__)
rules_t = cast(Table, Rule.__table__)
profiles_t = cast(Table, ImportProfile.__table__)
# Tables whose rows a change records whole and undo puts back as they were (no roll-up, no
# batch): the state key, the table and the columns a person sees (a change since is refused).
_SIMPLE = {
    "rules": (rules_t, ("position", "match", "pattern", "category_id", "rename")),
    "profiles": (profiles_t, ("name", "name_key", "signature", "settings")),
}

SOURCES = ("tui", "cli", "import", "schedule")
DEFAULT_SOURCE = "cli"
_SOURCE_MAX = 100

# Who is writing, when it is not the book's own source (an MCP tool call names its client).
_acting_as: ContextVar[str | None] = ContextVar("budget_tui_source", default=None)

Row = dict[str, Any]
State = dict[
    str, Any
]  # {"expenses": {uid: Row | None}, "categories": {id: Row | None}, "schedules": {id: ...}, "batch": ...}


def clean_source(source: str) -> str:
    """A source as stored: ``tui``, ``cli``, ``import``, ``schedule`` or ``mcp:<client>``
    (the client's name from the MCP handshake, printable and at most 100 characters)."""
    if source in SOURCES:
        return source
    if source.startswith("mcp"):
        name = "".join(ch for ch in source[3:].lstrip(":") if ch.isprintable()).strip()
        return f"mcp:{name or 'unknown'}"[:_SOURCE_MAX]
    raise ValueError(f"unknown source {source!r}")


@contextlib.contextmanager
def acting_as(source: str) -> Iterator[None]:
    """Record the changes made inside the block (in this thread) as made by ``source``."""
    token = _acting_as.set(clean_source(source))
    try:
        yield
    finally:
        _acting_as.reset(token)


def source_of(session: Session) -> str:
    """Who is writing: :func:`acting_as`'s source, else the book's (``open_book(source=...)``)."""
    return _acting_as.get() or session.info.get("source") or DEFAULT_SOURCE


# -- rows as the change log keeps them -----------------------------------------------------------


def _stamp(value: dt.datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def expense_row(expense: Expense) -> Row:
    return {
        "id": expense.id,
        "uid": expense.uid,
        "description": expense.description,
        "amount": to_cents(expense.amount),
        "occurred_on": expense.occurred_on.isoformat(),
        "category_id": expense.category_id,
        "created_at": _stamp(expense.created_at),
        "updated_at": _stamp(expense.updated_at),
        "version": expense.version,
        "import_key": expense.import_key,
    }


def category_row(category: Category) -> Row:
    return {
        "id": category.id,
        "name": category.name,
        "name_key": category.name_key,
        "version": category.version,
        "kind": category.kind,
    }


def budget_key(category_id: int, month: dt.date | str) -> str:
    """How the change log names a budget row: ``"3:2026-12-01"``."""
    return f"{category_id}:{_iso_date(month)}"


def _budget_row(category_id: int, month: dt.date | str, amount: Any, rollover: bool) -> Row:
    return {
        "category_id": category_id,
        "month": _iso_date(month),
        "amount": None
        if amount is None
        else (amount if isinstance(amount, int) else to_cents(amount)),
        "rollover": bool(rollover),
    }


def _empty_state() -> State:
    return {"expenses": {}, "categories": {}, "budgets": {}}


def money_text(cents: int) -> str:
    return plain(from_cents(cents))


def describe_expense(row: Row) -> str:
    """``'Groceries' 45.00 on 2026-11-03``: how a summary names an expense."""
    return f"{row['description']!r} {money_text(row['amount'])} on {row['occurred_on']}"


@dataclass
class _Record:
    """What one change touched, gathered while it is made, then written as one ``changes`` row."""

    action: str
    before: State = field(default_factory=_empty_state)
    after: State = field(default_factory=_empty_state)

    def expense(self, uid: str, before: Row | None, after: Row | None) -> None:
        self.before["expenses"].setdefault(uid, before)
        self.after["expenses"][uid] = after

    def category(self, cat_id: int, before: Row | None, after: Row | None) -> None:
        self.before["categories"].setdefault(str(cat_id), before)
        self.after["categories"][str(cat_id)] = after

    def budget(self, key: str, before: Row | None, after: Row | None) -> None:
        self.before["budgets"].setdefault(key, before)
        self.after["budgets"][key] = after

    def schedule(self, schedule_id: int, before: Row | None, after: Row | None) -> None:
        self.before.setdefault("schedules", {}).setdefault(str(schedule_id), before)
        self.after.setdefault("schedules", {})[str(schedule_id)] = after

    def simple(self, key: str, row_id: int, before: Row | None, after: Row | None) -> None:
        self.before.setdefault(key, {}).setdefault(str(row_id), before)
        self.after.setdefault(key, {})[str(row_id)] = after


def _dump(state: State) -> str:
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False)


def write_change(
    session: Session,
    action: str,
    summary: str,
    before: State,
    after: State,
    *,
    group_id: str | None = None,
    reverts: int | None = None,
) -> int:
    """Append one row to the change log (one INSERT); returns its id."""
    values = {
        "at": utcnow(),
        "source": source_of(session),
        "group_id": group_id or str(uuid.uuid4()),
        "action": action,
        "summary": summary[:400],
        "before": _dump(before),
        "after": _dump(after),
        "reverts": reverts,
        "undone": False,
    }
    change_id = int(
        session.execute(insert(changes_t).values(values).returning(changes_t.c.id)).scalar_one()
    )
    written = session.info.get("written")
    if written is not None:  # this book's own changes, which its live view need not reload for
        written.append(change_id)
    return change_id


def _record(session: Session, record: _Record, summary: str, **kw: Any) -> int:
    return write_change(session, record.action, summary, record.before, record.after, **kw)


def _row_of(r: Any) -> Row:
    """A row of ``expenses`` read with Core, as the change log keeps it."""
    amount = r["amount"]
    return {
        "id": r["id"],
        "uid": r["uid"],
        "description": r["description"],
        "amount": amount if isinstance(amount, int) else to_cents(amount),
        "occurred_on": _iso_date(r["occurred_on"]),
        "category_id": r["category_id"],
        "created_at": _stamp(r["created_at"]),
        "updated_at": _stamp(r["updated_at"]),
        "version": r["version"],
        "import_key": r["import_key"],
    }


def _iso_date(value: dt.date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _iso_or_none(value: dt.date | str | None) -> str | None:
    return None if value is None else _iso_date(value)


def _simple_row(table: Table, row_id: int, session: Session) -> Row | None:
    found = session.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return None if found is None else dict(found)


def _category_name(session: Session, cat_id: int) -> str:
    name = session.scalar(select(categories_t.c.name).where(categories_t.c.id == cat_id))
    return repr(name) if name else "a deleted category"


def _refuse(what: str) -> Conflict:
    return Conflict(
        f"{what}; nothing was undone or redone.",
        hint="Undo the later change first, or make the change by hand.",
    )


# What a person sees of a row: a change since is a change of one of these. (Versions are not
# compared: a change made and undone in between leaves the row as it was, at a later version.)


def _parse_stamp(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def _versioned_update(
    session: Session, table: Table, row_id: int, version: int, values: dict[str, Any], new: int
) -> None:
    done = cast(
        "CursorResult[Any]",
        session.execute(
            update(table)
            .where(table.c.id == row_id, table.c.version == version)
            .values(version=new, **values)
        ),
    )
    if done.rowcount != 1:
        raise _refuse("a row was changed by someone else at the same moment")


def mark_undone(session: Session, change_id: int, undone: bool) -> None:
    session.execute(update(changes_t).where(changes_t.c.id == change_id).values(undone=undone))
