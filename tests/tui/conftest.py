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
DEMO_EXPENSES = 2000
DEMO_SEED = 7
BIG_EXPENSES = 40_000  # about 800 in the first half of March 2026


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
def db(tmp_path: Path, _templates: dict[str, Path]) -> Iterator[Book]:
    """The book the app under test uses: ``empty_url``'s or ``demo_url``'s (empty by default)."""
    path = tmp_path / "book.db"
    if not path.exists():
        shutil.copyfile(_templates["empty"], path)
    book = open_book(f"sqlite:///{path}", migrate=False)
    yield book
    book.close()


@pytest.fixture
def snapshot_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _templates: dict[str, Path]
) -> str:
    """The demo book at a relative path, so the header (it shows the database) never changes."""
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(_templates["demo"], tmp_path / "budget.db")
    return "sqlite:///budget.db"


@pytest.fixture
def snapshot_empty_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _templates: dict[str, Path]
) -> str:
    """An empty book at a relative path (see ``snapshot_url``)."""
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(_templates["empty"], tmp_path / "budget.db")
    return "sqlite:///budget.db"


@pytest.fixture(scope="session")
def _big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from budget_tui.controller.demo import fill_demo

    path = tmp_path_factory.mktemp("big") / "big.db"
    book = open_book(f"sqlite:///{path}")
    try:
        fill_demo(book.sessions, BIG_EXPENSES, seed=DEMO_SEED, today=TODAY)
    finally:
        book.close()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def big_url(tmp_path: Path, _big_template: Path) -> str:
    """A book whose months hold far more expenses than the Expenses screen keeps in its window."""
    path = tmp_path / "book.db"
    shutil.copyfile(_big_template, path)
    return f"sqlite:///{path}"
