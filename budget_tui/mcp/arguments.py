"""Reading tool arguments, and turning a BudgetError into the tool error an MCP client reads."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from budget_tui.clock import today
from budget_tui.controller import validate
from budget_tui.controller.periods import Period, add_months, month_start
from budget_tui.errors import BudgetError, InvalidInput, NotFound, render

P = ParamSpec("P")
R = TypeVar("R")

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
FIRST_MONTH = month_start(validate.EARLIEST)
LAST_MONTH = month_start(validate.LATEST)
MONTH_RANGE = f"The month must be between {FIRST_MONTH:%Y-%m} and {LAST_MONTH:%Y-%m}."
# Ids and versions are 64-bit in the database; a larger number must fail here, not in the driver.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1, description="An id from a listing")]
Version = Annotated[int, Field(ge=1, le=2**63 - 1, description="The version from a listing")]

# Parameter types with the words an agent reads in the input schema. The schema states the
# form (format, pattern); the tools check values themselves, so that a refusal reads like the
# app's own messages. Optional ones carry their description at the top, not inside anyOf.
_DATE = {"format": "date"}
MONTH_PATTERN = r"^(\d{4}-\d{2}(-\d{2})?|this-month|last-month)$"
_MONTH_FORM = {"pattern": MONTH_PATTERN}
_MONTH_WORDS = {"this-month": 0, "last-month": -1}
# Periods named relative to today (the app's clock); the results echo the dates they resolve to.
RELATIVE_PERIODS = ("this-month", "last-month", "this-year", "last-year", "last-12-months")
RelativeName = Literal["this-month", "last-month", "this-year", "last-year", "last-12-months"]
PeriodName = Annotated[
    RelativeName | None,
    Field(
        description="A period relative to today instead of start and end: this-month, "
        "last-month, this-year, last-year or last-12-months (the 12 months ending with this "
        "one); the result echoes its dates"
    ),
]
_AMOUNT_FORM = {"pattern": r"^\d+(\.\d{1,2})?$"}
_AMOUNT_WORDS = (
    "a decimal string with a dot and at most two decimals, like 1234.50 (no thousands "
    "separators, no currency sign; read the same whatever the server's locale)"
)
CategoryName = Annotated[str, Field(description="A category name, in any case")]
AnyCategory = Annotated[
    str | None, Field(description="A category name, in any case; leave out for every category")
]
StartDate = Annotated[
    str | None,
    Field(
        description="First day included, YYYY-MM-DD; leave out for no lower bound",
        json_schema_extra=_DATE,
    ),
]
EndDate = Annotated[
    str | None,
    Field(
        description="Last day included, YYYY-MM-DD; leave out for no upper bound",
        json_schema_extra=_DATE,
    ),
]
Day = Annotated[str, Field(description="A day, YYYY-MM-DD", json_schema_extra=_DATE)]
Month = Annotated[
    str | None,
    Field(
        description="YYYY-MM, any YYYY-MM-DD in the month, this-month or last-month; leave "
        "out for this month",
        json_schema_extra=_MONTH_FORM,
    ),
]
Amount = Annotated[
    str | float,
    Field(description=f"Positive: {_AMOUNT_WORDS}", json_schema_extra=_AMOUNT_FORM),
]
AmountBound = Annotated[
    str | float | None,
    Field(
        description=f"Included bound on the amount: {_AMOUNT_WORDS}; leave out for none",
        json_schema_extra=_AMOUNT_FORM,
    ),
]
NewAmount = Annotated[
    str | float | None,
    Field(
        description=f"Positive: {_AMOUNT_WORDS}; leave out to keep it",
        json_schema_extra=_AMOUNT_FORM,
    ),
]
_ENTRY_FORM = {"pattern": r"^-?\d+(\.\d{1,2})?$"}
EntryAmount = Annotated[
    str | float,
    Field(
        description=f"Not 0, negative (-45.00) for a refund: {_AMOUNT_WORDS}",
        json_schema_extra=_ENTRY_FORM,
    ),
]
NewEntryAmount = Annotated[
    str | float | None,
    Field(
        description=f"Not 0, negative for a refund: {_AMOUNT_WORDS}; leave out to keep it",
        json_schema_extra=_ENTRY_FORM,
    ),
]
_DECIMAL = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def decimal_text(value: object, field: str) -> object:
    """A string amount as a Decimal, read as a plain decimal with a dot, never in the server's
    locale (where "1,234" or "12.500" may mean something else); other values as they are.
    Raises InvalidInput for a string of another form."""
    if not isinstance(value, str):
        return value
    if not _DECIMAL.match(value) or len(value) > 40:
        raise InvalidInput(
            field,
            f"{value.strip()[:40]!r} is not an amount: give a decimal with a dot, like "
            "1234.50 (no thousands separators or currency sign).",
        )
    return Decimal(value.strip())


def parse_amount(value: str | float | None, field: str) -> Decimal:
    """An amount as MCP gives it (see :func:`decimal_text`). Raises InvalidInput."""
    return validate.amount(decimal_text(value, field), field)


def parse_entry_amount(value: str | float | None, field: str) -> Decimal:
    """An entry's amount as MCP gives it (negative for a refund). Raises InvalidInput."""
    return validate.entry_amount(decimal_text(value, field), field)


