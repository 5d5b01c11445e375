"""A PostgreSQL server that answers in German: every error still reads as what it is.

The book's connections set ``lc_messages`` to German, so the server words every error in German
(each test checks that it really did, so none can pass by accident). budget-tui must classify
them by SQLSTATE, not by their English text: a duplicate name is a Conflict, a lock wait is
"busy", a read-only connection says so, and a lost COMMIT says whether it was saved.

Needs the de_DE.UTF-8 locale on the server's host (``.ci/run`` makes it); without it these tests
fail rather than skip, like every PostgreSQL test when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from budget_tui.controller import categories, expenses
from budget_tui.controller._tx import translate
from budget_tui.controller.book import Book, open_book
from budget_tui.errors import ConfigError, Conflict, DatabaseBusy, DatabaseUnavailable, NotFound
from tests.conftest import make_book, pg_url
from tests.faults.conftest import Admin, at_commit, bounded

pytestmark = pytest.mark.postgres

GERMAN = "de_DE.UTF-8"
BREAD = {"description": "Bread", "amount": "3.20", "occurred_on": "2026-03-02"}


def _speak_german(dbapi_conn: Any, _record: Any) -> None:
    with dbapi_conn.cursor() as cur:
        cur.execute(f"SET lc_messages TO '{GERMAN}'")  # superuser only: the test user is one
    dbapi_conn.commit()


class DriverErrors:
    """What the driver raised on a book's engine, word for word (never shown to a person)."""

    def __init__(self, book: Book) -> None:
        self.seen: list[str] = []
        event.listen(book.engine, "handle_error", self._note)

    def _note(self, ctx: Any) -> None:
        self.seen.append(str(ctx.original_exception))

    def assert_german(self, *words: str) -> None:
        """The server really answered in German (else the test would prove nothing)."""
        said = "\n".join(self.seen)
        assert said, "the driver raised nothing"
        for word in words:
            assert word in said, f"expected {word!r} in the server's answer: {said!r}"


def german(book: Book) -> DriverErrors:
    """Make every connection of ``book`` speak German from now on (the pool is emptied)."""
    event.listen(book.engine, "connect", _speak_german)
    book.engine.dispose()
    with book.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW lc_messages").scalar() == GERMAN
    return DriverErrors(book)


@pytest.fixture(scope="module", autouse=True)
def _german_locale() -> None:
    """The server must accept the German locale; when it can't, the tests fail, not skip."""
    admin = Admin(pg_url())
    try:
        admin.run(f"SET lc_messages TO '{GERMAN}'")
        admin.run("SELECT 1/0")
    except psycopg2.errors.InvalidParameterValue:
        pytest.fail(
            f"The server has no {GERMAN} locale: run `localedef --no-archive -i de_DE -f UTF-8 "
            f"{GERMAN}` on its host (see .ci/run)."
        )
    except psycopg2.errors.DivisionByZero as exc:
        assert "Division durch Null" in str(exc), str(exc)
    finally:
        admin.close()


@pytest.fixture
def book(tmp_path, short_timeouts: None) -> Iterator[Book]:
    b = make_book("postgresql", tmp_path)
    yield b
    b.close()


def test_a_duplicate_category_name_is_a_conflict(book: Book) -> None:
    said = german(book)
    with book.engine.connect() as conn:
        insert = text("INSERT INTO categories (name, name_key, version) VALUES (:n, :k, 1)")
        conn.execute(insert, {"n": "Food", "k": "food"})
        with pytest.raises(IntegrityError) as raw:
            conn.execute(insert, {"n": "FOOD", "k": "food"})
        conn.rollback()
    said.assert_german("doppelter Schlüsselwert")
    error = translate(raw.value, committing=False)
    assert isinstance(error, Conflict)
    assert error.message == "A category with that name already exists."


