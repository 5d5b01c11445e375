"""Opening a book: it reads without waiting for a writer, it never creates a book where only
reading was asked, and it never changes a file that is not a budget book."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from budget_tui.controller import categories, reports
from budget_tui.controller.book import info, open_book
from budget_tui.controller.export import export_csv
from budget_tui.controller.periods import Period
from budget_tui.db.engine import make_engine
from budget_tui.db.migrate import HEAD
from budget_tui.errors import ConfigError
from tests.conftest import pg_url
from tests.controller.conftest import add


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# --- readers never wait for a writer ----------------------------------------------------------


def test_opening_and_reading_while_another_program_holds_the_write_lock(sqlite_book) -> None:
    # The write lock is SQLite's; PostgreSQL readers are covered in test_import_readers.
    book, sessions = sqlite_book, sqlite_book.sessions
    food = categories.create_category(sessions, "Food", "300")
    add(sessions, food.id, "7.00", "2026-03-04", "Soup")
    path = book.engine.url.database
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO categories (name, name_key, version) VALUES ('Late', 'late', 1)"
        )
        # Each of these used to wait the 5 s busy timeout and then fail "busy".
        for read_only in (False, True):
            other = open_book(f"sqlite:///{path}", read_only=read_only)
            try:
                got = info(other.sessions)
                assert (got.revision, got.categories, got.expenses) == (HEAD, 1, 1)
                report = reports.spend_by_category_report(
                    other.sessions, Period.month(dt.date(2026, 3, 1))
                )
                assert report.count == 1
                out = io.StringIO()
                assert export_csv(other.sessions, out) == 1
            finally:
                other.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_an_old_book_is_still_upgraded_on_open(tmp_path: Path) -> None:
    from budget_tui.db import migrate

    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001")
    engine.dispose()
    book = open_book(f"sqlite:///{path}", create=False)
    try:
        assert info(book.sessions).revision == HEAD
    finally:
        book.close()


# --- no book is created where only reading was asked -----------------------------------------


@pytest.mark.parametrize("how", ["create=False", "read_only"])
def test_a_missing_sqlite_book_is_not_created(tmp_path: Path, how: str) -> None:
    path = tmp_path / "typo" / "budget.db"
    kwargs = {"create": False} if how == "create=False" else {"read_only": True}
    with pytest.raises(ConfigError) as err:
        open_book(f"sqlite:///{path}", **kwargs)
    assert err.value.message == f"There is no budget book at {path}."
    assert not (tmp_path / "typo").exists()


def test_a_new_book_in_a_missing_folder_is_refused_naming_the_folder(tmp_path: Path) -> None:
    # A mistyped folder must be told, not handed an empty new book in folders made for it.
    path = tmp_path / "mistyped" / "dir" / "budget.db"
    with pytest.raises(ConfigError) as err:
        open_book(f"sqlite:///{path}")
    assert err.value.message == f"The folder {path.parent} does not exist."
    assert err.value.hint == "Create it first, or check the path."
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("how", ["create", "create=False", "read_only"])
@pytest.mark.parametrize("below", ["budget.db", "books/budget.db"])
def test_a_path_through_a_file_names_the_file(tmp_path: Path, how: str, below: str) -> None:
    # Not a question of permissions: a part of the path is a file where a folder should be.
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    path = notes / below
    kwargs = {"create=False": {"create": False}, "read_only": {"read_only": True}}.get(how, {})
    with pytest.raises(ConfigError) as err:
        open_book(f"sqlite:///{path}", **kwargs)
    assert (
        err.value.message == f"{notes} is a file, not a folder, so there can be no book at {path}."
    )
    assert err.value.hint == "Check the path."
    assert notes.read_text() == "shopping list"


def test_the_data_directory_is_made_for_the_first_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A first run on a fresh machine: the default book's folder is budget-tui's own to make.
    data = tmp_path / "home" / ".local" / "share" / "budget-tui"
    monkeypatch.setenv("BUDGET_TUI_DATA_DIR", str(data))
    from budget_tui.config import default_url

    book = open_book(default_url())
    try:
        assert info(book.sessions).revision == HEAD
    finally:
        book.close()
    assert (data / "budget.db").is_file()


def test_an_empty_file_is_no_book_to_read_but_may_become_one(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(ConfigError, match="There is no budget book"):
        open_book(f"sqlite:///{path}", create=False)
    assert path.stat().st_size == 0
    open_book(f"sqlite:///{path}").close()
    assert open_book(f"sqlite:///{path}", create=False).backend == "sqlite"


@pytest.fixture
def empty_schema() -> Iterator[str]:
    """A URL whose search_path is a new, empty schema on the test server (no budget book)."""
    schema = f"nobook_{uuid.uuid4().hex[:12]}"
    admin = make_engine(pg_url())
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(pg_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
        with admin.connect() as conn:
            assert inspect(conn).get_table_names(schema=schema) == [], "nothing was created"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("how", ["create=False", "read_only"])
def test_a_server_without_our_schema_has_no_book_to_read(empty_schema: str, how: str) -> None:
    kwargs = {"create": False} if how == "create=False" else {"read_only": True}
    with pytest.raises(ConfigError) as err:
        open_book(empty_schema, **kwargs)
    assert err.value.message.startswith("There is no budget book at postgresql://")


# --- a file that is not a budget book is never changed ----------------------------------------


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    conn.commit()
    conn.close()


def _foreign_with_alembic(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()


def _text(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)


@pytest.mark.parametrize("make", [_foreign, _foreign_with_alembic, _text])
@pytest.mark.parametrize("kwargs", [{}, {"create": False}, {"read_only": True}], ids=str)
def test_a_file_that_is_not_a_budget_book_is_refused_unchanged(
    tmp_path: Path, make, kwargs: dict
) -> None:
    path = tmp_path / "other.db"
    make(path)
    before = fingerprint(path)
    with pytest.raises(ConfigError) as err:
        open_book(f"sqlite:///{path}", **kwargs)
    assert f"{path} is not a budget book" in err.value.message
    assert "Nothing in it was changed." in err.value.message
    assert fingerprint(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["other.db"]


def test_a_budget_book_opens_without_being_mistaken_for_another(sqlite_book) -> None:
    book, sessions = sqlite_book, sqlite_book.sessions  # the file check is SQLite's
    categories.create_category(sessions, "Food")
    again = open_book(book.engine.url.render_as_string(hide_password=False), create=False)
    try:
        assert [c.name for c in categories.list_categories(again.sessions)] == ["Food"]
    finally:
        again.close()
