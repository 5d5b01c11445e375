"""The ``budget-tui`` command.

``--db URL`` and ``--echo-sql`` go before the subcommand and are accepted after it too.

Every error is one line on stderr: the same sentence, outcome and hint the app shows
(:func:`budget_tui.errors.render`). Logs never reach the terminal; ``--echo-sql`` prints SQL
(without parameters) to stderr. Exit codes:

- 0 ok.
- 1 a user error: bad input, not found, a conflict (e.g. an export over an existing file
  without ``--force``), a setting that can't be used, no budget book at the path, a file that
  is not a budget book.
- 2 usage: an unknown command or option (click).
- 3 the database failed and nothing was saved (or the command only reads): safe to run it again.
- 4 the database failed after the change was saved (the reply to COMMIT was lost): don't run
  it again.
- 5 the database failed while saving and it is not known whether the change was saved: look
  (``report``, ``export``) before running it again.

Read-only commands (``report``, ``export``, ``history``, ``db info``) never create a book; only
the app, ``db upgrade``, ``import``, ``demo`` and ``add`` do.

Every change a command makes is recorded in the book's history with the source ``cli``
(``import`` for an import); ``undo`` and ``redo`` take changes back and forth.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Callable
from typing import Any

import click

from budget_tui import __version__
from budget_tui.errors import BudgetError, ConfigError, DatabaseUnavailable, render

DATE_HELP = "YYYY-MM-DD, today, yesterday, or -3 (three days ago)."
EXIT_USER_ERROR = 1
EXIT_NOT_SAVED = 3
EXIT_SAVED = 4
EXIT_NOT_KNOWN = 5


class Options:
    def __init__(self) -> None:
        self.db: str | None = None
        self.echo_sql = False
        self.demo = False

    def settings(self):
        from budget_tui.config import load_settings

        return load_settings(self.db)


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Options).db = value


def _set_demo(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        from budget_tui.config import demo_url

        opts = ctx.ensure_object(Options)
        opts.demo = True
        opts.db = demo_url()


def _set_echo(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Options).echo_sql = True


def common(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--db`` and ``--echo-sql``, accepted after the subcommand as well as before it."""
    fn = click.option(
        "--db",
        "db",
        metavar="URL",
        expose_value=False,
        callback=_set_db,
        help="Database URL (default: DATABASE_URL, then .env, then SQLite in the data dir).",
    )(fn)
    return click.option(
        "--echo-sql",
        is_flag=True,
        expose_value=False,
        callback=_set_echo,
        help="Print SQL statements (never their parameters) to stderr.",
    )(fn)


def exit_code(error: BudgetError) -> int:
    """The exit code for an error (see the module docstring)."""
    if isinstance(error, DatabaseUnavailable):
        if error.saved is True:
            return EXIT_SAVED
        if error.saved is None:
            return EXIT_NOT_KNOWN
        return EXIT_NOT_SAVED
    return EXIT_USER_ERROR


