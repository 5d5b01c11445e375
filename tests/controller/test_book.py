"""Opening a book: what `db info` reports, and where the URL is shown it has no password."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from budget_tui.controller import categories
from budget_tui.controller.book import info, open_book
from budget_tui.db.migrate import HEAD
from tests.conftest import pg_url
from tests.controller.conftest import add


def test_info_counts_rows_and_names_the_revision(book, sessions, food, travel) -> None:
    add(sessions, food.id)
    add(sessions, travel.id)
    add(sessions, travel.id)
    got = info(sessions)
    assert (got.backend, got.revision, got.categories, got.expenses) == (book.backend, HEAD, 2, 3)
    assert got.location == book.location


def test_location_of_an_sqlite_book_is_its_path(tmp_path) -> None:
    path = tmp_path / "mine.db"
    book = open_book(f"sqlite:///{path}")
    try:
        assert book.location == str(path)
        assert book.backend == "sqlite"
    finally:
        book.close()


@pytest.mark.postgres
def test_location_of_a_server_book_hides_the_password() -> None:
    secret = "s3cr3t-Pa55"
    # The test server trusts local users, so any password opens it.
    url = make_url(pg_url()).set(password=secret).update_query_dict({"application_name": "x"})
    book = open_book(url.render_as_string(hide_password=False))
    try:
        assert secret not in book.location
        assert "application_name" not in book.location
        assert secret not in info(book.sessions).location
        assert secret not in repr(book)
        assert categories.list_categories(book.sessions) is not None
    finally:
        book.close()


def test_engine_settings_in_effect(book) -> None:
    """What the book's own connections run with, read back from the database itself."""
    with book.engine.connect() as conn:
        if book.backend == "sqlite":
            got = [
                conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                for p in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
            ]
            assert got == [1, "wal", 2, 5000]
        else:
            assert conn.exec_driver_sql("SHOW application_name").scalar() == "budget-tui"
            assert (book.engine.pool.size(), book.engine.pool._max_overflow) == (5, 10)
            assert book.engine.pool._pre_ping is True
    assert book.engine.hide_parameters is True
