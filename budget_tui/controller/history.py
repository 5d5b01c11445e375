"""The book's history: list changes, undo one, redo one. Each public function is one transaction.

Undo applies a change's recorded ``before`` rows as a new change (``action`` "undo"), after
checking that every row is still as the change (or its latest redo) left it; redo applies the
change's ``after`` rows again, checked against what the undo left. Either is refused with a
Conflict, changing nothing, when a row was changed since: undo never overwrites what someone
did later, and never deletes data a person did not ask to lose.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Row, Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from budget_tui.controller import ledger
from budget_tui.controller._tx import action, read_action
from budget_tui.controller.views import ChangeView, HistoryPage, UndoResult
from budget_tui.db.models import Change
from budget_tui.errors import Conflict, InvalidInput, NotFound

MAX_LIMIT = 1000
_REVERSALS = ("undo", "redo")


def _view(row: Change | Row[Any]) -> ChangeView:
    # SQLite hands back the UTC time it stored without its zone.
    at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=dt.UTC)
    return ChangeView(
        id=row.id,
        at=at,
        source=row.source,
        action=row.action,
        summary=row.summary,
        group_id=row.group_id,
        reverts=row.reverts,
        undone=bool(row.undone),
    )


def _listing() -> Select[Any]:
    c = ledger.changes_t.c
    return select(c.id, c.at, c.source, c.action, c.summary, c.group_id, c.reverts, c.undone)


@read_action
def list_changes(
    session: Session,
    *,
    source: str | None = None,
    limit: int = 50,
    before_id: int | None = None,
    after_id: int | None = None,
    oldest_first: bool = False,
) -> tuple[ChangeView, ...]:
    """Changes newest first (oldest first with ``oldest_first``), by keyset on id:
    ``before_id``/``after_id`` keep only the changes before/after that one. ``source`` keeps one
    source ("tui", "cli", "import", "schedule", "mcp:<client>", or "mcp" for every MCP
    client). Raises InvalidInput (limit)."""
    return _changes(
        session,
        source=source,
        limit=limit,
        before_id=before_id,
        after_id=after_id,
        oldest_first=oldest_first,
    )


@read_action
def history_page(session: Session, *, source: str | None = None, limit: int = 200) -> HistoryPage:
    """The changes (as :func:`list_changes`) and every source there is, from one snapshot."""
    return HistoryPage(_changes(session, source=source, limit=limit), _sources(session))


def _changes(
    session: Session,
    *,
    source: str | None = None,
    limit: int = 50,
    before_id: int | None = None,
    after_id: int | None = None,
    oldest_first: bool = False,
) -> tuple[ChangeView, ...]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"Ask for 1 to {MAX_LIMIT} changes.")
    c = ledger.changes_t.c
    stmt = _listing()
    if source:
        if source == "mcp":
            stmt = stmt.where(c.source.like("mcp:%"))
        else:
            stmt = stmt.where(c.source == source.strip())
    if before_id is not None:
        stmt = stmt.where(c.id < before_id)
    if after_id is not None:
        stmt = stmt.where(c.id > after_id)
    order = c.id.asc() if oldest_first else c.id.desc()
    return tuple(_view(r) for r in session.execute(stmt.order_by(order).limit(limit)))


@read_action
def change_sources(session: Session) -> tuple[str, ...]:
    """Every source that has made a change, sorted."""
    return _sources(session)


def _sources(session: Session) -> tuple[str, ...]:
    c = ledger.changes_t.c
    return tuple(session.scalars(select(c.source).distinct().order_by(c.source)))


@read_action
def newest_change(session: Session) -> int:
    """The id of the newest change (0 in a book without any): what an open app polls."""
    return int(session.scalar(select(func.max(ledger.changes_t.c.id))) or 0)


def _load(session: Session, change_id: int) -> Change:
    change = session.get(Change, change_id)
    if change is None:
        raise NotFound(f"There is no change #{change_id}.")
    return change


def _latest(session: Session, change: Change, kind: str) -> Change:
    """The newest ``kind`` ("undo"/"redo") record of ``change``, or the change itself."""
    found = session.scalars(
        select(Change)
        .where(Change.reverts == change.id, Change.action == kind)
        .order_by(Change.id.desc())
        .limit(1)
    ).first()
    return found or change


def _state(text: str) -> dict[str, Any]:
    return dict(json.loads(text))


def _undo(session: Session, change: Change) -> UndoResult:
    if change.action in _REVERSALS:
        raise InvalidInput(
            "change", f"#{change.id} is itself an {change.action}; redo undoes an undo."
        )
    if change.undone:
        raise Conflict(f"#{change.id} ({change.summary}) is undone already.")
    return _reverse(session, change, "undo")


def _redo(session: Session, change: Change) -> UndoResult:
    if change.action in _REVERSALS or not change.undone:
        raise Conflict(f"#{change.id} ({change.summary}) is not undone; there is nothing to redo.")
    return _reverse(session, change, "redo")


def _reverse(session: Session, change: Change, action: str) -> UndoResult:
    """Undo (back to ``before``) or redo (on to ``after``) ``change`` as a new change, after
    checking the rows still hold what its latest redo (for an undo) or undo (for a redo) left."""
    undoing = action == "undo"
    left_by = _latest(session, change, "redo" if undoing else "undo")
    expected = _state(left_by.after)
    target = _state(change.before if undoing else change.after)
    result = ledger.apply_state(session, expected, target, batch_change=change.id)
    ledger.mark_undone(session, change.id, undoing)
    new_id = ledger.write_change(
        session,
        action,
        f"{action} #{change.id}: {change.summary}",
        expected,
        result,
        reverts=change.id,
    )
    session.expire(change)
    return UndoResult(_view(_load(session, new_id)), _view(change))


@action
def undo(
    session: Session, change_id: int | None = None, *, source: str | None = None
) -> UndoResult:
    """Undo change ``change_id``, or the newest change not undone yet (of ``source`` only, if
    given). The undo is itself a change. Raises NotFound (no such change, nothing to undo),
    Conflict (a row it touched was changed since: the message says what it holds now; nothing
    is changed), InvalidInput (``change_id`` is an undo or redo)."""
    if change_id is not None:
        change = _load(session, change_id)
        if source is not None and change.source != source:
            raise Conflict(
                f"#{change.id} was made by {change.source}, not by {source}; it was not undone.",
                hint="Only changes made by this client can be undone here.",
            )
        return _undo(session, change)
    stmt = select(Change).where(Change.reverts.is_(None), Change.undone.is_(False))
    if source is not None:
        stmt = stmt.where(Change.source == source)
    newest = session.scalars(stmt.order_by(Change.id.desc()).limit(1)).first()
    if newest is None:
        raise NotFound("There is nothing to undo.")
    return _undo(session, newest)


@action
def redo(session: Session, *, source: str | None = None) -> UndoResult:
    """Redo the change the newest undo (of ``source`` only, if given) undid, while it is still
    undone. Raises NotFound (nothing to redo) or Conflict (a row was changed since the undo;
    nothing is changed)."""
    undo_record = aliased(Change)
    target = aliased(Change)
    found = (
        session.execute(
            select(target)
            .join(undo_record, and_(undo_record.reverts == target.id, undo_record.action == "undo"))
            .where(target.undone.is_(True))
            .order_by(undo_record.id.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )
    if found is None:
        raise NotFound("There is nothing to redo.")
    return _redo(session, found)
