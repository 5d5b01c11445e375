"""Schedules over MCP: ``upcoming`` (what falls due in a period, per category) and, with
``--allow-write``, ``create_schedule``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from pydantic import BaseModel, Field

from budget_tui.clock import today
from budget_tui.controller import ledger, schedules, validate
from budget_tui.controller.book import Book
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ScheduleView
from budget_tui.errors import InvalidInput
from budget_tui.mcp.arguments import (
    CategoryName,
    EntryAmount,
    PeriodName,
    naming_categories,
    parse_entry_amount,
    relative_period,
    tool_errors,
)
from budget_tui.mcp.history_tools import client_source
from budget_tui.mcp.paging import (
    DEFAULT_LIMIT,
    PageCursor,
    ScheduleLimit,
    SortSchedules,
    check_limit,
    encode,
    schedule_cursor,
    split_sort,
)
from budget_tui.mcp.toolbox import ToolBox, reads, writes
from budget_tui.money import currency_code, plain

DEFAULT_DAYS = 30
FromDay = Annotated[
    str | None,
    Field(
        description="First day included, YYYY-MM-DD; leave out for today",
        json_schema_extra={"format": "date"},
    ),
]
ToDay = Annotated[
    str | None,
    Field(
        description=f"Last day included, YYYY-MM-DD; leave out for {DEFAULT_DAYS} days after start",
        json_schema_extra={"format": "date"},
    ),
]


class UpcomingItem(BaseModel):
    date: str = Field(description="ISO date the entry falls due")
    description: str
    amount: str = Field(description="Two decimals, in the result's currency")
    category: str
    kind: str = Field(description="spending or income (the category's)")
    due: bool = Field(description="True when its date has come and it is not posted yet")
    remind: bool = Field(description="True for a schedule that waits for a person to post it")
    schedule_id: int


class UpcomingCategory(BaseModel):
    category: str
    kind: str = Field(description="spending or income")
    total: str
    count: int


class UpcomingResult(BaseModel):
    currency: str
    start: str = Field(description="First day included (ISO)")
    end: str = Field(description="Last day included (ISO)")
    income: str = Field(description="Scheduled income in the period, not posted yet")
    spending: str = Field(description="Scheduled spending in the period, not posted yet")
    net: str = Field(description="income - spending")
    by_category: list[UpcomingCategory] = Field(description="Largest first")
    entries: list[UpcomingItem] = Field(description="Oldest first")


class ScheduleResult(BaseModel):
    id: int
    description: str
    amount: str
    category: str
    every: str = Field(description='How often, in words: "every month on the 31st"')
    start: str
    end: str | None
    count: int | None
    mode: str = Field(description="post (posts each entry when due) or remind")
    next: str | None = Field(description="The next date it posts (ISO); null when none is left")
    paused: bool = Field(default=False, description="True while paused: nothing falls due")
    kind: str = Field(default="spending", description="spending or income (the category's)")


class ScheduleList(BaseModel):
    currency: str
    count: int = Field(description="How many schedules there are, not only those listed")
    sort: str = Field(description="The order of the list, e.g. date-asc")
    next_cursor: str | None = Field(
        description="Give it as cursor (same sort) for the next page; null at the end"
    )
    schedules: list[ScheduleResult] = Field(description="This page, in the order sort names")


class ScheduleChange(BaseModel):
    currency: str
    action: str
    schedule: ScheduleResult
    posted: list[UpcomingItem] = Field(
        description="Entries posted at once because their date had come (a start in the past)"
    )


def schedule_result(view: ScheduleView) -> ScheduleResult:
    return ScheduleResult(
        id=view.id,
        description=view.description,
        amount=plain(view.amount),
        category=view.category_name,
        every=view.every,
        start=view.start_on.isoformat(),
        end=None if view.end_on is None else view.end_on.isoformat(),
        count=view.count,
        mode=view.mode,
        next=None if view.next_on is None else view.next_on.isoformat(),
        paused=view.paused,
        kind=view.kind,
    )


_NONE_LEFT = "none"
_BAD_CURSOR = "This is not a cursor from a listing; give next_cursor as it came."


def _sort_value(view: ScheduleView, key: str) -> str:
    """The cursor's text for ``view``'s place in a ``key`` ("date" or "amount") order."""
    if key == "amount":
        return str(view.amount)
    return _NONE_LEFT if view.next_on is None else view.next_on.isoformat()


def _order(key: str, value: str | None, row_id: int) -> tuple[int, Any, int]:
    """A comparable place from a sort value's text: for dates, those with none left last."""
    try:
        if key == "amount":
            return 0, Decimal(value or ""), row_id
        if value == _NONE_LEFT:
            return 1, dt.date.max, row_id
        return 0, dt.date.fromisoformat(value or ""), row_id
    except (ValueError, ArithmeticError):
        raise InvalidInput("cursor", _BAD_CURSOR) from None


