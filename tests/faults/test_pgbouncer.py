"""Through a real PgBouncer in transaction mode: every action works, the deadline still holds.

A transaction-mode pooler hands each transaction to whichever server connection is free, so
nothing may live in a session: no startup ``options`` (PgBouncer refuses the connection), no SET
that outlives a transaction. These tests open books on the ``pgbouncer`` fixture's port and check
what a person sees and what the database holds.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import psycopg2
import psycopg2.sql
import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from budget_tui.controller import categories, expenses, reports
from budget_tui.controller.book import Book, open_book
from budget_tui.controller.imports import import_csv
from budget_tui.controller.periods import Period
from budget_tui.db.migrate import HEAD, current_revision
from budget_tui.errors import ConfigError, DatabaseBusy, DatabaseUnavailable
from tests.faults.conftest import Admin, at_commit, bounded
from tests.faults.pgbouncer import PgBouncer

pytestmark = pytest.mark.postgres

BREAD = {"description": "Bread", "amount": "3.20", "occurred_on": "2026-03-02"}


@pytest.fixture
def locked_expense(pooled_book: Book, admin: Admin) -> Iterator[tuple[int, int]]:
    """An expense whose row another client holds locked (an open transaction elsewhere)."""
    food = categories.create_category(pooled_book.sessions, "Food")
    bread = expenses.create_expense(pooled_book.sessions, **BREAD, category=food.id)
    holder = psycopg2.connect(admin.dsn, connect_timeout=5)
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT id FROM expenses WHERE id = %s FOR UPDATE", (bread.id,))
        yield bread.id, bread.version
    finally:
        holder.rollback()
        holder.close()


def test_an_empty_database_is_migrated_through_the_pooler(
    pg_book: Book, pgbouncer: PgBouncer, admin: Admin
) -> None:
    # Alembic's upgrade is one transaction with no session state: it runs through the pooler.
    admin.run("DROP SCHEMA public CASCADE")
    admin.run("CREATE SCHEMA public")
    book = open_book(pgbouncer.url())
    try:
        assert book.migration_url is None  # no other host to migrate on
        assert current_revision(book.engine) == HEAD
        assert admin.scalar("SELECT version_num FROM alembic_version") == HEAD
        assert categories.list_categories(book.sessions) == ()
    finally:
        book.close()
    # Opening again finds the schema current and changes nothing.
    again = open_book(pgbouncer.url())
    again.close()
    assert admin.scalar("SELECT count(*) FROM alembic_version") == 1


def test_expenses_are_added_edited_and_deleted_through_the_pooler(
    pooled_book: Book, admin: Admin
) -> None:
    food = categories.create_category(pooled_book.sessions, "Food")
    bread = expenses.create_expense(pooled_book.sessions, **BREAD, category=food.id)
    edited = expenses.update_expense(
        pooled_book.sessions, bread.id, version=bread.version, amount="4.10"
    )
    assert admin.scalar("SELECT amount FROM expenses WHERE id = %s", bread.id) == 410
    milk = expenses.create_expense(
        pooled_book.sessions,
        description="Milk",
        amount="1.00",
        occurred_on="2026-03-03",
        category="Food",
    )
    expenses.delete_expense(pooled_book.sessions, milk.id, version=milk.version)
    assert admin.scalar("SELECT count(*) FROM expenses") == 1
    assert admin.scalar("SELECT sum(total_cents) FROM monthly_totals") == 410
    assert edited.version > bread.version


def test_a_csv_import_goes_through_the_pooler_with_copy(pooled_book: Book, admin: Admin) -> None:
    csv = io.StringIO(
        "date,description,amount,category\n"
        "2026-03-01,Rent,900.00,Home\n"
        "2026-03-02,Bread,3.20,Food\n"
        "2026-03-03,Milk,1.15,Food\n",
        newline="",
    )
    result = import_csv(pooled_book.sessions, csv)
    assert result.rows == 3
    assert set(result.categories_created) == {"Home", "Food"}
    assert admin.scalar("SELECT count(*) FROM expenses") == 3

    report = reports.spend_by_category_report(
        pooled_book.sessions, Period.month(dt.date(2026, 3, 1))
    )
    assert report.count == 3
    assert str(report.total) == "904.35"
    assert [row.name for row in report.rows][:1] == ["Home"]


def test_a_read_only_book_refuses_writes_through_the_pooler_and_leaves_others_writable(
    pooled_book: Book, pgbouncer: PgBouncer, admin: Admin
) -> None:
    food = categories.create_category(pooled_book.sessions, "Food")
    reader = open_book(pgbouncer.url(), read_only=True)
    try:
        # The pooler has few server connections: reader and writer share them, turn by turn.
        for n in range(6):
            with pytest.raises(ConfigError, match="read-only"):
                expenses.create_expense(reader.sessions, **BREAD, category=food.id)
            assert len(categories.list_categories(reader.sessions)) == 1
            expenses.create_expense(pooled_book.sessions, **BREAD, category=food.id)
            assert admin.scalar("SELECT count(*) FROM expenses") == n + 1
    finally:
        reader.close()


def test_transaction_settings_apply_inside_each_transaction_and_never_leak(
    pooled_book: Book, pgbouncer: PgBouncer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUDGET_TUI_QUERY_TIMEOUT", "8")
    book = open_book(pgbouncer.url())
    try:
        with book.sessions.begin() as s:
            assert s.execute(text("SHOW lock_timeout")).scalar() == "4s"
            assert s.execute(text("SHOW idle_in_transaction_session_timeout")).scalar() == "8s"
    finally:
        book.close()
    # Another client of the same pooler lands on the same server connections: it sees defaults.
    other = psycopg2.connect(pgbouncer.dsn(), connect_timeout=5)
    try:
        other.autocommit = True
        with other.cursor() as cur:
            for _ in range(pgbouncer.pool_size * 2):
                cur.execute("SHOW lock_timeout")
                assert cur.fetchone()[0] == "0"
    finally:
        other.close()


def test_a_save_waiting_for_a_lock_through_the_pooler_says_busy(
    locked_expense: tuple[int, int], pgbouncer: PgBouncer, short_timeouts: None
) -> None:
    expense_id, version = locked_expense
    book = open_book(pgbouncer.url())
    try:
        _, error, _ = bounded(
            lambda: expenses.update_expense(
                book.sessions, expense_id, version=version, amount="9.99"
            )
        )
        assert isinstance(error, DatabaseBusy), error
        assert error.title == "Database busy" and error.saved is False
        assert "check your network" not in (error.hint or "").lower()
        # Busy, not "stopped answering": the server's lock timeout (1 s) cut the wait before the
        # client's 2 s deadline did (the next test times it).
        # The connection is fine: the next action works at once.
        assert expenses.get_expense(book.sessions, expense_id).version == version
    finally:
        book.close()


def test_a_lock_wait_is_cut_by_the_server_at_the_lock_timeout(
    locked_expense: tuple[int, int], pgbouncer: PgBouncer, monkeypatch: pytest.MonkeyPatch
) -> None:
    expense_id, _ = locked_expense
    monkeypatch.setenv("BUDGET_TUI_QUERY_TIMEOUT", "6")  # lock timeout 3 s
    book = open_book(pgbouncer.url())
    try:

        def wait_for_the_row() -> None:
            with book.sessions.begin() as s:
                s.execute(
                    text("SELECT 1 FROM expenses WHERE id = :id FOR UPDATE"), {"id": expense_id}
                )

        _, error, seconds = bounded(wait_for_the_row)
        assert isinstance(error, OperationalError)
        assert error.orig.pgcode == "55P03"  # lock_not_available: the server's lock_timeout
        assert 2.7 <= seconds < 5.5, seconds
    finally:
        book.close()


def test_backend_killed_before_commit_through_the_pooler_is_not_saved_and_the_next_save_works(
    pooled_book: Book, admin: Admin
) -> None:
    food = categories.create_category(pooled_book.sessions, "Food")
    uid = expenses.new_uid()

    def kill_the_server_connection(session) -> None:
        pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        admin.terminate([pid])

    kill = at_commit(kill_the_server_connection)
    event.listen(pooled_book.sessions, "before_commit", kill)
    try:
        _, error, _ = bounded(
            lambda: expenses.create_expense(
                pooled_book.sessions, **BREAD, category=food.id, uid=uid
            )
        )
    finally:
        event.remove(pooled_book.sessions, "before_commit", kill)

    assert isinstance(error, DatabaseUnavailable), error
    assert error.saved is False
    assert "Nothing was saved" in error.outcome
    assert admin.scalar("SELECT count(*) FROM expenses WHERE uid = %s", uid) == 0

    retried = expenses.create_expense(pooled_book.sessions, **BREAD, category=food.id, uid=uid)
    assert retried.replayed is False
    assert admin.scalar("SELECT count(*) FROM expenses WHERE uid = %s", uid) == 1
    assert admin.scalar("SELECT sum(count) FROM monthly_totals") == 1


def _named_cursor(conn) -> None:
    with conn.cursor("pages") as cur:  # a server-side cursor: psycopg2 wraps it in DECLARE
        cur.execute("SELECT 1")
        cur.fetchall()


def _executemany(conn) -> None:
    with conn.cursor() as cur:
        cur.executemany("SELECT %s", [(1,), (2,)])


def _copy(conn) -> None:
    with conn.cursor() as cur:
        cur.copy_expert("COPY (SELECT 1) TO STDOUT", io.StringIO())


def _bytes(conn) -> None:
    with conn.cursor() as cur:
        cur.execute(b"SELECT 1")


def _composed(conn) -> None:
    with conn.cursor() as cur:
        cur.execute(psycopg2.sql.SQL("SELECT {}").format(psycopg2.sql.Literal(1)))


@pytest.mark.parametrize("first", [_named_cursor, _executemany, _copy, _bytes, _composed])
def test_every_way_a_transaction_starts_carries_the_settings_through_the_pooler(
    pgbouncer: PgBouncer, first
) -> None:
    from budget_tui.db.deadline import connection_factory, transaction_settings

    factory = connection_factory(5.0, transaction_settings(2500, 5000))
    conn = psycopg2.connect(pgbouncer.dsn(), connect_timeout=5, connection_factory=factory)
    try:
        for _ in range(2):  # the second transaction too, after a COMMIT
            first(conn)
            with conn.cursor() as cur:
                cur.execute("SHOW lock_timeout")
                assert cur.fetchone()[0] == "2500ms"
                cur.execute("SHOW idle_in_transaction_session_timeout")
                assert cur.fetchone()[0] == "5s"
            conn.commit()
    finally:
        conn.close()
