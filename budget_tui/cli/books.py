"""Commands for the book as a whole: demo, export, db, serve (import: cli/imports.py)."""

from __future__ import annotations

import datetime as dt
import sys

import click

from budget_tui.cli._base import Options, common, main, open_book_for, parse_date


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
    book = open_book_for(ctx)
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

    first, last = parse_date(start, "from"), parse_date(end, "to")
    period = None
    if first or last:
        period = Period.between(first or dt.date(1900, 1, 1), last or dt.date(2199, 12, 31))
    book = open_book_for(ctx, create=False)
    flt = ExpenseFilter(period=period)
    if output:
        count = exports.export_csv_file(
            book.sessions, output, flt, replace=force, protected=book.files()
        )
        click.echo(f"Exported {plural(count, 'expense')} to {output}.", err=True)
    else:
        exports.export_csv(book.sessions, sys.stdout, flt)


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

    book = open_book_for(ctx)
    click.echo(f"{book.location} is at schema revision {info(book.sessions).revision}.")


@db.command("info")
@common
@click.pass_context
def db_info(ctx: click.Context) -> None:
    """Backend, location (password hidden), schema revision and row counts."""
    from budget_tui.controller.book import info

    opts = ctx.ensure_object(Options)
    book = open_book_for(ctx, create=False)
    details = info(book.sessions)
    click.echo(f"backend:    {details.backend}")
    click.echo(f"location:   {details.location}")
    click.echo(f"from:       {opts.settings().source}")
    click.echo(f"revision:   {details.revision}")
    click.echo(f"categories: {details.categories:,}")
    click.echo(f"expenses:   {details.expenses:,}")
