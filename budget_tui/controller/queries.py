"""Shared reads and the roll-up bookkeeping. Helpers here take a session and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Row,
    Select,
    String,
    Table,
    func,
    literal,
    literal_column,
    select,
    text,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import GenericFunction

from budget_tui.controller.periods import Period, add_months, month_start
from budget_tui.controller.views import ExpenseView
from budget_tui.db.models import Category, Expense, MonthlyTotal

# Core tables, for the statements that bypass the ORM (aggregates, bulk writes, upserts).
expenses_t = cast(Table, Expense.__table__)
totals_t = cast(Table, MonthlyTotal.__table__)

# SQLite's trigram index of descriptions (migration 0011; absent where SQLite has no FTS5). Not a
# model: the ORM never reads or writes it, the triggers of 0011 keep it in step.
search_t = Table(
    "expenses_search", MetaData(), Column("rowid", Integer), Column("description", String)
)
SEARCH_FROM = 3  # characters: a trigram index finds nothing shorter


def has_search_index(session: Session) -> bool:
    """True when the book is on SQLite and has its trigram index of descriptions."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'expenses_search'")
    )
    return found.first() is not None


def indexed_matches(needle: str) -> Select[tuple[int]]:
    """The ids of the expenses whose description holds ``needle`` in any case, from the trigram
    index (``needle``: at least :data:`SEARCH_FROM` characters). It may find more than a LIKE
    would (it folds the case of every letter, not only ASCII's): the caller keeps its own
    condition beside it."""
    phrase = '"' + needle.replace('"', '""') + '"'  # one literal phrase: no query syntax
    return select(search_t.c.rowid).where(
        literal_column("expenses_search").op("MATCH")(literal(phrase))
    )


class unicode_lower(GenericFunction[str]):
    """``lower()`` that folds the case of every letter, not only ASCII's ("É" -> "é").

    PostgreSQL's lower() already does; SQLite's built-in one does not, so on SQLite this calls
    the Python function that :mod:`budget_tui.db.engine` registers on every connection (a
    casefold). Either way the Greek final sigma "ς" counts as "σ", so "ΟΔΟΣ" is found by
    "οδος" as by "Σ".
    """

    type = String()
    inherit_cache = True


@compiles(unicode_lower, "sqlite")
def _unicode_lower_sqlite(element: unicode_lower, compiler: Any, **kw: Any) -> str:
    return f"budget_lower({compiler.process(element.clauses, **kw)})"


@compiles(unicode_lower)
def _unicode_lower_default(element: unicode_lower, compiler: Any, **kw: Any) -> str:
    return f"translate(lower({compiler.process(element.clauses, **kw)}), 'ς', 'σ')"


class ascii_ilike(GenericFunction[bool]):
    """``column ILIKE pattern ESCAPE '\\'`` for a pattern with no letter beyond ASCII.

    SQLite's own LIKE already folds ASCII case, so on SQLite this is a plain LIKE: SQLAlchemy's
    ILIKE there is ``lower(column) LIKE lower(pattern)``, a call of lower() on every row, and a
    search of every month at 1,000,000 rows took 2-3 times as long. PostgreSQL keeps its ILIKE
    (the trigram index serves it).
    """

    type = Boolean()
    inherit_cache = True


@compiles(ascii_ilike, "sqlite")
def _ascii_ilike_sqlite(element: ascii_ilike, compiler: Any, **kw: Any) -> str:
    column, pattern = element.clauses.clauses
    like = f"{compiler.process(column, **kw)} LIKE {compiler.process(pattern, **kw)} ESCAPE '\\'"
    return f"({like})"


@compiles(ascii_ilike)
def _ascii_ilike_default(element: ascii_ilike, compiler: Any, **kw: Any) -> str:
    column, pattern = element.clauses.clauses
    return compiler.process(column.ilike(pattern, escape="\\"), **kw)


def cents(expr: ColumnElement) -> ColumnElement[int]:
    """Read an aggregate of a Money column as raw integer cents."""
    return type_coerce(expr, BigInteger())


