"""A client-side deadline for every PostgreSQL round trip, so a silent network can't hang an action.

TCP keepalives and ``tcp_user_timeout`` notice a dead peer only when packets go unanswered by the
peer's kernel; a link that goes quiet behind a NAT box, a VPN or a proxy that still acknowledges
packets would leave libpq waiting for ever. So each statement, commit and rollback is guarded: if
the server has not answered within ``seconds``, a watchdog thread shuts the socket down. libpq then
fails the call at once, SQLAlchemy sees a closed connection and drops it from the pool, and the
controller reports "not saved" (or "not known" during COMMIT).

The guard covers ``execute``/``executemany``/``fetch*``/``commit``/``rollback``. Bulk ``COPY`` (the
demo filler) is not guarded: its length grows with the data, and the kernel timeouts still apply.

The same connection class carries the server-side half of the deadline: ``lock_timeout`` and
``idle_in_transaction_session_timeout``, set with ``SET LOCAL`` at the start of every transaction.
They are not startup ``options``: a connection pooler in transaction mode (PgBouncer, Neon's
``-pooler`` hosts) refuses that startup parameter, and hands each transaction to whichever server
connection is free, so a session setting would reach some transactions and leak into other
clients' ones. ``SET LOCAL`` lives exactly as long as the transaction, on whatever server runs it.
It costs no round trip: it rides in front of the transaction's first statement, in the same
simple-protocol message (psycopg2 sends its own ``BEGIN`` just before, as it always does).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import psycopg2
import psycopg2.extensions as pgext
from psycopg2 import sql as pgsql

TIMEOUT_MESSAGE = "the server did not answer within the query timeout; connection closed"


class _Watchdog:
    """One daemon thread for the whole process; it wakes a few times a second while armed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[int, tuple[float, int, Any]] = {}
        self._next = 0
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def guard(self, conn: Any, seconds: float) -> Iterator[None]:
        if not seconds or seconds <= 0 or conn.closed:
            yield
            return
        with self._lock:
            self._next += 1
            token = self._next
            self._armed[token] = (time.monotonic() + seconds, conn.fileno(), conn)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="budget-tui-db-deadline", daemon=True
                )
                self._thread.start()
        self._wake.set()
        try:
            yield
        finally:
            with self._lock:
                self._armed.pop(token, None)

    def _loop(self) -> None:
        while True:
            self._wake.clear()
            with self._lock:
                soonest = min((d for d, _, _ in self._armed.values()), default=None)
            if soonest is None:
                self._wake.wait(timeout=1.0)
                continue
            pause = max(0.0, min(0.2, soonest - time.monotonic()))
            time.sleep(pause)
            now = time.monotonic()
            with self._lock:
                # Cut under the lock: a call that finished just now has already disarmed.
                for token, (deadline, fd, conn) in list(self._armed.items()):
                    if deadline <= now:
                        self._armed.pop(token)
                        conn.deadline_passed = True
                        _shutdown(fd)


def _shutdown(fd: int) -> None:
    # shutdown() acts on the socket, not the descriptor: libpq, blocked in poll() on ``fd``,
    # wakes up with end-of-file. The duplicate is closed; libpq still owns ``fd``.
    with contextlib.suppress(OSError):
        sock = socket.socket(fileno=os.dup(fd))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()


WATCHDOG = _Watchdog()


def transaction_settings(lock_timeout_ms: int, idle_in_transaction_ms: int) -> str:
    """The statements that give one transaction its server-side limits (milliseconds)."""
    return (
        f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}; "
        f"SET LOCAL idle_in_transaction_session_timeout = {int(idle_in_transaction_ms)}; "
    )


