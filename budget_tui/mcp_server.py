"""An MCP server over the controller, so an AI assistant can answer questions from the book.

``budget-tui mcp`` calls :func:`run_stdio`. The server is read-only unless ``allow_write`` is
given, and the database enforces it: the book is opened with ``read_only=True`` (a read-only
SQLite connection, read-only PostgreSQL transactions), so even a write that slipped past the tool
list would be refused. With ``allow_write`` the book opens normally and the write tools appear.

Every tool is a thin layer over controller actions (the same transactions the TUI runs). Results
are structured: amounts are strings with two decimals, plus the ``currency`` code of the book;
dates are ISO ``YYYY-MM-DD``. A bad argument comes back as a tool error whose text is the
controller's :class:`~budget_tui.errors.BudgetError` message; no message carries the database URL.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import sys
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, ParamSpec, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import BaseModel, Field

from budget_tui.controller import categories, expenses, reports, validate
from budget_tui.controller.book import Book, open_book
from budget_tui.controller.periods import Period, add_months, month_start
from budget_tui.controller.views import CategoryView, ExpenseFilter, ExpenseView
from budget_tui.errors import (
    BudgetError,
    ConfigError,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
)
from budget_tui.money import currency_code, plain

P = ParamSpec("P")
R = TypeVar("R")

SERVER_NAME = "budget-tui"
DEFAULT_LIMIT = 50
MAX_LIMIT = expenses.MAX_PAGE
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
# Ids and versions are 64-bit in the database; a larger number must fail here, not in the driver.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1, description="An id from a listing")]
Version = Annotated[int, Field(ge=1, le=2**63 - 1, description="The version from a listing")]

INSTRUCTIONS = (
    "Answers questions about the user's own spending, from their budget-tui database. "
    "Amounts are strings with two decimals in the currency named by each result's `currency`; "
    "dates are ISO (YYYY-MM-DD); months are YYYY-MM. Categories are given by name, in any case "
    "(list_categories shows them). Date ranges are inclusive of both ends."
)

READ = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)


# Results ------------------------------------------------------------------------------------


class Expense(BaseModel):
    id: int
    date: str = Field(description="ISO date the money was spent")
    description: str
    amount: str = Field(description="Two decimals, in the result's currency")
    category: str
    version: int = Field(description="Give it back to update_expense/delete_expense")


class ExpenseList(BaseModel):
    currency: str
    start: str | None = Field(description="First day included (ISO), or null for no lower bound")
    end: str | None = Field(description="Last day included (ISO), or null for no upper bound")
    total: str = Field(description="Sum of every matching expense, not only those listed")
    count: int = Field(description="How many expenses match, not only those listed")
    shown: int
    more: bool = Field(description="True when more expenses match than are listed")
    expenses: list[Expense] = Field(description="Newest first")


class Category(BaseModel):
    id: int
    name: str
    monthly_budget: str | None
    spent: str = Field(description="Spent in the month asked for")
    count: int = Field(description="Expenses in the month asked for")


class CategoryList(BaseModel):
    currency: str
    month: str = Field(description="YYYY-MM the spend figures are for")
    categories: list[Category]


class CategoryTotal(BaseModel):
    category: str
    total: str
    count: int
    share: str = Field(description="Share of the period's total, 0.0000 to 1.0000")


class SpendingSummary(BaseModel):
    currency: str
    start: str
    end: str = Field(description="Last day included")
    days: int
    total: str
    count: int
    daily_average: str
    by_category: list[CategoryTotal] = Field(
        description="Largest first; only categories with spend"
    )
    largest: list[Expense] = Field(description="The five largest expenses in the period")


class MonthTotal(BaseModel):
    month: str = Field(description="YYYY-MM")
    total: str
    count: int


class MonthlySpending(BaseModel):
    currency: str
    category: str | None = Field(description="The category, or null for all spending")
    months: list[MonthTotal] = Field(description="Oldest first; months without spend are 0.00")
    total: str
    count: int


class BudgetLine(BaseModel):
    category: str
    budget: str | None = Field(description="Monthly budget, or null when none is set")
    spent: str
    left: str | None = Field(description="Budget minus spent (negative when over), or null")
    used_percent: str | None = Field(description="Spent as a percentage of the budget, or null")
    over_budget: bool


class BudgetStatus(BaseModel):
    currency: str
    month: str = Field(description="YYYY-MM")
    total_budget: str
    total_spent: str = Field(description="Spent in all categories, with or without a budget")
    lines: list[BudgetLine]


class ExpenseChange(BaseModel):
    currency: str
    action: str = Field(description="created, updated or deleted")
    expense: Expense = Field(description="The expense as it is now (as it was, when deleted)")
    before: Expense | None = Field(default=None, description="Before an update")
    changed: list[str] = Field(default_factory=list, description="Fields an update changed")


class CategoryChange(BaseModel):
    currency: str
    action: str = Field(description="created")
    category: Category


# Conversions --------------------------------------------------------------------------------


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else plain(amount)


def _expense(view: ExpenseView) -> Expense:
    return Expense(
        id=view.id,
        date=view.occurred_on.isoformat(),
        description=view.description,
        amount=plain(view.amount),
        category=view.category_name,
        version=view.version,
    )


def _category(view: CategoryView) -> Category:
    return Category(
        id=view.id,
        name=view.name,
        monthly_budget=_money(view.monthly_budget),
        spent=plain(view.spent),
        count=view.count,
    )


def _month(value: str | None, field: str) -> dt.date:
    """The first day of the month named by ``YYYY-MM`` or by any ISO date in it (default: now)."""
    if value is None or not value.strip():
        return month_start(validate.date("today", field))
    if m := _MONTH.match(value):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise InvalidInput(
                field, f"{value.strip()!r} is not a month; use YYYY-MM, like 2026-03."
            )
        return validate.date(dt.date(year, month, 1), field)
    return month_start(validate.date(value, field))


def _range(start: str | None, end: str | None) -> Period | None:
    """The inclusive range between two dates; an open end reaches the earliest/latest date."""
    if start is None and end is None:
        return None
    first = validate.date(start, "start") if start is not None else validate.EARLIEST
    last = validate.date(end, "end") if end is not None else validate.LATEST
    return Period.between(first, last)


def _amount_limit(value: str | float | None, field: str) -> Decimal | None:
    return None if value is None else validate.amount(value, field)


def _search_text(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return validate.clean_text(
        text, "text", max_length=validate.DESCRIPTION_MAX, what="The search text"
    )


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"Ask for 1 to {MAX_LIMIT} expenses.")
    return limit


def _message(error: BudgetError) -> str:
    text = str(error)
    if isinstance(error, InvalidInput) and error.field:
        text = f"{error.field}: {text}"
    if isinstance(error, DatabaseUnavailable):
        text = f"{text} {error.outcome}"
    return text


def _tool(fn: Callable[P, R]) -> Callable[P, R]:
    """Report a BudgetError as a tool error with its message (safe to show); anything else is
    left to the SDK, which hides its text from the client and logs it."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except BudgetError as error:
            raise ToolError(_message(error)) from None

    return run


