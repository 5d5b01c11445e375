"""Shared fixtures: a fresh book on SQLite (a temp file) and, when TEST_DATABASE_URL is set,
on PostgreSQL. With TEST_DATABASE_URL set, an unreachable server fails the tests; it never skips them.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import textual._wait
from sqlalchemy import text

from budget_tui.controller.book import Book, open_book

# Textual's Pilot waits after every key until the process looks idle, judged over 20 ms slices, so
# each key costs 40 ms or more however little the app does with it. 2 ms slices (idle: under a
# tenth of it on the CPU, as before) judge the same thing ten times sooner. The tests' own helpers
# (tests/tui/helpers.py) still wait for every worker and for the screen to refresh.
textual._wait.SLEEP_GRANULARITY = 0.002
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 10


def _share_parsed_css() -> None:
    """Every app a test starts parses the same stylesheets (its own and every widget's default
    CSS) with the same theme variables, twice: about a tenth of a test app's start. Parsing is a
    pure function of the text, where it came from and the variables, so the tests keep one cache
    of parsed rules for the whole process instead of one per app."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def shared(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(self._variables.items()))
        if key not in parsed:
            parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    Stylesheet._parse_rules = shared


_share_parsed_css()

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own database, made beside TEST_DATABASE_URL's
    (same server, name suffixed with the worker id) and dropped when the worker finishes, so
    workers never truncate each other's tables. Unreachable server: the error propagates and
    the PostgreSQL tests fail, never skip."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    _on_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    _WORKER_DATABASES.append((url, name))
    return base.set(database=name).render_as_string(hide_password=False)


def _on_server(url: str, *statements: str) -> None:
    """Run statements outside any transaction (CREATE/DROP DATABASE) on TEST_DATABASE_URL's server."""
    import psycopg2
    from sqlalchemy.engine import make_url

    base = make_url(url)
    admin = psycopg2.connect(
        dbname=base.database,
        user=base.username,
        password=base.password,
        host=base.host,
        port=base.port,
        connect_timeout=10,
    )
    try:
        admin.autocommit = True
        with admin.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        admin.close()


_WORKER_DATABASES: list[tuple[str, str]] = []
PG_URL = _worker_database(os.environ.get("TEST_DATABASE_URL"))


def pytest_unconfigure(config: pytest.Config) -> None:
    for url, name in _WORKER_DATABASES:
        _on_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's own DATABASE_URL, .env or data directory."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BUDGET_TUI_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("BUDGET_TUI_TODAY", "2026-03-15")
    monkeypatch.setenv("BUDGET_CURRENCY", "USD")
    monkeypatch.setenv("BUDGET_LOCALE", "en_US")
    from budget_tui import money
    from budget_tui.tui import format as tui_format

    money._defaults.cache_clear()
    tui_format.forget()


def pg_url() -> str:
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests run in CI")
    return PG_URL


_pg_ready = False


def reset_postgres(book: Book) -> None:
    """Empty every table (the schema is created once per run by the first book opened)."""
    with book.engine.begin() as conn:
        conn.execute(
            text(
                "TRUNCATE archived_expenses, changes, expenses, monthly_totals, schedules, categories RESTART IDENTITY CASCADE"
            )
        )


_sqlite_template: Path | None = None


def _migrated_sqlite_file() -> Path:
    """A new book's file, migrated once per test process: each SQLite book starts as a copy of
    it (4 ms) instead of running every migration again (40 ms, for some 800 tests)."""
    global _sqlite_template
    if _sqlite_template is None:
        folder = Path(tempfile.mkdtemp(prefix="budget-test-template-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "budget.db"
        open_book(f"sqlite:///{path}").close()
        # One self-contained file: fold the WAL back in before copying.
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _sqlite_template = path
    return _sqlite_template


def make_book(backend: str, tmp_path) -> Book:
    global _pg_ready
    if backend == "sqlite":
        path = tmp_path / "budget.db"
        shutil.copyfile(_migrated_sqlite_file(), path)
        return open_book(f"sqlite:///{path}")
    url = pg_url()
    if not _pg_ready:
        # A throwaway database: start from an empty schema once, then let migrations build it.
        book = open_book(url, migrate=False)
        with book.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        book.close()
        _pg_ready = True
    book = open_book(url)
    reset_postgres(book)
    return book


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def book(backend: str, tmp_path) -> Iterator[Book]:
    b = make_book(backend, tmp_path)
    yield b
    b.close()


@pytest.fixture
def sessions(book: Book):
    return book.sessions


@pytest.fixture
def sqlite_book(tmp_path) -> Iterator[Book]:
    b = make_book("sqlite", tmp_path)
    yield b
    b.close()
