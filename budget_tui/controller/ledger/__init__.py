"""The ledger: the only module that writes the book.

Every change (an expense added, edited, moved or deleted; a category added, renamed, made
income or spending, or deleted with its expenses moved; a budget set from a month on; a schedule
made, edited, paused, skipped or deleted; the entries a schedule posts; an import; a demo fill;
an undo or a redo) goes through a function here. In the same transaction as the change it keeps
the monthly roll-up in
step and appends one row to ``changes``: when, the source (``tui``, ``cli``, ``import``,
``mcp:<client>``, ``schedule``), a group id, a one-line summary, and the rows before and after
(JSON). Functions here take the caller's session and never commit; the public actions that use
them (here and in ``expenses``, ``categories``, ``schedules``, ``imports``, ``demo``) are one
transaction each.

An import or demo fill of up to millions of rows is recorded as one change that names its batch
(the uid prefix its rows share and their id range) instead of every row, so recording it costs
one row. Undoing it moves its rows to ``archived_expenses`` (one INSERT ... SELECT, one DELETE);
a redo moves them back.

Undo applies the recorded ``before`` state as a new change, after checking that every row still
is as the change (or its latest redo) left it: a row changed or deleted since (by another
terminal, say) makes the undo a Conflict that says what the row holds now, and nothing changes.

Undo and redo live in :mod:`budget_tui.controller.history` (the public actions); the machinery
that applies a recorded state is :func:`apply_state` here.

The package: :mod:`._core` (sources, rows, writing a change), :mod:`.entries` (expenses,
categories, budgets), :mod:`.schedules`, :mod:`.rules` (import rules and profiles),
:mod:`.batches` (imports and demo fills), :mod:`.proposals` (an assistant's writes awaiting
the person's OK), :mod:`.undo` (applying a recorded state).
"""

from __future__ import annotations

from budget_tui.controller.ledger._core import (
    DEFAULT_SOURCE,
    SOURCES,
    Row,
    State,
    acting_as,
    archive_t,
    budget_key,
    budgets_t,
    categories_t,
    category_row,
    changes_t,
    clean_source,
    describe_expense,
    expense_row,
    mark_undone,
    money_text,
    profiles_t,
    rules_t,
    schedules_t,
    source_of,
    write_change,
)
from budget_tui.controller.ledger.batches import (
    BulkChange,
)
from budget_tui.controller.ledger.entries import (
    BudgetFrom,
    add_category,
    add_expense,
    delete_category,
    delete_expense,
    edit_category,
    edit_expense,
    set_budget,
)
from budget_tui.controller.ledger.proposals import (
    add_proposal,
    proposals_t,
    settle_proposal,
)
from budget_tui.controller.ledger.rules import (
    add_rule,
    delete_rule,
    save_profile,
)
from budget_tui.controller.ledger.schedules import (
    SCHEDULE_CONTENT,
    add_schedule,
    cadence_of,
    delete_schedule,
    describe_schedule,
    edit_schedule,
    next_due,
    post_scheduled,
    schedule_row,
    skipped_dates,
)
from budget_tui.controller.ledger.undo import (
    apply_state,
)

__all__ = [
    "DEFAULT_SOURCE",
    "SCHEDULE_CONTENT",
    "SOURCES",
    "BudgetFrom",
    "BulkChange",
    "Row",
    "State",
    "acting_as",
    "add_category",
    "add_expense",
    "add_proposal",
    "add_rule",
    "add_schedule",
    "apply_state",
    "archive_t",
    "budget_key",
    "budgets_t",
    "cadence_of",
    "categories_t",
    "category_row",
    "changes_t",
    "clean_source",
    "delete_category",
    "delete_expense",
    "delete_rule",
    "delete_schedule",
    "describe_expense",
    "describe_schedule",
    "edit_category",
    "edit_expense",
    "edit_schedule",
    "expense_row",
    "mark_undone",
    "money_text",
    "next_due",
    "post_scheduled",
    "profiles_t",
    "proposals_t",
    "rules_t",
    "save_profile",
    "schedule_row",
    "schedules_t",
    "set_budget",
    "settle_proposal",
    "skipped_dates",
    "source_of",
    "write_change",
]
