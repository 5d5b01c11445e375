"""The ledger: the only module that writes the book.

Every change (an expense added, edited, moved or deleted; a category added, renamed, given a
budget or deleted with its expenses moved; an import; a demo fill; an undo or a redo) goes
through a function here. In the same transaction as the change it keeps the monthly roll-up in
step and appends one row to ``changes``: when, the source (``tui``, ``cli``, ``import``,
``mcp:<client>``, ``schedule``), a group id, a one-line summary, and the rows before and after
(JSON). Functions here take the caller's session and never commit; the public actions that use
them (here and in ``expenses``, ``categories``, ``imports``, ``demo``) are one transaction each.

An import or demo fill of up to millions of rows is recorded as one change that names its batch
(the uid prefix its rows share and their id range) instead of every row, so recording it costs
one row. Undoing it moves its rows to ``archived_expenses`` (one INSERT ... SELECT, one DELETE);
a redo moves them back.

Undo applies the recorded ``before`` state as a new change, after checking that every row still
is as the change (or its latest redo) left it: a row changed or deleted since (by another
terminal, say) makes the undo a Conflict that says what the row holds now, and nothing changes.

Undo and redo live in :mod:`budget_tui.controller.history` (the public actions); the machinery
that applies a recorded state is :func:`apply_state` here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
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

from budget_tui.controller import validate
from budget_tui.controller.bulk import BulkWriter, ImportStage
from budget_tui.controller.periods import month_start
from budget_tui.controller.queries import bump, cents, expenses_t, merge_deltas, totals_t
from budget_tui.db.models import (
    ArchivedExpense,
    Category,
    Change,
    Expense,
    ImportProfile,
    Rule,
    utcnow,
)
from budget_tui.db.money import from_cents, to_cents
from budget_tui.errors import Conflict
from budget_tui.money import plain

changes_t = cast(Table, Change.__table__)
categories_t = cast(Table, Category.__table__)
archive_t = cast(Table, ArchivedExpense.__table__)
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
]  # {"expenses": {uid: Row | None}, "categories": {id: Row | None}, "batch": ...}


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
    budget = category.monthly_budget
    return {
        "id": category.id,
        "name": category.name,
        "name_key": category.name_key,
        "monthly_budget": None if budget is None else to_cents(budget),
        "version": category.version,
        "kind": category.kind,
    }


def _empty_state() -> State:
    return {"expenses": {}, "categories": {}}


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


def _insert_category(
    session: Session, name: str, monthly_budget: Decimal | None, kind: str = "spending"
) -> Category:
    category = Category(
        name=name, name_key=validate.name_key(name), monthly_budget=monthly_budget, kind=kind
    )
    session.add(category)
    session.flush()
    return category


def add_category(
    session: Session, name: str, monthly_budget: Decimal | None = None, *, kind: str = "spending"
) -> Category:
    """Insert a category (``name`` already checked for uniqueness) and record it."""
    category = _insert_category(session, name, monthly_budget, kind)
    record = _Record("category.add")
    record.category(category.id, None, category_row(category))
    budget = "" if monthly_budget is None else f" (budget {plain(monthly_budget)})"
    what = "income category" if kind == "income" else "category"
    _record(session, record, f"add {what} {name!r}{budget}")
    return category


_KEEP: Any = object()


def edit_category(
    session: Session, category: Category, *, name: str | None = None, monthly_budget: Any = _KEEP
) -> None:
    """Rename a category and/or set its budget (``None`` clears it), and record it."""
    before = category_row(category)
    if name is not None:
        category.name = name
        category.name_key = validate.name_key(name)
    if monthly_budget is not _KEEP:
        category.monthly_budget = monthly_budget
    session.flush()
    after = category_row(category)
    record = _Record("category.edit")
    record.category(category.id, before, after)
    parts = []
    if before["name"] != after["name"]:
        parts.append(f"rename category {before['name']!r} to {after['name']!r}")
    if before["monthly_budget"] != after["monthly_budget"]:
        budget = after["monthly_budget"]
        parts.append(
            f"set the budget of {after['name']!r} to "
            + ("none" if budget is None else money_text(budget))
        )
    _record(session, record, "; ".join(parts) or f"edit category {after['name']!r}")


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


# -- import rules and profiles -------------------------------------------------------------------


def _simple_row(table: Table, row_id: int, session: Session) -> Row | None:
    found = session.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return None if found is None else dict(found)


def add_rule(
    session: Session,
    *,
    match: str,
    pattern: str,
    category: Category,
    rename: str | None,
    position: int,
) -> int:
    """Insert a rule at ``position`` (rules from there on move down one) and record it; returns
    its id."""
    moved = [
        int(found.id)
        for found in session.execute(
            select(rules_t.c.id).where(rules_t.c.position >= position).order_by(rules_t.c.position)
        )
    ]
    record = _Record("rule.add")
    for rule_id in moved:
        before = _simple_row(rules_t, rule_id, session)
        session.execute(
            update(rules_t).where(rules_t.c.id == rule_id).values(position=rules_t.c.position + 1)
        )
        record.simple("rules", rule_id, before, _simple_row(rules_t, rule_id, session))
    rule_id = int(
        session.execute(
            insert(rules_t)
            .values(
                position=position,
                match=match,
                pattern=pattern,
                category_id=category.id,
                rename=rename,
            )
            .returning(rules_t.c.id)
        ).scalar_one()
    )
    record.simple("rules", rule_id, None, _simple_row(rules_t, rule_id, session))
    words = {"contains": "contains", "starts": "starts with", "regex": "matches"}[match]
    renamed = f" as {rename!r}" if rename else ""
    _record(session, record, f"add rule: {words} {pattern!r} -> {category.name!r}{renamed}")
    return rule_id


def delete_rule(session: Session, rule_id: int, summary: str) -> None:
    """Delete a rule and record it (the rules after it keep their positions: order is kept)."""
    record = _Record("rule.delete")
    record.simple("rules", rule_id, _simple_row(rules_t, rule_id, session), None)
    session.execute(delete(rules_t).where(rules_t.c.id == rule_id))
    _record(session, record, f"delete rule: {summary}")


def save_profile(session: Session, *, name: str, signature: str, settings: str) -> int:
    """Insert or replace (by name, in any case) a CSV profile and record it; returns its id."""
    key = validate.name_key(name)
    found = session.scalar(select(profiles_t.c.id).where(profiles_t.c.name_key == key))
    record = _Record("profile.save")
    values = {"name": name, "name_key": key, "signature": signature, "settings": settings}
    if found is None:
        profile_id = int(
            session.execute(
                insert(profiles_t).values(values).returning(profiles_t.c.id)
            ).scalar_one()
        )
        before = None
    else:
        profile_id = int(found)
        before = _simple_row(profiles_t, profile_id, session)
        session.execute(update(profiles_t).where(profiles_t.c.id == profile_id).values(values))
    record.simple("profiles", profile_id, before, _simple_row(profiles_t, profile_id, session))
    _record(session, record, f"save import profile {name!r}")
    return profile_id


def _check_simple(key: str, expected: Row | None, current: Row | None) -> None:
    what = "rule" if key == "rules" else "import profile"
    if expected is None:
        if current is not None:
            raise _refuse(f"the {what} #{current['id']} exists again")
        return
    if current is None:
        raise _refuse(f"the {what} #{expected['id']} was deleted since")
    if any(current[k] != expected[k] for k in _SIMPLE[key][1]):
        raise _refuse(f"the {what} #{expected['id']} was changed since")


def _apply_simple(session: Session, key: str, rows: Mapping[str, Row | None]) -> dict:
    table = _SIMPLE[key][0]
    done: dict[str, Row | None] = {}
    for row_id, row in rows.items():
        exists = _simple_row(table, int(row_id), session) is not None
        if row is None:
            session.execute(delete(table).where(table.c.id == int(row_id)))
        elif exists:
            values = {k: v for k, v in row.items() if k != "id"}
            session.execute(update(table).where(table.c.id == int(row_id)).values(values))
        else:
            session.execute(insert(table).values(row))
        done[row_id] = row
    return done


# -- bulk changes: an import or a demo fill ------------------------------------------------------


class BulkChange:
    """One import or demo fill as one change: its new categories row by row, its expenses as a
    batch (the uid prefix they share and their id range), so recording costs one row.

    Use :meth:`add_category` for each new category, :meth:`stage` (import) or :meth:`writer`
    (demo) for the rows, then :meth:`finish` once.
    """

    def __init__(self, session: Session, action: str, uid_prefix: str) -> None:
        self.session = session
        self.record = _Record(action)
        self.prefix = uid_prefix
        self.first_id = (session.scalar(select(func.max(expenses_t.c.id))) or 0) + 1
        self.created: dict[int, str] = {}

    def add_category(self, name: str, monthly_budget: Decimal | None = None) -> Category:
        category = _insert_category(self.session, name, monthly_budget)
        self.created[category.id] = name
        return category

    def stage(self) -> ImportStage:
        return ImportStage(self.session)

    def writer(self, columns: tuple[str, ...], expected: int) -> BulkWriter:
        return BulkWriter(self.session, columns, expected=expected)

    def bump(self, deltas: Mapping[tuple[int, dt.date], tuple[int, int]]) -> None:
        bump(self.session, deltas)

    def drop_unused_categories(self) -> None:
        """Delete the categories this change made that no expense uses (every row naming them
        was already in the book)."""
        if not self.created:
            return
        in_use = select(expenses_t.c.id).where(expenses_t.c.category_id == categories_t.c.id)
        unused: list[int] = self.session.scalars(
            delete(categories_t)
            .where(categories_t.c.id.in_(self.created), ~in_use.exists())
            .returning(categories_t.c.id)
        ).all()  # type: ignore[assignment]
        for cat_id in unused:
            del self.created[cat_id]

    def finish(self, rows: int, summary: str) -> int | None:
        """Record the change (nothing when it added nothing); returns its id."""
        if not rows and not self.created:
            return None
        for cat_id in self.created:
            category = self.session.get(Category, cat_id)
            assert category is not None
            self.record.category(cat_id, None, category_row(category))
        last_id = self.session.scalar(select(func.max(expenses_t.c.id))) or 0
        batch = {"prefix": self.prefix, "first_id": self.first_id, "last_id": last_id, "rows": rows}
        self.record.before["batch"] = dict(batch, present=False)
        self.record.after["batch"] = dict(batch, present=True)
        return _record(self.session, self.record, summary, group_id=self.prefix.rstrip("-"))


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
    budget = found["monthly_budget"]
    return {
        "id": found["id"],
        "name": found["name"],
        "name_key": found["name_key"],
        "monthly_budget": None if budget is None else to_cents(budget),
        "version": found["version"],
        "kind": found["kind"],
    }


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
    if any(current[k] != expected[k] for k in ("name", "monthly_budget")):
        budget = current["monthly_budget"]
        raise _refuse(
            f"the category {expected['name']!r} was changed since (now: {current['name']!r}, "
            f"budget {'none' if budget is None else money_text(budget)})"
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
            "monthly_budget": None
            if row["monthly_budget"] is None
            else from_cents(row["monthly_budget"]),
            # Rows recorded before income categories (0006) were all spending categories.
            "kind": row.get("kind", "spending"),
        }
        if current is None:
            version = row["version"] + 1
            session.execute(insert(categories_t).values(id=int(key), version=version, **values))
        else:
            version = current["version"] + 1
            _versioned_update(session, categories_t, int(key), current["version"], values, version)
        result["categories"][key] = dict(row, version=version)
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
