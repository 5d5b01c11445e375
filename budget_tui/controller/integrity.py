"""A damaged SQLite book is never answered from as if it were whole.

Reports read the monthly roll-up and the covering index, not the expense rows themselves, so
pages of the ``expenses`` table that can no longer be read would not disturb a report: it would
print figures as if nothing were wrong. Two guards keep that from happening:

- Before the first read of each engine (so once per process: the app, a command, the MCP
  server), :func:`check` walks every page of the ``expenses`` table and one of its indexes by
  counting their rows, and compares the counts with the roll-up's, all in the read's own
  snapshot. A page SQLite can't read fails with SQLITE_CORRUPT; counts that disagree mean rows
  were lost or the roll-up was. Either way the action raises DatabaseDamaged. It costs one pass
  over the table's pages (about 0.1 s at a million expenses, measured; ``PRAGMA quick_check``
  reads every page of every table and index and costs 0.7 s).
- Once damage has been seen on an engine (by this check or by any query meeting
  SQLITE_CORRUPT), every later action on it, read or write, is refused the same way: an answer
  that happened to miss the bad pages would still be an answer from a damaged book, and writing
  into one can spread the damage.

Not caught: damage inside a row's bytes on a page whose structure is intact (a changed amount
on a page SQLite can still read). Only a full ``PRAGMA integrity_check`` finds that, and it is
not run automatically. PostgreSQL guards its own pages (checksums, errors XX001/XX002, which
:mod:`budget_tui.db.classify` reads); nothing here runs there.
"""

from __future__ import annotations

import threading
import weakref

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from budget_tui.errors import DatabaseDamaged

_lock = threading.Lock()
_whole: weakref.WeakSet[Engine] = weakref.WeakSet()
_damaged: weakref.WeakSet[Engine] = weakref.WeakSet()

DAMAGED_HINT = (
    "Nothing was changed. Restore the file from a backup "
    "(`sqlite3 FILE .recover` on a copy may save what is left)."
)


def damaged_book(why: str = "some of it can't be read") -> DatabaseDamaged:
    """The error for an SQLite book that is damaged (``why`` says how it shows)."""
    return DatabaseDamaged(
        f"The book file is damaged: {why}, so no figure from it can be trusted.",
        hint=DAMAGED_HINT,
    )


def mark_damaged(engine: Engine | None) -> None:
    """Remember that ``engine``'s book is damaged: every later action on it is refused."""
    if engine is not None and engine.dialect.name == "sqlite":
        with _lock:
            _damaged.add(engine)
            _whole.discard(engine)


def check(session: Session, *, read: bool) -> None:
    """Raise DatabaseDamaged if this SQLite book is known to be damaged, or (before an engine's
    first read) if its expense rows, their index and the roll-up disagree or can't be read."""
    conn = session.connection()
    engine = conn.engine
    if engine.dialect.name != "sqlite":
        return
    if engine in _damaged:
        raise damaged_book()
    if not read or engine in _whole:
        return
    with _lock:  # the app's first screen starts several reads at once: one of them checks
        if engine in _damaged:
            raise damaged_book()
        if engine in _whole:
            return
        _check_counts(session)
        _whole.add(engine)


def _check_counts(session: Session) -> None:
    from budget_tui.controller.queries import expenses_t, totals_t

    # NOT INDEXED: count the table's own pages (count(*) alone reads its smallest index).
    table: int = session.execute(
        text(f"SELECT count(*) FROM {expenses_t.name} NOT INDEXED")
    ).scalar_one()
    indexed: int = session.execute(select(func.count()).select_from(expenses_t)).scalar_one()
    rolled_up: int = session.execute(
        select(func.coalesce(func.sum(totals_t.c.count), 0))
    ).scalar_one()
    if not table == indexed == int(rolled_up):
        raise damaged_book("its expenses and its monthly totals disagree")
