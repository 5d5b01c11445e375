"""Proposals: writes an assistant asked for, made only when the person accepts them.

An MCP server started with ``--allow-write=propose`` (the default write mode) doesn't change the
book from its write tools: :func:`propose` checks the call by making the change inside a
savepoint and rolling it back (so a bad argument, a missing expense or a taken name is refused
at once, exactly as in direct mode, and the summary is the one History would show), then stores
it as a pending proposal. The app's Inbox lists them; :func:`accept_proposal` makes the change,
recorded with the assistant's ``mcp:<client>`` source and undoable like any other, in the same
transaction as marking the proposal accepted. :func:`reject_proposal` changes nothing else.

A proposal that can no longer be made (its expense was deleted or edited since, its category
renamed) stays pending when accepted: the error says why in plain words, and the person
rejects it to clear it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget_tui.controller import categories, expenses, ledger
from budget_tui.controller._tx import action, read_action
from budget_tui.controller.views import ProposalView
from budget_tui.db.models import Change, Proposal
from budget_tui.errors import BudgetError, Conflict, InvalidInput, NotFound

Args = dict[str, Any]


def _inner(public: Any) -> Callable[..., Any]:
    """The body of a public action, to run inside this module's transaction."""
    return public.__wrapped_action__  # type: ignore[no-any-return,unused-ignore]


def _add_expense(session: Session, a: Args) -> None:
    _inner(expenses.create_expense)(
        session,
        description=a["description"],
        amount=a["amount"],
        occurred_on=a["date"],
        category=a["category"],
        uid=a.get("uid"),
    )


def _update_expense(session: Session, a: Args) -> None:
    _inner(expenses.update_expense)(
        session,
        a["expense_id"],
        version=a.get("version"),
        description=a.get("description"),
        amount=a.get("amount"),
        occurred_on=a.get("date"),
        category=a.get("category"),
    )


def _delete_expense(session: Session, a: Args) -> None:
    _inner(expenses.delete_expense)(session, a["expense_id"], version=a.get("version"))


def _create_category(session: Session, a: Args) -> None:
    _inner(categories.create_category)(
        session,
        a["name"],
        a.get("monthly_budget"),
        kind=a.get("kind", "spending"),
        rollover=a.get("rollover", False),
    )


def _set_budget(session: Session, a: Args) -> None:
    _inner(categories.set_budget)(
        session,
        a["category"],
        a.get("amount"),
        month=a.get("month"),
        rollover=a.get("rollover"),
        only_month=a.get("only_month", False),
    )


def _rename_category(session: Session, a: Args) -> None:
    _inner(categories.rename_category)(
        session, a["category_id"], a["new_name"], version=a.get("version")
    )


def _delete_category(session: Session, a: Args) -> None:
    _inner(categories.delete_category)(
        session, a["category_id"], move_to=a.get("move_to"), version=a.get("version")
    )


# The tools whose calls can be proposals, and the controller action each one makes.
ACTIONS: dict[str, Callable[[Session, Args], None]] = {
    "add_expense": _add_expense,
    "update_expense": _update_expense,
    "delete_expense": _delete_expense,
    "create_category": _create_category,
    "set_budget": _set_budget,
    "rename_category": _rename_category,
    "delete_category": _delete_category,
}


def _newest_change(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Change.id), 0))) or 0)


def _made(session: Session, tool: str, arguments: Args, source: str) -> tuple[int, ...]:
    """Make the change ``tool`` would, as ``source``; the ids of the changes it recorded."""
    if tool not in ACTIONS:
        raise InvalidInput("tool", f"{tool} can't be proposed.")
    newest = _newest_change(session)
    with ledger.acting_as(source):
        ACTIONS[tool](session, arguments)
    return tuple(
        session.scalars(
            select(Change.id)
            .where(Change.id > newest, Change.source == ledger.clean_source(source))
            .order_by(Change.id)
        )
    )


@action
def propose(session: Session, source: str, tool: str, arguments: Args) -> ProposalView:
    """Check ``tool(arguments)`` by making it and rolling it back, then store it as a pending
    proposal from ``source`` (``mcp:<client>``). Raises what the action itself would."""
    json.dumps(arguments)  # only JSON goes in (a TypeError here is a programming error)
    savepoint = session.begin_nested()
    try:
        made = _made(session, tool, arguments, source)
        summary = "; ".join(
            session.scalars(select(Change.summary).where(Change.id.in_(made)).order_by(Change.id))
        )
    finally:
        savepoint.rollback()
    if not made:
        raise InvalidInput("arguments", "That would change nothing: the book already says so.")
    proposal_id = ledger.add_proposal(
        session,
        source=source,
        tool=tool,
        arguments=arguments,
        summary=summary,
    )
    return _view(_load(session, proposal_id))


def _load(session: Session, proposal_id: int) -> Proposal:
    found = session.get(Proposal, proposal_id)
    if found is None:
        raise NotFound(f"There is no proposal {proposal_id}.")
    return found


def _view(p: Proposal) -> ProposalView:
    return ProposalView(
        id=p.id,
        created_at=p.created_at,
        source=p.source,
        tool=p.tool,
        arguments=json.loads(p.arguments),
        summary=p.summary,
        status=p.status,
        change_id=p.change_id,
    )


def _pending(session: Session, proposal_id: int) -> Proposal:
    found = _load(session, proposal_id)
    if found.status != "pending":
        raise Conflict(f"Proposal {proposal_id} was {found.status} already.")
    return found


@read_action
def list_proposals(
    session: Session, *, status: str | None = "pending", limit: int = 200
) -> tuple[ProposalView, ...]:
    """Proposals, newest first: the pending ones by default, or those with ``status`` (None:
    all)."""
    stmt = select(Proposal).order_by(Proposal.id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(Proposal.status == status)
    return tuple(_view(p) for p in session.scalars(stmt))


@read_action
def pending_count(session: Session) -> int:
    """How many proposals wait for an answer (one COUNT on an index)."""
    return int(session.scalar(select(func.count()).where(Proposal.status == "pending")) or 0)


@action
def accept_proposal(session: Session, proposal_id: int) -> ProposalView:
    """Make the proposed change, recorded as made by the proposal's source, and mark the
    proposal accepted, in one transaction. When the change can't be made now (the expense was
    deleted or changed since, a name is taken...), nothing changes, the proposal stays pending,
    and the Conflict says why."""
    proposal = _pending(session, proposal_id)
    arguments = json.loads(proposal.arguments)
    try:
        made = _made(session, proposal.tool, arguments, proposal.source)
    except BudgetError as error:
        raise Conflict(
            f"Proposal {proposal_id} can't be made now: {error.message}",
            hint="Nothing was changed; reject it to clear it.",
        ) from None
    if not ledger.settle_proposal(session, proposal_id, "accepted", made[-1] if made else None):
        raise Conflict(f"Proposal {proposal_id} was answered elsewhere; nothing was changed.")
    session.expire(proposal)
    return _view(_load(session, proposal_id))


@action
def reject_proposal(session: Session, proposal_id: int) -> ProposalView:
    """Mark a pending proposal rejected; the book is left as it is."""
    _pending(session, proposal_id)
    if not ledger.settle_proposal(session, proposal_id, "rejected"):
        raise Conflict(f"Proposal {proposal_id} was answered elsewhere.")
    proposal = _load(session, proposal_id)
    session.expire(proposal)
    return _view(_load(session, proposal_id))
