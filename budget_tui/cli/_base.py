"""The command group, its shared options, and how errors become exit codes (see the package
docstring)."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from typing import Any

import click

from budget_tui import __version__
from budget_tui.errors import (
    BudgetError,
    exit_code,
    render,
)

DATE_HELP = "YYYY-MM-DD, today, yesterday, or -3 (three days ago)."


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
        help="Database URL, or the path of an SQLite file (default: DATABASE_URL, then .env, "
        "then SQLite in the data dir).",
    )(fn)
    return click.option(
        "--echo-sql",
        is_flag=True,
        expose_value=False,
        callback=_set_echo,
        help="Print SQL statements (never their parameters) to stderr.",
    )(fn)


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


def open_book_for(
    ctx: click.Context, *, create: bool = True, source: str = "cli", post: bool = True
):
    """Open the configured book; ``create=False`` for commands that only read (no book is made).
    Changes are recorded as made by ``source`` (``cli``, or ``import`` for an import). A
    command that may write (``create``) first posts what the schedules have due, unless
    ``post`` is False (``post-due`` posts and prints it itself)."""
    from budget_tui.controller.book import open_book

    opts = ctx.ensure_object(Options)
    if opts.echo_sql:
        _echo_sql()
    book = open_book(opts.settings().url, create=create, source=source)
    ctx.call_on_close(book.close)
    if create and post:
        # A command that may write posts what its schedules have due, as the app does; commands
        # that only read never change the book.
        post_due_entries(book)
    return book


def post_due_entries(book) -> None:
    """Post the schedules' due entries (cheap when nothing is due) and say so on stderr."""
    from budget_tui.controller.schedules import post_on_open
    from budget_tui.money import format_money
    from budget_tui.words import plural

    posted = post_on_open(book.sessions).posted
    if posted:
        shown = "; ".join(
            f"{e.occurred_on.isoformat()} {e.description} {format_money(e.amount)}"
            for e in posted[:3]
        )
        more = f" and {len(posted) - 3} more" if len(posted) > 3 else ""
        click.echo(
            f"Posted {plural(len(posted), 'scheduled entry', 'scheduled entries')}: {shown}{more}.",
            err=True,
        )


def parse_date(value: str | None, field: str) -> dt.date | None:
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
    if ctx.invoked_subcommand is None:
        from budget_tui.tui.start import run_app

        opts = ctx.ensure_object(Options)
        ctx.exit(run_app(opts.db, demo=opts.demo, echo_sql=opts.echo_sql))