class Cli(click.Group):
    """Turns every BudgetError into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        _quiet_logs()
        try:
            return super().invoke(ctx)
        except BudgetError as error:
            click.echo(f"Error: {render(error).line()}", err=True)
            ctx.exit(exit_code(error))


def _quiet_logs() -> None:
    # The controller logs each failure (a warning); with no handler configured, Python's
    # last-resort handler would print it under our one-line message. The app logs to its file.
    logger = logging.getLogger("budget_tui")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _echo_sql() -> None:
    sql_log = logging.getLogger("sqlalchemy.engine")
    if not any(getattr(h, "budget_tui_echo", False) for h in sql_log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.budget_tui_echo = True  # type: ignore[attr-defined]
        sql_log.addHandler(handler)
    sql_log.setLevel(logging.INFO)


def _book(ctx: click.Context, *, create: bool = True, source: str = "cli"):
    """Open the configured book; ``create=False`` for commands that only read (no book is made).
    Changes are recorded as made by ``source`` (``cli``, or ``import`` for an import)."""
    from budget_tui.controller.book import open_book

    opts = ctx.ensure_object(Options)
    if opts.echo_sql:
        _echo_sql()
    book = open_book(opts.settings().url, create=create, source=source)
    ctx.call_on_close(book.close)
    return book


def _date(value: str | None, field: str) -> dt.date | None:
    from budget_tui.controller import validate

    return None if value is None else validate.date(value, field, local=True)


@click.group(
    cls=Cli, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@common
@click.option(
    "--demo",
    is_flag=True,
    expose_value=False,
    callback=_set_demo,
    help="Open the demo book (made by `budget-tui demo`) instead of your own.",
)
@click.version_option(__version__, prog_name="budget-tui")
@click.pass_context
def main(ctx: click.Context) -> None:
    """A keyboard-driven budget tracker for the terminal.

    Without a command, opens the app on the configured database.
    """
    opts = ctx.ensure_object(Options)
    if opts.demo and ctx.invoked_subcommand is None:
        from budget_tui.config import demo_path

        if not demo_path().exists():
            raise ConfigError(
                f"There is no demo book yet ({demo_path()}).",
                hint="Make it with `budget-tui demo`, then run `budget-tui --demo`.",
            )
    if ctx.invoked_subcommand is None:
        _run_tui(ctx)


def _run_tui(ctx: click.Context) -> None:
    from budget_tui.tui import prefetch

    opts = ctx.ensure_object(Options)
    url = opts.settings().url  # an unknown locale or currency is a one-line error here
    # The first screen's data is read by a child process while this one imports Textual; its
    # verdict on the URL comes first, so a URL that can't be read, or a file that is not a budget
    # book, is still a one-line error before the screen opens.
    early = prefetch.start(url, "budget_tui.controller.expenses:browse_this_month")
    import budget_tui.tui.screens.expenses  # noqa: F401  (the first screen, while the child works)
    from budget_tui.tui.app import BudgetApp, setup_logging

    verdict = early.verdict() if early is not None else None
    location: str | None
    if verdict is None:  # no child (no fork), or it died: check here, as the app can
        from budget_tui.db.engine import describe, parse_url
        from budget_tui.db.files import check_sqlite_book

        parse_url(url)
        check_sqlite_book(url, create=True)
        early, location = None, describe(url)
    elif verdict.error is not None:
        assert early is not None
        early.close()
        raise verdict.error
    else:
        location = verdict.location
    setup_logging(opts.echo_sql)
    BudgetApp(url=url, echo_sql=opts.echo_sql, location=location, prefetch=early).run()


@main.command()
@common
@click.option(
    "--expenses",
    "count",
    type=click.IntRange(0, 50_000_000),
    default=2000,
    show_default=True,
    help="How many expenses to add.",
)
@click.option(
    "--seed", type=int, default=42, show_default=True, help="Random seed (same seed, same data)."
)
@click.option(
    "--fresh", is_flag=True, help="Make the separate demo book again if it is already filled."
)
@click.pass_context
def demo(ctx: click.Context, count: int, seed: int, fresh: bool) -> None:
    """Fill a separate demo book with realistic categories, budgets and expenses (last two years).

    Never touches your own book: without --db it fills demo.db in the data directory (open it
    with `budget-tui --demo`); with --db it fills that book only if it is empty.
    """
    from budget_tui.config import demo_url
    from budget_tui.controller.demo import check_empty, fill_demo
    from budget_tui.errors import Conflict
    from budget_tui.words import plural

    opts = ctx.ensure_object(Options)
    own_demo_book = opts.db is None or opts.demo
    if own_demo_book:
        opts.db = demo_url()
        if fresh:
            _remove_demo_book()
    book = _book(ctx)
    try:
        check_empty(book.sessions)  # before the progress bar: a refusal is one line
    except Conflict as error:
        if not own_demo_book:
            raise
        raise Conflict(
            f"The demo book at {book.location} is already filled; nothing was added.",
            hint="Open it with `budget-tui --demo`, or make it again with "
            "`budget-tui demo --fresh`.",
        ) from error
    with click.progressbar(length=count, label="Adding expenses", file=sys.stderr) as bar:
        state = {"done": 0}

        def progress(done: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        added = fill_demo(book.sessions, count, seed=seed, progress=progress)
    click.echo(f"Added {plural(added, 'demo expense')} to {book.location}.", err=True)
    how = "budget-tui --demo" if own_demo_book else f"budget-tui --db {book.location}"
    click.echo(f"Open it with: {how}", err=True)


def _remove_demo_book() -> None:
    """Delete the demo book's SQLite file (and its WAL); only ever the demo book."""
    from budget_tui.config import demo_path

    path = demo_path()
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


