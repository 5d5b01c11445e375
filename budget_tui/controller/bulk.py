"""Bulk writes of expenses for demo data and CSV import, inside the caller's transaction.

Rows go through the driver, not the ORM: COPY on PostgreSQL, executemany on SQLite.

Readers are never locked out, whatever the size of the load:

- PostgreSQL keeps every index and constraint of ``expenses``. Dropping one takes an ACCESS
  EXCLUSIVE lock until the transaction ends, which would make every reader (the app, ``report``,
  the MCP server) wait for the whole load; inserting rows takes only a ROW EXCLUSIVE lock, which
  no reader waits for. Rows come in date (and id) order, so most indexes grow at their end.
  The trigram index on descriptions (GIN) takes a large load's entries in its pending list and
  merges them once at the end (:func:`_pg_defer_gin`): entry by entry it tripled a load's time.
- SQLite in WAL mode never makes a reader wait for a writer, and a reader sees the schema of the
  last commit: secondary indexes dropped inside the (uncommitted) load are still there for it.
  So a load that is large next to the table drops the non-unique indexes and builds them once
  at the end (a million index insertions cost far more than one build from the rows); the
  trigram index of descriptions (0011) likewise gets the new rows in one statement, its trigger
  dropped meanwhile. The drop and the rebuild are in the same transaction as the rows, so a
  failed load changes nothing.

An import goes through :class:`ImportStage`: rows are first loaded into a temporary staging table
(no index, no constraint; dropped with the transaction), then moved into ``expenses`` in chunks
of one statement each, skipping the rows whose import key is already there; the roll-up is
bumped from exactly the rows inserted (the same set of new rows feeds both). Imports take turns
for that part (SQLite's write lock; an advisory lock on PostgreSQL), so no key can slip in
between the check and the insert.

Driver errors are re-raised as SQLAlchemy's ``DBAPIError`` without their chain: the action
boundary translates them like any other, and no traceback shows a driver message (a COPY error
quotes the row it was reading).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from budget_tui.controller.queries import expenses_t

# Below this many rows the indexes stay: rebuilding them would cost more than keeping them.
DEFER_INDEXES_FROM = 100_000
# PostgreSQL: a load of at least this many rows (and a tenth of the table) refreshes the planner's
# statistics (:func:`_pg_analyze_after`); ANALYZE reads a sample of some 30,000 rows, 0.1-0.3 s.
ANALYZE_FROM = 10_000
# Rows moved from the staging table into expenses per statement: each statement stays well
# inside the per-round-trip deadline whatever the file's size.
MOVE_CHUNK = 200_000
SQLITE_DEFAULT_CACHE = "PRAGMA cache_size = -2000"
SQLITE_LOAD_CACHE = "PRAGMA cache_size = -65536"


class _Raw:
    """The session's own DB-API connection, with driver errors made SQLAlchemy's."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        raw = session.connection().connection.dbapi_connection
        self.connection: Any = raw
        self.cursor: Any = raw.cursor()  # type: ignore[union-attr]

    def run(self, statement: str, call: Callable[[], Any]) -> Any:
        dbapi = self.session.get_bind().dialect.dbapi
        try:
            with _driver_prints_silenced() if self.dialect == "postgresql" else _nothing():
                return call()
        except dbapi.Error as exc:  # type: ignore[union-attr]
            invalidated = bool(getattr(self.connection, "closed", False))
            # No chain: the driver's message (a COPY error quotes the row it was reading) must
            # never reach a traceback, a log or the screen. The error keeps the driver's code for
            # the translation at the action boundary.
            raise DBAPIError.instance(
                statement,
                None,
                exc,
                dbapi.Error,  # type: ignore[union-attr]
                connection_invalidated=invalidated,
            ) from None

    def _call(self, statement: str, params: Any) -> None:
        # Without parameters, nothing is interpolated (psycopg2 would read "%" as a marker).
        if params is None:
            self.cursor.execute(statement)
        else:
            self.cursor.execute(statement, params)

    def execute(self, statement: str, params: Any = None) -> None:
        self.run(statement, lambda: self._call(statement, params))

    def scalar(self, statement: str, params: Any = None) -> Any:
        def call() -> Any:
            self._call(statement, params)
            return self.cursor.fetchone()[0]

        return self.run(statement, call)

    def executemany(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        self.run(statement, lambda: self.cursor.executemany(statement, rows))

    def copy(self, statement: str, data: str) -> None:
        self.run(
            statement, lambda: self.cursor.copy_expert(statement, io.StringIO(data), size=1 << 20)
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.cursor.close()


# -- psycopg2 prints a COPY error's message (with the row it quotes) itself --------------------
#
# When the server ends the connection during COPY FROM, psycopg2 (2.9) builds the error twice;
# the second time it decodes the message while the first error is pending, gets a SystemError,
# and hands it to PyErr_Print, which calls sys.excepthook: the message, with its "COPY expenses,
# line 5: <the row's values>" context, would go to stderr. The real error still comes back from
# the COPY call, so that printout is dropped; any other exception is printed as always.

_hook_lock = threading.Lock()


def _is_driver_printout(value: BaseException | None) -> bool:
    cause = value.__cause__ if isinstance(value, SystemError) else None
    module = type(cause).__module__ if cause is not None else ""
    return module.split(".")[0] == "psycopg2"


def _filtered_excepthook(hook: Callable[..., Any]) -> Callable[..., Any]:
    def excepthook(kind: type[BaseException], value: BaseException, tb: Any) -> Any:
        if _is_driver_printout(value):
            return None
        return hook(kind, value, tb)

    excepthook.budget_tui_filter = True  # type: ignore[attr-defined]
    return excepthook


@contextlib.contextmanager
def _driver_prints_silenced() -> Iterator[None]:
    # Installed once and left in place: swapping the hook per call would race between threads,
    # and the filter passes every other exception to the hook that was there before.
    if not getattr(sys.excepthook, "budget_tui_filter", False):
        with _hook_lock:
            if not getattr(sys.excepthook, "budget_tui_filter", False):
                sys.excepthook = _filtered_excepthook(sys.excepthook)
    yield


@contextlib.contextmanager
def _nothing() -> Iterator[None]:
    yield


# -- SQLite: indexes built once after a large load ----------------------------------------------


# The trigger that adds each new expense to SQLite's trigram index of descriptions (0011).
SEARCH_INSERT_TRIGGER = "expenses_search_insert"


def _defer_sqlite_upkeep(raw: _Raw, session: Session) -> list[tuple[str, Any]]:
    """Drop the non-unique explicit indexes of ``expenses``, and the trigger that indexes each
    new row's description; returns the statements (with their parameters) that rebuild the
    indexes, give the trigram index every row added meanwhile in one pass, and bring the trigger
    back.

    Unique indexes stay: they are constraints (and the import looks its keys up in its own)."""
    found = session.execute(
        text(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE tbl_name = 'expenses' AND sql IS NOT NULL AND ("
            "(type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%') "
            "OR (type = 'trigger' AND name = :trigger))"
        ),
        {"trigger": SEARCH_INSERT_TRIGGER},
    ).all()
    restore: list[tuple[str, Any]] = []
    for kind, name, sql in found:
        raw.execute(f'DROP {"TRIGGER" if kind == "trigger" else "INDEX"} "{name}"')
        if kind == "trigger":
            newest = session.scalar(select(func.max(expenses_t.c.id))) or 0
            restore.append(
                (
                    "INSERT INTO expenses_search (rowid, description) "
                    "SELECT id, description FROM expenses WHERE id > ?",
                    (newest,),
                )
            )
        restore.append((str(sql), None))
    return restore


GIN_INDEX = "ix_expenses_description_trgm"


def _pg_defer_gin(raw: _Raw) -> None:
    """For this transaction, let GIN indexes queue new entries (up to 2 GB) instead of merging
    them a few MB at a time."""
    raw.execute("SET LOCAL gin_pending_list_limit = 2147483647")


def _pg_merge_gin(raw: _Raw) -> None:
    """Merge the queued entries into the trigram index (if there is one) in one pass, so a
    search after the load reads the index, not a long pending list."""
    raw.execute(
        f"SELECT gin_clean_pending_list(to_regclass('{GIN_INDEX}')) "
        f"WHERE to_regclass('{GIN_INDEX}') IS NOT NULL"
    )


def _pg_analyze_after(raw: _Raw, added: int) -> None:
    """Refresh the planner's statistics of ``expenses`` when a load of ``added`` rows grew it by a
    tenth or more of what they last counted (and by ``ANALYZE_FROM`` rows at least): autovacuum's
    own rule, applied at once, and on a server that runs without autovacuum too. Until then the
    planner goes by the table as it was: after a first load, by no statistics at all, it guessed
    a few hundred matches for a word found in 29,000 rows and sorted every match to list the
    newest 100 (45 ms instead of 3). Inside the load's transaction: readers and writers of
    single rows don't wait for it, and a failed load rolls it back with the rows."""
    counted = raw.scalar("SELECT reltuples FROM pg_class WHERE oid = 'expenses'::regclass")
    if added >= max(ANALYZE_FROM, float(counted or 0) / 10):  # -1: never counted
        raw.execute("ANALYZE expenses")


class BulkWriter:
    """Appends rows of ``columns`` to ``expenses`` through the session's own connection.

    Use as a context manager; ``expected`` is how many rows are coming (an estimate is fine):
    on SQLite it decides whether indexes are rebuilt at the end rather than kept up to date.
    """

    def __init__(self, session: Session, columns: Sequence[str], *, expected: int) -> None:
        self.session = session
        self.columns = tuple(columns)
        self.dialect = session.get_bind().dialect.name
        self.expected = expected
        self._restore: list[tuple[str, Any]] = []
        self._cache_raised = False
        self._gin = False
        self._raw: _Raw | None = None

    def __enter__(self) -> BulkWriter:
        existing = self.session.scalar(select(func.max(expenses_t.c.id))) or 0
        self._raw = _Raw(self.session)
        if self.dialect == "sqlite" and self.expected >= max(DEFER_INDEXES_FROM, existing):
            self._restore = _defer_sqlite_upkeep(self._raw, self.session)
            # A larger page cache while the rows go in (this connection only, reset after).
            self._raw.execute(SQLITE_LOAD_CACHE)
            self._cache_raised = True
        self._gin = self.dialect == "postgresql" and self.expected >= DEFER_INDEXES_FROM
        if self._gin:
            _pg_defer_gin(self._raw)
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        raw = self._raw
        assert raw is not None
        try:
            if exc_type is None:
                for statement, params in self._restore:
                    raw.execute(statement, params)
                if self._gin:
                    _pg_merge_gin(raw)
                if self.dialect == "postgresql":
                    _pg_analyze_after(raw, self.expected)
                if self._cache_raised:
                    raw.execute(SQLITE_DEFAULT_CACHE)
            elif self._cache_raised:
                # The rollback brings the indexes back; the pooled connection's cache is ours.
                with contextlib.suppress(Exception):
                    raw.cursor.execute(SQLITE_DEFAULT_CACHE)
        finally:
            raw.close()

    @property
    def copy(self) -> bool:
        """True when rows go in as COPY text (PostgreSQL), else as tuples for executemany."""
        return self.dialect == "postgresql"

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows given as tuples in ``columns`` order (SQLite)."""
        assert self._raw is not None
        marks = ", ".join("?" * len(self.columns))
        statement = f"INSERT INTO expenses ({', '.join(self.columns)}) VALUES ({marks})"
        self._raw.executemany(statement, rows)

    def copy_text(self, data: str) -> None:
        """COPY rows given as PostgreSQL text format: tab-separated, one per line, each text
        value escaped with :func:`copy_escape`."""
        assert self._raw is not None
        self._raw.copy(f"COPY expenses ({', '.join(self.columns)}) FROM STDIN", data)


# -- imports: a staging table, then only the new rows -------------------------------------------

STAGE = "import_staging"
# seq: the row's place in the file (1, 2, ...); base_key: the hash of its values (the import key
# without the row's number among identical rows, which SQL adds).
STAGE_COLUMNS = ("seq", "occurred_on", "description", "amount", "category_id", "base_key")

_PG_STAGE = f"""
CREATE TEMPORARY TABLE {STAGE} (
    seq bigint NOT NULL, occurred_on date NOT NULL, description text NOT NULL,
    amount bigint NOT NULL, category_id integer NOT NULL, base_key text NOT NULL
) ON COMMIT DROP
"""
# Identical rows of a file: their number among themselves, in file order. Few files have any,
# so this table is small and each move statement joins it cheaply.
_PG_DUPLICATES = f"""
CREATE TEMPORARY TABLE import_repeats ON COMMIT DROP AS
SELECT seq, row_number() OVER (PARTITION BY base_key ORDER BY seq) AS n
FROM {STAGE}
WHERE base_key IN (SELECT base_key FROM {STAGE} GROUP BY base_key HAVING count(*) > 1)
"""
# Imports take turns from here to their commit (a transaction-level advisory lock): each
# statement below then sees every key another import committed, so the anti-join is exact and
# the roll-up can be bumped from the same rows. (ON CONFLICT DO NOTHING would need no lock, but
# its speculative insertions made a million-row import a third slower.) Readers never take it.
IMPORT_LOCK = "SELECT pg_advisory_xact_lock(6292504107151310181)"
# One chunk of the staging table: the rows whose key is new go into expenses, and the roll-up
# gets exactly their totals.
_PG_MOVE = f"""
WITH picked AS MATERIALIZED (
    SELECT s.seq, s.occurred_on, s.description, s.amount, s.category_id,
           s.base_key || ':' || coalesce(r.n, 1) AS import_key
    FROM {STAGE} s LEFT JOIN import_repeats r ON r.seq = s.seq
    WHERE s.seq > %(after)s AND s.seq <= %(last)s
), fresh AS MATERIALIZED (
    SELECT * FROM picked p
    WHERE NOT EXISTS (SELECT 1 FROM expenses e WHERE e.import_key = p.import_key)
), added AS (
    INSERT INTO expenses (uid, occurred_on, description, amount, category_id,
                          created_at, updated_at, version, import_key)
    SELECT %(prefix)s || lpad(to_hex(seq), 12, '0'), occurred_on, description, amount,
           category_id, %(now)s, %(now)s, 1, import_key
    FROM fresh ORDER BY seq
), months AS (
    SELECT category_id, date_trunc('month', occurred_on)::date AS month,
           sum(amount) AS cents, count(*) AS n
    FROM fresh GROUP BY 1, 2
), bumped AS (
    INSERT INTO monthly_totals AS t (category_id, month, total_cents, count)
    SELECT category_id, month, cents, n FROM months
    ON CONFLICT (category_id, month) DO UPDATE
    SET total_cents = t.total_cents + excluded.total_cents, count = t.count + excluded.count
)
SELECT coalesce(sum(n), 0) FROM months
"""

_SQLITE_STAGE = f"""
CREATE TEMPORARY TABLE {STAGE} (
    seq INTEGER PRIMARY KEY, occurred_on TEXT NOT NULL, description TEXT NOT NULL,
    amount INTEGER NOT NULL, category_id INTEGER NOT NULL, base_key TEXT NOT NULL
)
"""
_SQLITE_REPEATS = "CREATE TEMPORARY TABLE import_repeats (seq INTEGER PRIMARY KEY, n INTEGER)"
_SQLITE_NEW = """
CREATE TEMPORARY TABLE import_new (
    seq INTEGER PRIMARY KEY, occurred_on TEXT, description TEXT, amount INTEGER,
    category_id INTEGER, import_key TEXT
)
"""
_SQLITE_DUPLICATES = f"""
INSERT INTO temp.import_repeats (seq, n)
SELECT seq, row_number() OVER (PARTITION BY base_key ORDER BY seq)
FROM temp.{STAGE}
WHERE base_key IN (SELECT base_key FROM temp.{STAGE} GROUP BY base_key HAVING count(*) > 1)
"""
# SQLite's writer holds the database's only write lock, so no other import can add a key
# between this anti-join and the insert: the table of new rows is exactly what goes in.
_SQLITE_PICK_NEW = f"""
INSERT INTO temp.import_new
SELECT * FROM (
    SELECT s.seq, s.occurred_on, s.description, s.amount, s.category_id,
           s.base_key || ':' || coalesce(r.n, 1) AS import_key
    FROM temp.{STAGE} s LEFT JOIN temp.import_repeats r ON r.seq = s.seq
    WHERE s.seq > ? AND s.seq <= ?
) AS k
WHERE NOT EXISTS (SELECT 1 FROM main.expenses e WHERE e.import_key = k.import_key)
"""
_SQLITE_MOVE = """
INSERT INTO main.expenses (uid, occurred_on, description, amount, category_id,
                           created_at, updated_at, version, import_key)
SELECT printf('%s%012x', ?, seq), occurred_on, description, amount, category_id, ?, ?, 1,
       import_key
FROM temp.import_new ORDER BY seq
"""
_SQLITE_BUMP = """
INSERT INTO main.monthly_totals (category_id, month, total_cents, count)
SELECT category_id, date(occurred_on, 'start of month'), sum(amount), count(*)
FROM temp.import_new WHERE true GROUP BY 1, 2
ON CONFLICT (category_id, month) DO UPDATE
SET total_cents = total_cents + excluded.total_cents, count = count + excluded.count
"""
_SQLITE_TEMP_TABLES = (STAGE, "import_repeats", "import_new")


class ImportStage:
    """Rows of an import, staged first, then moved into ``expenses`` without duplicates.

    Use as a context manager around :meth:`add` (or :meth:`copy_text`) calls, then call
    :meth:`finish` once, inside it. Rows are ``STAGE_COLUMNS`` with ``seq`` rising from 1.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.staged = 0
        self._raw: _Raw | None = None
        self._cache_raised = False

    @property
    def copy(self) -> bool:
        """True when rows go in as COPY text (PostgreSQL), else as tuples for executemany."""
        return self.dialect == "postgresql"

    def __enter__(self) -> ImportStage:
        raw = self._raw = _Raw(self.session)
        if self.copy:
            raw.execute(_PG_STAGE)
        else:
            self._drop_sqlite_temp()
            raw.execute(_SQLITE_STAGE)
            raw.execute(_SQLITE_REPEATS)
            raw.execute(_SQLITE_NEW)
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        raw = self._raw
        assert raw is not None
        try:
            if exc_type is None and not self.copy:
                # SQLite's temporary tables live as long as the (pooled) connection.
                self._drop_sqlite_temp()
            if self._cache_raised:
                with contextlib.suppress(Exception):
                    raw.cursor.execute(SQLITE_DEFAULT_CACHE)
        finally:
            raw.close()

    def _drop_sqlite_temp(self) -> None:
        assert self._raw is not None
        for name in _SQLITE_TEMP_TABLES:
            self._raw.execute(f"DROP TABLE IF EXISTS temp.{name}")

    def add(self, rows: list[tuple[Any, ...]]) -> None:
        """Stage rows given as tuples in ``STAGE_COLUMNS`` order (SQLite)."""
        assert self._raw is not None
        marks = ", ".join("?" * len(STAGE_COLUMNS))
        self._raw.executemany(f"INSERT INTO temp.{STAGE} VALUES ({marks})", rows)
        self.staged += len(rows)

    def copy_text(self, data: str, rows: int) -> None:
        """Stage ``rows`` rows given as COPY text (PostgreSQL): ``STAGE_COLUMNS``, tab-separated,
        text escaped with :func:`copy_escape`."""
        assert self._raw is not None
        self._raw.copy(f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN", data)
        self.staged += rows

    def relabel(self, categories: dict[int, int]) -> None:
        """Give the staged rows staged under a stand-in category id (a negative number: a
        category made only once the whole file was read) the real one."""
        assert self._raw is not None
        table = STAGE if self.copy else f"temp.{STAGE}"
        mark = "%s" if self.copy else "?"
        for stand_in, real in categories.items():
            self._raw.execute(
                f"UPDATE {table} SET category_id = {mark} WHERE category_id = {mark}",
                (real, stand_in),
            )

    def finish(
        self, *, uid_prefix: str, now: dt.datetime, moved: Callable[[int], None] | None = None
    ) -> int:
        """Move the staged rows whose import key is new into ``expenses`` and bump the roll-up
        by them; returns how many were added. ``moved(rows)`` follows each chunk."""
        raw = self._raw
        assert raw is not None
        if not self.staged:
            return 0
        if self.copy:
            raw.execute(f"CREATE INDEX ON {STAGE} (seq)")
            raw.execute(_PG_DUPLICATES)
            raw.execute("CREATE INDEX ON import_repeats (seq)")
            raw.execute("ANALYZE import_staging")
            raw.execute("ANALYZE import_repeats")
            raw.execute(IMPORT_LOCK)
            large = self.staged >= DEFER_INDEXES_FROM
            if large:
                _pg_defer_gin(raw)
            added = self._move(
                lambda after, last: self._move_pg(uid_prefix, now, after, last), moved
            )
            if large:
                _pg_merge_gin(raw)
            _pg_analyze_after(raw, added)
            return added
        raw.execute(_SQLITE_DUPLICATES)
        restore: list[tuple[str, Any]] = []
        existing = self.session.scalar(select(func.max(expenses_t.c.id))) or 0
        if self.staged >= max(DEFER_INDEXES_FROM, existing):
            restore = _defer_sqlite_upkeep(raw, self.session)
            raw.execute(SQLITE_LOAD_CACHE)
            self._cache_raised = True
        stamp = str(now.astimezone(dt.UTC).replace(tzinfo=None))  # as the ORM stores it
        added = self._move(
            lambda after, last: self._move_sqlite(uid_prefix, stamp, after, last), moved
        )
        for statement, params in restore:
            raw.execute(statement, params)
        return added

    def _move(self, step: Callable[[int, int], int], moved: Callable[[int], None] | None) -> int:
        added = 0
        for after in range(0, self.staged, MOVE_CHUNK):
            last = min(after + MOVE_CHUNK, self.staged)
            added += step(after, last)
            if moved:
                moved(last)
        return added

    def _move_pg(self, prefix: str, now: dt.datetime, after: int, last: int) -> int:
        assert self._raw is not None
        params = {"prefix": prefix, "now": now, "after": after, "last": last}
        return int(self._raw.scalar(_PG_MOVE, params))

    def _move_sqlite(self, prefix: str, stamp: str, after: int, last: int) -> int:
        raw = self._raw
        assert raw is not None
        raw.execute("DELETE FROM temp.import_new")
        raw.execute(_SQLITE_PICK_NEW, (after, last))
        raw.execute(_SQLITE_MOVE, (prefix, stamp, stamp))
        added = int(raw.cursor.rowcount)
        raw.execute(_SQLITE_BUMP)
        return added


def copy_escape(value: str) -> str:
    """A text value as COPY's text format needs it (descriptions never hold control characters,
    so only the backslash needs escaping)."""
    return value.replace("\\", "\\\\") if "\\" in value else value
