"""Helpers for controller tests: a few named categories, and the roll-up checked against the rows."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from budget_tui.controller import categories, expenses
from budget_tui.controller.book import Book, open_book
from budget_tui.db.models import MonthlyTotal
from tests.conftest import make_book


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty book at the schema's head, built once; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "budget.db"
    open_book(f"sqlite:///{path}").close()
    return path


@pytest.fixture(scope="session")
def pg_book() -> Iterator[Book]:
    """One PostgreSQL book (engine and pool) for the whole run; tests empty it before use."""
    b = make_book("postgresql", None)
    yield b
    b.close()


@pytest.fixture
def book(
    backend: str, tmp_path: Path, sqlite_template: Path, request: pytest.FixtureRequest
) -> Iterator[Book]:
    """The shared ``book`` fixture made cheaper: SQLite starts from a copy of a migrated file,
    PostgreSQL reuses one engine and empties the tables (DELETE is quicker than TRUNCATE on a
    handful of rows)."""
    if backend == "sqlite":
        target = tmp_path / "budget.db"
        shutil.copyfile(sqlite_template, target)
        b = open_book(f"sqlite:///{target}")
        yield b
        b.close()
        return
    b = request.getfixturevalue("pg_book")
    with b.engine.begin() as conn:
        for table in (
            "rules",
            "import_profiles",
            "proposals",
            "archived_expenses",
            "changes",
            "monthly_totals",
            "expenses",
            "schedules",
            "budgets",
            "categories",
        ):
            conn.execute(text(f"DELETE FROM {table}"))
    yield b


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def rollup(book: Book) -> dict[tuple[int, dt.date], tuple[int, int]]:
    """The roll-up as ``{(category_id, month): (cents, count)}``, rows with nothing in them left out."""
    with book.sessions() as s:
        rows = s.execute(
            select(
                MonthlyTotal.category_id,
                MonthlyTotal.month,
                MonthlyTotal.total_cents,
                MonthlyTotal.count,
            )
        ).all()
    return {(c, m): (t, n) for c, m, t, n in rows if t or n}


def recomputed(book: Book) -> dict[tuple[int, dt.date], tuple[int, int]]:
    """What the roll-up must hold: a plain SUM(amount), COUNT(*) GROUP BY category and month."""
    if book.backend == "postgresql":
        month = "date_trunc('month', occurred_on)::date"
    else:
        month = "date(occurred_on, 'start of month')"
    sql = text(
        f"SELECT category_id, {month} AS m, SUM(amount), COUNT(*) FROM expenses "
        f"GROUP BY category_id, {month}"
    )
    with book.engine.connect() as conn:
        rows = conn.execute(sql).all()
    return {
        (c, m if isinstance(m, dt.date) else dt.date.fromisoformat(m)): (int(t), int(n))
        for c, m, t, n in rows
    }


def assert_rollup_consistent(book: Book) -> None:
    assert rollup(book) == recomputed(book)


def assert_search_index_consistent(book: Book) -> None:
    """SQLite's trigram index of descriptions holds exactly what ``expenses`` holds: FTS5's own
    check of the index against its content table (it raises "malformed" on any difference).
    PostgreSQL's GIN index is the server's to keep."""
    if book.backend != "sqlite":
        return
    with book.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO expenses_search (expenses_search, rank) VALUES ('integrity-check', 1)"
            )
        )


@pytest.fixture
def food(sessions):
    return categories.create_category(sessions, "Food", "300")


@pytest.fixture
def travel(sessions):
    return categories.create_category(sessions, "Travel")


def add(sessions, category, amount="10.00", day="2026-03-10", description="Lunch"):
    """Save one expense with defaults for what the test does not care about."""
    return expenses.create_expense(
        sessions,
        description=description,
        amount=Decimal(amount) if isinstance(amount, str) else amount,
        occurred_on=dt.date.fromisoformat(day) if isinstance(day, str) else day,
        category=category,
    )
