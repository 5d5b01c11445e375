"""Sorting and keyset cursors for the list tools.

A list tool answers one page and a ``next_cursor``; giving it back (with the same filters and
sort) continues after the page's last row, by keyset on (sort value, id) through the
controller's own paging (``expense_list.list_expenses``, ``history.list_changes``), never by offset:
following the cursors lists every matching row exactly once, even while rows are added or
deleted between pages. A cursor is opaque to the client: URL-safe base64 of a small JSON object
naming its sort, so a cursor given with another sort is refused rather than misread.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import Field

from budget_tui.controller.views import Cursor
from budget_tui.errors import InvalidInput

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
_CURSOR_MAX = 200

ExpenseSort = Literal["date-desc", "date-asc", "amount-desc", "amount-asc"]
ChangeSort = Literal["date-desc", "date-asc"]
ScheduleSort = Literal["date-asc", "date-desc", "amount-desc", "amount-asc"]

SortExpenses = Annotated[
    ExpenseSort,
    Field(
        description="Order of the list: date-desc (newest first, the default), date-asc, "
        "amount-desc (largest first) or amount-asc; ties by id"
    ),
]
SortChanges = Annotated[
    ChangeSort,
    Field(description="Order of the list: date-desc (newest first, the default) or date-asc"),
]
SortSchedules = Annotated[
    ScheduleSort,
    Field(
        description="Order of the list: date-asc (next to fall due first, the default; those "
        "with none left last), date-desc, amount-desc (largest first) or amount-asc; ties by id"
    ),
]
PageCursor = Annotated[
    str | None,
    Field(
        description="next_cursor from the previous page, to continue after it (same filters "
        "and sort); leave out for the first page",
        max_length=_CURSOR_MAX,
    ),
]


def _limit(what: str) -> Any:
    # The range is in the schema (minimum/maximum) and checked by check_limit, whose refusal
    # reads like the app's messages (pydantic's would not).
    return Field(
        description=f"How many {what} on this page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})",
        json_schema_extra={"minimum": 1, "maximum": MAX_LIMIT},
    )


ExpenseLimit = Annotated[int, _limit("expenses")]
ChangeLimit = Annotated[int, _limit("changes")]
ScheduleLimit = Annotated[int, _limit("schedules")]


def check_limit(limit: int, what: str) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"Ask for 1 to {MAX_LIMIT} {what}.")
    return limit


def split_sort(sort: str) -> tuple[str, bool]:
    """("date" or "amount", descending) from a sort name."""
    key, _, direction = sort.partition("-")
    return key, direction != "asc"


def encode(sort: str, value: object, row_id: int) -> str:
    payload: dict[str, Any] = {"s": sort, "i": row_id}
    if value is not None:
        payload["v"] = value.isoformat() if isinstance(value, dt.date) else str(value)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _payload(cursor: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        payload = None
    row_id = payload.get("i") if isinstance(payload, dict) else None
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 <= row_id < 2**63:
        raise InvalidInput(
            "cursor", "This is not a cursor from a listing; give next_cursor as it came."
        )
    return payload


def _check_sort(payload: dict[str, Any], sort: str) -> None:
    if payload.get("s") != sort:
        raise InvalidInput(
            "cursor",
            f"This cursor continues a list sorted {payload.get('s')!s}, not {sort}; "
            "give the same sort, or leave the cursor out to start again.",
        )


def expense_cursor(cursor: str | None, sort: str) -> Cursor | None:
    """The controller's keyset boundary for an expense cursor. Raises InvalidInput."""
    if cursor is None:
        return None
    payload = _payload(cursor)
    _check_sort(payload, sort)
    key, _ = split_sort(sort)
    try:
        text = str(payload["v"])
        value: object = dt.date.fromisoformat(text) if key == "date" else Decimal(text)
    except (KeyError, ValueError, InvalidOperation):
        raise InvalidInput(
            "cursor", "This is not a cursor from a listing; give next_cursor as it came."
        ) from None
    return Cursor(value, payload["i"])


def change_cursor(cursor: str | None, sort: str) -> int | None:
    """The change id a change-list cursor continues after. Raises InvalidInput."""
    if cursor is None:
        return None
    payload = _payload(cursor)
    _check_sort(payload, sort)
    return int(payload["i"])


def schedule_cursor(cursor: str | None, sort: str) -> tuple[str | None, int] | None:
    """The (sort value as text, or None; id) a schedule-list cursor continues after. Raises
    InvalidInput."""
    if cursor is None:
        return None
    payload = _payload(cursor)
    _check_sort(payload, sort)
    value = payload.get("v")
    if value is not None and not isinstance(value, str):
        raise InvalidInput(
            "cursor", "This is not a cursor from a listing; give next_cursor as it came."
        )
    return value, int(payload["i"])
