"""Import rules and profiles: rows the change log keeps whole."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from budget_tui.controller import validate
from budget_tui.controller.ledger._core import (
    _SIMPLE,
    Row,
    _Record,
    _record,
    _refuse,
    _simple_row,
    profiles_t,
    rules_t,
)
from budget_tui.db.models import (
    Category,
)

# -- import rules and profiles -------------------------------------------------------------------


def add_rule(
    session: Session,
    *,
    match: str,
    pattern: str,
    category: Category,
    rename: str | None,
    position: int,
) -> int:
    """Insert a rule at ``position`` (rules from there on move down one) and record it; returns
    its id."""
    moved = [
        int(found.id)
        for found in session.execute(
            select(rules_t.c.id).where(rules_t.c.position >= position).order_by(rules_t.c.position)
        )
    ]
    record = _Record("rule.add")
    for rule_id in moved:
        before = _simple_row(rules_t, rule_id, session)
        session.execute(
            update(rules_t).where(rules_t.c.id == rule_id).values(position=rules_t.c.position + 1)
        )
        record.simple("rules", rule_id, before, _simple_row(rules_t, rule_id, session))
    rule_id = int(
        session.execute(
            insert(rules_t)
            .values(
                position=position,
                match=match,
                pattern=pattern,
                category_id=category.id,
                rename=rename,
            )
            .returning(rules_t.c.id)
        ).scalar_one()
    )
    record.simple("rules", rule_id, None, _simple_row(rules_t, rule_id, session))
    words = {"contains": "contains", "starts": "starts with", "regex": "matches"}[match]
    renamed = f" as {rename!r}" if rename else ""
    _record(session, record, f"add rule: {words} {pattern!r} -> {category.name!r}{renamed}")
    return rule_id


def delete_rule(session: Session, rule_id: int, summary: str) -> None:
    """Delete a rule and record it (the rules after it keep their positions: order is kept)."""
    record = _Record("rule.delete")
    record.simple("rules", rule_id, _simple_row(rules_t, rule_id, session), None)
    session.execute(delete(rules_t).where(rules_t.c.id == rule_id))
    _record(session, record, f"delete rule: {summary}")


def save_profile(session: Session, *, name: str, signature: str, settings: str) -> int:
    """Insert or replace (by name, in any case) a CSV profile and record it; returns its id."""
    key = validate.name_key(name)
    found = session.scalar(select(profiles_t.c.id).where(profiles_t.c.name_key == key))
    record = _Record("profile.save")
    values = {"name": name, "name_key": key, "signature": signature, "settings": settings}
    if found is None:
        profile_id = int(
            session.execute(
                insert(profiles_t).values(values).returning(profiles_t.c.id)
            ).scalar_one()
        )
        before = None
    else:
        profile_id = int(found)
        before = _simple_row(profiles_t, profile_id, session)
        session.execute(update(profiles_t).where(profiles_t.c.id == profile_id).values(values))
    record.simple("profiles", profile_id, before, _simple_row(profiles_t, profile_id, session))
    _record(session, record, f"save import profile {name!r}")
    return profile_id


def _check_simple(key: str, expected: Row | None, current: Row | None) -> None:
    what = "rule" if key == "rules" else "import profile"
    if expected is None:
        if current is not None:
            raise _refuse(f"the {what} #{current['id']} exists again")
        return
    if current is None:
        raise _refuse(f"the {what} #{expected['id']} was deleted since")
    if any(current[k] != expected[k] for k in _SIMPLE[key][1]):
        raise _refuse(f"the {what} #{expected['id']} was changed since")


def _apply_simple(session: Session, key: str, rows: Mapping[str, Row | None]) -> dict:
    table = _SIMPLE[key][0]
    done: dict[str, Row | None] = {}
    for row_id, row in rows.items():
        exists = _simple_row(table, int(row_id), session) is not None
        if row is None:
            session.execute(delete(table).where(table.c.id == int(row_id)))
        elif exists:
            values = {k: v for k, v in row.items() if k != "id"}
            session.execute(update(table).where(table.c.id == int(row_id)).values(values))
        else:
            session.execute(insert(table).values(row))
        done[row_id] = row
    return done