def spend_by_category(session: Session, period: Period) -> dict[int, tuple[int, int]]:
    """``{category_id: (cents, count)}`` for the period, from SQL aggregates only.

    The whole months inside the period are read from the roll-up (a few rows per month); only the
    part-months at its ends (at most a month each) sum the covering index
    (occurred_on, category_id, amount). So "all time" or "this year to date" never scans every row.
    """
    first = period.start if period.start.day == 1 else add_months(period.start, 1)
    last = month_start(period.end)  # the whole months are [first, last)
    if first >= last:
        return _spend_from_rows(session, period.start, period.end)
    spend = _spend_from_rollup(session, first, last)
    for start, end in ((period.start, first), (last, period.end)):
        if start < end:
            for cat, (c, n) in _spend_from_rows(session, start, end).items():
                old_c, old_n = spend.get(cat, (0, 0))
                spend[cat] = (old_c + c, old_n + n)
    return spend


def _spend_from_rollup(
    session: Session, start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    stmt = (
        select(totals_t.c.category_id, func.sum(totals_t.c.total_cents), func.sum(totals_t.c.count))
        .where(totals_t.c.month >= start, totals_t.c.month < end)
        .group_by(totals_t.c.category_id)
    )
    return _spend(session, stmt)


def _spend_from_rows(session: Session, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    stmt = (
        select(expenses_t.c.category_id, cents(func.sum(expenses_t.c.amount)), func.count())
        .where(expenses_t.c.occurred_on >= start, expenses_t.c.occurred_on < end)
        .group_by(expenses_t.c.category_id)
    )
    return _spend(session, stmt)


def _spend(session: Session, stmt: Select[int, Any, Any]) -> dict[int, tuple[int, int]]:
    return {
        cat: (int(total or 0), int(count or 0))
        for cat, total, count in cast("Iterable[tuple[int, Any, Any]]", session.execute(stmt))
        if count
    }


def income_ids(session: Session) -> set[int]:
    """The ids of the income categories (a handful of rows)."""
    return set(session.scalars(select(Category.id).where(Category.kind == "income")))


def bump(session: Session, deltas: Mapping[tuple[int, dt.date], tuple[int, int]]) -> None:
    """Add ``(cents, count)`` to each ``(category_id, month)`` of the roll-up, creating rows as needed."""
    rows = [
        {"category_id": cat, "month": month_start(month), "total_cents": c, "count": n}
        for (cat, month), (c, n) in deltas.items()
        if c or n
    ]
    if not rows:
        return
    # The dialects' own INSERT, for ON CONFLICT; imported here so a SQLite book never loads the
    # PostgreSQL dialect.
    stmt: Any
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(totals_t)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(totals_t)
    stmt = stmt.on_conflict_do_update(
        index_elements=[totals_t.c.category_id, totals_t.c.month],
        set_={
            "total_cents": totals_t.c.total_cents + stmt.excluded.total_cents,
            "count": totals_t.c.count + stmt.excluded.count,
        },
    )
    session.execute(stmt, rows)


def merge_deltas(
    target: dict[tuple[int, dt.date], tuple[int, int]],
    items: Iterable[tuple[int, dt.date, int, int]],
) -> None:
    for cat, day, c, n in items:
        key = (cat, month_start(day))
        old_c, old_n = target.get(key, (0, 0))
        target[key] = (old_c + c, old_n + n)


def expense_view(expense: Expense, category_name: str, *, replayed: bool = False) -> ExpenseView:
    """The view of an ORM expense whose category name the caller already has."""
    return ExpenseView(
        id=expense.id,
        uid=expense.uid,
        description=expense.description,
        amount=expense.amount,
        occurred_on=expense.occurred_on,
        category_id=expense.category_id,
        category_name=category_name,
        version=expense.version,
        replayed=replayed,
    )


def view_rows() -> Select:
    """``SELECT`` of what an :class:`ExpenseView` shows, joined to the category's name."""
    c = expenses_t.c
    return select(
        c.id, c.uid, c.description, c.amount, c.occurred_on, c.category_id, c.version, Category.name
    ).join(Category, Category.id == c.category_id)


def view_of(row: Row) -> ExpenseView:
    """The view of one row of :func:`view_rows`."""
    return ExpenseView(
        id=row.id,
        uid=row.uid,
        description=row.description,
        amount=row.amount,
        occurred_on=row.occurred_on,
        category_id=row.category_id,
        category_name=row.name,
        version=row.version,
    )
