"""Nothing let out: no password or bound parameter in any message or log line; weak TLS to Neon
refused before anything connects. (The real TLS handshake tests are in test_own_server.py.)"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import psycopg2
import pytest
from sqlalchemy import event

from budget_tui.controller import book as book_module
from budget_tui.controller import categories, expenses
from budget_tui.controller.book import Book, info, open_book
from budget_tui.db.engine import describe, make_engine, redact
from budget_tui.errors import BudgetError, ConfigError, Conflict, DatabaseUnavailable
from tests.conftest import make_book, pg_url
from tests.faults.cluster import free_port
from tests.faults.conftest import bounded

SECRET = "s3cr3t-Pa55"
PARAM = "param-Secret-7731"


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of every logger, down to DEBUG (SQLAlchemy's pool and engine included)."""
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "sqlalchemy.orm", "budget_tui"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def everything_said(error: BaseException) -> str:
    parts = [
        str(error),
        repr(error),
        getattr(error, "message", ""),
        getattr(error, "hint", "") or "",
    ]
    if isinstance(error, DatabaseUnavailable):
        parts.append(error.outcome)
    return " ".join(parts)


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://me:{SECRET}@127.0.0.1:{{port}}/budget",  # nothing listens there
        f"postgres://me:{SECRET}@db.example.com/budget",  # the wrong scheme
        f"mysql://me:{SECRET}@db.example.com/budget",  # an unsupported database
        f"postgresql://me:{SECRET}@ep-x-1.eu-central-1.aws.neon.tech/db?sslmode=disable",
        f"postgresql://me@127.0.0.1:{{port}}/budget?password={SECRET}",
        f"postgresql://me:{SECRET}@[not a host/budget",
    ],
)
def test_no_password_in_any_error_or_log_line(url: str, all_logs: pytest.LogCaptureFixture) -> None:
    url = url.replace("{port}", str(free_port()))
    _, error, _ = bounded(lambda: open_book(url))
    assert isinstance(error, BudgetError), error
    assert SECRET not in everything_said(error)
    assert SECRET not in all_logs.text
    assert SECRET not in redact(url) and SECRET not in describe(url)


@pytest.mark.postgres
def test_no_password_anywhere_on_a_working_postgresql_book(
    all_logs: pytest.LogCaptureFixture, tmp_path
) -> None:
    make_book("postgresql", tmp_path).close()  # schema in place
    # Trust authentication ignores the password, so the book opens and we can look everywhere.
    url = make_engine(pg_url()).url.set(password=SECRET).render_as_string(hide_password=False)
    book = open_book(url, echo=True)
    try:
        food = categories.create_category(book.sessions, "Food")
        expenses.create_expense(
            book.sessions, description="Bread", amount="1", occurred_on="today", category=food.id
        )
        assert SECRET not in book.location
        assert SECRET not in info(book.sessions).location
    finally:
        book.close()
    assert "INSERT INTO expenses" in all_logs.text  # the echo did run
    assert SECRET not in all_logs.text

    _, error, _ = bounded(lambda: open_book(url.rsplit("/", 1)[0] + "/no_such_db_for_budget"))
    assert isinstance(error, DatabaseUnavailable)
    assert "does not exist" in error.message
    assert SECRET not in everything_said(error) and SECRET not in all_logs.text


def test_sql_echo_never_writes_bound_parameters(
    backend: str, tmp_path, all_logs: pytest.LogCaptureFixture
) -> None:
    book = make_book(backend, tmp_path)
    book.close()
    url = book.engine.url.render_as_string(hide_password=False)
    echoing = open_book(url, echo=True)
    try:
        food = categories.create_category(echoing.sessions, "Food")
        expenses.create_expense(
            echoing.sessions,
            description=PARAM,
            amount="12.34",
            occurred_on="today",
            category=food.id,
        )
        with pytest.raises(Conflict):
            categories.create_category(echoing.sessions, "FOOD")
    finally:
        echoing.close()
    assert "INSERT INTO expenses" in all_logs.text
    assert "parameters hidden" in all_logs.text
    assert PARAM not in all_logs.text
    assert "12.34" not in all_logs.text and "1234" not in all_logs.text


@pytest.mark.postgres
def test_a_driver_error_that_quotes_values_reaches_nobody(
    pg_book: Book, all_logs: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL's unique-violation detail quotes the value ("Key (name_key)=(...)"): the person
    reads a plain sentence and the logs hold neither the detail nor the parameter."""
    other = open_book(pg_url(), migrate=False, echo=True)
    name = "Secret-Name-5521"

    raced: list[bool] = []

    def other_terminal_wins(session, flush_context, instances) -> None:
        if not raced:
            raced.append(True)
            categories.create_category(other.sessions, name)

    event.listen(pg_book.sessions, "before_flush", other_terminal_wins)
    try:
        with pytest.raises(Conflict) as err:
            categories.create_category(pg_book.sessions, name)
    finally:
        event.remove(pg_book.sessions, "before_flush", other_terminal_wins)
        other.close()
    assert err.value.message == "A category with that name already exists."
    assert name.casefold() not in all_logs.text.casefold()
    assert "Key (" not in all_logs.text


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer"])
def test_neon_url_asking_for_weak_tls_is_refused_before_connecting(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(psycopg2, "connect", no_connection)
    url = f"postgresql://me:{SECRET}@ep-cool-1.eu-central-1.aws.neon.tech/neondb?sslmode={mode}"
    with pytest.raises(ConfigError) as err:
        open_book(url)
    assert f"sslmode={mode}" in err.value.message
    assert "encrypted" in err.value.message and "verify-full" in (err.value.hint or "")
    assert SECRET not in everything_said(err.value)


@pytest.mark.parametrize(
    "host", ["ep-cool-1.eu-central-1.aws.neon.tech", "ep-cool-1-pooler.eu-central-1.aws.neon.tech"]
)
def test_neon_url_without_sslmode_gets_require(host: str) -> None:
    engine = make_engine(f"postgresql://me:{SECRET}@{host}/neondb")
    assert engine.url.query["sslmode"] == "require"
    engine.dispose()


def test_neon_url_with_verify_full_is_kept() -> None:
    url = "postgresql://me@ep-cool-1.eu-central-1.aws.neon.tech/neondb?sslmode=verify-full&sslrootcert=system"
    engine = make_engine(url)
    assert engine.url.query["sslmode"] == "verify-full"
    engine.dispose()


def test_redact_hides_passwords_in_the_user_part_and_in_query_options() -> None:
    shown = redact(
        f"postgresql://me:{SECRET}@h/db?password={SECRET}&sslpassword={SECRET}&sslmode=require"
    )
    assert SECRET not in shown
    assert "sslmode=require" in shown and "me:***@h" in shown
    assert redact("not a url at all ::") == "<unreadable database URL>"
    assert book_module.db_engine.describe(f"postgresql://me:{SECRET}@h:5433/db?x=1") == (
        "postgresql://me:***@h:5433/db"
    )