@main.command()
@common
@click.option("--from", "start", metavar="DATE", help="First day (default: first of this month).")
@click.option("--to", "end", metavar="DATE", help="Last day, included (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.pass_context
def report(ctx: click.Context, start: str | None, end: str | None, fmt: str) -> None:
    """Spend by category between two dates: category, total, count, share; and the period's
    income, spending (refunds taken off) and net. Income categories are not in the rows."""
    from budget_tui.clock import today
    from budget_tui.controller.periods import Period
    from budget_tui.controller.reports import spend_by_category_report
    from budget_tui.money import currency_code, format_money, plain

    first = _date(start, "from") or today().replace(day=1)
    last = _date(end, "to") or today()
    period = Period.between(first, last)
    book = _book(ctx, create=False)
    result = spend_by_category_report(book.sessions, period)
    flows = result.flows
    in_progress = period.start <= today() < period.end
    if fmt == "json":
        payload = {
            "from": period.start.isoformat(),
            "to": period.last_day.isoformat(),
            "currency": currency_code(),
            "in_progress": in_progress,
            "income": plain(flows.income),
            "spending": plain(flows.spending),
            "net": plain(flows.net),
            "total": plain(result.total),
            "count": result.count,
            "categories": [
                {
                    "category": r.name,
                    "total": plain(r.total),
                    "count": r.count,
                    "share": f"{r.share:.4f}",
                }
                for r in result.rows
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["category", "total", "count", "share"])
        for r in result.rows:
            writer.writerow([r.name, plain(r.total), r.count, f"{r.share:.4f}"])
    else:
        rows = [
            (r.name, format_money(r.total), f"{r.count:,}", f"{r.share * 100:.1f}%")
            for r in result.rows
        ]
        total = (
            "Total",
            format_money(result.total),
            f"{result.count:,}",
            "100.0%" if result.count else "",
        )
        header = ("Category", "Total", "Count", "Share")
        widths = [max(len(str(x[i])) for x in [header, total, *rows]) for i in range(4)]

        def line(cells: tuple[str, ...]) -> str:
            first_cell = cells[0].ljust(widths[0])
            return "  ".join(
                [first_cell, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]
            )

        so_far = " (so far)" if in_progress else ""
        click.echo(
            f"Spend by category, {period.start.isoformat()} to {period.last_day.isoformat()}"
            + so_far
        )
        rate = flows.savings_rate
        saved = f" (saved {rate * 100:.0f}%)" if rate is not None else ""
        click.echo(
            f"Income {format_money(flows.income)} · spending {format_money(flows.spending)} · "
            f"net {format_money(flows.net)}{saved}"
        )
        click.echo(line(header))
        click.echo("  ".join("-" * w for w in widths))
        for row in rows:
            click.echo(line(row))
        click.echo("  ".join("-" * w for w in widths))
        click.echo(line(total))


@main.group()
def category() -> None:
    """Categories: spending (with an optional monthly budget) or income."""


@category.command("add")
@common
@click.argument("name")
@click.option("--income", is_flag=True, help="An income category (salary, interest, gifts).")
@click.option("--budget", metavar="AMOUNT", help="A monthly budget (spending categories only).")
@click.pass_context
def category_add(ctx: click.Context, name: str, income: bool, budget: str | None) -> None:
    """Add a category NAME (unique in any case). Prints the saved category."""
    from budget_tui.controller.categories import create_category
    from budget_tui.money import format_money

    book = _book(ctx)
    made = create_category(book.sessions, name, budget, kind="income" if income else "spending")
    what = "income category" if made.is_income else "category"
    budget_text = (
        f" with a budget of {format_money(made.monthly_budget)} a month"
        if made.monthly_budget is not None
        else ""
    )
    click.echo(f"Added {what} {made.name!r}{budget_text}.")


@main.command("import")
@common
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def import_(ctx: click.Context, file: str) -> None:
    """Import expenses from a CSV file with columns date,description,amount,category.

    All rows are imported, or none: the first bad row stops the import and is named.
    Rows already imported (from this file or an overlapping one) are skipped, so running the
    same import again adds nothing. Unknown categories are created.
    """
    from budget_tui.controller.imports import import_csv

    book = _book(ctx, source="import")
    with open(file, encoding="utf-8-sig", newline="", errors="strict") as fh:
        result = import_csv(book.sessions, fh)
    new = "expense" if result.rows == 1 else "expenses"
    were = "was" if result.skipped == 1 else "were"
    created = (
        f" New categories: {', '.join(result.categories_created)}."
        if result.categories_created
        else ""
    )
    click.echo(
        f"Imported {result.rows:,} new {new}; {result.skipped:,} {were} already imported.{created}",
        err=True,
    )


@main.command()
@common
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write here, not stdout (all or nothing: a failed export leaves no half file).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--from", "start", metavar="DATE", help="First day to export.")
@click.option("--to", "end", metavar="DATE", help="Last day to export, included.")
@click.pass_context
def export(
    ctx: click.Context, output: str | None, force: bool, start: str | None, end: str | None
) -> None:
    """Export expenses as CSV (date,description,amount,category), oldest first.

    Never writes over the book itself, nor over an existing file without --force.
    """
    from budget_tui.controller import export as exports
    from budget_tui.controller.periods import Period
    from budget_tui.controller.views import ExpenseFilter
    from budget_tui.words import plural

    first, last = _date(start, "from"), _date(end, "to")
    period = None
    if first or last:
        period = Period.between(first or dt.date(1900, 1, 1), last or dt.date(2199, 12, 31))
    book = _book(ctx, create=False)
    flt = ExpenseFilter(period=period)
    if output:
        count = exports.export_csv_file(
            book.sessions, output, flt, replace=force, protected=book.files()
        )
        click.echo(f"Exported {plural(count, 'expense')} to {output}.", err=True)
    else:
        exports.export_csv(book.sessions, sys.stdout, flt)


class _SignedAmount(click.Command):
    """``add``: a negative AMOUNT (a refund, ``-45.00``) is an argument, not an option, with
    or without ``--`` in front of it; options after it (``--category``) still count. The
    minus is read as the minus sign U+2212, which the amount check accepts as well."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Options that take a value: "--date -2" (two days ago) keeps its hyphen.
        valued = {
            name
            for p in self.params
            if isinstance(p, click.Option) and not p.is_flag
            for name in p.opts
        }
        out: list[str] = []
        for i, arg in enumerate(args):
            after_option = i > 0 and args[i - 1] in valued
            negative = _NEGATIVE.match(arg) is not None and not after_option
            following = i + 1 < len(args) and _NEGATIVE.match(args[i + 1]) is not None
            if arg == "--" and following and "--" not in args[:i]:
                continue  # only there to protect the amount, which is protected here
            out.append("\u2212" + arg[1:] if negative else arg)
        return super().parse_args(ctx, out)


_NEGATIVE = re.compile(r"^-\d[\d.,\u00a0\u202f]*$")


@main.command(cls=_SignedAmount)
@common
@click.argument("amount")
@click.argument("description")
@click.option("--category", "-c", required=True, help="The category's name (any case).")
@click.option("--date", "-d", "day", default="today", show_default=True, help=DATE_HELP)
@click.pass_context
def add(ctx: click.Context, amount: str, description: str, category: str, day: str) -> None:
    """Add an expense: AMOUNT (like 12.50) and DESCRIPTION, in an existing category.

    A refund is a negative AMOUNT in a spending category, after ``--`` so it is not read as
    an option: ``budget-tui add -- -45.00 "Returned shoes" --category Shopping``. In an
    income category the entry is income (a salary, say).

    The same checks as the app's form; a bad value exits 1 with the field's message.
    Prints the saved expense.
    """
    from budget_tui.controller import validate
    from budget_tui.controller.expenses import create_expense
    from budget_tui.money import format_money

    clean_amount = validate.entry_amount(amount)
    book = _book(ctx)
    saved = create_expense(
        book.sessions,
        description=description,
        amount=clean_amount,
        occurred_on=day,
        category=category,
    )
    click.echo(
        f"Saved #{saved.id}: {saved.occurred_on.isoformat()}  {saved.description}  "
        f"{format_money(saved.amount)}  in {saved.category_name}"
    )


@main.command()
@common
@click.argument("change_id", required=False, type=click.IntRange(1, 2**63 - 1))
@click.pass_context
def undo(ctx: click.Context, change_id: int | None) -> None:
    """Undo a change: the last one, or CHANGE_ID from `budget-tui history`.

    Refused (exit 1, nothing changed) when a row it touched was changed since.
    """
    from budget_tui.controller.history import undo as undo_change

    book = _book(ctx, create=False)
    click.echo(undo_change(book.sessions, change_id).message)


@main.command()
@common
@click.pass_context
def redo(ctx: click.Context) -> None:
    """Redo the change the last undo took back."""
    from budget_tui.controller.history import redo as redo_change

    book = _book(ctx, create=False)
    click.echo(redo_change(book.sessions).message)


@main.command()
@common
@click.option(
    "--source",
    metavar="S",
    help="Only changes by S: tui, cli, import, schedule, mcp (any client) or mcp:<client>.",
)
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="How many."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def history(ctx: click.Context, source: str | None, limit: int, fmt: str) -> None:
    """The book's changes, newest first: id, time, source, what it did."""
    from budget_tui.controller.history import list_changes

    book = _book(ctx, create=False)
    changes = list_changes(book.sessions, source=source, limit=limit)
    if fmt == "json":
        payload = [
            {
                "id": c.id,
                "at": c.at.astimezone(dt.UTC).isoformat(),
                "source": c.source,
                "action": c.action,
                "summary": c.summary,
                "group_id": c.group_id,
                "reverts": c.reverts,
                "undone": c.undone,
            }
            for c in changes
        ]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    rows = [
        (
            str(c.id),
            c.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            c.source,
            c.summary + (" (undone)" if c.undone else ""),
        )
        for c in changes
    ]
    header = ("ID", "Time", "Source", "Change")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        click.echo("  ".join([*(v.ljust(w) for v, w in zip(row[:3], widths, strict=True)), row[3]]))


@main.group(invoke_without_command=True)
@common
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http"]),
    default="stdio",
    show_default=True,
    help="stdio for a client that starts the server; http (Streamable HTTP, with a token) "
    "for one that connects to it.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="HTTP: the address to listen on."
)
@click.option(
    "--port", default=8770, show_default=True, type=click.IntRange(1, 65535), help="HTTP: port."
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="HTTP: another Host name clients may use (the loopback names and --host always may).",
)
@click.option("--allow-write", is_flag=True, help="Also offer tools that add, change and delete.")
@click.pass_context
def mcp(
    ctx: click.Context,
    transport: str,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...],
    allow_write: bool,
) -> None:
    """Run an MCP server for AI assistants (read-only unless --allow-write).

    Over HTTP every request needs the token that `budget-tui mcp token` shows.
    """
    if ctx.invoked_subcommand is not None:
        return
    opts = ctx.ensure_object(Options)
    if transport == "http":
        from budget_tui.mcp_server import run_http

        run_http(
            opts.settings().url,
            host=host,
            port=port,
            allowed_hosts=allowed_hosts,
            allow_write=allow_write,
            echo_sql=opts.echo_sql,
        )
        return
    from budget_tui.mcp_server import run_stdio

    run_stdio(opts.settings().url, allow_write=allow_write, echo_sql=opts.echo_sql)


