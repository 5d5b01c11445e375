"""Proposals: an assistant's writes waiting for the person's OK (the ``proposals`` table).

A proposal is not a change to the book: storing, accepting or rejecting one writes no row to
``changes``. Accepting one makes its change in the same transaction (that change is recorded as
usual, with the proposal's source); :func:`settle_proposal` then names it here.
"""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import Table, insert, update
from sqlalchemy.orm import Session

from budget_tui.controller.ledger._core import clean_source
from budget_tui.db.models import Proposal, utcnow

proposals_t = cast(Table, Proposal.__table__)
STATUSES = ("pending", "accepted", "rejected")


def add_proposal(
    session: Session, *, source: str, tool: str, arguments: dict[str, Any], summary: str
) -> int:
    """Store a pending proposal (one INSERT); returns its id."""
    values = {
        "created_at": utcnow(),
        "source": clean_source(source),
        "tool": tool,
        "arguments": json.dumps(arguments, sort_keys=True),
        "summary": summary[:400],
        "status": "pending",
        "change_id": None,
    }
    return int(
        session.execute(insert(proposals_t).values(values).returning(proposals_t.c.id)).scalar_one()
    )


def settle_proposal(
    session: Session, proposal_id: int, status: str, change_id: int | None = None
) -> bool:
    """Mark a pending proposal accepted (with the change it became) or rejected; False when it
    was no longer pending (settled elsewhere in the meantime)."""
    if status not in STATUSES[1:]:
        raise ValueError(f"unknown status {status!r}")
    done = session.execute(
        update(proposals_t)
        .where(proposals_t.c.id == proposal_id, proposals_t.c.status == "pending")
        .values(status=status, change_id=change_id)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]
