"""The write tools, registered only with ``--allow-write``. Each goes through the controller's
validation in one transaction and returns what changed. Each change is recorded in the book's
history as made by ``mcp:<client>`` (the client's name from the handshake).

In propose mode (``--allow-write=propose``, the default write mode) the same tools check their
arguments exactly as in direct mode (a bad one is a tool error at once) but change nothing: the
call is stored as a proposal (:mod:`budget_tui.controller.proposals`) that the person accepts or
rejects in the app's Inbox, and the answer is a :class:`~budget_tui.mcp.results.Proposed`."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from pydantic import Field

from budget_tui.controller import budgets, categories, expenses, ledger, proposals, validate
from budget_tui.controller.book import Book
from budget_tui.mcp.arguments import (
    CategoryName,
    EntryAmount,
    Month,
    NewEntryAmount,
    RowId,
    Version,
    decimal_text,
    naming_categories,
    parse_entry_amount,
    parse_month,
    tool_errors,
)
from budget_tui.mcp.history_tools import client_source
from budget_tui.mcp.results import (
    CategoryChange,
    CategoryDeleted,
    ExpenseChange,
    Proposed,
    category_result,
    expense_result,
)
from budget_tui.mcp.toolbox import ToolBox, writes
from budget_tui.money import currency_code


def _source(ctx: Context | None) -> str:
    return client_source(ctx) if ctx is not None else "mcp:unknown"


def _budget_argument(value: object, field: str) -> Decimal | None:
    """A budget as a client gives it: a plain decimal string (never read in the server's
    locale), a number, or null/0 for none."""
    if isinstance(value, str) and value.strip() and not value.strip().startswith("-"):
        value = decimal_text(value, field)
    return validate.budget(value, field)


PROPOSE_NOTE = (
    "\n\nThis server proposes: the change is not made now. It waits for the person's OK in "
    "budget-tui's Inbox, and the answer is the proposal (its id and what it would change)."
)


def write_tools(book: Book, *, propose: bool = False) -> list[Tool]:
    """add_expense, update_expense, delete_expense, create_category, set_budget,
    rename_category and delete_category, acting on ``book``; with ``propose``, each stores a
    proposal for the person's OK instead of changing the book."""
    sessions = book.sessions
    box = ToolBox(propose=Proposed if propose else None, note=PROPOSE_NOTE)

    def proposal(ctx: Context | None, tool: str, arguments: dict[str, Any]) -> Any:
        with naming_categories(sessions):
            made = proposals.propose(sessions, _source(ctx), tool, arguments)
        return Proposed(
            action="proposed",
            proposal_id=made.id,
            summary=made.summary,
            status=made.status,
            message="Nothing has changed yet: the person accepts or rejects this in "
            "budget-tui's Inbox.",
        )

    def money(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    @box.tool(title="Add an expense", annotations=writes(destructive=False, idempotent=False))
    @tool_errors
    def add_expense(
        description: Annotated[str, Field(description="What it was, 1 to 200 characters")],
        amount: EntryAmount,
        category: CategoryName,
        date: Annotated[
            str, Field(description="YYYY-MM-DD, or today, yesterday, -3 (three days ago)")
        ] = "today",
        uid: Annotated[
            str | None, Field(description="A UUID that makes a retried save idempotent")
        ] = None,
        ctx: Context | None = None,
    ) -> ExpenseChange:
        """Record a new expense and return it as saved.

        amount: at most two decimals, like 12.50; negative (-45.00) for a refund or credit
        in a spending category (it lowers that category's spend); never 0. category: an existing category name,
        any case (create_category makes a new one). date: ISO YYYY-MM-DD, or today, yesterday,
        -3 (three days ago); default today. uid: optional UUID; retrying with the same uid after
        a lost reply returns the saved expense instead of adding it twice.
        """
        if propose:
            return proposal(
                ctx,
                "add_expense",
                {
                    "description": description,
                    "amount": money(parse_entry_amount(amount, "amount")),
                    "date": validate.date(date).isoformat(),
                    "category": category,
                    "uid": uid,
                },
            )
        with ledger.acting_as(_source(ctx)), naming_categories(sessions):
            saved = expenses.create_expense(
                sessions,
                description=description,
                amount=parse_entry_amount(amount, "amount"),
                occurred_on=date,
                category=category,
                uid=uid,
            )
        return ExpenseChange(
            currency=currency_code(), action="created", expense=expense_result(saved)
        )

    @box.tool(title="Change an expense", annotations=writes(destructive=True, idempotent=True))
    @tool_errors
    def update_expense(
        expense_id: RowId,
        description: Annotated[str | None, Field(description="New description")] = None,
        amount: NewEntryAmount = None,
        date: Annotated[
            str | None,
            Field(description="YYYY-MM-DD, today, yesterday or -3; leave out to keep it"),
        ] = None,
        category: Annotated[
            str | None, Field(description="A category name, any case; leave out to keep it")
        ] = None,
        version: Version | None = None,
        ctx: Context | None = None,
    ) -> ExpenseChange:
        """Change an expense's description, amount, date and/or category; fields left out stay
        as they are. Returns the expense before and after, and which fields changed.

        expense_id: the id from a listing. version: the version from that listing; if the
        expense was changed since, nothing is saved and an error says so.
        """
        before = expenses.get_expense(sessions, expense_id)
        if propose:
            return proposal(
                ctx,
                "update_expense",
                {
                    "expense_id": expense_id,
                    "version": version if version is not None else before.version,
                    "description": description,
                    "amount": None
                    if amount is None
                    else money(parse_entry_amount(amount, "amount")),
                    "date": None if date is None else validate.date(date).isoformat(),
                    "category": category,
                },
            )
        # Without a version from the caller, pin the one just read, so `before` is exactly
        # what this update replaced (a change in between gives a Conflict, not a wrong diff).
        with ledger.acting_as(_source(ctx)), naming_categories(sessions):
            after = expenses.update_expense(
                sessions,
                expense_id,
                version=version if version is not None else before.version,
                description=description,
                amount=None if amount is None else parse_entry_amount(amount, "amount"),
                occurred_on=date,
                category=category,
            )
        old, new = expense_result(before), expense_result(after)
        changed = [
            name
            for name in ("date", "description", "amount", "category")
            if getattr(old, name) != getattr(new, name)
        ]
        return ExpenseChange(
            currency=currency_code(), action="updated", expense=new, before=old, changed=changed
        )

    @box.tool(title="Delete an expense", annotations=writes(destructive=True, idempotent=True))
    @tool_errors
    def delete_expense(
        expense_id: RowId, version: Version | None = None, ctx: Context | None = None
    ) -> ExpenseChange:
        """Delete an expense and return what was deleted.

        expense_id: the id from a listing. version: the version from that listing; if the
        expense was changed since, nothing is deleted and an error says so.
        """
        gone = expenses.get_expense(sessions, expense_id)
        if propose:
            return proposal(
                ctx,
                "delete_expense",
                {
                    "expense_id": expense_id,
                    "version": version if version is not None else gone.version,
                },
            )
        with ledger.acting_as(_source(ctx)):
            expenses.delete_expense(
                sessions, expense_id, version=version if version is not None else gone.version
            )
        return ExpenseChange(
            currency=currency_code(), action="deleted", expense=expense_result(gone)
        )

    @box.tool(title="Create a category", annotations=writes(destructive=False, idempotent=False))
    @tool_errors
    def create_category(
        name: Annotated[str, Field(description="1 to 50 characters, unique in any case")],
        monthly_budget: Annotated[
            str | float | None,
            Field(
                description="Like 300.00 (a decimal with a dot); leave out for no budget",
                json_schema_extra={"pattern": r"^\d+(\.\d{1,2})?$"},
            ),
        ] = None,
        kind: Annotated[
            Literal["spending", "income"],
            Field(description="spending (the default) or income (salary, interest, gifts)"),
        ] = "spending",
        rollover: Annotated[
            bool,
            Field(description="Carry what is left (or overspent) of the budget into next month"),
        ] = False,
        ctx: Context | None = None,
    ) -> CategoryChange:
        """Create a category, optionally with a monthly budget (from this month on), and
        return it.

        name: 1-50 characters, unique in any case. monthly_budget: like 300.00, or leave out
        (spending categories only). kind: spending or income; entries in an income category
        count as income, never as spend. rollover: only with a budget.
        """
        budget = _budget_argument(monthly_budget, "monthly_budget")
        if propose:
            return proposal(
                ctx,
                "create_category",
                {"name": name, "monthly_budget": money(budget), "kind": kind, "rollover": rollover},
            )
        with ledger.acting_as(_source(ctx)):
            made = categories.create_category(sessions, name, budget, kind=kind, rollover=rollover)
        return CategoryChange(
            currency=currency_code(), action="created", category=category_result(made)
        )

    @box.tool(title="Set a budget", annotations=writes(destructive=False, idempotent=True))
    @tool_errors
    def set_budget(
        category: Annotated[str, Field(description="The category's name, any case")],
        amount: Annotated[
            str | None,
            Field(
                description="Like 300.00 (a decimal with a dot); null or 0 for no budget",
                json_schema_extra={"pattern": r"^\d+(\.\d{1,2})?$"},
            ),
        ],
        month: Month = None,
        only_month: Annotated[
            bool, Field(description="For that month only: later months keep their budget")
        ] = False,
        rollover: Annotated[
            bool | None,
            Field(description="Carry leftovers into the next month: true, false, or null to keep"),
        ] = None,
        ctx: Context | None = None,
    ) -> CategoryChange:
        """Set a spending category's budget from a month on (or for that month only), and
        return the category as it stands in that month (budget, carried, spent, available).

        month: the first month it holds for (YYYY-MM; default this month); earlier months keep
        their budget. only_month: later months keep theirs too.
        """
        budget = _budget_argument(amount, "amount")
        if propose:
            return proposal(
                ctx,
                "set_budget",
                {
                    "category": category,
                    "amount": money(budget),
                    "month": (
                        budgets.month_of(None) if month is None else parse_month(month, "month")
                    ).isoformat(),
                    "only_month": only_month,
                    "rollover": rollover,
                },
            )
        with ledger.acting_as(_source(ctx)), naming_categories(sessions):
            view = categories.set_budget(
                sessions,
                category,
                budget,
                month=None if month is None else parse_month(month, "month"),
                rollover=rollover,
                only_month=only_month,
            )
        return CategoryChange(
            currency=currency_code(), action="budget set", category=category_result(view)
        )

    @box.tool(title="Rename a category", annotations=writes(destructive=True, idempotent=True))
    @tool_errors
    def rename_category(
        category: Annotated[str, Field(description="The category's name now, any case")],
        new_name: Annotated[str, Field(description="1 to 50 characters, unique in any case")],
        ctx: Context | None = None,
    ) -> CategoryChange:
        """Rename a category; its entries, budgets and schedules stay with it. Returns the
        category as it stands this month.

        category: its current name, any case. new_name: 1-50 characters, not another
        category's name in any case (a change of case only is allowed).
        """
        with naming_categories(sessions):
            found = categories.get_category(sessions, category)
        if propose:
            return proposal(
                ctx,
                "rename_category",
                {"category_id": found.id, "new_name": new_name, "version": found.version},
            )
        with ledger.acting_as(_source(ctx)):
            view = categories.rename_category(sessions, found.id, new_name, version=found.version)
        return CategoryChange(
            currency=currency_code(), action="renamed", category=category_result(view)
        )

    @box.tool(title="Delete a category", annotations=writes(destructive=True, idempotent=False))
    @tool_errors
    def delete_category(
        category: Annotated[str, Field(description="The category's name, any case")],
        move_to: Annotated[
            str | None,
            Field(
                description="The category that takes its entries, any case; needed when it has "
                "entries"
            ),
        ] = None,
        ctx: Context | None = None,
    ) -> CategoryDeleted:
        """Delete a category. When it has entries, move_to must name another category, and
        its entries move there in the same change; without move_to such a category is refused
        and nothing changes. A category with schedules is refused too (move or delete them
        first). Undo brings it back with its entries.

        category, move_to: names, any case (list_categories shows them).
        """
        with naming_categories(sessions):
            found = categories.get_category(sessions, category)
            target = None if move_to is None else categories.get_category(sessions, move_to)
        if propose:
            return proposal(
                ctx,
                "delete_category",
                {
                    "category_id": found.id,
                    "move_to": None if target is None else target.id,
                    "version": found.version,
                },
            )
        with ledger.acting_as(_source(ctx)):
            result = categories.delete_category(
                sessions,
                found.id,
                move_to=None if target is None else target.id,
                version=found.version,
            )
        return CategoryDeleted(
            currency=currency_code(),
            action="deleted",
            category=found.name,
            moved=result.moved,
            moved_to=target.name if target is not None and result.moved else None,
        )

    return box.tools
