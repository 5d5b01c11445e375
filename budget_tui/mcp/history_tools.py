"""The history tools: ``list_changes`` (read) and, with ``--allow-write``, ``undo_change``.

Every change an assistant makes is recorded with the source ``mcp:<client>``, the client's name
from the MCP handshake (:func:`client_source`), so a person can see (History screen,
``budget-tui history --source mcp``) and undo what it did. ``undo_change`` undoes only the
calling client's own changes unless ``any_source`` is given.
"""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from pydantic import BaseModel, Field

from budget_tui.controller import history, ledger
from budget_tui.controller.book import Book
from budget_tui.controller.views import ChangeView
from budget_tui.mcp.arguments import RowId, tool_errors
from budget_tui.mcp.paging import (
    DEFAULT_LIMIT,
    ChangeLimit,
    PageCursor,
    SortChanges,
    change_cursor,
    check_limit,
    encode,
)
from budget_tui.mcp.toolbox import ToolBox, reads, writes


def client_source(ctx: Context) -> str:
    """``mcp:<client name>`` from the MCP handshake (``mcp:unknown`` when it gave none)."""
    name = None
    try:
        params = ctx.request_context.session.client_params
    except (ValueError, AttributeError):
        params = None
    if params is not None and params.client_info is not None:
        name = params.client_info.name
    return ledger.clean_source(f"mcp:{name or 'unknown'}")


class ChangeItem(BaseModel):
    id: int
    at: str = Field(description="When, ISO 8601 with time zone")
    source: str = Field(description="tui, cli, import, schedule, or mcp:<client>")
    action: str = Field(description="expense.add, expense.edit, ..., import, undo, redo")
    summary: str
    undone: bool = Field(description="True while the change is undone")
    reverts: int | None = Field(description="For an undo or redo: the change it acted on")


class ChangeList(BaseModel):
    sort: str = Field(description="The order of the list: date-desc or date-asc")
    next_cursor: str | None = Field(
        description="Give it as cursor (same filters and sort) for the next page; null at the end"
    )
    changes: list[ChangeItem] = Field(description="This page, in the order sort names")


class UndoOutcome(BaseModel):
    message: str = Field(description="What was undone, e.g. Undid: delete 'Lunch' 12.50 on ...")
    undo: ChangeItem = Field(description="The undo, itself a recorded change")
    undone: ChangeItem = Field(description="The change that was undone")


def change_item(view: ChangeView) -> ChangeItem:
    return ChangeItem(
        id=view.id,
        at=view.at.isoformat(),
        source=view.source,
        action=view.action,
        summary=view.summary,
        undone=view.undone,
        reverts=view.reverts,
    )


def history_tools(book: Book, *, allow_write: bool) -> list[Tool]:
    """list_changes, and undo_change when ``allow_write``."""
    sessions = book.sessions
    box = ToolBox()

    @box.tool(title="List changes", annotations=reads())
    @tool_errors
    def list_changes(
        source: Annotated[
            str | None,
            Field(description="Only this source: tui, cli, import, mcp (any client), mcp:<client>"),
        ] = None,
        mine: Annotated[bool, Field(description="Only the changes this client made")] = False,
        sort: SortChanges = "date-desc",
        cursor: PageCursor = None,
        limit: ChangeLimit = DEFAULT_LIMIT,
        ctx: Context | None = None,
    ) -> ChangeList:
        """The book's changes, one page at a time (newest first unless sort is date-asc): who
        made each (source), when, and what it did.

        mine: true for only the changes made by this client (source mcp:<your name>).
        When next_cursor is not null, call again with cursor=next_cursor (same other arguments)
        for the next page; following the cursors lists every change exactly once.
        """
        wanted = client_source(ctx) if (mine and ctx is not None) else source
        boundary = change_cursor(cursor, sort)
        oldest_first = sort == "date-asc"
        rows = history.list_changes(
            sessions,
            source=wanted,
            limit=check_limit(limit, "changes") + 1,
            before_id=None if oldest_first else boundary,
            after_id=boundary if oldest_first else None,
            oldest_first=oldest_first,
        )
        page = rows[:limit]
        more = len(rows) > limit
        return ChangeList(
            sort=sort,
            next_cursor=encode(sort, None, page[-1].id) if more else None,
            changes=[change_item(c) for c in page],
        )

    if allow_write:

        @box.tool(title="Undo a change", annotations=writes(destructive=True, idempotent=False))
        @tool_errors
        def undo_change(
            change_id: RowId,
            any_source: Annotated[
                bool,
                Field(description="Also undo a change made by someone else (ask the person first)"),
            ] = False,
            ctx: Context | None = None,
        ) -> UndoOutcome:
            """Undo one change from list_changes. Only this client's own changes, unless
            any_source is true (do that only when the person asked for it).

            Refused, changing nothing, when a row it touched was changed since; the error says
            what the row holds now.
            """
            me = client_source(ctx) if ctx is not None else "mcp:unknown"
            with ledger.acting_as(me):
                result = history.undo(sessions, change_id, source=None if any_source else me)
            return UndoOutcome(
                message=result.message,
                undo=change_item(result.change),
                undone=change_item(result.target),
            )

    return box.tools
