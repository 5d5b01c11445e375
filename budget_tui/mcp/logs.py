"""Logging each tool call to the client, at the level the client asks for.

A client opts in: on 2026-07-28+ connections with the log level in each request's ``_meta``
(the SDK drops what is below it), on older ones with ``logging/setLevel`` (kept per connection
here; nothing is sent before it). Each call is one line at ``info`` (``search_expenses(start,
end): answered in 12 ms``) or, for a refusal, one at ``warning`` with the refusal's text (the
same text the caller reads). Only argument *names* are logged, never their values, and nothing
from the database driver: no password, URL or SQL parameter can reach a log line.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
import weakref
from collections.abc import Iterable
from typing import Any, get_args

from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPDeprecationWarning
from mcp_types import EmptyResult, LoggingLevel, SetLevelRequestParams
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

LOGGER = "budget-tui"
_LEVELS: tuple[str, ...] = get_args(LoggingLevel)
_log = logging.getLogger("budget_tui.mcp")
# The level each handshake-era connection asked for with logging/setLevel.
_asked: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _connection(session: Any) -> Any:
    return getattr(session, "_connection", session)


def accept_log_levels(server: MCPServer) -> None:
    """Answer ``logging/setLevel`` (and so advertise the logging capability)."""

    async def set_level(ctx: Any, params: SetLevelRequestParams) -> EmptyResult:
        # A session that can't be weakly referenced is sent no log lines.
        with contextlib.suppress(TypeError):
            _asked[_connection(ctx.session)] = params.level
        return EmptyResult()

    server._lowlevel_server.add_request_handler(
        "logging/setLevel", SetLevelRequestParams, set_level
    )


def _wanted(context: Any, level: str) -> bool:
    try:
        request = context.request_context
    except (ValueError, AttributeError):
        return False  # called outside a request (a test calling the function): no client
    if request.protocol_version in MODERN_PROTOCOL_VERSIONS:
        return True  # the SDK keeps only what this request opted in to
    try:
        asked = _asked.get(_connection(request.session))
    except TypeError:
        asked = None
    return asked is not None and _LEVELS.index(level) >= _LEVELS.index(asked)


def call_line(tool: str, names: Iterable[str], outcome: str) -> str:
    """``tool(name, name): outcome``, argument names only."""
    shown = ", ".join(sorted(str(n)[:40] for n in names))
    return f"{tool}({shown}): {outcome}"


async def log_call(context: Any, level: LoggingLevel, line: str) -> None:
    """Send ``line`` to the client at ``level`` if it asked for that level; never fails."""
    if context is None or not _wanted(context, level):
        return
    try:
        # The SDK marks logging deprecated for 2026-07-28 clients; it still serves them.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MCPDeprecationWarning)
            await context.log(level, line, logger_name=LOGGER)
    except Exception:  # a closed stream must not turn an answer into an error
        _log.debug("could not send a log line to the client", exc_info=True)
