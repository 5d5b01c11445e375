"""The live view's watcher on each kind of connection: PRAGMA data_version on SQLite,
LISTEN/NOTIFY straight to PostgreSQL, and polling through a transaction-mode PgBouncer (where a
LISTEN is never delivered). Each hears another connection's save within 2 seconds, and only
after it is committed; and each ends a long wait at once when stopped from another thread (the
app quitting)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from budget_tui.controller import categories
from budget_tui.controller.book import Book, open_book
from budget_tui.controller.watch import ChangeWatcher
from tests.conftest import make_book

WITHIN_S = 2.0


@pytest.fixture
def sqlite_pair(tmp_path) -> Iterator[tuple[Book, Book]]:
    watched = make_book("sqlite", tmp_path)
    other = open_book(f"sqlite:///{tmp_path / 'budget.db'}")
    yield watched, other
    other.close()
    watched.close()


def heard_within(watcher: ChangeWatcher, other: Book) -> tuple[tuple[int, ...], float]:
    """Save a category on ``other`` a moment from now; wait for the watcher to hear it."""
    before = watcher.wait(0.2)  # settles its connection (LISTEN, probe) before the save
    assert before == ()

    def save() -> None:
        time.sleep(0.2)
        categories.create_category(other.sessions, f"Elsewhere {time.monotonic()}")

    saver = threading.Thread(target=save)
    start = time.monotonic()
    saver.start()
    try:
        ids: tuple[int, ...] = ()
        while not ids and time.monotonic() - start < WITHIN_S + 1:
            ids = watcher.wait(0.5)
    finally:
        saver.join()
    return ids, time.monotonic() - start


def stops_at_once(watcher: ChangeWatcher) -> float:
    """Stop ``watcher`` from this thread while another waits on it for a minute; the seconds the
    waiting thread took to return after the stop."""
    watcher.wait(0.2)  # connected (LISTEN and probe on PostgreSQL), as in the app
    returned: list[tuple[int, ...]] = []
    waiter = threading.Thread(target=lambda: returned.append(watcher.wait(60.0)))
    waiter.start()
    time.sleep(0.3)  # well into its wait
    stopped = time.monotonic()
    watcher.stop()
    waiter.join(10)
    took = time.monotonic() - stopped
    assert not waiter.is_alive() and returned == [()]
    assert watcher.wait(60.0) == ()  # and every later wait returns at once
    return took


def test_sqlite_watcher_reads_data_version_and_hears_a_save(sqlite_pair) -> None:
    watched, other = sqlite_pair
    watcher = ChangeWatcher(watched, interval=0.2)
    try:
        ids, took = heard_within(watcher, other)
    finally:
        watcher.release()
    assert watcher.mode == "data_version"
    assert len(ids) == 1 and took < WITHIN_S


@pytest.mark.postgres
def test_postgres_watcher_listens_and_hears_a_save_at_once(pg_book: Book) -> None:
    other = open_book(pg_book.engine.url.render_as_string(hide_password=False))
    watcher = ChangeWatcher(pg_book)
    try:
        ids, took = heard_within(watcher, other)
    finally:
        watcher.release()
        other.close()
    assert watcher.mode == "listen"
    assert len(ids) == 1 and took < 1.0  # a notification, not the next poll


@pytest.mark.postgres
def test_through_a_transaction_pooler_the_watcher_polls_and_still_hears(
    pooled_book: Book, pg_book: Book
) -> None:
    watcher = ChangeWatcher(pooled_book, interval=0.3)
    try:
        ids, took = heard_within(watcher, pg_book)
    finally:
        watcher.release()
    assert watcher.mode == "poll-pooler"
    assert len(ids) == 1 and took < WITHIN_S


def test_a_stopped_sqlite_watcher_ends_its_wait_at_once(sqlite_pair) -> None:
    watcher = ChangeWatcher(sqlite_pair[0], interval=5.0)
    try:
        assert stops_at_once(watcher) < 0.2
    finally:
        watcher.release()


@pytest.mark.postgres
def test_a_stopped_listening_watcher_ends_its_wait_at_once(pg_book: Book) -> None:
    watcher = ChangeWatcher(pg_book)
    try:
        assert stops_at_once(watcher) < 0.2
        assert watcher.mode == "listen"
    finally:
        watcher.release()


@pytest.mark.postgres
def test_a_stopped_polling_watcher_ends_its_wait_at_once(pooled_book: Book) -> None:
    watcher = ChangeWatcher(pooled_book, interval=5.0)
    try:
        assert stops_at_once(watcher) < 0.2
        assert watcher.mode == "poll-pooler"
    finally:
        watcher.release()
