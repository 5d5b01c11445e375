"""Schedules: made, edited, paused, skipped, deleted, and the entries they post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from budget_tui.controller.cadence import Cadence
from budget_tui.controller.ledger._core import (
    Row,
    _iso_date,
    _iso_or_none,
    _Record,
    _record,
    _refuse,
    describe_expense,
    expense_row,
    money_text,
)
from budget_tui.controller.queries import bump, merge_deltas
from budget_tui.db.models import (
    Category,
    Expense,
    Schedule,
)
from budget_tui.db.money import from_cents, to_cents

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
