"""The Expenses screen's first rows, read with the database driver alone, before SQLAlchemy.

Importing SQLAlchemy and the ORM takes about 0.4 s, longer than Python and Textual take to
start. So the app's start-up child (:mod:`budget_tui.tui.prefetch`) first reads the rows the
Expenses screen opens on (this month, newest first) with ``sqlite3`` or ``psycopg2`` directly,
and the app paints them while SQLAlchemy is still importing. The whole listing (totals, budgets,
upcoming entries) follows from :func:`budget_tui.controller.expense_list.browse_this_month`, one
snapshot that replaces these rows.

Only a book this version can read as it is gets read this way: an SQLite file named by a plain
``sqlite:///path`` URL, or a ``postgresql://`` URL that libpq reads as it stands, at the schema
revision this version writes. Anything else (another revision, a file that is not a budget book,
a missing file, query options SQLAlchemy would translate) answers None, and the full path opens,
upgrades or explains as it always has. The SQLite file is opened read-only: nothing is created or
changed. A test holds these rows equal to ``browse_this_month``'s on both backends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from budget_tui.clock import today
from budget_tui.controller.periods import Period
from budget_tui.controller.views import Cursor, ExpensePage, ExpenseView
from budget_tui.db.cents import from_cents
from budget_tui.db.revision import HEAD

# The ``view_rows`` columns of :mod:`budget_tui.controller.queries`, in the order of ExpenseView,
# and ``_page``'s order for the date sort, newest first.
_ROWS = (
    "SELECT e.id, e.uid, e.description, e.amount, e.occurred_on, e.category_id, c.name, e.version"
    " FROM expenses AS e JOIN categories AS c ON c.id = e.category_id"
    " WHERE e.occurred_on >= {p} AND e.occurred_on < {p}"
    " ORDER BY e.occurred_on DESC, e.id DESC LIMIT {p}"
)
_REVISION = "SELECT version_num FROM alembic_version"
_SQLITE = "sqlite:///"
_POSTGRESQL = ("postgresql://", "postgresql+psycopg2://")
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class FirstRows:
    """The first page of this month's expenses, and where the book is when that is known without
    SQLAlchemy (an SQLite file's path, as the header shows it; None for a server)."""

    month: Period
    page: ExpensePage
    location: str | None


def first_rows(url: str, limit: int = 50) -> FirstRows | None:
    """This month's newest ``limit`` expenses, read with the driver alone; None when the URL or
    the book is not one this may read (the full path then does). Never raises."""
    month = Period.month(today())
    try:
        if url.startswith(_SQLITE):
            path = url[len(_SQLITE) :]
            if not path or any(ch in path for ch in "?%") or path == ":memory:":
                return None
            return FirstRows(month, _sqlite_page(Path(path), month, limit), path)
        if url.startswith(_POSTGRESQL):
            return FirstRows(month, _postgresql_page(url, month, limit), None)
    except Exception:  # _NotHere, or any failure: the full path's to explain
        return None
    return None


class _NotHere(Exception):
    """The book is not one this module reads: another revision, or not a budget book."""


def _sqlite_page(path: Path, month: Period, limit: int) -> ExpensePage:
    import sqlite3

    if not path.is_file():
        raise _NotHere  # a new book is made (or refused) by the full path
    # Read-only: a file that is not a budget book, or a book to upgrade, is left as it is.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        conn.execute("BEGIN")  # the revision and the rows from one snapshot
        _check_revision(conn.execute(_REVISION).fetchall())
        rows = conn.execute(
            _ROWS.format(p="?"),
            (month.start.isoformat(), month.end.isoformat(), limit + 1),
        ).fetchall()
    finally:
        conn.close()
    return _page(rows, limit)


def _postgresql_page(url: str, month: Period, limit: int) -> ExpensePage:
    import psycopg2

    dsn = "postgresql://" + url.split("://", 1)[1]
    conn = psycopg2.connect(dsn, connect_timeout=CONNECT_TIMEOUT_S, application_name="budget-tui")
    try:
        conn.set_session(readonly=True)
        with conn.cursor() as cur:  # one transaction: psycopg2 opens it on the first statement
            cur.execute(_REVISION)
            _check_revision(cur.fetchall())
            cur.execute(_ROWS.format(p="%s"), (month.start, month.end, limit + 1))
            rows = cur.fetchall()
        conn.rollback()
    finally:
        with contextlib.suppress(Exception):
            conn.close()
    return _page(rows, limit)


def _check_revision(rows: list[Any]) -> None:
    if [tuple(r) for r in rows] != [(HEAD,)]:
        raise _NotHere


def _page(rows: list[Any], limit: int) -> ExpensePage:
    more = len(rows) > limit
    items = tuple(
        ExpenseView(
            id=id_,
            uid=uid,
            description=description,
            amount=from_cents(cents),
            occurred_on=on if isinstance(on, dt.date) else dt.date.fromisoformat(on),
            category_id=category_id,
            category_name=name,
            version=version,
        )
        for id_, uid, description, cents, on, category_id, name, version in rows[:limit]
    )
    if not items:
        return ExpensePage((), None, None)
    last = items[-1]
    return ExpensePage(items, Cursor(last.occurred_on, last.id) if more else None, None)
