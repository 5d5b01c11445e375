"""The read tools: what an assistant asks about the book. Each is one or a few controller reads."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from mcp.server.mcpserver.tools import Tool
from pydantic import Field

from budget_tui.controller import categories, reports, validate
from budget_tui.controller.book import Book
from budget_tui.controller.expense_list import expense_totals, list_expenses
from budget_tui.controller.periods import Period, add_months
from budget_tui.controller.views import CategoryView, ExpenseFilter
from budget_tui.errors import InvalidInput, NotFound
from budget_tui.mcp.arguments import (
    FIRST_MONTH,
    AmountBound,
    AnyCategory,
    CategoryName,
    EndDate,
    Month,
    PeriodName,
    StartDate,
    parse_amount_limit,
    parse_month,
    parse_period,
    parse_search_text,
    tool_errors,
)
from budget_tui.mcp.paging import (
    DEFAULT_LIMIT,
    ExpenseLimit,
    PageCursor,
    SortExpenses,
    check_limit,
    encode,
    expense_cursor,
    split_sort,
)
from budget_tui.mcp.results import (
    BudgetHistory,
    BudgetLine,
    BudgetMonth,
    BudgetStatus,
    CategoryList,
    CategoryTotal,
    ExpenseList,
    MonthlySpending,
    MonthTotal,
    SpendingSummary,
    category_result,
    expense_result,
    money,
    progress,
)
from budget_tui.mcp.toolbox import ToolBox, reads
from budget_tui.money import currency_code, plain


def read_tools(book: Book) -> list[Tool]:
    """The read tools about expenses, categories and budgets, acting on ``book``."""
    sessions = book.sessions
    box = ToolBox()

    def find_category(name: str) -> CategoryView:
        try:
            return categories.get_category(sessions, name)
        except NotFound as error:
            names = ", ".join(c.name for c in categories.list_categories(sessions))
            raise NotFound(
                error.message, hint=f"Known categories: {names or 'none yet'}."
            ) from None

    def expense_list(flt: ExpenseFilter, sort: str, cursor: str | None, limit: int) -> ExpenseList:
        key, descending = split_sort(sort)
        page = list_expenses(
            sessions,
            flt,
            sort="amount" if key == "amount" else "date",
            descending=descending,
            after=expense_cursor(cursor, sort),
            limit=check_limit(limit, "expenses"),
        )
        last = page.next_cursor
        totals = expense_totals(sessions, flt)
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
            more=last is not None,
            next_cursor=None if last is None else encode(sort, last.value, last.id),
            sort=sort,
            expenses=[expense_result(e) for e in page.items],
        )

    @box.tool(title="List categories", annotations=reads())
    @tool_errors
    def list_categories(month: Month = None) -> CategoryList:
        """List every category with its monthly budget and what was spent in a month.

        month: YYYY-MM (or any ISO date in that month); defaults to the current month.
        """
        first = parse_month(month, "month")
        rows = categories.list_categories(sessions, Period.month(first))
        return CategoryList(
            currency=currency_code(),
            month=first.strftime("%Y-%m"),
            start=first.isoformat(),
            end=Period.month(first).last_day.isoformat(),
            **progress(first, Period.month(first).last_day),
            categories=[category_result(c) for c in rows],
        )

    @box.tool(title="Expenses in a category", annotations=reads())
    @tool_errors
    def query_expenses_by_category(
        category: CategoryName,
        start: StartDate = None,
        end: EndDate = None,
        period: PeriodName = None,
        sort: SortExpenses = "date-desc",
        cursor: PageCursor = None,
        limit: ExpenseLimit = DEFAULT_LIMIT,
    ) -> ExpenseList:
        """The expenses of one category, one page at a time (newest first unless sort says
        otherwise), with the total and count of all that match.

        category: the category name, any case (see list_categories).
        start, end: ISO dates, both included; either may be left out for an open range, and
        leaving both out means all time. period: this-month, last-month, this-year, last-year
        or last-12-months instead of start and end. limit: expenses per page (1-500, default 50); total
        and count always cover every match. When next_cursor is not null, call again with
        cursor=next_cursor (same other arguments) for the next page; following the cursors
        lists every match exactly once.
        """
        found = find_category(category)
        flt = ExpenseFilter(period=parse_period(period, start, end), category_id=found.id)
        return expense_list(flt, sort, cursor, limit)

    @box.tool(title="Search expenses", annotations=reads())
    @tool_errors
    def search_expenses(
        text: Annotated[str | None, Field(description="Words found in the description")] = None,
        start: StartDate = None,
        end: EndDate = None,
        period: PeriodName = None,
        min_amount: AmountBound = None,
        max_amount: AmountBound = None,
        category: AnyCategory = None,
        sort: SortExpenses = "date-desc",
        cursor: PageCursor = None,
        limit: ExpenseLimit = DEFAULT_LIMIT,
    ) -> ExpenseList:
        """Find expenses by words in their description, a date range, an amount range and/or a
        category, one page at a time, with the total and count of all that match.

        text: found anywhere in the description, any case. start, end: ISO dates, both included;
        or period: this-month, last-month, this-year, last-year or last-12-months.
        min_amount, max_amount: like 12.50, both included. category: a name, any case.
        Every filter is optional. sort: date-desc (default), date-asc, amount-desc (largest
        first) or amount-asc. limit: expenses per page (1-500, default 50). When next_cursor is
        not null, call again with cursor=next_cursor (same other arguments) for the next page;
        following the cursors lists every match exactly once.
        """
        flt = ExpenseFilter(
            period=parse_period(period, start, end),
            category_id=find_category(category).id if category is not None else None,
            text=parse_search_text(text),
            min_amount=parse_amount_limit(min_amount, "min_amount"),
            max_amount=parse_amount_limit(max_amount, "max_amount"),
        )
        return expense_list(flt, sort, cursor, limit)

    @box.tool(title="Summarize spending", annotations=reads())
    @tool_errors
    def summarize_spending(
        start: Annotated[
            str | None,
            Field(
                description="First day included, YYYY-MM-DD (or give period)",
                json_schema_extra={"format": "date"},
            ),
        ] = None,
        end: Annotated[
            str | None,
            Field(
                description="Last day included, YYYY-MM-DD (or give period)",
                json_schema_extra={"format": "date"},
            ),
        ] = None,
        period: PeriodName = None,
    ) -> SpendingSummary:
        """Income, spending (refunds taken off) and net between two dates; spending by category
        (total, count, share), the daily average and the five largest expenses. A range that
        holds today is marked in_progress (its totals are so far).

        start, end: ISO dates (YYYY-MM-DD), both included; end must not be before start. Or
        period instead: this-month, last-month, this-year, last-year or last-12-months (the
        result's start and end say which dates it meant).
        """
        if period is None and (start is None or end is None):
            raise InvalidInput("start", "Give start and end (YYYY-MM-DD), or a period.")
        resolved = parse_period(period, start, end)
        assert resolved is not None
        result = reports.summary(sessions, resolved.start, resolved.last_day)
        return SpendingSummary(
            currency=currency_code(),
            start=result.period.start.isoformat(),
            end=result.period.last_day.isoformat(),
            **progress(result.period.start, result.period.last_day),
            days=result.period.days,
            in_progress=result.in_progress,
            income=plain(result.flows.income),
            spending=plain(result.flows.spending),
            net=plain(result.flows.net),
            savings_rate=None
            if result.flows.savings_rate is None
            else str(result.flows.savings_rate),
            total=plain(result.total),
            count=result.count,
            daily_average=plain(result.daily_average),
            by_category=[
                CategoryTotal(
                    category=r.name, total=plain(r.total), count=r.count, share=str(r.share)
                )
                for r in result.by_category
            ],
            largest=[expense_result(e) for e in result.largest],
        )

    @box.tool(title="Spending by month", annotations=reads())
    @tool_errors
    def spending_by_month(
        category: AnyCategory = None,
        months: Annotated[int, Field(description="How many months, 1 to 1200")] = 12,
        end_month: Month = None,
    ) -> MonthlySpending:
        """Spending per calendar month, for one category or for everything.

        category: a name, any case; leave out for all spending. months: how many months
        (1-1200, default 12), ending with end_month. end_month: YYYY-MM, default the current
        month (which is still in progress; give the previous month for complete months only).
        """
        if not 1 <= months <= reports.MAX_MONTHS:
            raise InvalidInput("months", f"Ask for 1 to {reports.MAX_MONTHS} months.")
        last = parse_month(end_month, "end_month")
        # Counted in months from 1900-01, so no date before the book's first is ever made.
        most = (last.year - FIRST_MONTH.year) * 12 + last.month - FIRST_MONTH.month + 1
        if months > most:
            raise InvalidInput(
                "months",
                f"{months} months ending {last:%Y-%m} begin before {FIRST_MONTH:%Y-%m}; "
                f"ask for at most {most}.",
            )
        period = Period(add_months(last, 1 - months), add_months(last, 1))
        name = find_category(category).name if category is not None else None
        rows = reports.spend_by_month(sessions, period, category=name)
        return MonthlySpending(
            currency=currency_code(),
            category=name,
            start=period.start.isoformat(),
            end=period.last_day.isoformat(),
            **progress(period.start, period.last_day),
            months=[
                MonthTotal(month=r.month.strftime("%Y-%m"), total=plain(r.total), count=r.count)
                for r in rows
            ],
            total=plain(sum((r.total for r in rows), Decimal("0.00"))),
            count=sum(r.count for r in rows),
        )

    @box.tool(title="Budget status", annotations=reads())
    @tool_errors
    def budget_status(month: Month = None) -> BudgetStatus:
        """Each spending category's budget in a month against what was spent: the month's
        budget, what rollover carried in, spent, and what is available.

        month: YYYY-MM (or any ISO date in that month); defaults to the current month.
        Categories without a budget that month show budget, available and used_percent as null.
        """
        report = reports.budget_vs_actual(sessions, parse_month(month, "month"))
        lines = []
        for line in report.lines:
            funds = None if line.budget is None else line.budget + line.carried
            used = (
                (line.spent * 100 / funds).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if funds and funds > 0
                else None
            )
            lines.append(
                BudgetLine(
                    category=line.name,
                    budget=money(line.budget),
                    carried=plain(line.carried),
                    spent=plain(line.spent),
                    available=money(line.remaining),
                    left=money(line.remaining),
                    used_percent=None if used is None else str(used),
                    over_budget=line.remaining is not None and line.remaining < 0,
                )
            )
        return BudgetStatus(
            currency=currency_code(),
            month=report.month.start.strftime("%Y-%m"),
            start=report.month.start.isoformat(),
            end=report.month.last_day.isoformat(),
            **progress(report.month.start, report.month.last_day),
            total_budget=plain(report.total_budget),
            total_spent=plain(report.total_spent),
            lines=lines,
        )

    @box.tool(title="Budget history", annotations=reads())
    @tool_errors
    def budget_history(category: CategoryName) -> BudgetHistory:
        """When a category's monthly budget changed and to what, oldest first: each row holds
        from its month until the next row's (a null amount: no budget from then), with
        whether leftovers roll over.

        category: a name, any case (see list_categories).
        """
        found = find_category(category)
        rows = categories.budget_history(sessions, found.id)
        return BudgetHistory(
            currency=currency_code(),
            category=found.name,
            current_budget=money(found.monthly_budget),
            changes=[
                BudgetMonth(
                    month=r.month.strftime("%Y-%m"), amount=money(r.amount), rollover=r.rollover
                )
                for r in rows
            ],
        )

    return box.tools
