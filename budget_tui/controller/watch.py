"""Hearing of changes made elsewhere (another terminal, the CLI, an MCP client), cheaply.

:class:`ChangeWatcher` answers "which changes are new since I last asked?", waiting up to a
timeout for one. How it waits depends on the book:

- SQLite: every ``interval`` it reads ``PRAGMA data_version`` on its own read-only connection.
  The number moves only when another connection commits, and reading it touches no table (a few
  microseconds), so an idle book costs nothing measurable; only when it moves is the change log
  read.
- PostgreSQL: it LISTENs on ``budget_tui_changes`` (every new change NOTIFYs it: a trigger of
  migration 0004) and sleeps in ``select()`` on its connection's socket until a notification
  comes. A LISTEN through a transaction-mode pooler (PgBouncer, Neon's ``-pooler`` host) is not
  delivered, so after LISTEN it sends itself a probe; when the probe doesn't come back (or the
  host is a known pooler) it polls the change log's newest id every ``interval`` instead.

Errors (a lost connection) are swallowed here: the watcher reconnects on the next call, and the
app's own actions report the problem. :meth:`ChangeWatcher.stop` (from any thread) ends a wait at
once, so an app that quits never waits for the watcher's round to end.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import sqlite3
import threading
import time
import uuid
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sql_select

from budget_tui.controller.book import Book
from budget_tui.controller.ledger import changes_t
from budget_tui.db import engine as db_engine

CHANNEL = "budget_tui_changes"
PROBE_WAIT_S = 1.0
POOLER_POLL_S = 1.0
log = logging.getLogger("budget_tui.controller")


class ChangeWatcher:
    """Tells which changes are newer than the last ones it reported. Use from one thread."""

    def __init__(self, book: Book, *, interval: float = 0.5) -> None:
        self.book = book
        self.interval = interval
        self.seen = self._newest_from_pool()
        self.mode = "poll"
        self._sqlite: sqlite3.Connection | None = None
        self._version: int | None = None
        self._pg: Any = None
        self._backlog: tuple[int, ...] = ()
        self._stopped = threading.Event()
        # Wakes a select() on the LISTEN connection when stop() is called from another thread.
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)

    # -- the one call -----------------------------------------------------------------------------

    def wait(self, timeout: float) -> tuple[int, ...]:
        """The ids of changes committed since the last call (oldest first), waiting up to
        ``timeout`` seconds for one; () when none came."""
        deadline = time.monotonic() + timeout
        if self._stopped.is_set():
            return ()
        try:
            if self.book.backend == "sqlite":
                return self._wait_sqlite(deadline)
            return self._wait_postgres(deadline)
        except Exception as exc:  # a lost connection: start again on the next call
            log.info("change watcher: %s; reconnecting", type(exc).__name__)
            self.close()
            self._sleep(min(self.interval, deadline - time.monotonic()))
            return ()

    def stop(self) -> None:
        """End the current wait and every later one at once (any thread may call this)."""
        self._stopped.set()
        with contextlib.suppress(OSError):  # already released
            self._wake_write.send(b"x")

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def release(self) -> None:
        """Close the connections and the wake-up pair: the watcher is done with."""
        self.close()
        self._wake_read.close()
        self._wake_write.close()

    def _sleep(self, seconds: float) -> None:
        self._stopped.wait(max(0.0, seconds))

    def close(self) -> None:
        if self._sqlite is not None:
            with contextlib.suppress(Exception):
                self._sqlite.close()
            self._sqlite = None
            self._version = None
        if self._pg is not None:
            with contextlib.suppress(Exception):
                self._pg.close()
            self._pg = None

    # -- shared -------------------------------------------------------------------------------------

    def pending_proposals(self) -> int | None:
        """How many proposals wait for the person's OK (one COUNT on an index), read like the
        change log, on a connection of the pool and outside any screen's transaction; None when
        the book can't be reached (the screens report that)."""
        from budget_tui.db.models import Proposal

        try:
            with self.book.engine.connect() as conn:
                conn.execution_options(budget_tui_read=True)
                count = conn.execute(
                    sql_select(func.count()).where(Proposal.status == "pending")
                ).scalar()
        except Exception as error:  # the watcher's own problem to retry next round
            log.debug("reading the pending proposals failed: %s", type(error).__name__)
            return None
        return int(count or 0)

    def _newest_from_pool(self) -> int:
        with self.book.engine.connect() as conn:
            conn.execution_options(budget_tui_read=True)
            return int(conn.execute(sql_select(func.max(changes_t.c.id))).scalar() or 0)

    def _new_ids(self, rows: list[Any]) -> tuple[int, ...]:
        ids = tuple(int(r[0]) for r in rows)
        if ids:
            self.seen = max(self.seen, *ids)
        return ids

    def _new_from_pool(self) -> tuple[int, ...]:
        with self.book.engine.connect() as conn:
            conn.execution_options(budget_tui_read=True)
            rows = conn.execute(
                sql_select(changes_t.c.id)
                .where(changes_t.c.id > self.seen)
                .order_by(changes_t.c.id)
                .limit(1000)
            ).all()
        return self._new_ids(list(rows))

    # -- SQLite: PRAGMA data_version ----------------------------------------------------------------

    def _wait_sqlite(self, deadline: float) -> tuple[int, ...]:
        if self._sqlite is None:
            path = self.book.path
            assert path is not None
            self._sqlite = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5, check_same_thread=False
            )
            self._version = self._data_version()
            self.mode = "data_version"
        while True:
            version = self._data_version()
            if version != self._version:
                self._version = version
                rows = self._sqlite.execute(
                    "SELECT id FROM changes WHERE id > ? ORDER BY id LIMIT 1000", (self.seen,)
                ).fetchall()
                if ids := self._new_ids(rows):
                    return ids
            left = deadline - time.monotonic()
            if left <= 0 or self._stopped.is_set():
                return ()
            self._sleep(min(self.interval, left))

    def _data_version(self) -> int:
        assert self._sqlite is not None
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    # -- PostgreSQL: LISTEN/NOTIFY, or polling through a pooler --------------------------------------

    def _wait_postgres(self, deadline: float) -> tuple[int, ...]:
        if self._pg is None and self.mode != "poll-pooler":
            self._listen()
        if self._backlog:
            ids, self._backlog = self._backlog, ()
            return ids
        if self._pg is None:  # a transaction-mode pooler: poll
            while True:
                if ids := self._new_from_pool():
                    return ids
                left = deadline - time.monotonic()
                if left <= 0 or self._stopped.is_set():
                    return ()
                # A poll through the pool is a transaction (~1.5 ms of CPU): once a second
                # still shows a change within 2 s, at half the cost of the SQLite interval.
                self._sleep(min(max(self.interval, POOLER_POLL_S), left))
        conn = self._pg
        while True:
            conn.poll()
            if conn.notifies:
                conn.notifies.clear()
                if ids := self._new_from_pool():
                    return ids
            left = deadline - time.monotonic()
            if left <= 0 or self._stopped.is_set():
                return ()
            select.select([conn, self._wake_read], [], [], left)

    def _listen(self) -> None:
        """LISTEN on a connection of its own; keep it only if a probe NOTIFY comes back."""
        if db_engine.is_pgbouncer_pooler(self.book.engine.url):
            self.mode = "poll-pooler"
            return
        raw = self.book.engine.raw_connection()
        conn: Any = raw.driver_connection
        raw.detach()  # never handed back to the pool with a LISTEN on it
        conn.rollback()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        probe = f"probe:{uuid.uuid4()}"
        with self.book.engine.begin() as other:
            other.exec_driver_sql(f"SELECT pg_notify('{CHANNEL}', '{probe}')")
        heard = False
        until = time.monotonic() + PROBE_WAIT_S
        while not heard and time.monotonic() < until:
            select.select([conn], [], [], max(0.0, until - time.monotonic()))
            conn.poll()
            heard = any(n.payload == probe for n in conn.notifies)
            conn.notifies.clear()
        if heard:
            self._pg = conn
            self.mode = "listen"
        else:
            raw.close()
            self.mode = "poll-pooler"
        # Changes committed before LISTEN took effect: reported by the next wait.
        self._backlog = self._new_from_pool()
