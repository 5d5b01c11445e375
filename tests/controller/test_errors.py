"""Database errors reach a person as one plain sentence: no password, no SQL, no parameters."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from budget_tui.controller import categories
from budget_tui.controller._tx import translate
from budget_tui.controller.book import open_book
from budget_tui.db import classify
from budget_tui.errors import (
    BudgetError,
    ConfigError,
    Conflict,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseUnavailable,
    NotFound,
)
from tests.conftest import pg_url

SECRET = "s3cr3t-Pa55"


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_plain(err: BaseException) -> None:
    shown = f"{err} {getattr(err, 'hint', '')}"
    assert SECRET not in shown
    assert "SELECT" not in shown.upper() and "[SQL" not in shown and "parameters" not in shown
    assert "Traceback" not in shown and "psycopg2" not in shown
    # No driver error chained to it (one raised outside an except block has no context at all).
    assert err.__cause__ is None and (err.__suppress_context__ or err.__context__ is None)


def pg_with(**parts: object) -> str:
    return make_url(pg_url()).set(**parts).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_nothing_listening_on_the_port() -> None:
    url = pg_with(host="127.0.0.1", port=closed_port(), password=SECRET)
    with pytest.raises(DatabaseUnavailable) as err:
        open_book(url)
    assert err.value.message == "Nothing is listening at the database address."
    assert err.value.saved is False
    assert err.value.outcome == "Nothing was saved; you can try again."
    assert_plain(err.value)


@pytest.mark.postgres
def test_an_action_on_an_unreachable_server() -> None:
    book = open_book(pg_with(host="127.0.0.1", port=closed_port(), password=SECRET), migrate=False)
    try:
        with pytest.raises(DatabaseUnavailable, match="Nothing is listening") as err:
            categories.create_category(book.sessions, "Food")
        assert err.value.saved is False
        assert_plain(err.value)
    finally:
        book.close()


@pytest.mark.postgres
def test_unknown_database() -> None:
    with pytest.raises(DatabaseUnavailable) as err:
        open_book(pg_with(database="budget_no_such_db_x7", password=SECRET))
    assert err.value.message == "The database named in the URL does not exist on the server."
    assert "createdb" in (err.value.hint or "")
    assert "budget_no_such_db_x7" not in str(err.value)
    assert_plain(err.value)


@pytest.mark.postgres
def test_unknown_user_is_a_login_problem() -> None:
    # The test server trusts local users, so a wrong password can't be shown failing here;
    # an unknown user is refused at the same step, and must read as a log-in problem.
    with pytest.raises(DatabaseUnavailable) as err:
        open_book(pg_with(username="budget_nobody_x7", password=SECRET))
    assert err.value.message == "The database refused the user name or password."
    assert_plain(err.value)


@pytest.mark.postgres
def test_unknown_host() -> None:
    with pytest.raises(DatabaseUnavailable) as err:
        open_book(pg_with(host="no-such-host.invalid", password=SECRET))
    assert err.value.message == "The database host name could not be found."
    assert_plain(err.value)


def test_sqlite_file_that_cannot_be_opened(tmp_path) -> None:
    folder = tmp_path / "a-file"
    folder.write_text("not a folder")
    with pytest.raises(ConfigError, match=r"a-file is a file, not a folder") as err:
        open_book(f"sqlite:///{folder / 'budget.db'}")
    assert_plain(err.value)


def test_constraint_errors_never_show_the_values(book) -> None:
    with book.engine.connect() as conn:
        insert = text("INSERT INTO categories (name, name_key, version) VALUES (:name, :key, 1)")
        conn.execute(insert, {"name": SECRET, "key": SECRET})
        with pytest.raises(IntegrityError) as raw:
            conn.execute(insert, {"name": SECRET, "key": SECRET})
        conn.rollback()
    assert "[SQL parameters hidden" in str(raw.value)  # hide_parameters on the engine
    error = translate(raw.value, committing=False)
    assert isinstance(error, Conflict)
    assert error.message == "A category with that name already exists."
    assert SECRET not in str(error)


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (f'password authentication failed for user "alice" ({SECRET})', "refused the user name"),
        ("fe_sendauth: no password supplied", "asks for a password"),
        ('could not translate host name "db" to address', "host name could not be found"),
        ("connection timeout expired", "did not answer in time"),
        ("server does not support SSL, but SSL was required", "does not offer TLS"),
        ("SSL error: certificate verify failed", "certificate could not be verified"),
        ("FATAL: sorry, too many connections for role", "no free connections"),
        ("server closed the connection unexpectedly", "connection to the database was lost"),
    ],
)
def test_driver_messages_become_plain_sentences(reason: str, message: str) -> None:
    from sqlalchemy.exc import OperationalError

    class DriverError(Exception):
        pass

    exc = OperationalError(
        "SELECT secret FROM t WHERE x = %(x)s", {"x": SECRET}, DriverError(reason)
    )
    error = translate(exc, committing=False)
    assert isinstance(error, DatabaseUnavailable)
    assert message in error.message
    assert error.saved is False
    assert SECRET not in f"{error} {error.hint}"
    during_commit = translate(exc, committing=True)
    assert during_commit.saved in (None, False)


def test_a_file_that_is_not_a_database(tmp_path) -> None:
    path = tmp_path / "notes.db"
    content = "shopping list: milk, eggs, bread " * 10
    path.write_text(content)
    with pytest.raises(ConfigError, match="not an SQLite database") as err:
        open_book(f"sqlite:///{path}")
    assert_plain(err.value)
    assert path.read_text() == content


def test_wrong_password() -> None:
    from tests.controller.fake_pg import refusing_server

    with refusing_server() as (port, passwords), pytest.raises(DatabaseUnavailable) as err:
        open_book(f"postgresql://alice:{SECRET}@127.0.0.1:{port}/books")
    assert passwords and passwords[0] == SECRET  # the refusal came from the server
    assert err.value.message == "The database refused the user name or password."
    assert err.value.hint == "Check the user and password in DATABASE_URL."
    assert err.value.saved is False
    assert_plain(err.value)


def test_foreign_key_errors_read_as_a_missing_or_used_category(book) -> None:
    with book.engine.connect() as conn:
        with pytest.raises(IntegrityError) as raw:
            conn.execute(
                text(
                    "INSERT INTO expenses (uid, description, amount, occurred_on, category_id, "
                    "created_at, updated_at, version) VALUES "
                    "(:uid, :d, 1, '2026-03-01', 424242, '2026-03-01', '2026-03-01', 1)"
                ),
                {"uid": "00000000-0000-4000-8000-000000000000", "d": SECRET},
            )
        conn.rollback()
    error = translate(raw.value, committing=False)
    assert isinstance(error, Conflict)
    assert error.message == "That category is in use or no longer exists; nothing was saved."
    assert SECRET not in str(error)


class ServerError(Exception):
    """A psycopg2-like error from a server that speaks French: a code, a constraint, no English."""

    def __init__(self, pgcode: str, message: str, constraint: str | None = None) -> None:
        super().__init__(message)
        self.pgcode = pgcode
        self.diag = type("Diag", (), {"constraint_name": constraint})()


@pytest.mark.parametrize(
    ("pgcode", "constraint", "kind", "message"),
    [
        ("23505", "uq_categories_name_key", Conflict, "A category with that name already exists."),
        ("23505", "uq_expenses_uid", Conflict, "The change clashes with what the database holds"),
        ("23503", "fk_expenses_category_id_categories", Conflict, "That category is in use"),
        ("23514", "ck_expenses_amount", Conflict, "The change clashes"),
        ("22003", None, NotFound, "a number given is out of range"),
        ("55P03", None, DatabaseBusy, "Another change is holding the same entries"),
        ("40P01", None, DatabaseBusy, "Another change is holding the same entries"),
        ("25006", None, ConfigError, "This connection is read-only"),
        ("57014", None, DatabaseUnavailable, "The database took too long to answer."),
        ("57P01", None, DatabaseUnavailable, "The connection to the database was lost."),
        ("08006", None, DatabaseUnavailable, "The connection to the database was lost."),
        ("28P01", None, DatabaseUnavailable, "refused the user name or password"),
        ("3D000", None, DatabaseUnavailable, "does not exist on the server"),
        ("53300", None, DatabaseUnavailable, "no free connections"),
        ("XX001", None, DatabaseDamaged, "stored data is damaged"),
        ("42P01", None, BudgetError, "The database reported an error"),
    ],
)
def test_server_errors_are_read_by_their_code_in_any_language(
    pgcode: str, constraint: str | None, kind: type[BudgetError], message: str
) -> None:
    from sqlalchemy.exc import DBAPIError

    orig = ServerError(pgcode, f"ERREUR:  quelque chose ne va pas ({SECRET})", constraint)
    exc = DBAPIError.instance("SELECT 1", {"x": SECRET}, orig, Exception)
    error = translate(exc, committing=False)
    assert type(error) is kind
    assert message in error.message
    assert SECRET not in f"{error} {error.hint}"


def test_a_server_that_ends_the_session_during_commit_did_not_save() -> None:
    # 57P01 admin_shutdown: the server rolled the transaction back before closing, whatever
    # language it says so in, and the pool must drop the connection.
    from sqlalchemy.exc import OperationalError

    orig = ServerError("57P01", "FATAL:  Verbindung wird abgebrochen aufgrund von Anweisung")
    problem = classify.classify(orig)
    assert problem.disconnect and problem.rolled_back
    ctx = type("Ctx", (), {"original_exception": orig, "is_disconnect": False})()
    classify._on_error(ctx)  # type: ignore[arg-type]
    assert ctx.is_disconnect is True
    exc = OperationalError("COMMIT", None, orig, connection_invalidated=True)
    error = translate(exc, committing=True)
    assert isinstance(error, DatabaseUnavailable)
    assert error.saved is False


def test_a_refusal_at_connect_in_a_foreign_language_still_reads_as_a_refusal() -> None:
    # psycopg2 gives a failed connect no code; libpq's prefix is English (our C locale), the
    # server's reason is not.
    from sqlalchemy.exc import OperationalError

    reason = 'connection to server at "db", port 5432 failed: FATAL:  Datenbank »x« existiert nicht'
    error = translate(OperationalError(None, None, Exception(reason)), committing=False)
    assert isinstance(error, DatabaseUnavailable)
    assert error.message == "The database server refused the connection."
    assert "DATABASE_URL" in (error.hint or "")


def test_sqlite_errors_are_read_by_their_result_code(book_file) -> None:
    import sqlite3

    conn = sqlite3.connect(book_file)
    try:
        conn.execute("CREATE TABLE t (a INTEGER UNIQUE)")
        conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError) as raw:
            conn.execute("INSERT INTO t VALUES (1)")
    finally:
        conn.close()
    assert raw.value.sqlite_errorname == "SQLITE_CONSTRAINT_UNIQUE"
    problem = classify.classify(raw.value)
    assert problem.kind is classify.Kind.DUPLICATE and problem.constraint == "t.a"


@pytest.fixture
def book_file(tmp_path):
    return tmp_path / "plain.db"


def test_the_engine_attaches_a_classification_to_each_driver_error(book) -> None:
    with book.engine.connect() as conn:
        with pytest.raises(IntegrityError) as raw:
            conn.execute(
                text("INSERT INTO categories (name, name_key, version) VALUES ('a', NULL, 1)")
            )
        conn.rollback()
    assert isinstance(getattr(raw.value.orig, "budget_problem", None), classify.Problem)