def schedule_tools(book: Book, *, allow_write: bool) -> list[Tool]:
    """``upcoming`` and ``list_schedules``, and ``create_schedule`` when ``allow_write``."""
    sessions = book.sessions
    box = ToolBox()

    @box.tool(title="Upcoming scheduled entries", annotations=reads())
    @tool_errors
    def upcoming(
        start: FromDay = None, end: ToDay = None, period: PeriodName = None
    ) -> UpcomingResult:
        """What the schedules (rent, subscriptions, salary) have falling due in a period and not
        posted yet, oldest first, with totals per category and the scheduled income, spending
        and net.

        start, end: ISO dates, both included; default today and 30 days after start. Or
        period instead (this-month, last-month, this-year, last-year, last-12-months); the
        result's start and end say which dates it meant.
        """
        if period is not None:
            if start is not None or end is not None:
                raise InvalidInput("period", "Give either period or start and end, not both.")
            named = relative_period(period)
            first, last = named.start, named.last_day
        else:
            first = validate.date(start, "start") if start is not None else today()
            last = (
                validate.date(end, "end")
                if end is not None
                else first + dt.timedelta(days=DEFAULT_DAYS)
            )
        result = schedules.upcoming(sessions, Period.between(first, last))
        totals: dict[tuple[str, str], tuple[Decimal, int]] = {}
        for e in result.entries:
            total, count = totals.get((e.category_name, e.kind), (Decimal("0.00"), 0))
            totals[(e.category_name, e.kind)] = (total + e.amount, count + 1)
        return UpcomingResult(
            currency=currency_code(),
            start=first.isoformat(),
            end=last.isoformat(),
            income=plain(result.flows.income),
            spending=plain(result.flows.spending),
            net=plain(result.flows.net),
            by_category=[
                UpcomingCategory(category=name, kind=kind, total=plain(total), count=count)
                for (name, kind), (total, count) in sorted(
                    totals.items(), key=lambda item: (-abs(item[1][0]), item[0][0])
                )
            ],
            entries=[
                UpcomingItem(
                    date=e.on.isoformat(),
                    description=e.description,
                    amount=plain(e.amount),
                    category=e.category_name,
                    kind=e.kind,
                    due=e.due,
                    remind=e.remind,
                    schedule_id=e.schedule_id,
                )
                for e in result.entries
            ],
        )

    @box.tool(title="List schedules", annotations=reads())
    @tool_errors
    def list_schedules(
        sort: SortSchedules = "date-asc",
        cursor: PageCursor = None,
        limit: ScheduleLimit = DEFAULT_LIMIT,
    ) -> ScheduleList:
        """Every schedule (rent, subscriptions, salary), one page at a time: what it posts, in
        which category, how often, and the next date it falls due (null when none is left).

        sort: date-asc (next to fall due first, the default), date-desc, amount-desc or
        amount-asc. limit: schedules per page (1-500, default 50). When next_cursor is not
        null, call again with cursor=next_cursor (same sort) for the next page; following the
        cursors lists every schedule exactly once.
        """
        check_limit(limit, "schedules")
        key, descending = split_sort(sort)
        after = schedule_cursor(cursor, sort)

        def place(view: ScheduleView) -> tuple[int, Any, int]:
            return _order(key, _sort_value(view, key), view.id)

        # A book has tens of schedules, not thousands: sorted here, paged by key (never by
        # position), so one added or deleted between pages shifts nothing.
        every = sorted(schedules.list_schedules(sessions), key=place, reverse=descending)
        rest = every
        if after is not None:
            boundary = _order(key, *after)
            rest = [
                v for v in every if (place(v) < boundary if descending else place(v) > boundary)
            ]
        page = rest[:limit]
        more = len(rest) > limit
        return ScheduleList(
            currency=currency_code(),
            count=len(every),
            sort=sort,
            next_cursor=encode(sort, _sort_value(page[-1], key), page[-1].id) if more else None,
            schedules=[schedule_result(v) for v in page],
        )

    if allow_write:

        @box.tool(
            title="Create a schedule", annotations=writes(destructive=False, idempotent=False)
        )
        @tool_errors
        def create_schedule(
            description: Annotated[str, Field(description="What it is, 1 to 200 characters")],
            amount: EntryAmount,
            category: CategoryName,
            every: Annotated[
                str,
                Field(
                    description='How often: "day", "week", "month", "year", or a number of '
                    'them ("2 weeks", "3 months")'
                ),
            ] = "month",
            day: Annotated[
                str | None,
                Field(
                    description="Monthly: 1-31 or last (the 31st falls on the last day of "
                    "shorter months); weekly: mon..sun; leave out for the start date's"
                ),
            ] = None,
            start: Annotated[
                str | None,
                Field(
                    description="The first date, YYYY-MM-DD; leave out for today",
                    json_schema_extra={"format": "date"},
                ),
            ] = None,
            end: Annotated[
                str | None,
                Field(
                    description="The last date it may fall on, YYYY-MM-DD; leave out for none",
                    json_schema_extra={"format": "date"},
                ),
            ] = None,
            count: Annotated[
                int | None, Field(ge=1, le=10_000, description="End after this many entries")
            ] = None,
            remind: Annotated[
                bool,
                Field(description="True: show each entry as due instead of posting it by itself"),
            ] = False,
            ctx: Context | None = None,
        ) -> ScheduleChange:
            """Create a recurring entry (rent, a subscription, a salary) and return it. Unless
            remind is true, each entry is posted when its date comes, exactly once; dates
            already past (a start in the past) are posted at once and listed in posted.

            amount: like 1200.00 (negative for a refund). category: an existing category, any
            case (an income category makes it income).
            """
            source = client_source(ctx) if ctx is not None else "mcp:unknown"
            with ledger.acting_as(source), naming_categories(sessions):
                made = schedules.create_schedule(
                    sessions,
                    description=description,
                    amount=parse_entry_amount(amount, "amount"),
                    category=category,
                    every=every,
                    day=day,
                    start=start,
                    end=end,
                    count=count,
                    remind=remind,
                )
            posted = schedules.post_due(sessions).posted
            made = schedules.get_schedule(sessions, made.id)
            return ScheduleChange(
                currency=currency_code(),
                action="created",
                schedule=schedule_result(made),
                posted=[
                    UpcomingItem(
                        date=e.occurred_on.isoformat(),
                        description=e.description,
                        amount=plain(e.amount),
                        category=e.category_name,
                        kind=made.kind,
                        due=False,
                        remind=False,
                        schedule_id=made.id,
                    )
                    for e in posted
                    if e.uid == schedules.occurrence_uid(made.id, e.occurred_on)
                ],
            )

    return box.tools
