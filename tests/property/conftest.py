"""Fixtures for property tests: one book per backend for a whole module, emptied per example.

Hypothesis runs many examples inside one test, so the book can't be a function-scoped fixture;
:func:`empty` resets it between examples instead (TRUNCATE on PostgreSQL, DELETE on SQLite).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from budget_tui.controller.book import Book
from tests.conftest import BACKENDS, make_book


@pytest.fixture(scope="module", params=BACKENDS)
def shared_book(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Book]:
    book = make_book(request.param, tmp_path_factory.mktemp("property"))
    yield book
    book.close()


def empty(book: Book) -> None:
    """Remove every row, so the next example starts from an empty book."""
    # DELETE, not TRUNCATE: on tables this small it is many times faster on PostgreSQL.
    with book.engine.begin() as conn:
        for table in (
            "rules",
            "import_profiles",
            "proposals",
            "archived_expenses",
            "changes",
            "expenses",
            "monthly_totals",
            "schedules",
            "budgets",
            "categories",
        ):
            conn.execute(text(f"DELETE FROM {table}"))
