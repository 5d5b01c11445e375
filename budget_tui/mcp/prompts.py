"""Prompts a client can offer its user ("Review my month", "Where can I cut spending?") and
completion of their arguments: category names from the book, months as the tools take them.

A prompt is text that sets the assistant to work with our tools; it reads nothing itself, except
the category list when completing a name (one controller read)."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, Completion, PromptReference, ResourceTemplateReference
from pydantic import Field

from budget_tui.clock import today
from budget_tui.controller import categories
from budget_tui.controller.book import Book
from budget_tui.controller.periods import Period, add_months, month_start
from budget_tui.errors import BudgetError
from budget_tui.mcp.arguments import error_text, parse_month

MAX_COMPLETIONS = 100  # the protocol's limit on values in one completion
RECENT_MONTHS = 12


def _month(value: str | None) -> Period:
    try:
        return Period.month(parse_month(value, "month"))
    except BudgetError as error:
        raise MCPError(code=INVALID_PARAMS, message=error_text(error)) from None


def add_prompts(server: MCPServer, book: Book) -> None:
    """Register the prompts ``monthly-review`` and ``cut-spending`` on ``server``, and the
    completion of their arguments and of the month in ``budget://summary/{month}``."""
    sessions = book.sessions

    @server.prompt(
        name="monthly-review",
        title="Review a month",
        description="How a month went: income, spending and net, each budget, the largest "
        "expenses, the change from the month before, and what is coming next month.",
    )
    def monthly_review(
        month: Annotated[
            str | None,
            Field(description="YYYY-MM, this-month or last-month; leave out for last month"),
        ] = None,
    ) -> str:
        period = _month(month or "last-month")
        label = f"{period.start:%B %Y}"
        first, last = period.start.isoformat(), period.last_day.isoformat()
        before = add_months(period.start, -1)
        return (
            f"Review my budget for {label} ({first} to {last}) using the budget-tui tools.\n\n"
            f"1. Call summarize_spending with start={first} and end={last}: income, spending, "
            "net, the savings rate and spending by category. If partial is true, say the "
            "month is not over and the figures are so far.\n"
            f"2. Call budget_status with month={period.start:%Y-%m}: which categories are over "
            "budget, which have room left, and what rollover carried in.\n"
            f"3. Call search_expenses with start={first}, end={last}, sort=amount-desc and "
            "limit=10 for the largest expenses.\n"
            f"4. Call spending_by_month with months=2 and end_month={period.start:%Y-%m} to "
            f"compare with {before:%B %Y}, overall and for the categories that moved most "
            "(give category= for those).\n"
            "5. Call upcoming for the month after it, for the rent, subscriptions and salary "
            "already scheduled.\n\n"
            "Then write a short review: the headline (net and the savings rate), budgets over "
            "and under, the biggest changes from the month before with their reasons (the "
            "expenses behind them), and one or two concrete suggestions. Quote amounts as the "
            "tools give them, with the currency; do not change anything in the book."
        )

    @server.prompt(
        name="cut-spending",
        title="Where can I cut spending?",
        description="Finds where spending could go down: the categories that grew, the "
        "recurring costs, the budgets most often overspent; optionally for one category.",
    )
    def cut_spending(
        category: Annotated[
            str | None,
            Field(description="One category to look at; leave out for all spending"),
        ] = None,
    ) -> str:
        now = today()
        year_ago = add_months(month_start(now), -11)
        scope = f"in the category {category!r}" if category else "across all my categories"
        only = f" with category={category!r}" if category else ""
        return (
            f"Help me find where I can cut spending {scope}, using the budget-tui tools "
            f"(today is {now.isoformat()}).\n\n"
            f"1. Call spending_by_month with months=12{only}: which months and trends stand "
            "out (the current month is partial).\n"
            f"2. Call summarize_spending with period=last-12-months (from {year_ago:%Y-%m}): "
            "the categories with the largest share.\n"
            f"3. Call search_expenses with period=last-12-months, sort=amount-desc{only} for "
            "the largest single expenses, and with text= for descriptions that repeat (the "
            "same shop or service every week or month).\n"
            "4. Call list_schedules for subscriptions and other recurring costs, and upcoming "
            "for what they cost in the next 30 days.\n"
            "5. Call budget_status for this month and last-month to see which budgets are "
            "overspent.\n\n"
            "Then suggest at most five specific cuts, each with the money it would save a "
            "month (worked out from the figures, not guessed), the biggest first. Ask before "
            "changing any budget; do not change anything in the book yourself."
        )

    def category_names(prefix: str) -> list[str]:
        key = prefix.strip().casefold()
        names = [c.name for c in categories.list_categories(sessions)]
        return [n for n in names if n.casefold().startswith(key)] or [
            n for n in names if key in n.casefold()
        ]

    def months(prefix: str) -> list[str]:
        start = month_start(today())
        recent = [f"{add_months(start, -n):%Y-%m}" for n in range(RECENT_MONTHS)]
        words = ["this-month", "last-month"]
        key = prefix.strip().casefold()
        return [m for m in words + recent if m.startswith(key)]

    @server.completion()
    async def complete(ref: Any, argument: Any, context: Any) -> Completion | None:
        if isinstance(ref, PromptReference) and argument.name == "category":
            values = category_names(argument.value or "")
        elif argument.name == "month" and (
            isinstance(ref, PromptReference)
            or (isinstance(ref, ResourceTemplateReference) and "summary" in ref.uri)
        ):
            values = months(argument.value or "")
        else:
            return None
        return Completion(
            values=values[:MAX_COMPLETIONS],
            total=len(values),
            has_more=len(values) > MAX_COMPLETIONS,
        )
