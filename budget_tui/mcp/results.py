"""What the MCP tools answer: pydantic models (they become each tool's output schema) and the
conversions from the controller's views. Amounts are strings with two decimals; dates are ISO."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from pydantic import BaseModel, Field

from budget_tui.clock import today
from budget_tui.controller.views import CategoryView, ExpenseView
from budget_tui.money import plain


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
    shown: int = Field(description="How many expenses are on this page")
    more: bool = Field(description="True when more expenses follow this page")
    next_cursor: str | None = Field(
        description="Give it as cursor (same filters and sort) for the next page; null at the end"
    )
    sort: str = Field(description="The order of the list, e.g. date-desc")
    expenses: list[Expense] = Field(description="This page, in the order sort names")


class Category(BaseModel):
    id: int
    name: str
    monthly_budget: str | None = Field(
        description="The budget of the month asked for, or null when it has none"
    )
    carried: str = Field(
        description="Carried into the month by rollover (negative: an overspend taken off)"
    )
    available: str | None = Field(
        description="Budget plus carried minus spent (negative when over), or null"
    )
    rollover: bool = Field(description="Whether the month's leftover carries into the next")
    spent: str = Field(
        description="Spent in the month asked for (refunds taken off); received, for income"
    )
    count: int = Field(description="Expenses in the month asked for")
    kind: str = Field(description="spending or income")


class CategoryList(BaseModel):
    currency: str
    month: str = Field(description="YYYY-MM the spend figures are for")
    start: str = Field(description="First day covered (ISO)")
    end: str = Field(description="Last day covered (ISO)")
    partial: bool = Field(
        description="True while the period is still in progress (or yet to come): its figures "
        "will grow"
    )
    through: str | None = Field(
        description="Last day the figures cover so far (ISO): the period's end, or today while "
        "it is in progress; null for a period yet to begin"
    )
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
    partial: bool = Field(
        description="True while the period is still in progress (or yet to come): its figures "
        "will grow"
    )
    through: str | None = Field(
        description="Last day the figures cover so far (ISO): the period's end, or today while "
        "it is in progress; null for a period yet to begin"
    )
    days: int
    in_progress: bool = Field(
        description="True when the range holds today: its totals are so far, not final"
    )
    income: str = Field(description="Received in income categories")
    spending: str = Field(description="Spent in spending categories, refunds taken off")
    net: str = Field(description="income - spending (negative: more went out than came in)")
    savings_rate: str | None = Field(description="net / income, 0.0000-style; null without income")
    total: str = Field(description="The same as spending")
    count: int
    daily_average: str = Field(
        description="Spending a day, over the days so far when the range is in progress"
    )
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
    start: str = Field(description="First day covered (ISO)")
    end: str = Field(description="Last day covered (ISO)")
    partial: bool = Field(
        description="True while the period is still in progress (or yet to come): its figures "
        "will grow"
    )
    through: str | None = Field(
        description="Last day the figures cover so far (ISO): the period's end, or today while "
        "it is in progress; null for a period yet to begin"
    )
    months: list[MonthTotal] = Field(description="Oldest first; months without spend are 0.00")
    total: str
    count: int


class BudgetLine(BaseModel):
    category: str
    budget: str | None = Field(description="The month's budget, or null when none is set")
    carried: str = Field(
        description="Carried in from earlier months by rollover (negative: an overspend)"
    )
    spent: str
    available: str | None = Field(
        description="Budget plus carried minus spent (negative when over), or null"
    )
    left: str | None = Field(description="The same as available (kept for older clients)")
    used_percent: str | None = Field(
        description="Spent as a percentage of budget plus carried, or null"
    )
    over_budget: bool


class BudgetStatus(BaseModel):
    currency: str
    month: str = Field(description="YYYY-MM")
    start: str = Field(description="First day covered (ISO)")
    end: str = Field(description="Last day covered (ISO)")
    partial: bool = Field(
        description="True while the period is still in progress (or yet to come): its figures "
        "will grow"
    )
    through: str | None = Field(
        description="Last day the figures cover so far (ISO): the period's end, or today while "
        "it is in progress; null for a period yet to begin"
    )
    total_budget: str
    total_spent: str = Field(description="Spent in all categories, with or without a budget")
    lines: list[BudgetLine]


class ExpenseChange(BaseModel):
    currency: str
    action: str = Field(description="created, updated or deleted")
    expense: Expense = Field(description="The expense as it is now (as it was, when deleted)")
    before: Expense | None = Field(default=None, description="Before an update")
    changed: list[str] = Field(default_factory=list, description="Fields an update changed")


class Proposed(BaseModel):
    action: str = Field(description="proposed: nothing has changed yet")
    proposal_id: int = Field(description="The proposal's number in the person's Inbox")
    summary: str = Field(description="What the change would do, in one line")
    status: str = Field(description="pending until the person accepts or rejects it")
    message: str


class CategoryChange(BaseModel):
    currency: str
    action: str = Field(description="created, budget set or renamed")
    category: Category


class CategoryDeleted(BaseModel):
    currency: str
    action: str = Field(description="deleted")
    category: str = Field(description="The name of the category deleted")
    moved: int = Field(description="How many entries moved to move_to")
    moved_to: str | None = Field(description="The category that took them, or null for none")


class BudgetMonth(BaseModel):
    month: str = Field(description="YYYY-MM from which it holds (until the next row)")
    amount: str | None = Field(description="The monthly budget, or null for none from then")
    rollover: bool = Field(description="Whether leftovers carry into the next month")


class BudgetHistory(BaseModel):
    currency: str
    category: str
    current_budget: str | None = Field(description="The budget of the current month, or null")
    changes: list[BudgetMonth] = Field(description="Oldest first")


class Progress(TypedDict):
    partial: bool
    through: str | None


def progress(first: dt.date, last: dt.date) -> Progress:
    """``partial`` and ``through`` for the period from ``first`` to ``last`` (both included)."""
    now = today()
    if last < now:
        return Progress(partial=False, through=last.isoformat())
    return Progress(partial=True, through=None if first > now else now.isoformat())


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else plain(amount)


def expense_result(view: ExpenseView) -> Expense:
    return Expense(
        id=view.id,
        date=view.occurred_on.isoformat(),
        description=view.description,
        amount=plain(view.amount),
        category=view.category_name,
        version=view.version,
    )


def category_result(view: CategoryView) -> Category:
    return Category(
        id=view.id,
        name=view.name,
        monthly_budget=money(view.monthly_budget),
        carried=plain(view.carried),
        available=money(view.available),
        rollover=view.rollover,
        spent=plain(view.spent),
        count=view.count,
        kind=view.kind,
    )