def parse_month(value: str | None, field: str) -> dt.date:
    """The first day of the month named by ``YYYY-MM`` or by any ISO date in it (default: now)."""
    if value is None or not value.strip():
        return month_start(validate.date("today", field))
    if value.strip().casefold() in _MONTH_WORDS:
        return add_months(month_start(today()), _MONTH_WORDS[value.strip().casefold()])
    if m := _MONTH.match(value):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise InvalidInput(
                field, f"{value.strip()!r} is not a month; use YYYY-MM, like 2026-03."
            )
        # Checked before making a date: year 0 is not a date at all (a crash, not a refusal).
        if not FIRST_MONTH.year <= year <= LAST_MONTH.year:
            raise InvalidInput(field, MONTH_RANGE)
        return dt.date(year, month, 1)
    return month_start(validate.date(value, field))


def parse_range(start: str | None, end: str | None) -> Period | None:
    """The inclusive range between two dates; an open end reaches the earliest/latest date."""
    if start is None and end is None:
        return None
    first = validate.date(start, "start") if start is not None else validate.EARLIEST
    last = validate.date(end, "end") if end is not None else validate.LATEST
    return Period.between(first, last)


def relative_period(name: str) -> Period:
    """The period a relative name stands for, from today (the app's clock)."""
    now = today()
    if name == "this-month":
        return Period.month(now)
    if name == "last-month":
        return Period.month(add_months(month_start(now), -1))
    if name == "this-year":
        return Period.year(now.year)
    if name == "last-year":
        return Period.year(now.year - 1)
    if name == "last-12-months":
        return Period.last_months(now, 12)
    raise InvalidInput("period", f"Give one of {', '.join(RELATIVE_PERIODS)}.")


def parse_period(period: str | None, start: str | None, end: str | None) -> Period | None:
    """A relative ``period``, or the range between ``start`` and ``end`` (see parse_range)."""
    if period is None:
        return parse_range(start, end)
    if start is not None or end is not None:
        raise InvalidInput("period", "Give either period or start and end, not both.")
    return relative_period(period)


def parse_amount_limit(value: str | float | None, field: str) -> Decimal | None:
    return None if value is None else parse_amount(value, field)


def parse_search_text(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return validate.clean_text(
        text, "text", max_length=validate.DESCRIPTION_MAX, what="The search text"
    )


_NO_CATEGORY = "There is no category named"


@contextmanager
def naming_categories(sessions: Any) -> Iterator[None]:
    """Inside, a category name that matches none is refused with the names there are, so an
    assistant can pick the right one at once (the category list is read after the refusal, in
    its own transaction)."""
    try:
        yield
    except NotFound as error:
        if not error.message.startswith(_NO_CATEGORY) or error.hint:
            raise
        from budget_tui.controller import categories

        names = ", ".join(c.name for c in categories.list_categories(sessions))
        raise NotFound(error.message, hint=f"Known categories: {names or 'none yet'}.") from None


def error_text(error: BudgetError) -> str:
    """The shared rendering of ``error`` (outcome included), led by the argument it is about."""
    shown = render(error)
    return f"{shown.field}: {shown.text}" if shown.field else shown.text


def tool_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Report a BudgetError as a tool error with its message (safe to show); anything else is
    left to the SDK, which hides its text from the client and logs it."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except BudgetError as error:
            raise ToolError(error_text(error)) from None

    # The docstring is the tool's description; clients show it as is, so drop its indentation.
    run.__doc__ = inspect.cleandoc(fn.__doc__ or "")
    return run
