"""A PostgreSQL connection that dies, goes silent or loses a reply: nothing lost, nothing doubled.

Each test breaks the connection at one precise moment (a session or engine event, or the fault
proxy), then checks what the person is told, what the database holds, and that the next action
works. Every action runs under :func:`bounded`, so a hang fails the test instead of stalling CI.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from budget_tui.controller import categories, expenses
from budget_tui.controller.book import Book, open_book
from budget_tui.errors import DatabaseBusy, DatabaseUnavailable, render
from tests.conftest import pg_url
from tests.faults.conftest import Admin, at_commit, bounded
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.postgres

BREAD = {"description": "Bread", "amount": "3.20", "occurred_on": "2026-03-02"}


def count_uid(admin: Admin, uid: str) -> int:
    return admin.scalar("SELECT count(*) FROM expenses WHERE uid = %s", uid)


def rollup_count(admin: Admin) -> int:
    return admin.scalar("SELECT coalesce(sum(count), 0) FROM monthly_totals")


@pytest.fixture
def proxied_book(pg_book: Book, short_timeouts: None) -> Iterator[tuple[FaultProxy, Book]]:
    """A book whose every connection goes through a fault proxy (schema made by ``pg_book``)."""
    with FaultProxy.for_url(pg_url()) as proxy:
        book = open_book(proxy.url(pg_url()))
        try:
            yield proxy, book
        finally:
            book.close()


def test_backend_killed_before_commit_is_not_saved_and_the_next_save_works(
    pg_book: Book, admin: Admin
) -> None:
    food = categories.create_category(pg_book.sessions, "Food")
    uid = expenses.new_uid()

    def kill_our_backend(session) -> None:
        pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        admin.terminate([pid])

    kill_our_backend = at_commit(kill_our_backend)
    event.listen(pg_book.sessions, "before_commit", kill_our_backend)
    try:
        _, error, _ = bounded(
            lambda: expenses.create_expense(pg_book.sessions, **BREAD, category=food.id, uid=uid)
        )
    finally:
        event.remove(pg_book.sessions, "before_commit", kill_our_backend)

    assert isinstance(error, DatabaseUnavailable)
    assert error.saved is False
    assert "Nothing was saved" in error.outcome
    assert count_uid(admin, uid) == 0 and rollup_count(admin) == 0

    retried = expenses.create_expense(pg_book.sessions, **BREAD, category=food.id, uid=uid)
    assert retried.replayed is False
    assert count_uid(admin, uid) == 1 and rollup_count(admin) == 1


def test_idle_pooled_connections_killed_then_every_next_action_succeeds(
    pg_book: Book, admin: Admin
) -> None:
    food = categories.create_category(pg_book.sessions, "Food")
    # Fill the pool with several idle connections, as a TUI that ran a few workers would.
    held = [pg_book.engine.connect() for _ in range(3)]
    for conn in held:
        conn.exec_driver_sql("SELECT 1")
        conn.close()
    pids = admin.app_pids()
    assert len(pids) >= 3
    admin.terminate(pids)  # what Neon's suspend or an idle-connection reaper does

    for n in range(5):
        expenses.create_expense(pg_book.sessions, **BREAD, category=food.id)
        assert len(categories.list_categories(pg_book.sessions)) == 1, n
    assert admin.scalar("SELECT count(*) FROM expenses") == 5


def test_reply_to_commit_lost_says_saved_and_a_retry_with_the_same_uid_replays_one_row(
    proxied_book: tuple[FaultProxy, Book], admin: Admin
) -> None:
    proxy, book = proxied_book
    food = categories.create_category(book.sessions, "Food")
    uid = expenses.new_uid()

    proxy.cut_after_reply_to(b"COMMIT")
    _, error, _ = bounded(
        lambda: expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
    )
    assert proxy.cuts == 1, "the proxy forwarded COMMIT and dropped the server's answer"
    assert isinstance(error, DatabaseUnavailable)
    # The action looked its transaction up on a new connection: the server says it committed.
    assert error.saved is True
    assert error.outcome == "Your change was saved."
    assert count_uid(admin, uid) == 1

    retried = expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
    assert retried.replayed is True
    assert count_uid(admin, uid) == 1
    assert rollup_count(admin) == 1  # the roll-up was not bumped twice either


def test_server_silent_at_connect_gives_up_after_the_connect_timeout_and_recovers(
    pg_book: Book, short_timeouts: None
) -> None:
    with FaultProxy.for_url(pg_url()) as proxy:
        proxy.blackhole()  # accepts the TCP connection, never answers (a cold start, a dead host)
        book = open_book(proxy.url(pg_url()), migrate=False)
        try:
            _, error, seconds = bounded(lambda: categories.list_categories(book.sessions))
            assert isinstance(error, DatabaseUnavailable)
            assert error.saved is False
            assert "did not answer in time" in error.message
            assert seconds >= 1.5  # it waited for the server rather than failing at once

            proxy.heal()
            assert categories.list_categories(book.sessions) == ()
        finally:
            book.close()


def test_open_book_on_a_silent_server_fails_with_a_clear_message(short_timeouts: None) -> None:
    with FaultProxy.for_url(pg_url()) as proxy:
        proxy.blackhole()
        _, error, _ = bounded(lambda: open_book(proxy.url(pg_url())))
    assert isinstance(error, DatabaseUnavailable)
    assert "did not answer in time" in error.message


def test_connection_silent_mid_transaction_fails_within_the_deadline_nothing_half_written(
    proxied_book: tuple[FaultProxy, Book], admin: Admin
) -> None:
    proxy, book = proxied_book
    food = categories.create_category(book.sessions, "Food")
    uid = expenses.new_uid()

    def go_silent_on_roll_up(conn, cursor, statement, *args) -> None:
        # The expense row has been sent; the network dies before the roll-up is updated.
        if statement.lstrip().upper().startswith("INSERT INTO MONTHLY_TOTALS"):
            proxy.mute()

    event.listen(book.engine, "before_cursor_execute", go_silent_on_roll_up)
    try:
        _, error, seconds = bounded(
            lambda: expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
        )
    finally:
        event.remove(book.engine, "before_cursor_execute", go_silent_on_roll_up)

    assert isinstance(error, DatabaseUnavailable), error
    assert error.saved is False
    assert "stopped answering" in error.message
    assert seconds >= 1.5  # the 2 s deadline, not an instant failure

    proxy.heal()
    assert count_uid(admin, uid) == 0 and rollup_count(admin) == 0
    saved = expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
    assert saved.replayed is False
    assert count_uid(admin, uid) == 1 and rollup_count(admin) == 1


def test_connection_silent_during_commit_says_not_known_and_a_retry_saves_once(
    proxied_book: tuple[FaultProxy, Book], admin: Admin
) -> None:
    proxy, book = proxied_book
    food = categories.create_category(book.sessions, "Food")
    uid = expenses.new_uid()

    def go_silent(session) -> None:
        proxy.mute()

    go_silent = at_commit(go_silent)
    event.listen(book.sessions, "before_commit", go_silent)
    try:
        _, error, _ = bounded(
            lambda: expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
        )
    finally:
        event.remove(book.sessions, "before_commit", go_silent)

    assert isinstance(error, DatabaseUnavailable), error
    assert error.saved is None  # COMMIT went out and no answer came back
    proxy.heal()  # the silent flow is dropped: the server rolls the transaction back

    retried = expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
    assert count_uid(admin, uid) == 1
    assert rollup_count(admin) == 1
    assert retried.description == "Bread"


def test_slow_link_is_not_a_fault(proxied_book: tuple[FaultProxy, Book], admin: Admin) -> None:
    proxy, book = proxied_book
    food = categories.create_category(book.sessions, "Food")
    proxy.delay(0.2)  # well inside the 2 s deadline per round trip
    expenses.create_expense(book.sessions, **BREAD, category=food.id)
    assert admin.scalar("SELECT count(*) FROM expenses") == 1


def test_pooled_connection_gone_silent_while_idle_fails_within_the_deadline_then_recovers(
    proxied_book: tuple[FaultProxy, Book], admin: Admin
) -> None:
    """A laptop sleeps with a connection in the pool: the pre-ping itself gets no answer."""
    proxy, book = proxied_book
    food = categories.create_category(book.sessions, "Food")
    proxy.mute()  # every pooled connection, and any new one, now gets no answer
    _, error, seconds = bounded(
        lambda: expenses.create_expense(book.sessions, **BREAD, category=food.id)
    )
    assert isinstance(error, DatabaseUnavailable), error
    assert error.saved is False
    assert seconds >= 1.5
    assert admin.scalar("SELECT count(*) FROM expenses") == 0

    proxy.heal()  # the network is back; the old flows are gone
    expenses.create_expense(book.sessions, **BREAD, category=food.id)
    assert admin.scalar("SELECT count(*) FROM expenses") == 1


def test_all_flows_reset_while_idle_then_the_next_action_just_works(
    proxied_book: tuple[FaultProxy, Book], admin: Admin
) -> None:
    """A NAT box or VPN forgets every connection; the pool notices on the pre-ping."""
    proxy, book = proxied_book
    food = categories.create_category(book.sessions, "Food")
    proxy.cut_all()
    saved = expenses.create_expense(book.sessions, **BREAD, category=food.id)
    assert saved.replayed is False
    assert admin.scalar("SELECT count(*) FROM expenses") == 1


def test_transaction_orphaned_by_a_partition_is_ended_by_the_server_and_a_retry_saves_once(
    proxied_book: tuple[FaultProxy, Book], admin: Admin
) -> None:
    """The link dies during COMMIT but the server keeps the old connection: its open transaction
    holds the uid and the roll-up row. The server ends it (idle_in_transaction_session_timeout,
    set to the query timeout), so the retry goes through instead of waiting for hours."""
    proxy, book = proxied_book
    food = categories.create_category(book.sessions, "Food")
    uid = expenses.new_uid()

    def go_silent(session) -> None:
        proxy.mute()

    go_silent = at_commit(go_silent)
    event.listen(book.sessions, "before_commit", go_silent)
    try:
        _, error, _ = bounded(
            lambda: expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
        )
    finally:
        event.remove(book.sessions, "before_commit", go_silent)
    assert isinstance(error, DatabaseUnavailable) and error.saved is None

    proxy.admit_new()  # new connections work; the old flow stays open to the server, silent
    deadline = time.monotonic() + 15
    while admin.scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND state LIKE 'idle in transaction%'"
    ):
        assert time.monotonic() < deadline, "the orphaned transaction was never ended"
        time.sleep(0.1)
    assert proxy.open_links() >= 1  # the server ended it, not a closed socket

    saved = expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
    assert saved.replayed is False  # the first attempt never committed
    assert count_uid(admin, uid) == 1 and rollup_count(admin) == 1


def test_save_stuck_behind_another_transactions_lock_says_busy_then_works(
    pg_book: Book, admin: Admin, short_timeouts: None
) -> None:
    """Another client holds a lock on the category (a long import, a stuck session)."""
    book = open_book(pg_url())  # made after short_timeouts: lock_timeout is 1 s
    try:
        food = categories.create_category(book.sessions, "Food")
        admin.run("BEGIN")
        admin.run("SELECT id FROM categories WHERE id = %s FOR UPDATE", food.id)
        _, error, seconds = bounded(
            lambda: categories.rename_category(book.sessions, food.id, "Groceries")
        )
        admin.run("ROLLBACK")
        assert isinstance(error, DatabaseBusy), error
        assert error.saved is False and "try again" in render(error).text
        assert seconds >= 0.8  # it waited for the lock first
        assert categories.rename_category(book.sessions, food.id, "Groceries").name == "Groceries"
    finally:
        book.close()


def test_a_read_whose_backend_is_killed_says_what_failed_and_never_speaks_of_saving(
    pg_book: Book, admin: Admin
) -> None:
    """A look-up changes nothing, so its error tells no "nothing was saved" outcome."""
    import datetime as dt

    from budget_tui.controller import reports
    from budget_tui.controller.periods import Period

    food = categories.create_category(pg_book.sessions, "Food")
    expenses.create_expense(pg_book.sessions, **BREAD, category=food.id)

    def kill_on_select(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            admin.terminate([cursor.connection.get_backend_pid()])

    event.listen(pg_book.engine, "before_cursor_execute", kill_on_select)
    try:
        march = Period.month(dt.date(2026, 3, 2))
        _, error, _ = bounded(lambda: reports.spend_by_category_report(pg_book.sessions, march))
    finally:
        event.remove(pg_book.engine, "before_cursor_execute", kill_on_select)

    assert isinstance(error, DatabaseUnavailable), error
    rendered = render(error)
    assert rendered.outcome is None
    assert "saved" not in rendered.text.lower(), rendered.text
    assert "lost" in rendered.sentence or "could not" in rendered.sentence
    # The write path still tells its outcome.
    assert expenses.create_expense(pg_book.sessions, **BREAD, category=food.id).replayed is False
