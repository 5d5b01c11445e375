"""The ledger: the only module that writes the book.

Every change (an expense added, edited, moved or deleted; a category added, renamed, made
income or spending, or deleted with its expenses moved; a budget set from a month on; a schedule
made, edited, paused, skipped or deleted; the entries a schedule posts; an import; a demo fill;
an undo or a redo) goes through a function here. In the same transaction as the change it keeps
the monthly roll-up in
step and appends one row to ``changes``: when, the source (``tui``, ``cli``, ``import``,
``mcp:<client>``, ``schedule``), a group id, a one-line summary, and the rows before and after
(JSON). Functions here take the caller's session and never commit; the public actions that use
them (here and in ``expenses``, ``categories``, ``schedules``, ``imports``, ``demo``) are one
transaction each.

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
from budget_tui.controller.cadence import Cadence
from budget_tui.controller.periods import add_months, month_start
from budget_tui.controller.queries import bump, cents, expenses_t, merge_deltas, totals_t
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


# -- schedules -----------------------------------------------------------------------------------

# What a person set: a change since is a change of one of these. ``posted_through`` and
# ``next_on`` are where posting has got to; they only move forward and are never undone (an
# undone posting must not be posted again at the next opening).
SCHEDULE_CONTENT = (
    "description",
    "amount",
    "category_id",
    "unit",
    "interval",
    "day",
    "start_on",
    "end_on",
    "count",
    "mode",
    "paused",
    "skipped",
)


def _iso_or_none(value: dt.date | str | None) -> str | None:
    return None if value is None else _iso_date(value)


def schedule_row(schedule: Schedule) -> Row:
    return {
        "id": schedule.id,
        "description": schedule.description,
        "amount": to_cents(schedule.amount),
        "category_id": schedule.category_id,
        "unit": schedule.unit,
        "interval": schedule.interval,
        "day": schedule.day,
        "start_on": schedule.start_on.isoformat(),
        "end_on": _iso_or_none(schedule.end_on),
        "count": schedule.count,
        "mode": schedule.mode,
        "paused": bool(schedule.paused),
        "skipped": schedule.skipped or "",
        "posted_through": _iso_or_none(schedule.posted_through),
        "version": schedule.version,
    }


def cadence_of(row: Mapping[str, Any]) -> Cadence:
    """The cadence of a schedule as the change log (or :func:`schedule_row`) keeps it."""

    def day(value: Any) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(_iso_date(value))

    start = day(row["start_on"])
    assert start is not None
    return Cadence(
        row["unit"], row["interval"], row["day"], start, day(row["end_on"]), row["count"]
    )


def skipped_dates(text: str | None) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in (text or "").split(",") if d]


def next_due(row: Mapping[str, Any]) -> dt.date | None:
    """The next date a schedule (as :func:`schedule_row` gives it) still has to post."""
    through = row["posted_through"]
    after = None if through is None else dt.date.fromisoformat(_iso_date(through))
    return cadence_of(row).next_after(after, skipped_dates(row["skipped"]))


def describe_schedule(row: Row) -> str:
    """``'Rent' 1,200.00 every month on the 1st``: how a summary names a schedule."""
    return f"{row['description']!r} {money_text(row['amount'])} {cadence_of(row).describe()}"


def add_schedule(session: Session, schedule: Schedule, category: Category) -> None:
    """Insert a schedule (values already checked) and record it."""
    session.add(schedule)
    session.flush()
    schedule.next_on = next_due(schedule_row(schedule))
    session.flush()
    row = schedule_row(schedule)
    record = _Record("schedule.add")
    record.schedule(schedule.id, None, row)
    mode = " (remind)" if schedule.mode == "remind" else ""
    _record(session, record, f"add schedule {describe_schedule(row)} in {category.name!r}{mode}")


def edit_schedule(
    session: Session, schedule: Schedule, values: Mapping[str, Any], summary: str
) -> None:
    """Set ``values`` (schedule columns, already checked) on ``schedule``, move its next date
    and record the change as ``summary``. Pausing, resuming and skipping are edits too."""
    before = schedule_row(schedule)
    for name, value in values.items():
        setattr(schedule, name, value)
    schedule.next_on = next_due(schedule_row(schedule))
    session.flush()
    record = _Record("schedule.edit")
    record.schedule(schedule.id, before, schedule_row(schedule))
    _record(session, record, summary)


def delete_schedule(session: Session, schedule: Schedule) -> None:
    """Delete a schedule (the entries it posted stay) and record it as it was."""
    row = schedule_row(schedule)
    session.delete(schedule)
    session.flush()
    record = _Record("schedule.delete")
    record.schedule(row["id"], row, None)
    _record(session, record, f"delete schedule {describe_schedule(row)}")


def post_scheduled(
    session: Session,
    schedule: Schedule,
    category: Category,
    entries: list[Expense],
    through: dt.date | None,
) -> int | None:
    """Insert a schedule's due ``entries`` (their uids made from the schedule and the date),
    record them as one change, and move the schedule's posting on to ``through`` (None: where it
    is; a reminder posted out of turn). Returns the change's id (None when nothing was posted).

    Raises IntegrityError when an entry's uid is taken: another process posted that date at
    the same moment (the caller rolls back to its savepoint; nothing is posted twice)."""
    record = _Record("schedule.post")
    deltas: dict = {}
    for expense in entries:
        session.add(expense)
    session.flush()
    for expense in entries:
        row = expense_row(expense)
        record.expense(expense.uid, None, row)
        merge_deltas(deltas, [(category.id, expense.occurred_on, row["amount"], 1)])
    bump(session, deltas)
    previous = schedule.posted_through
    if through is not None:
        schedule.posted_through = through if previous is None else max(previous, through)
    schedule.next_on = next_due(schedule_row(schedule))
    session.flush()
    if not entries:
        return None
    rows = [expense_row(e) for e in entries]
    if len(rows) == 1:
        summary = f"post {describe_expense(rows[0])} (schedule #{schedule.id})"
    else:
        summary = (
            f"post {len(rows)} entries of {schedule.description!r} from "
            f"{rows[0]['occurred_on']} to {rows[-1]['occurred_on']} (schedule #{schedule.id})"
        )
    return _record(session, record, summary)


def _current_schedule(session: Session, schedule_id: int) -> Row | None:
    found = session.get(Schedule, schedule_id, populate_existing=True)
    return None if found is None else schedule_row(found)


def _check_schedule(expected: Row | None, current: Row | None) -> None:
    if expected is None:
        if current is not None:
            raise _refuse(f"the schedule {current['description']!r} exists again")
        return
    if current is None:
        raise _refuse(f"the schedule {expected['description']!r} was deleted since")
    if any(current[k] != expected[k] for k in SCHEDULE_CONTENT):
        raise _refuse(
            f"the schedule {expected['description']!r} was changed since (now: "
            f"{describe_schedule(current)}{', paused' if current['paused'] else ''})"
        )


def _schedule_values(row: Row, posted_through: str | None) -> dict[str, Any]:
    def day(value: str | None) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(value)

    values = {
        "description": row["description"],
        "amount": from_cents(row["amount"]),
        "category_id": row["category_id"],
        "unit": row["unit"],
        "interval": row["interval"],
        "day": row["day"],
        "start_on": day(row["start_on"]),
        "end_on": day(row["end_on"]),
        "count": row["count"],
        "mode": row["mode"],
        "paused": row["paused"],
        "skipped": row["skipped"],
        "posted_through": day(posted_through),
    }
    values["next_on"] = next_due(dict(row, posted_through=posted_through))
    return values


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

    def add_category(
        self, name: str, budget: BudgetFrom | None = None, *, kind: str = "spending"
    ) -> Category:
        category = _insert_category(self.session, name, kind)
        self.created[category.id] = name
        if budget is not None:
            _write_budget(self.session, self.record, category.id, *budget, None)
        return category

    def budget(self, category_id: int, month: dt.date, amount: int | None, rollover: bool) -> None:
        """A budget row of one of this change's categories (its first row: ``add_category``)."""
        _write_budget(self.session, self.record, category_id, month, amount, rollover, None)

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
