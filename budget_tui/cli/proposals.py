"""The ``proposals`` command: what an assistant in propose mode asked to change, and answering
it from the command line as the app's Inbox does."""

from __future__ import annotations

import datetime as dt
import json

import click

from budget_tui.cli._base import common, main, open_book_for

_ID = click.IntRange(1, 2**63 - 1)


@main.group(invoke_without_command=True)
@common
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def proposals(ctx: click.Context, fmt: str) -> None:
    """The changes an assistant proposed that wait for your OK, newest first (accept or reject
    them here, or in the app's Inbox)."""
    if ctx.invoked_subcommand is not None:
        return
    from budget_tui.controller.proposals import list_proposals

    book = open_book_for(ctx, create=False)
    pending = list_proposals(book.sessions)
    if fmt == "json":
        payload = [
            {
                "id": p.id,
                "at": p.created_at.astimezone(dt.UTC).isoformat(),
                "source": p.source,
                "tool": p.tool,
                "arguments": p.arguments,
                "summary": p.summary,
                "status": p.status,
            }
            for p in pending
        ]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not pending:
        click.echo("Nothing waits for your OK.")
        return
    rows = [
        (str(p.id), p.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), p.source, p.summary)
        for p in pending
    ]
    header = ("ID", "Time", "From", "Would")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        click.echo("  ".join([*(v.ljust(w) for v, w in zip(row[:3], widths, strict=True)), row[3]]))


@proposals.command("accept")
@common
@click.argument("proposal_id", type=_ID)
@click.pass_context
def accept(ctx: click.Context, proposal_id: int) -> None:
    """Make proposal PROPOSAL_ID's change (recorded as made by the assistant that asked)."""
    from budget_tui.controller.proposals import accept_proposal

    book = open_book_for(ctx, create=False)
    done = accept_proposal(book.sessions, proposal_id)
    click.echo(f"Accepted #{done.id}: {done.summary} (change {done.change_id}, by {done.source})")


@proposals.command("reject")
@common
@click.argument("proposal_id", type=_ID)
@click.pass_context
def reject(ctx: click.Context, proposal_id: int) -> None:
    """Reject proposal PROPOSAL_ID; the book is left as it is."""
    from budget_tui.controller.proposals import reject_proposal

    book = open_book_for(ctx, create=False)
    done = reject_proposal(book.sessions, proposal_id)
    click.echo(f"Rejected #{done.id}: {done.summary}")
