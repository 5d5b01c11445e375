"""Bulk writes of expenses for demo data and CSV import, inside the caller's transaction.

Rows go through the driver, not the ORM: COPY on PostgreSQL, executemany on SQLite. When a load is
large next to the table (a first import, a million demo rows), the secondary indexes (and on
PostgreSQL the foreign key and the uid constraint) are dropped first and built once at the end:
building an index from sorted data costs far less than a million index insertions, and
PostgreSQL's per-row foreign-key trigger costs more than the COPY itself. The drop and the rebuild
are in the same transaction as the rows, so a failed load leaves the schema as it was; the
rebuilt constraints check every row (a duplicate uid or a missing category fails the load).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from budget_tui.controller.queries import expenses_t

# Below this many rows the indexes stay: rebuilding them would cost more than keeping them.
DEFER_INDEXES_FROM = 100_000
SQLITE_DEFAULT_CACHE = "PRAGMA cache_size = -2000"


class BulkWriter:
    """Appends rows of ``columns`` to ``expenses`` through the session's own connection.

    Use as a context manager; ``expected`` is how many rows are coming (an estimate is fine):
    it decides whether indexes are rebuilt at the end rather than kept up to date row by row.
    """

    def __init__(self, session: Session, columns: Sequence[str], *, expected: int) -> None:
        self.session = session
        self.columns = tuple(columns)
        self.dialect = session.get_bind().dialect.name
        self.expected = expected
        self._restore: list[str] = []
        self._cache_raised = False
        self._cursor: Any = None

    def __enter__(self) -> BulkWriter:
        existing = self.session.scalar(select(func.max(expenses_t.c.id))) or 0
        raw = self.session.connection().connection.dbapi_connection
        self._cursor = raw.cursor()  # type: ignore[union-attr]
        if self.expected >= max(DEFER_INDEXES_FROM, existing):
            self._defer_indexes()
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        try:
            if exc_type is None:
                for statement in self._restore:
                    self._execute(statement)
            elif self._cache_raised:
                # The rollback brings the indexes back; the pooled connection's cache is ours to reset.
                with contextlib.suppress(Exception):
                    self._cursor.execute(SQLITE_DEFAULT_CACHE)
        finally:
            self._cursor.close()

    def _run(self, statement: str, call: Callable[[], object]) -> None:
        # Driver errors become SQLAlchemy's, so the action boundary translates them like any other.
        dbapi = self.session.get_bind().dialect.dbapi
        try:
            call()
        except dbapi.Error as exc:  # type: ignore[union-attr]
            raise DBAPIError.instance(statement, None, exc, dbapi.Error) from exc  # type: ignore[union-attr]

    def _execute(self, statement: str) -> None:
        self._run(statement, lambda: self._cursor.execute(statement))

    @property
    def copy(self) -> bool:
        """True when rows go in as COPY text (PostgreSQL), else as tuples for executemany."""
        return self.dialect == "postgresql"

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows given as tuples in ``columns`` order (SQLite)."""
        marks = ", ".join("?" * len(self.columns))
        statement = f"INSERT INTO expenses ({', '.join(self.columns)}) VALUES ({marks})"
        self._run(statement, lambda: self._cursor.executemany(statement, rows))

    def copy_text(self, data: str) -> None:
        """COPY rows given as PostgreSQL text format: tab-separated, one per line, each text
        value escaped with :func:`copy_escape`."""
        statement = f"COPY expenses ({', '.join(self.columns)}) FROM STDIN"
        self._run(
            statement,
            lambda: self._cursor.copy_expert(statement, io.StringIO(data), size=1 << 20),
        )

    def _defer_indexes(self) -> None:
        if self.dialect == "postgresql":
            self._defer_postgresql()
        else:
            self._defer_sqlite()

    def _defer_sqlite(self) -> None:
        # Explicit indexes only: those behind PRIMARY KEY / UNIQUE have no SQL and stay.
        found = self.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = 'expenses' AND sql IS NOT NULL"
            )
        ).all()
        for name, sql in found:
            self._execute(f'DROP INDEX "{name}"')
            self._restore.append(sql)
        # A larger page cache while the rows go in (this connection only, back to default after).
        self._execute("PRAGMA cache_size = -65536")
        self._cache_raised = True
        self._restore.append(SQLITE_DEFAULT_CACHE)

    def _defer_postgresql(self) -> None:
        self._execute("SET LOCAL maintenance_work_mem = '256MB'")
        constraints = self.session.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'expenses'::regclass AND contype IN ('f', 'u') "
                "ORDER BY contype DESC"
            )
        ).all()
        indexes = self.session.execute(
            text(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = 'expenses'::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)"
            )
        ).all()
        for name, _definition in constraints:
            self._execute(f'ALTER TABLE expenses DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            self._execute(f'DROP INDEX "{name}"')
        self._restore.extend(definition for _name, definition in indexes)
        # Unique first (it builds an index); the foreign key then checks all rows in one join.
        self._restore.extend(
            f'ALTER TABLE expenses ADD CONSTRAINT "{name}" {definition}'
            for name, definition in constraints
        )
        self._restore.append("ANALYZE expenses")


def copy_escape(value: str) -> str:
    """A text value as COPY's text format needs it (descriptions never hold control characters,
    so only the backslash needs escaping)."""
    return value.replace("\\", "\\\\") if "\\" in value else value
