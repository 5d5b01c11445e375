"""An MCP server over the controller, so an AI assistant can answer questions from the book.

``budget-tui mcp`` calls :func:`run_stdio`; ``budget-tui mcp --transport http`` calls
:func:`run_http` (Streamable HTTP behind a bearer token, :mod:`budget_tui.mcp.http`). The server is read-only unless ``allow_write`` is
given, and the database enforces it: the book is opened with ``read_only=True`` (a read-only
SQLite connection, read-only PostgreSQL transactions), so even a write that slipped past the tool
list would be refused. With ``allow_write`` the book opens normally and the write tools appear.

Every tool is a thin layer over controller actions (the same transactions the TUI runs). Results
are structured: amounts are strings with two decimals, plus the ``currency`` code of the book;
dates are ISO ``YYYY-MM-DD``. A bad argument comes back as a tool error whose text is the
controller's :class:`~budget_tui.errors.BudgetError` message; no message carries the database URL.
Arguments are strict (:mod:`budget_tui.mcp.toolbox`): an argument name a tool doesn't take, or
``true``/``false`` where a number goes, is refused with a tool error naming it.
The tools live in :mod:`budget_tui.mcp`.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal

from mcp.server.mcpserver import MCPServer

from budget_tui import __version__
from budget_tui.controller.book import Book, open_book
from budget_tui.errors import BudgetError, ConfigError
from budget_tui.mcp.history_tools import history_tools
from budget_tui.mcp.logs import accept_log_levels
from budget_tui.mcp.prompts import add_prompts
from budget_tui.mcp.read_tools import read_tools
from budget_tui.mcp.resources import add_resources
from budget_tui.mcp.schedule_tools import schedule_tools
from budget_tui.mcp.write_tools import write_tools

SERVER_NAME = "budget-tui"
INSTRUCTIONS = (
    "Answers questions about the user's own spending, from their budget-tui database. "
    "Amounts are strings with two decimals in the currency named by each result's `currency`; "
    "dates are ISO (YYYY-MM-DD); months are YYYY-MM. Categories are given by name, in any case "
    "(list_categories shows them). Date ranges are inclusive of both ends; range tools also "
    "take period=this-month, last-month, this-year, last-year or last-12-months, and months "
    "may be this-month or last-month (results echo the dates)."
)


WriteMode = bool | Literal["propose", "direct"]
PROPOSING = (
    " Changes are proposed, not made: each write tool answers with a proposal that waits for "
    "the person's OK in the app; tell them it is in their Inbox."
)


def write_mode(allow_write: WriteMode) -> str | None:
    """None (read-only), "propose" or "direct" (``True`` is "direct", as before proposals)."""
    if allow_write is False:
        return None
    if allow_write is True:
        return "direct"
    if allow_write not in ("propose", "direct"):
        raise ValueError(f"unknown write mode {allow_write!r}")
    return allow_write


def create_server(book: Book, *, allow_write: WriteMode = False) -> MCPServer:
    """An MCP server whose tools act on ``book``. Write tools exist only with ``allow_write``
    ("propose", or "direct"/True); open the book with ``read_only=not allow_write`` so the
    database enforces the same."""
    mode = write_mode(allow_write)
    direct = mode == "direct"
    reading = read_tools(book)
    server = MCPServer(
        SERVER_NAME,
        title="budget-tui",
        version=__version__,
        instructions=INSTRUCTIONS
        + {
            None: " This server is read-only: it cannot change anything.",
            "propose": PROPOSING,
            "direct": "",
        }[mode],
        log_level="WARNING",
        tools=reading
        + ([] if mode is None else write_tools(book, propose=mode == "propose"))
        + history_tools(book, allow_write=direct)
        + schedule_tools(book, allow_write=direct),
    )
    add_resources(server, reading)
    add_prompts(server, book)
    accept_log_levels(server)
    return server


def _log_sql_to_stderr() -> None:
    # SQLAlchemy's own echo writes to stdout, which is the MCP channel here.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    sql_log = logging.getLogger("sqlalchemy.engine")
    sql_log.addHandler(handler)
    sql_log.setLevel(logging.INFO)
    sql_log.propagate = False


def _open(url: str, *, allow_write: WriteMode, echo_sql: bool) -> Book:
    if echo_sql:
        _log_sql_to_stderr()
    try:
        book = open_book(url, read_only=not allow_write, source="mcp")
    except ConfigError as error:
        if allow_write or error.hint:
            raise
        raise ConfigError(
            error.message,
            hint="The MCP server opens the book read-only, so it must exist: run "
            "`budget-tui db upgrade` (or open budget-tui once) first.",
        ) from None
    if allow_write:
        # As the app and the CLI do: what the schedules have due is posted when the book opens
        # (a read-only server can't; the next writable opening does).
        from budget_tui.controller.schedules import post_on_open

        try:
            post_on_open(book.sessions)
        except BudgetError as error:
            logging.getLogger("budget_tui.mcp").warning("posting due entries failed: %s", error)
    return book


def run_stdio(url: str, *, allow_write: WriteMode = False, echo_sql: bool = False) -> None:
    """Serve the book at ``url`` over stdio until the client's input ends and every request it
    sent has been answered (:mod:`budget_tui.mcp.stdio`).

    Read-only unless ``allow_write``: the database itself refuses writes. Raises ConfigError or
    DatabaseUnavailable (never quoting the URL) when the book can't be opened; a read-only open
    needs a database that budget-tui has created already.
    """
    import anyio

    from budget_tui.mcp.stdio import serve_stdio

    book = _open(url, allow_write=allow_write, echo_sql=echo_sql)
    try:
        anyio.run(serve_stdio, create_server(book, allow_write=allow_write))
    finally:
        book.close()


_ACCESS = {None: "read-only", "propose": "writes proposed", "direct": "read and write"}


def run_http(
    url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8770,
    allowed_hosts: tuple[str, ...] = (),
    allow_write: WriteMode = False,
    echo_sql: bool = False,
) -> None:
    """Serve the book at ``url`` over Streamable HTTP at ``http://host:port/mcp`` until
    interrupted. Every request needs the bearer token (made on first use; ``budget-tui mcp
    token`` shows it); read-only unless ``allow_write``, exactly as :func:`run_stdio`."""
    from budget_tui.mcp.http import PATH, is_loopback, serve
    from budget_tui.mcp.token import load_token, token_path

    token = load_token()
    book = _open(url, allow_write=allow_write, echo_sql=echo_sql)
    shown = f"[{host}]" if ":" in host else host
    reach = "this machine only" if is_loopback(host) else "the network"
    print(
        f"budget-tui MCP server at http://{shown}:{port}{PATH} ({reach}; "
        f"{_ACCESS[write_mode(allow_write)]}). Clients send "
        f"'Authorization: Bearer <token>'; the token is in {token_path()} "
        "(`budget-tui mcp token` shows it).",
        file=sys.stderr,
        flush=True,
    )
    try:
        serve(
            create_server(book, allow_write=allow_write),
            token=token,
            host=host,
            port=port,
            allowed_hosts=allowed_hosts,
        )
    finally:
        book.close()
