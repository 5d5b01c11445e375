"""Schedules (recurring entries), posting what is due, and what is coming: ``schedule``,
``post-due``, ``upcoming``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from budget_tui.cli._base import DATE_HELP, common, main, open_book_for, parse_date
from budget_tui.cli.entries import _SignedAmount

if TYPE_CHECKING:
    from budget_tui.controller.views import ExpenseView, ScheduleView, UpcomingEntry


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], right: set[int]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    click.echo(line(header))
    click.echo("  ".join("-" * w for w in widths))
    for row in rows:
        click.echo(line(row))


def _schedule_json(s: ScheduleView) -> dict[str, object]:
    from budget_tui.money import plain

    return {
        "id": s.id,
        "description": s.description,
        "amount": plain(s.amount),
        "category": s.category_name,
        "kind": s.kind,
        "every": s.every,
        "unit": s.unit,
        "interval": s.interval,
        "day": s.day,
        "start": s.start_on.isoformat(),
        "end": None if s.end_on is None else s.end_on.isoformat(),
        "count": s.count,
        "mode": s.mode,
        "paused": s.paused,
        "next": None if s.next_on is None else s.next_on.isoformat(),
        "version": s.version,
    }


def _posted_line(e: ExpenseView) -> str:
    from budget_tui.money import format_money

    return (
        f"Posted #{e.id}: {e.occurred_on.isoformat()}  {e.description}  "
        f"{format_money(e.amount)}  in {e.category_name}"
    )


@main.group()
def schedule() -> None:
    """Recurring entries (rent, subscriptions, salary): add, list, pause, resume, delete."""


@schedule.command("add", cls=_SignedAmount)
@common
@click.argument("description")
@click.argument("amount")
@click.option("--category", "-c", required=True, help="The category's name (any case).")
@click.option(
    "--every",
    default="month",
    show_default=True,
    help='How often: "day", "week", "month", "year", or a number of them ("2 weeks").',
)
@click.option(
    "--day",
    metavar="DAY",
    help="Monthly: the day of the month, 1-31 or last (the 31st falls on the last day of "
    "shorter months). Weekly: the weekday (mon, tue...). Default: the start date's.",
)
@click.option("--start", metavar="DATE", help=f"The first date (default today). {DATE_HELP}")
@click.option("--end", metavar="DATE", help="The last date it may fall on.")
@click.option("--count", type=click.IntRange(1, 10_000), help="End after this many entries.")
@click.option(
    "--remind", is_flag=True, help="Show each entry as due instead of posting it by itself."
)
@click.pass_context
def schedule_add(
    ctx: click.Context,
    description: str,
    amount: str,
    category: str,
    every: str,
    day: str | None,
    start: str | None,
    end: str | None,
    count: int | None,
    remind: bool,
) -> None:
    """Add a schedule: DESCRIPTION and AMOUNT (negative for a refund, as for `add`) in a
    category, every day, week, month or year from a start date. Entries already due (a start
    in the past) are posted at once, each date once; prints the schedule and what it posted."""
    from budget_tui.controller import schedules, validate
    from budget_tui.money import format_money

    clean_amount = validate.entry_amount(amount)
    first, last = parse_date(start, "start"), parse_date(end, "end")
    book = open_book_for(ctx)
    made = schedules.create_schedule(
        book.sessions,
        description=description,
        amount=clean_amount,
        category=category,
        every=every,
        day=day,
        start=first,
        end=last,
        count=count,
        remind=remind,
    )
    mode = " (reminds)" if made.remind else ""
    following = made.next_on.isoformat() if made.next_on else "none"
    click.echo(
        f"Added schedule #{made.id}: {made.description}  {format_money(made.amount)}  "
        f"{made.every}  in {made.category_name}{mode}; next {following}"
    )
    for entry in schedules.post_due(book.sessions).posted:
        click.echo(_posted_line(entry))


@schedule.command("list")
@common
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def schedule_list(ctx: click.Context, fmt: str) -> None:
    """Every schedule, the next to fall due first: id, next date, amount, cadence, state."""
    from budget_tui.controller.schedules import list_schedules
    from budget_tui.money import currency_code, format_money

    book = open_book_for(ctx, create=False)
    found = list_schedules(book.sessions)
    if fmt == "json":
        payload = {"currency": currency_code(), "schedules": [_schedule_json(s) for s in found]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No schedules yet; add one with `budget-tui schedule add`.")
        return
    rows = [
        (
            str(s.id),
            s.next_on.isoformat() if s.next_on else "-",
            s.description,
            format_money(s.amount),
            s.category_name,
            s.every,
            s.state,
        )
        for s in found
    ]
    _table(("ID", "Next", "Description", "Amount", "Category", "Every", "State"), rows, {0, 3})


def _one(name: str, verb: str, doc: str) -> None:
    @schedule.command(name, help=doc)
    @common
    @click.argument("schedule_id", type=click.IntRange(1, 2**63 - 1))
    @click.pass_context
    def command(ctx: click.Context, schedule_id: int) -> None:
        from budget_tui.controller import schedules

        book = open_book_for(ctx)
        if name == "delete":
            gone = schedules.get_schedule(book.sessions, schedule_id)
            schedules.delete_schedule(book.sessions, schedule_id, version=gone.version)
            click.echo(f"Deleted schedule #{schedule_id} ({gone.description}); its entries stay.")
            return
        fn = {
            "pause": schedules.pause_schedule,
            "resume": schedules.resume_schedule,
            "skip": schedules.skip_next,
        }[name]
        done = fn(book.sessions, schedule_id)
        following = done.next_on.isoformat() if done.next_on else "none"
        click.echo(f"{verb} schedule #{done.id} ({done.description}); next {following}.")


_one("pause", "Paused", "Pause schedule SCHEDULE_ID: nothing is posted until it is resumed.")
_one(
    "resume",
    "Resumed",
    "Resume schedule SCHEDULE_ID from today (dates that fell while it was paused are not posted).",
)
_one("skip", "Skipped the next date of", "Skip the next date of schedule SCHEDULE_ID.")
_one("delete", "Deleted", "Delete schedule SCHEDULE_ID; the entries it posted stay.")


@main.command("post-due")
@common
@click.option("--until", metavar="DATE", help="Post what is due up to this day (default today).")
@click.pass_context
def post_due(ctx: click.Context, until: str | None) -> None:
    """Post every entry the schedules have due, each date exactly once (for cron: running it
    twice, or in two places at once, posts nothing twice). Prints what it posted; posting
    nothing is not an error."""
    from budget_tui.controller import schedules

    last = parse_date(until, "until")
    book = open_book_for(ctx, post=False)
    result = schedules.post_due(book.sessions, last)
    for entry in result.posted:
        click.echo(_posted_line(entry))
    if not result.posted:
        click.echo("Nothing is due.", err=True)


def _upcoming_json(e: UpcomingEntry) -> dict[str, object]:
    from budget_tui.money import plain

    return {
        "date": e.on.isoformat(),
        "description": e.description,
        "amount": plain(e.amount),
        "category": e.category_name,
        "kind": e.kind,
        "schedule_id": e.schedule_id,
        "due": e.due,
        "remind": e.remind,
    }


@main.command()
@common
@click.option(
    "--days", type=click.IntRange(1, 3660), default=30, show_default=True, help="How far ahead."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def upcoming(ctx: click.Context, days: int, fmt: str) -> None:
    """What the schedules have coming in the next DAYS days (and what is due and not posted
    yet), oldest first, with the scheduled income, spending and net."""
    from budget_tui.clock import today
    from budget_tui.controller.periods import Period
    from budget_tui.controller.schedules import upcoming as upcoming_in
    from budget_tui.controller.validate import EARLIEST
    from budget_tui.money import currency_code, format_money, plain

    now = today()
    book = open_book_for(ctx, create=False)
    # Due entries not posted yet (reminders) are listed however old they are.
    result = upcoming_in(book.sessions, Period(EARLIEST, now + dt.timedelta(days=days + 1)))
    flows = result.flows
    if fmt == "json":
        payload = {
            "currency": currency_code(),
            "from": now.isoformat(),
            "to": (now + dt.timedelta(days=days)).isoformat(),
            "income": plain(flows.income),
            "spending": plain(flows.spending),
            "net": plain(flows.net),
            "entries": [_upcoming_json(e) for e in result.entries],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not result.entries:
        click.echo(f"Nothing is scheduled in the next {days} days.")
        return
    rows = [
        (
            e.on.isoformat(),
            e.description,
            format_money(e.amount),
            e.category_name,
            ("due" if e.due else "") + (" (remind)" if e.remind else ""),
        )
        for e in result.entries
    ]
    _table(("Date", "Description", "Amount", "Category", ""), rows, {2})
    click.echo(
        f"Scheduled: income {format_money(flows.income)} · spending "
        f"{format_money(flows.spending)} · net {format_money(flows.net)}"
    )
