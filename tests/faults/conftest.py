"""Fixtures for fault tests: a PostgreSQL book, an admin connection that can kill our backends,
short timeouts, a PgBouncer in transaction mode, and a runner that fails a test instead of
letting it hang."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from budget_tui.controller.book import Book, open_book
from tests.conftest import make_book, pg_url
from tests.faults.pgbouncer import PgBouncer

T = TypeVar("T")

# How long a fault test waits for an action that must fail fast before calling it a hang.
HANG_S = 30.0


def bounded(
    fn: Callable[[], T], *, within: float = HANG_S
) -> tuple[T | None, BaseException | None, float]:
    """Run ``fn`` in a thread; return (result, error, seconds). Fails the test if it is still
    running after ``within`` seconds (the thread is a daemon and dies with the run)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc

    started = time.monotonic()
    thread = threading.Thread(target=target, daemon=True, name="bounded-action")
    thread.start()
    thread.join(within)
    if thread.is_alive():
        pytest.fail(f"the action was still waiting after {within:.0f} s: it hangs")
    return box.get("result"), box.get("error"), time.monotonic() - started


def at_commit(fn: Callable[[Any], None]) -> Callable[[Any], None]:
    """A ``before_commit`` listener that runs ``fn(session)`` just before the real COMMIT only
    (SQLAlchemy also fires ``before_commit`` when a savepoint is released)."""

    def listener(session: Any) -> None:
        if not session.in_nested_transaction():
            fn(session)

    return listener


class Admin:
    """A separate autocommit connection for looking at and killing our own backends."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self.conn = psycopg2.connect(self.dsn, connect_timeout=5)
        self.conn.autocommit = True

    def scalar(self, sql: str, *args: Any) -> Any:
        with self.conn.cursor() as cur:
            cur.execute(sql, args or None)
            row = cur.fetchone()
            return row[0] if row else None

    def run(self, sql: str, *args: Any) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql, args or None)

    def app_pids(self) -> list[int]:
        """Backends of our database other than this admin connection."""
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
            return [r[0] for r in cur.fetchall()]

    def terminate(self, pids: list[int]) -> None:
        """pg_terminate_backend each pid and wait until they are gone."""
        for pid in pids:
            self.scalar("SELECT pg_terminate_backend(%s)", pid)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            left = self.scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", list(pids)
            )
            if not left:
                return
            time.sleep(0.05)
        raise AssertionError(f"backends {pids} did not exit")

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def pg_book(tmp_path) -> Iterator[Book]:
    book = make_book("postgresql", tmp_path)
    yield book
    book.close()


@pytest.fixture
def admin() -> Iterator[Admin]:
    a = Admin(pg_url())
    yield a
    a.close()


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connect and query deadlines of 2 s, so a fault test fails in seconds, not minutes."""
    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("BUDGET_TUI_QUERY_TIMEOUT", "2")


@pytest.fixture(scope="session")
def pgbouncer() -> Iterator[PgBouncer]:
    """One PgBouncer (transaction mode) per test run in front of the test database.

    Skips like every PostgreSQL test when TEST_DATABASE_URL is not set; when it is set, a
    missing or failing pgbouncer fails the tests (CI installs it)."""
    url = pg_url()
    try:
        bouncer = PgBouncer(url).start()
    except (RuntimeError, OSError, KeyError) as exc:
        pytest.fail(f"PgBouncer could not be started for the pooler tests: {exc}")
    yield bouncer
    bouncer.stop()


@pytest.fixture
def pooled_book(pg_book: Book, pgbouncer: PgBouncer) -> Iterator[Book]:
    """A book whose every connection goes through PgBouncer (the tables emptied by ``pg_book``)."""
    book = open_book(pgbouncer.url())
    yield book
    book.close()