@mcp.command("token")
@click.option("--rotate", is_flag=True, help="Replace it: clients using the old one stop working.")
def mcp_token(rotate: bool) -> None:
    """Show the bearer token HTTP clients send (made on first use, readable by you only)."""
    from budget_tui.mcp.token import load_token, rotate_token

    click.echo(rotate_token() if rotate else load_token())


@main.command()
@common
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the app in a web browser (textual-serve). Listens on 127.0.0.1 only unless --host says otherwise."""
    import os
    import shlex

    from textual_serve.server import Server

    opts = ctx.ensure_object(Options)
    settings = opts.settings()
    # The URL travels in the environment, not on a command line other users can read with ps.
    os.environ["DATABASE_URL"] = settings.url
    scope = (
        "this machine only"
        if host in ("127.0.0.1", "localhost", "::1")
        else "the network: anyone who can reach it can open your book"
    )
    click.echo(f"Serving budget-tui at http://{host}:{port} ({scope}).", err=True)
    command = f"{shlex.quote(sys.executable)} -m budget_tui"
    Server(command, host=host, port=port, title="budget-tui").serve()


@main.group()
def db() -> None:
    """Database schema and information."""


@db.command("upgrade")
@common
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Create or upgrade the schema to the latest revision (data is kept)."""
    from budget_tui.controller.book import info

    book = _book(ctx)
    click.echo(f"{book.location} is at schema revision {info(book.sessions).revision}.")


@db.command("info")
@common
@click.pass_context
def db_info(ctx: click.Context) -> None:
    """Backend, location (password hidden), schema revision and row counts."""
    from budget_tui.controller.book import info

    opts = ctx.ensure_object(Options)
    book = _book(ctx, create=False)
    details = info(book.sessions)
    click.echo(f"backend:    {details.backend}")
    click.echo(f"location:   {details.location}")
    click.echo(f"from:       {opts.settings().source}")
    click.echo(f"revision:   {details.revision}")
    click.echo(f"categories: {details.categories:,}")
    click.echo(f"expenses:   {details.expenses:,}")