# The server ---------------------------------------------------------------------------------


def create_server(book: Book, *, allow_write: bool = False) -> MCPServer:
    """An MCP server whose tools act on ``book``. Write tools exist only with ``allow_write``;
    open the book with ``read_only=not allow_write`` so the database enforces the same."""
    sessions = book.sessions
    server = MCPServer(
        SERVER_NAME,
        instructions=INSTRUCTIONS
        + ("" if allow_write else " This server is read-only: it cannot change anything."),
        log_level="WARNING",
    )

    def find_category(name: str) -> CategoryView:
        try:
            return categories.get_category(sessions, name)
        except NotFound as error:
            names = ", ".join(c.name for c in categories.list_categories(sessions))
            raise NotFound(
                error.message, hint=f"Known categories: {names or 'none yet'}."
            ) from None

    def expense_list(flt: ExpenseFilter, limit: int) -> ExpenseList:
        page = expenses.list_expenses(sessions, flt, limit=_limit(limit))
        totals = expenses.expense_totals(sessions, flt)
        period = flt.period
        return ExpenseList(
            currency=currency_code(),
            start=period.start.isoformat() if period and period.start > validate.EARLIEST else None,
            end=period.last_day.isoformat()
            if period and period.last_day < validate.LATEST
            else None,
            total=plain(totals.total),
            count=totals.count,
            shown=len(page.items),
            more=page.next_cursor is not None,
            expenses=[_expense(e) for e in page.items],
        )

    @server.tool(annotations=READ)
    @_tool
    def list_categories(month: str | None = None) -> CategoryList:
        """List every category with its monthly budget and what was spent in a month.

        month: YYYY-MM (or any ISO date in that month); defaults to the current month.
        """
        first = _month(month, "month")
        rows = categories.list_categories(sessions, Period.month(first))
        return CategoryList(
            currency=currency_code(),
            month=first.strftime("%Y-%m"),
            categories=[_category(c) for c in rows],
        )

    @server.tool(annotations=READ)
    @_tool
    def query_expenses_by_category(
        category: str,
        start: str | None = None,
        end: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> ExpenseList:
        """The expenses of one category, newest first, with the total and count of all that match.

        category: the category name, any case (see list_categories).
        start, end: ISO dates, both included; either may be left out for an open range, and
        leaving both out means all time. limit: how many expenses to list (1-1000, default 50);
        total and count always cover every match.
        """
        found = find_category(category)
        flt = ExpenseFilter(period=_range(start, end), category_id=found.id)
        return expense_list(flt, limit)

    @server.tool(annotations=READ)
    @_tool
    def search_expenses(
        text: str | None = None,
        start: str | None = None,
        end: str | None = None,
        min_amount: str | float | None = None,
        max_amount: str | float | None = None,
        category: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> ExpenseList:
        """Find expenses by words in their description, a date range, an amount range and/or a
        category; newest first, with the total and count of all that match.

        text: found anywhere in the description, any case. start, end: ISO dates, both included.
        min_amount, max_amount: like 12.50, both included. category: a name, any case.
        limit: how many to list (1-1000, default 50). Every filter is optional.
        """
        flt = ExpenseFilter(
            period=_range(start, end),
            category_id=find_category(category).id if category is not None else None,
            text=_search_text(text),
            min_amount=_amount_limit(min_amount, "min_amount"),
            max_amount=_amount_limit(max_amount, "max_amount"),
        )
        return expense_list(flt, limit)

    @server.tool(annotations=READ)
    @_tool
    def summarize_spending(start: str, end: str) -> SpendingSummary:
        """Total spending between two dates, by category (total, count, share), with the daily
        average and the five largest expenses.

        start, end: ISO dates (YYYY-MM-DD), both included; end must not be before start.
        """
        first = validate.date(start, "start")
        last = validate.date(end, "end")
        result = reports.summary(sessions, first, last)
        return SpendingSummary(
            currency=currency_code(),
            start=result.period.start.isoformat(),
            end=result.period.last_day.isoformat(),
            days=result.period.days,
            total=plain(result.total),
            count=result.count,
            daily_average=plain(result.daily_average),
            by_category=[
                CategoryTotal(
                    category=r.name, total=plain(r.total), count=r.count, share=str(r.share)
                )
                for r in result.by_category
            ],
            largest=[_expense(e) for e in result.largest],
        )

    @server.tool(annotations=READ)
    @_tool
    def spending_by_month(
        category: str | None = None,
        months: int = 12,
        end_month: str | None = None,
    ) -> MonthlySpending:
        """Spending per calendar month, for one category or for everything.

        category: a name, any case; leave out for all spending. months: how many months
        (1-1200, default 12), ending with end_month. end_month: YYYY-MM, default the current
        month (which is still in progress; give the previous month for complete months only).
        """
        if not 1 <= months <= reports.MAX_MONTHS:
            raise InvalidInput("months", f"Ask for 1 to {reports.MAX_MONTHS} months.")
        last = _month(end_month, "end_month")
        try:
            period = Period(add_months(last, 1 - months), add_months(last, 1))
        except (ValueError, OverflowError):
            raise InvalidInput("months", "That many months reach before the year 1.") from None
        name = find_category(category).name if category is not None else None
        rows = reports.spend_by_month(sessions, period, category=name)
        return MonthlySpending(
            currency=currency_code(),
            category=name,
            months=[
                MonthTotal(month=r.month.strftime("%Y-%m"), total=plain(r.total), count=r.count)
                for r in rows
            ],
            total=plain(sum((r.total for r in rows), Decimal("0.00"))),
            count=sum(r.count for r in rows),
        )

    @server.tool(annotations=READ)
    @_tool
    def budget_status(month: str | None = None) -> BudgetStatus:
        """Each category's monthly budget against what was spent in a month: budget, spent, left.

        month: YYYY-MM (or any ISO date in that month); defaults to the current month.
        Categories without a budget show budget, left and used_percent as null.
        """
        report = reports.budget_vs_actual(sessions, _month(month, "month"))
        lines = []
        for line in report.lines:
            used = (
                (line.spent * 100 / line.budget).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if line.budget
                else None
            )
            lines.append(
                BudgetLine(
                    category=line.name,
                    budget=_money(line.budget),
                    spent=plain(line.spent),
                    left=_money(line.remaining),
                    used_percent=None if used is None else str(used),
                    over_budget=line.remaining is not None and line.remaining < 0,
                )
            )
        return BudgetStatus(
            currency=currency_code(),
            month=report.month.start.strftime("%Y-%m"),
            total_budget=plain(report.total_budget),
            total_spent=plain(report.total_spent),
            lines=lines,
        )

    if allow_write:
        _add_write_tools(server, book)
    return server


def _add_write_tools(server: MCPServer, book: Book) -> None:
    sessions = book.sessions

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False))
    @_tool
    def add_expense(
        description: str,
        amount: str | float,
        category: str,
        date: str = "today",
        uid: str | None = None,
    ) -> ExpenseChange:
        """Record a new expense and return it as saved.

        amount: positive, at most two decimals, like 12.50. category: an existing category name,
        any case (create_category makes a new one). date: ISO YYYY-MM-DD, or today, yesterday,
        -3 (three days ago); default today. uid: optional UUID; retrying with the same uid after
        a lost reply returns the saved expense instead of adding it twice.
        """
        saved = expenses.create_expense(
            sessions,
            description=description,
            amount=amount,
            occurred_on=date,
            category=category,
            uid=uid,
        )
        return ExpenseChange(currency=currency_code(), action="created", expense=_expense(saved))

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True))
    @_tool
    def update_expense(
        expense_id: RowId,
        description: str | None = None,
        amount: str | float | None = None,
        date: str | None = None,
        category: str | None = None,
        version: Version | None = None,
    ) -> ExpenseChange:
        """Change an expense's description, amount, date and/or category; fields left out stay
        as they are. Returns the expense before and after, and which fields changed.

        expense_id: the id from a listing. version: the version from that listing; if the
        expense was changed since, nothing is saved and an error says so.
        """
        before = expenses.get_expense(sessions, expense_id)
        # Without a version from the caller, pin the one just read, so `before` is exactly
        # what this update replaced (a change in between gives a Conflict, not a wrong diff).
        after = expenses.update_expense(
            sessions,
            expense_id,
            version=version if version is not None else before.version,
            description=description,
            amount=amount,
            occurred_on=date,
            category=category,
        )
        old, new = _expense(before), _expense(after)
        changed = [
            name
            for name in ("date", "description", "amount", "category")
            if getattr(old, name) != getattr(new, name)
        ]
        return ExpenseChange(
            currency=currency_code(), action="updated", expense=new, before=old, changed=changed
        )

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True))
    @_tool
    def delete_expense(expense_id: RowId, version: Version | None = None) -> ExpenseChange:
        """Delete an expense and return what was deleted.

        expense_id: the id from a listing. version: the version from that listing; if the
        expense was changed since, nothing is deleted and an error says so.
        """
        gone = expenses.get_expense(sessions, expense_id)
        expenses.delete_expense(
            sessions, expense_id, version=version if version is not None else gone.version
        )
        return ExpenseChange(currency=currency_code(), action="deleted", expense=_expense(gone))

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False))
    @_tool
    def create_category(name: str, monthly_budget: str | float | None = None) -> CategoryChange:
        """Create a category, optionally with a monthly budget, and return it.

        name: 1-50 characters, unique in any case. monthly_budget: like 300.00, or leave out.
        """
        budget = validate.optional_amount(monthly_budget, "monthly_budget")
        made = categories.create_category(sessions, name, budget)
        return CategoryChange(currency=currency_code(), action="created", category=_category(made))


def _log_sql_to_stderr() -> None:
    # SQLAlchemy's own echo writes to stdout, which is the MCP channel here.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    sql_log = logging.getLogger("sqlalchemy.engine")
    sql_log.addHandler(handler)
    sql_log.setLevel(logging.INFO)
    sql_log.propagate = False


def run_stdio(url: str, *, allow_write: bool = False, echo_sql: bool = False) -> None:
    """Serve the book at ``url`` over stdio until the client disconnects.

    Read-only unless ``allow_write``: the database itself refuses writes. Raises ConfigError or
    DatabaseUnavailable (never quoting the URL) when the book can't be opened; a read-only open
    needs a database that budget-tui has created already.
    """
    if echo_sql:
        _log_sql_to_stderr()
    try:
        book = open_book(url, read_only=not allow_write)
    except ConfigError as error:
        if allow_write or error.hint:
            raise
        raise ConfigError(
            error.message,
            hint="The MCP server opens the book read-only, so it must exist: run "
            "`budget-tui db upgrade` (or open budget-tui once) first.",
        ) from None
    try:
        create_server(book, allow_write=allow_write).run("stdio")
    finally:
        book.close()
