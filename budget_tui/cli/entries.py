"""Entries one at a time, and the history: add, undo, redo, history."""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from budget_tui.cli._base import DATE_HELP, common, main, open_book_for


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
    book = open_book_for(ctx)
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

    book = open_book_for(ctx, create=False)
    click.echo(undo_change(book.sessions, change_id).message)


@main.command()
@common
@click.pass_context
def redo(ctx: click.Context) -> None:
    """Redo the change the last undo took back."""
    from budget_tui.controller.history import redo as redo_change

    book = open_book_for(ctx, create=False)
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

    book = open_book_for(ctx, create=False)
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