class _GuardedCursor(pgext.cursor):
    @property
    def _conn(self) -> _GuardedConnection:
        # psycopg2's stubs type ``connection`` as the base class; ours is always guarded.
        return self.connection  # type: ignore[return-value]

    def _first_in_transaction(self, query: Any) -> Any:
        """``query`` with the transaction's settings in front when it opens a transaction.

        Only a plain cursor's ``execute`` of text can carry them in the same message; a named
        cursor wraps the query in DECLARE, and executemany/COPY repeat or stream it, so those
        send the settings on their own first (one round trip, at the start of a transaction)."""
        conn = self._conn
        if not conn.starts_transaction():
            return query
        if not self.name:
            if isinstance(query, str):
                return conn.transaction_settings + query
            if isinstance(query, bytes):
                return conn.transaction_settings.encode() + query
            if isinstance(query, pgsql.Composable):
                return pgsql.SQL(conn.transaction_settings) + query
        conn.apply_transaction_settings()
        return query

    def _guard(self, fn: Any, *args: Any) -> Any:
        conn = self._conn
        try:
            with WATCHDOG.guard(conn, conn.query_timeout):
                return fn(*args)
        except psycopg2.OperationalError as exc:
            if getattr(conn, "deadline_passed", False):
                raise psycopg2.OperationalError(TIMEOUT_MESSAGE) from exc
            raise

    def execute(self, query: Any, vars: Any = None) -> Any:
        return self._guard(super().execute, self._first_in_transaction(query), vars)

    def executemany(self, query: Any, vars_list: Any) -> Any:
        self._conn.apply_transaction_settings()
        return self._guard(super().executemany, query, vars_list)

    def copy_expert(self, sql: Any, file: Any, size: int = 8192) -> Any:
        self._conn.apply_transaction_settings()
        return super().copy_expert(sql, file, size)

    def copy_from(self, *args: Any, **kwargs: Any) -> Any:
        self._conn.apply_transaction_settings()
        return super().copy_from(*args, **kwargs)

    def copy_to(self, *args: Any, **kwargs: Any) -> Any:
        self._conn.apply_transaction_settings()
        return super().copy_to(*args, **kwargs)

    # Only server-side (named) cursors talk to the server when fetching.
    def fetchone(self) -> Any:
        return self._guard(super().fetchone) if self.name else super().fetchone()

    def fetchmany(self, size: Any = None) -> Any:
        if not self.name:
            return super().fetchmany(size) if size is not None else super().fetchmany()
        return (
            self._guard(super().fetchmany, size)
            if size is not None
            else self._guard(super().fetchmany)
        )

    def fetchall(self) -> Any:
        return self._guard(super().fetchall) if self.name else super().fetchall()


class _GuardedConnection(pgext.connection):
    query_timeout: float = 0.0
    transaction_settings: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline_passed = False
        self.cursor_factory = _GuardedCursor

    def starts_transaction(self) -> bool:
        """True when the next statement makes psycopg2 open a transaction (no round trip)."""
        return bool(
            self.transaction_settings
            and not self.autocommit
            and self.status == pgext.STATUS_READY
            and not self.closed
        )

    def apply_transaction_settings(self) -> None:
        """Send the settings on their own if the next statement would open a transaction."""
        if self.starts_transaction():
            with pgext.cursor(self) as cur:
                self._guard(lambda: cur.execute(self.transaction_settings))

    def _guard(self, fn: Any) -> Any:
        try:
            with WATCHDOG.guard(self, self.query_timeout):
                return fn()
        except psycopg2.OperationalError as exc:
            if self.deadline_passed:
                raise psycopg2.OperationalError(TIMEOUT_MESSAGE) from exc
            raise

    def commit(self) -> None:
        self._guard(super().commit)

    def rollback(self) -> None:
        self._guard(super().rollback)


@lru_cache(maxsize=16)
def connection_factory(seconds: float, settings: str = "") -> type[pgext.connection]:
    """A psycopg2 connection class whose round trips fail after ``seconds`` without an answer,
    and whose every transaction starts with ``settings`` (see :func:`transaction_settings`)."""
    return type(
        "GuardedConnection",
        (_GuardedConnection,),
        {"query_timeout": float(seconds), "transaction_settings": settings},
    )
