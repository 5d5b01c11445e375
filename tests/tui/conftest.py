"""Fixtures for TUI tests (Pilot flows and snapshots), shared by every tests/tui module.

* ``demo_url``: a SQLite book filled with fixed demo data (seed 7, today 2026-03-15).
* ``empty_url``: a SQLite book with the schema and no data; ``new_url``: no file yet.
* ``db``: a Book on the same file for asserting what the database holds.
BUDGET_TUI_TODAY is fixed to 2026-03-15 by tests/conftest.py; ``helpers.make_app`` fixes the theme.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from budget_tui.controller.book import Book, open_book

TODAY = dt.date(2026, 3, 15)
DEMO_EXPENSES = 600
DEMO_SEED = 7


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Migrated books made once per run and copied for each test (migrating takes a second)."""
    from budget_tui.controller.demo import fill_demo

    folder = tmp_path_factory.mktemp("templates")
    paths = {"empty": folder / "empty.db", "demo": folder / "demo.db"}
    for kind, path in paths.items():
        book = open_book(f"sqlite:///{path}")
        try:
            if kind == "demo":
                fill_demo(book.sessions, DEMO_EXPENSES, seed=DEMO_SEED, today=TODAY)
        finally:
            book.close()
        # One self-contained file: fold the WAL back in before copying.
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return paths


@pytest.fixture
def empty_url(tmp_path: Path, _templates: dict[str, Path]) -> str:
    """A new book with the schema and no data."""
    path = tmp_path / "book.db"
    shutil.copyfile(_templates["empty"], path)
    return f"sqlite:///{path}"


@pytest.fixture
def demo_url(tmp_path: Path, _templates: dict[str, Path]) -> str:
    """A book with the demo categories and DEMO_EXPENSES expenses (seed 7, today 2026-03-15)."""
    path = tmp_path / "book.db"
    shutil.copyfile(_templates["demo"], path)
    return f"sqlite:///{path}"


@pytest.fixture
def new_url(tmp_path: Path) -> str:
    """A path where no database exists yet: the app creates and migrates it."""
    return f"sqlite:///{tmp_path / 'new.db'}"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Book]:
    """The book the app under test uses (request ``empty_url`` or ``demo_url`` first)."""
    book = open_book(f"sqlite:///{tmp_path / 'book.db'}", migrate=False)
    yield book
    book.close()
