"""Schedules: recurring entries, posting what falls due exactly once, and what is coming.

Each public function is one transaction. Making, editing, pausing, resuming, skipping, ending and
deleting a schedule are ledger changes (undoable like any other); posting records the entries it
saves as one change per schedule, with the source ``schedule`` (a reminder posted by a person is
recorded as made by that person's source).

Exactly once: a posted entry's uid is :func:`occurrence_uid` (schedule id, date), and
``expenses.uid`` is unique, so the database itself refuses a second posting of one date, whatever
runs at the same moment (two terminals opening on the 1st, a crash halfway, a retry after a lost
COMMIT). On top of that, posting locks the schedule's row (PostgreSQL; SQLite's writers are
serialised already) and moves the schedule's ``posted_through`` on in the same transaction as
the entries, so the second of two processes finds nothing left to post instead of failing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from budget_tui.clock import today
from budget_tui.controller import cadence, ledger, validate
from budget_tui.controller._tx import action, read_action
from budget_tui.controller.categories import load as load_category
from budget_tui.controller.periods import Period, add_months
from budget_tui.controller.queries import expense_view, income_ids, spend_by_category
from budget_tui.controller.views import (
    ZERO,
    Flows,
    Forecast,
    ForecastMonth,
    PostResult,
    SchedulesPage,
    ScheduleView,
    Upcoming,
    UpcomingEntry,
)
from budget_tui.db.models import Category, Expense, Schedule
from budget_tui.db.money import from_cents
from budget_tui.errors import Conflict, InvalidInput, NotFound

# uuid5 namespace of posted entries' uids (fixed forever: changing it would post every date again).
POSTED_NAMESPACE = uuid.UUID("5c1d8f0e-3b5a-4e0e-9a57-6d2b1f3c9e41")
MODES = ("post", "remind")
FORECAST_MONTHS = 3


def occurrence_uid(schedule_id: int, on: dt.date) -> str:
    """The uid of the entry a schedule posts for one date: the same in every process, so the
    unique index on ``expenses.uid`` lets a date be posted once only."""
    return str(uuid.uuid5(POSTED_NAMESPACE, f"schedule:{schedule_id}:{on.isoformat()}"))


# -- reading -------------------------------------------------------------------------------------


def _view(schedule: Schedule, category: Category) -> ScheduleView:
    row = ledger.schedule_row(schedule)
    return ScheduleView(
        id=schedule.id,
        description=schedule.description,
        amount=schedule.amount,
        category_id=category.id,
        category_name=category.name,
        kind=category.kind,
        unit=schedule.unit,
        interval=schedule.interval,
        day=schedule.day,
        start_on=schedule.start_on,
        end_on=schedule.end_on,
        count=schedule.count,
        mode=schedule.mode,
        paused=bool(schedule.paused),
        next_on=schedule.next_on,
        every=ledger.cadence_of(row).describe(),
        version=schedule.version,
        every_short=cadence.short(ledger.cadence_of(row)),
    )


def _load(session: Session, schedule_id: int, *, lock: bool = False) -> Schedule:
    stmt = select(Schedule).where(Schedule.id == schedule_id)
    if lock:
        stmt = stmt.with_for_update()
    found = session.scalars(stmt.execution_options(populate_existing=True)).one_or_none()
    if found is None:
        raise NotFound(f"There is no schedule #{schedule_id}; it may have been deleted.")
    return found


def _category(session: Session, schedule: Schedule) -> Category:
    category = session.get(Category, schedule.category_id)
    assert category is not None  # the foreign key keeps it
    return category


@read_action
def list_schedules(session: Session) -> tuple[ScheduleView, ...]:
    """Every schedule, the next to fall due first (ended and paused ones last)."""
    return _list(session)


def _list(session: Session) -> tuple[ScheduleView, ...]:
    rows = session.execute(
        select(Schedule, Category).join(Category, Category.id == Schedule.category_id)
    ).all()
    views = [_view(s, c) for s, c in rows]
    far = dt.date.max
    views.sort(key=lambda v: (v.paused, v.next_on or far, v.description.casefold(), v.id))
    return tuple(views)


@read_action
def schedules_page(session: Session, days: int = 30) -> SchedulesPage:
    """The Schedules screen's load: every schedule, the entries due and not posted (reminders,
    or what the next opening posts), and the scheduled income and spending of the next
    ``days`` days."""
    now = today()
    entries = upcoming_entries(
        session, Period(validate.EARLIEST, now + dt.timedelta(days=days + 1))
    )
    due = tuple(e for e in entries if e.due)
    coming = _flows([e for e in entries if not e.due])
    return SchedulesPage(_list(session), due, coming, days)


@read_action
def get_schedule(session: Session, schedule_id: int) -> ScheduleView:
    """One schedule. Raises NotFound."""
    schedule = _load(session, schedule_id)
    return _view(schedule, _category(session, schedule))


# -- making and changing -------------------------------------------------------------------------


def _check_version(schedule: Schedule, version: int | None) -> None:
    if version is not None and schedule.version != version:
        raise Conflict(
            f"The schedule {schedule.description!r} was changed elsewhere since you opened it; "
            "nothing was saved.",
            hint="Reload and make your change again.",
        )


def _mode(remind: bool | None, mode: str | None) -> str:
    if mode is not None:
        if mode not in MODES:
            raise InvalidInput("mode", "A schedule posts its entries (post) or reminds (remind).")
        return mode
    return "remind" if remind else "post"


def _count(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not 1 <= value <= cadence.MAX_COUNT:
        raise InvalidInput("count", f"A schedule can end after 1 to {cadence.MAX_COUNT:,} entries.")
    return value


def _cadence_values(
    every: str | None,
    unit: str | None,
    interval: int | None,
    day: int | str | None,
    start: dt.date | str | None,
    end: dt.date | str | None,
    count: int | None,
    *,
    default_start: dt.date,
) -> dict[str, Any]:
    if every is not None:
        interval, unit = cadence.parse_every(every)
    if unit is None or unit not in cadence.UNITS:
        raise InvalidInput("every", "Say how often: day, week, month or year.")
    interval = cadence.check_interval(1 if interval is None else interval)
    start_on = default_start if start is None else validate.date(start, "start")
    end_on = None if end is None or end == "" else validate.date(end, "end")
    if end_on is not None and end_on < start_on:
        raise InvalidInput("end", "The end date is before the start date.")
    return {
        "unit": unit,
        "interval": interval,
        "day": cadence.parse_day(unit, day),
        "start_on": start_on,
        "end_on": end_on,
        "count": _count(count),
    }


@action
def create_schedule(
    session: Session,
    *,
    description: str,
    amount: Decimal | str,
    category: int | str,
    every: str | None = "month",
    unit: str | None = None,
    interval: int | None = None,
    day: int | str | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    count: int | None = None,
    remind: bool = False,
) -> ScheduleView:
    """Make a schedule: ``description`` and ``amount`` (negative: a refund, as for an entry) in
    ``category`` (id or name), ``every`` "month", "2 weeks", "year"... (or ``unit`` and
    ``interval``), on ``day`` (a weekday for weeks: 0-6 or "mon"; a day of the month for
    months: 1-31 or "last"; default the start date's), from ``start`` (default today) until
    ``end`` or for ``count`` entries. ``remind`` makes it show its entries as due instead of
    posting them. Nothing is posted here: :func:`post_due` does (a start in the past posts each
    missed date once). Raises InvalidInput, NotFound (category)."""
    values = _cadence_values(
        every if unit is None else None,
        unit,
        interval,
        day,
        start,
        end,
        count,
        default_start=today(),
    )
    schedule = Schedule(
        description=validate.description(description),
        amount=validate.entry_amount(amount),
        mode=_mode(remind, None),
        paused=False,
        skipped="",
        **values,
    )
    target = load_category(session, category)
    schedule.category_id = target.id
    ledger.add_schedule(session, schedule, target)
    return _view(schedule, target)


@action
def update_schedule(
    session: Session,
    schedule_id: int,
    *,
    version: int | None = None,
    description: str | None = None,
    amount: Decimal | str | None = None,
    category: int | str | None = None,
    every: str | None = None,
    day: int | str | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    count: int | None = None,
    remind: bool | None = None,
    clear_end: bool = False,
) -> ScheduleView:
    """Change a schedule's fields (None keeps one; ``clear_end`` removes its end date and
    count). A new cadence or start applies to dates not posted yet. Raises InvalidInput,
    NotFound, Conflict (changed elsewhere since ``version``)."""
    schedule = _load(session, schedule_id)
    _check_version(schedule, version)
    values: dict[str, Any] = {}
    if description is not None:
        values["description"] = validate.description(description)
    if amount is not None:
        values["amount"] = validate.entry_amount(amount)
    if remind is not None:
        values["mode"] = _mode(remind, None)
    target = _category(session, schedule)
    if category is not None:
        target = load_category(session, category)
        values["category_id"] = target.id
    if any(v is not None for v in (every, day, start, end, count)) or clear_end:
        interval, unit = cadence.parse_every(every) if every else (schedule.interval, schedule.unit)
        same_unit = unit == schedule.unit
        values.update(
            _cadence_values(
                None,
                unit,
                interval,
                day if day is not None else (schedule.day if same_unit else None),
                start if start is not None else schedule.start_on,
                None if clear_end else (end if end is not None else schedule.end_on),
                None if clear_end else (count if count is not None else schedule.count),
                default_start=schedule.start_on,
            )
        )
    row = ledger.schedule_row(schedule)
    ledger.edit_schedule(
        session, schedule, values, f"edit schedule {ledger.describe_schedule(row)}"
    )
    return _view(schedule, target)


@action
def pause_schedule(
    session: Session, schedule_id: int, *, version: int | None = None
) -> ScheduleView:
    """Stop posting (and reminding) until resumed. Raises NotFound, Conflict."""
    schedule = _load(session, schedule_id)
    _check_version(schedule, version)
    summary = f"pause schedule {ledger.describe_schedule(ledger.schedule_row(schedule))}"
    ledger.edit_schedule(session, schedule, {"paused": True}, summary)
    return _view(schedule, _category(session, schedule))


@action
def resume_schedule(
    session: Session, schedule_id: int, *, version: int | None = None
) -> ScheduleView:
    """Post again from today on: dates that fell while it was paused are not posted (a paused
    subscription was not paid). Raises NotFound, Conflict."""
    schedule = _load(session, schedule_id)
    _check_version(schedule, version)
    values: dict[str, Any] = {"paused": False}
    yesterday = today() - dt.timedelta(days=1)
    if schedule.paused and (schedule.posted_through or dt.date.min) < yesterday:
        values["posted_through"] = max(yesterday, schedule.start_on - dt.timedelta(days=1))
    summary = f"resume schedule {ledger.describe_schedule(ledger.schedule_row(schedule))}"
    ledger.edit_schedule(session, schedule, values, summary)
    return _view(schedule, _category(session, schedule))


@action
def skip_next(session: Session, schedule_id: int, *, version: int | None = None) -> ScheduleView:
    """Skip the next date (it is never posted); the one after becomes next. Raises NotFound,
    Conflict, InvalidInput (nothing left to skip)."""
    schedule = _load(session, schedule_id)
    _check_version(schedule, version)
    if schedule.next_on is None:
        raise InvalidInput("schedule", "This schedule has no date left to skip.")
    skipped = [*ledger.skipped_dates(schedule.skipped), schedule.next_on]
    text = ",".join(sorted({d.isoformat() for d in skipped}))
    summary = (
        f"skip {schedule.next_on.isoformat()} of schedule "
        f"{ledger.describe_schedule(ledger.schedule_row(schedule))}"
    )
    ledger.edit_schedule(session, schedule, {"skipped": text}, summary)
    return _view(schedule, _category(session, schedule))


@action
def end_schedule(
    session: Session,
    schedule_id: int,
    on: dt.date | str | None = None,
    *,
    version: int | None = None,
) -> ScheduleView:
    """End a schedule after ``on`` (default today): no later date is posted. Raises
    InvalidInput, NotFound, Conflict."""
    schedule = _load(session, schedule_id)
    _check_version(schedule, version)
    last = today() if on is None else validate.date(on, "end")
    if last < schedule.start_on:
        raise InvalidInput(
            "end", "That is before the schedule's start; delete the schedule instead."
        )
    summary = (
        f"end schedule {ledger.describe_schedule(ledger.schedule_row(schedule))} "
        f"after {last.isoformat()}"
    )
    ledger.edit_schedule(session, schedule, {"end_on": last}, summary)
    return _view(schedule, _category(session, schedule))


@action
def delete_schedule(session: Session, schedule_id: int, *, version: int | None = None) -> int:
    """Delete a schedule; the entries it posted stay. Returns its id. Raises NotFound, Conflict."""
    schedule = _load(session, schedule_id)
    _check_version(schedule, version)
    ledger.delete_schedule(session, schedule)
    return schedule_id


# -- posting -------------------------------------------------------------------------------------


def _taken(session: Session, uids: list[str]) -> set[str]:
    if not uids:
        return set()
    return set(session.scalars(select(Expense.uid).where(Expense.uid.in_(uids))))


def _post_schedule(session: Session, schedule_id: int, until: dt.date) -> list[Any]:
    # Locked (PostgreSQL) and read again: a process that posted this schedule a moment ago
    # has moved posted_through on, and this one finds nothing left.
    schedule = _load(session, schedule_id, lock=True)
    if schedule.paused or schedule.mode != "post":
        return []
    row = ledger.schedule_row(schedule)
    skipped = set(ledger.skipped_dates(schedule.skipped))
    dates = [
        d for d in ledger.cadence_of(row).dates(schedule.posted_through, until) if d not in skipped
    ]
    if not dates and (schedule.next_on is None or schedule.next_on > until):
        return []
    uids = {d: occurrence_uid(schedule.id, d) for d in dates}
    taken = _taken(session, list(uids.values()))
    category = _category(session, schedule)
    entries = [
        Expense(
            uid=uids[d],
            description=schedule.description,
            amount=schedule.amount,
            occurred_on=d,
            category_id=category.id,
        )
        for d in dates
        if uids[d] not in taken
    ]
    try:
        with session.begin_nested():
            ledger.post_scheduled(session, schedule, category, entries, until)
    except IntegrityError:
        # Another process posted one of these dates at this very moment: it stands, once.
        return []
    return [expense_view(e, category.name) for e in entries]


@action
def post_due(session: Session, until: dt.date | str | None = None) -> PostResult:
    """Post every entry of the auto-posting schedules due up to ``until`` (default today), each
    date exactly once; paused schedules and reminders are left. Cheap when nothing is due (one
    indexed look-up). Recorded with the source ``schedule``, one change per schedule."""
    last = today() if until is None else validate.date(until, "until")
    ids = session.scalars(
        select(Schedule.id)
        .where(Schedule.next_on <= last, Schedule.paused.is_(False), Schedule.mode == "post")
        .order_by(Schedule.next_on, Schedule.id)
    ).all()
    posted: list[Any] = []
    with ledger.acting_as("schedule"):
        for schedule_id in ids:
            posted += _post_schedule(session, schedule_id, last)
    posted.sort(key=lambda e: (e.occurred_on, e.id))
    return PostResult(tuple(posted))


@read_action
def anything_due(session: Session, until: dt.date | None = None) -> bool:
    """True when an auto-posting schedule has an entry due (one indexed look-up, no write lock):
    what opening a book asks before it takes the write lock to post."""
    last = today() if until is None else until
    found = session.scalar(
        select(Schedule.id)
        .where(Schedule.next_on <= last, Schedule.paused.is_(False), Schedule.mode == "post")
        .limit(1)
    )
    return found is not None


def post_on_open(sessions: Any) -> PostResult:
    """What the app, the CLI and the MCP server run when they open a writable book: post what is
    due, taking the write lock only when something is. Raises like :func:`post_due`."""
    if not anything_due(sessions):
        return PostResult()
    return post_due(sessions)


@action
def post_reminder(
    session: Session,
    schedule_id: int,
    on: dt.date | str,
    *,
    amount: Decimal | str | None = None,
) -> Any:
    """Post one due date of a schedule (a reminder, usually), for ``amount`` when given (a bill
    that came in higher), else the schedule's. Posting a date twice is refused, as the uid
    makes it impossible. Returns the saved ExpenseView. Raises InvalidInput (not one of its
    dates, posted already), NotFound."""
    schedule = _load(session, schedule_id, lock=True)
    day = validate.date(on, "date")
    row = ledger.schedule_row(schedule)
    rule = ledger.cadence_of(row)
    skipped = set(ledger.skipped_dates(schedule.skipped))
    after = schedule.posted_through
    if day not in set(rule.dates(day - dt.timedelta(days=1), day)) or day in skipped:
        raise InvalidInput("date", f"{day.isoformat()} is not one of this schedule's dates.")
    uid = occurrence_uid(schedule.id, day)
    if (after is not None and day <= after) or _taken(session, [uid]):
        raise InvalidInput("date", f"The entry of {day.isoformat()} is posted already.")
    value = schedule.amount if amount is None else validate.entry_amount(amount)
    category = _category(session, schedule)
    expense = Expense(
        uid=uid,
        description=schedule.description,
        amount=value,
        occurred_on=day,
        category_id=category.id,
    )
    # Posting moves on over every date before this one that is dealt with (posted or skipped).
    pending = [d for d in rule.dates(after, max(day, today())) if d not in skipped]
    done = _taken(session, [occurrence_uid(schedule.id, d) for d in pending]) | {uid}
    through = after
    for d in pending:
        if occurrence_uid(schedule.id, d) not in done:
            break
        through = d
    ledger.post_scheduled(session, schedule, category, [expense], through)
    return expense_view(expense, category.name)


# -- what is coming ------------------------------------------------------------------------------


def upcoming_entries(session: Session, period: Period) -> list[UpcomingEntry]:
    """The entries of every active schedule in ``period`` not posted yet, oldest first: due ones
    (their date has come: reminders, or what the next opening posts) and upcoming ones."""
    rows = session.execute(
        select(Schedule, Category)
        .join(Category, Category.id == Schedule.category_id)
        .where(Schedule.paused.is_(False), Schedule.next_on.is_not(None))
        .where(Schedule.next_on <= period.last_day)
    ).all()
    now = today()
    found: list[tuple[Schedule, Category, dt.date, str]] = []
    for schedule, category in rows:
        row = ledger.schedule_row(schedule)
        skipped = set(ledger.skipped_dates(schedule.skipped))
        after = schedule.posted_through
        before_start = period.start - dt.timedelta(days=1)
        if after is None or after < before_start:
            after = before_start
        for day in ledger.cadence_of(row).dates(after, period.last_day):
            if day not in skipped:
                found.append((schedule, category, day, occurrence_uid(schedule.id, day)))
    taken = _taken(session, [f[3] for f in found])
    entries = [
        UpcomingEntry(
            schedule_id=s.id,
            description=s.description,
            amount=s.amount,
            category_id=c.id,
            category_name=c.name,
            kind=c.kind,
            on=day,
            due=day <= now,
            remind=s.mode == "remind",
        )
        for s, c, day, uid in found
        if uid not in taken
    ]
    entries.sort(key=lambda e: (e.on, e.description.casefold(), e.schedule_id))
    return entries


def _flows(entries: list[UpcomingEntry]) -> Flows:
    income = sum((e.amount for e in entries if e.kind == "income"), ZERO)
    spending = sum((e.amount for e in entries if e.kind != "income"), ZERO)
    return Flows(income, spending)


@read_action
def upcoming(session: Session, period: Period) -> Upcoming:
    """What falls due in ``period`` and is not posted yet (see :func:`upcoming_entries`)."""
    entries = upcoming_entries(session, period)
    return Upcoming(period, tuple(entries), _flows(entries))


def upcoming_cents_by_category(session: Session, period: Period) -> dict[int, Decimal]:
    """Upcoming (not yet posted) amounts per category id in ``period``: for a caller already
    inside a transaction (e.g. a screen's load that adds projections)."""
    out: dict[int, Decimal] = {}
    for entry in upcoming_entries(session, period):
        out[entry.category_id] = out.get(entry.category_id, ZERO) + entry.amount
    return out


@read_action
def projected_by_category(session: Session, month: Period | dt.date) -> dict[int, Decimal]:
    """``{category_id: amount}`` still scheduled (not posted yet) in ``month`` (a Period, or any
    day of the month): what a category's projected spend adds to what is entered."""
    period = month if isinstance(month, Period) else Period.month(month)
    return upcoming_cents_by_category(session, period)


@read_action
def forecast(session: Session, months: int = FORECAST_MONTHS) -> Forecast:
    """This month and the next ``months - 1``: income and spending entered so far, scheduled
    (not posted yet) and projected (both), from one snapshot."""
    return forecast_in(session, months)


def forecast_in(session: Session, months: int = FORECAST_MONTHS) -> Forecast:
    """:func:`forecast` for a caller already inside a transaction (Reports' one snapshot)."""
    if not 1 <= months <= 24:
        raise InvalidInput("months", "Forecast 1 to 24 months.")
    first = Period.month(today())
    income = income_ids(session)
    out = []
    for i in range(months):
        period = Period(add_months(first.start, i), add_months(first.start, i + 1))
        spend = spend_by_category(session, period)
        actual = Flows(
            from_cents(sum(c for k, (c, _n) in spend.items() if k in income)),
            from_cents(sum(c for k, (c, _n) in spend.items() if k not in income)),
        )
        out.append(ForecastMonth(period, actual, _flows(upcoming_entries(session, period))))
    return Forecast(tuple(out))
