"""The first rows read with the driver alone (before SQLAlchemy, at start-up) are the rows the
Expenses screen's own load reads, on both backends; and a book they may not read as it stands is
left alone (None), never created, changed or explained here."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.book import Book, open_book
from budget_tui.controller.first_rows import first_rows
from budget_tui.controller.periods import Period
from tests.conftest import pg_url

MARCH = Period.month(dt.date(2026, 3, 15))  # the tests' today


def _url(book: Book, backend: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'budget.db'}" if backend == "sqlite" else pg_url()


def _fill(book: Book, count: int) -> None:
    categories.create_category(book.sessions, "Groceries")
    categories.create_category(book.sessions, "Refunds")
    for i in range(count):
        expenses.create_expense(
            book.sessions,
            # Several rows a day (the order within a day is by id), a refund now and then, and
            # words beyond ASCII.
            description=f"Café Ünïcode {i}" if i % 7 == 0 else f"Market {i}",
            amount=f"-{i}.05" if i % 11 == 0 else f"{i}.{i % 100:02d}",
            occurred_on=dt.date(2026, 3, 1 + i % 28),
            category="Refunds" if i % 11 == 0 else "Groceries",
        )
    # Rows outside the month are not read.
    expenses.create_expense(
        book.sessions,
        description="April",
        amount="1.00",
        occurred_on="2026-04-01",
        category="Groceries",
    )
    expenses.create_expense(
        book.sessions,
        description="February",
        amount="1.00",
        occurred_on="2026-02-28",
        category="Groceries",
    )


@pytest.mark.parametrize(("count", "limit"), [(130, 100), (40, 100), (0, 100), (30, 7)])
def test_the_first_rows_are_the_screens_own_first_page(
    book: Book, backend: str, tmp_path: Path, count: int, limit: int
) -> None:
    _fill(book, count)
    reference = expense_list.browse_this_month(book.sessions, limit=limit).page
    rows = first_rows(_url(book, backend, tmp_path), limit)
    assert rows is not None
    assert rows.month == MARCH
    assert rows.page == reference
    assert len(rows.page.items) == min(count, limit)
    assert (rows.page.next_cursor is not None) == (count > limit)
    if backend == "sqlite":
        assert rows.location == str(tmp_path / "budget.db")
    else:
        assert rows.location is None  # a server's location is the full path's to describe


def test_a_book_at_another_revision_is_left_to_the_full_path(
    book: Book, backend: str, tmp_path: Path
) -> None:
    _fill(book, 3)
    with book.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0009'"))
    try:
        assert first_rows(_url(book, backend, tmp_path)) is None
    finally:
        from budget_tui.db.revision import HEAD

        with book.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": HEAD})


def test_what_is_not_a_readable_book_gives_none_and_is_left_as_it_was(tmp_path: Path) -> None:
    missing = tmp_path / "new.db"
    assert first_rows(f"sqlite:///{missing}") is None
    assert not missing.exists()  # a new book is the full path's to make

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    before = other.read_bytes()
    assert first_rows(f"sqlite:///{other}") is None
    assert other.read_bytes() == before

    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database")
    assert first_rows(f"sqlite:///{text_file}") is None
    assert text_file.read_text() == "not a database"

    book = open_book(f"sqlite:///{tmp_path / 'book.db'}")
    book.close()
    # URLs whose meaning SQLAlchemy would work out (options, escapes) are not guessed at.
    assert first_rows(f"sqlite:///{tmp_path / 'book.db'}?mode=ro") is None
    assert first_rows("sqlite:///" + str(tmp_path / "book.db").replace("/", "%2F")) is None
    assert first_rows("sqlite://") is None
    assert first_rows("mysql://user@host/db") is None
    assert first_rows("not a url") is None
    # The plain URL of the same book is read.
    assert first_rows(f"sqlite:///{tmp_path / 'book.db'}") is not None


def test_a_server_that_does_not_answer_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing listens on port 1 of this machine: refused at once, never raised.
    assert first_rows("postgresql://nobody@127.0.0.1:1/nothing") is None