def test_a_missing_category_is_a_foreign_key_conflict(book: Book) -> None:
    said = german(book)
    with book.engine.connect() as conn:
        with pytest.raises(IntegrityError) as raw:
            conn.execute(
                text(
                    "INSERT INTO expenses (uid, description, amount, occurred_on, category_id, "
                    "created_at, updated_at, version) VALUES "
                    "(:uid, 'x', 1, '2026-03-01', 424242, now(), now(), 1)"
                ),
                {"uid": "00000000-0000-4000-8000-000000000000"},
            )
        conn.rollback()
    said.assert_german("Fremdschlüssel")
    error = translate(raw.value, committing=False)
    assert isinstance(error, Conflict)
    assert error.message == "That category is in use or no longer exists; nothing was saved."


def test_a_save_waiting_for_a_locked_row_says_busy(book: Book, admin: Admin) -> None:
    food = categories.create_category(book.sessions, "Food")
    bread = expenses.create_expense(book.sessions, **BREAD, category=food.id)
    said = german(book)
    holder = psycopg2.connect(admin.dsn, connect_timeout=5)
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT id FROM expenses WHERE id = %s FOR UPDATE", (bread.id,))
        _, error, _ = bounded(
            lambda: expenses.update_expense(
                book.sessions, bread.id, version=bread.version, amount="9.99"
            )
        )
    finally:
        holder.rollback()
        holder.close()
    said.assert_german("Sperre")
    assert isinstance(error, DatabaseBusy), error
    assert error.message == "Another change is holding the same entries."
    assert error.saved is False
    assert expenses.get_expense(book.sessions, bread.id).amount == bread.amount


def test_backend_killed_before_commit_is_not_saved(book: Book, admin: Admin) -> None:
    food = categories.create_category(book.sessions, "Food")
    said = german(book)
    uid = expenses.new_uid()

    def kill_our_backend(session: Any) -> None:
        conn = session.connection()
        assert conn.exec_driver_sql("SHOW lc_messages").scalar() == GERMAN
        admin.terminate([conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()])

    kill = at_commit(kill_our_backend)
    event.listen(book.sessions, "before_commit", kill)
    try:
        _, error, _ = bounded(
            lambda: expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
        )
    finally:
        event.remove(book.sessions, "before_commit", kill)
    assert said.seen  # the driver saw the connection go (libpq words that itself)
    assert isinstance(error, DatabaseUnavailable), error
    assert error.saved is False
    assert admin.scalar("SELECT count(*) FROM expenses WHERE uid = %s", uid) == 0
    assert expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid).id


def test_a_number_beyond_the_integer_column_is_not_found(book: Book) -> None:
    said = german(book)
    with book.engine.connect() as conn:
        with pytest.raises(DBAPIError) as raw:
            conn.execute(
                text("SELECT id FROM expenses WHERE id = CAST(:id AS integer)"), {"id": 2**40}
            )
        conn.rollback()
    said.assert_german("außerhalb des gültigen Bereichs")
    error = translate(raw.value, committing=False)
    assert isinstance(error, NotFound)
    assert error.message == "That does not exist: a number given is out of range."


def test_a_read_only_connection_says_it_is_read_only(book: Book) -> None:
    read_only = open_book(pg_url(), read_only=True)
    try:
        said = german(read_only)
        with pytest.raises(ConfigError) as err:
            categories.create_category(read_only.sessions, "Food")
        said.assert_german("Read-Only-Transaktion")
        assert err.value.message == "This connection is read-only; nothing was changed."
    finally:
        read_only.close()


def test_a_cancelled_statement_says_it_took_too_long(book: Book) -> None:
    said = german(book)
    with pytest.raises(DBAPIError) as raw, book.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL statement_timeout = 50")
        conn.exec_driver_sql("SELECT pg_sleep(2)")
    said.assert_german("Zeitüberschreitung")
    error = translate(raw.value, committing=False)
    assert isinstance(error, DatabaseUnavailable)
    assert error.message == "The database took too long to answer."
    assert error.saved is False
