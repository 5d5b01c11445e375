"""The ``mcp`` command: the server for AI assistants, and its HTTP token."""

from __future__ import annotations

from typing import Literal

import click

from budget_tui.cli._base import Options, common, main


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
@click.option(
    "--allow-write",
    type=click.Choice(["propose", "direct"]),
    is_flag=False,
    flag_value="propose",
    default=None,
    help="Also offer tools that add, change and delete. propose (the default): each change "
    "waits for your OK in the app's Inbox (key 6); direct: changes are made at once.",
)
@click.pass_context
def mcp(
    ctx: click.Context,
    transport: str,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...],
    allow_write: str | None,
) -> None:
    """Run an MCP server for AI assistants (read-only unless --allow-write).

    --allow-write (or --allow-write=propose) makes the assistant's changes proposals that you
    accept or reject in the app's Inbox; --allow-write=direct lets it change the book at once.

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
            allow_write=_mode(allow_write),
            echo_sql=opts.echo_sql,
        )
        return
    from budget_tui.mcp_server import run_stdio

    run_stdio(opts.settings().url, allow_write=_mode(allow_write), echo_sql=opts.echo_sql)


def _mode(allow_write: str | None) -> Literal["propose", "direct"] | Literal[False]:
    if allow_write is None:
        return False
    return "direct" if allow_write == "direct" else "propose"


@mcp.command("token")
@click.option("--rotate", is_flag=True, help="Replace it: clients using the old one stop working.")
def mcp_token(rotate: bool) -> None:
    """Show the bearer token HTTP clients send (made on first use, readable by you only)."""
    from budget_tui.mcp.token import load_token, rotate_token

    click.echo(rotate_token() if rotate else load_token())
