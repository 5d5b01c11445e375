"""A scheduled date is posted exactly once, whatever happens: two processes running
``post-due`` at the same moment (SQLite and PostgreSQL), a process killed in the middle of a
posting then run again, and a retry after the reply to COMMIT was lost (the fault proxy).
Each test checks that every date is in the book once and the roll-up matches the rows."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from budget_tui.controller import categories, schedules
from budget_tui.controller.book import Book, open_book
from budget_tui.db.models import Expense
from budget_tui.errors import DatabaseUnavailable
from tests.conftest import make_book, pg_url
from tests.controller.conftest import assert_rollup_consistent
from tests.faults.conftest import bounded
from tests.faults.proxy import FaultProxy

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 15)  # the tests' BUDGET_TUI_TODAY


@pytest.fixture
def due_book(backend: str, tmp_path: Path):
    """A book with three auto-posting schedules and well over a thousand dates due: a daily
    coffee since 2023, a weekly shop since 2024 and rent on the 31st since 2025."""
    book = make_book(backend, tmp_path)
    food = categories.create_category(book.sessions, "Food")
    home = categories.create_category(book.sessions, "Home")
    for description, amount, category, every, day, start in (
        ("Coffee", "3.20", food.id, "day", None, "2023-01-01"),
        ("Shop", "80.00", food.id, "week", "sat", "2024-01-01"),
        ("Rent", "1200.00", home.id, "month", "31", "2025-01-31"),
    ):
        schedules.create_schedule(
            book.sessions,
            description=description,
            amount=amount,
            category=category,
            every=every,
            day=day,
            start=start,
        )
    yield book
    book.close()


def expected_dates(book: Book, until: dt.date = TODAY) -> Counter[str]:
    """Every uid the schedules must have posted up to ``until``, once each."""
    from budget_tui.controller.ledger import cadence_of, schedule_row
    from budget_tui.db.models import Schedule

    with book.sessions() as s:
        rows = [schedule_row(x) for x in s.scalars(select(Schedule))]
    return Counter(
        schedules.occurrence_uid(r["id"], d) for r in rows for d in cadence_of(r).dates(None, until)
    )


def posted_uids(book: Book) -> Counter[str]:
    with book.sessions() as s:
        return Counter(s.scalars(select(Expense.uid)))


def url_of(book: Book) -> str:
    return book.engine.url.render_as_string(hide_password=False)


def test_two_processes_posting_at_the_same_moment_post_each_date_once(due_book: Book) -> None:
    url = url_of(due_book)
    expected = expected_dates(due_book)
    assert len(expected) > 1200
    command = [sys.executable, "-m", "budget_tui", "--db", url, "post-due"]
    runs = [
        subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    printed = [line for out, _ in outputs for line in out.splitlines() if line.startswith("Posted")]
    # Between them they posted every date once; one of them may have found nothing left.
    assert len(printed) == len(expected)
    assert posted_uids(due_book) == expected
    assert_rollup_consistent(due_book)
    # A third run (cron, the next minute) posts nothing.
    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert (again.returncode, again.stdout) == (0, "")
    assert "Nothing is due." in again.stderr


def test_a_process_killed_in_the_middle_of_posting_then_run_again_posts_each_date_once(
    due_book: Book,
) -> None:
    url = url_of(due_book)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.post_killed", url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line, _, _ = bounded(child.stdout.readline, within=60)
        assert line == "posting\n", child.stderr.read() if child.stderr else ""
    finally:
        os.kill(child.pid, signal.SIGKILL)  # mid-posting: its transaction is open
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert posted_uids(due_book) == Counter()  # nothing of the killed posting stayed
    result, error, _ = bounded(lambda: schedules.post_due(due_book.sessions))
    assert error is None, error
    assert result is not None and len(result.posted) == len(expected_dates(due_book))
    assert posted_uids(due_book) == expected_dates(due_book)
    assert schedules.post_due(due_book.sessions).posted == ()
    assert_rollup_consistent(due_book)


@pytest.mark.postgres
def test_the_reply_to_commit_lost_then_a_retry_posts_nothing_twice(
    short_timeouts: None, tmp_path: Path
) -> None:
    book = make_book("postgresql", tmp_path)
    try:
        rent = categories.create_category(book.sessions, "Home")
        schedules.create_schedule(
            book.sessions,
            description="Rent",
            amount="1200.00",
            category=rent.id,
            day="31",
            start="2025-01-31",
        )
        expected = expected_dates(book)
        with FaultProxy.for_url(pg_url()) as proxy:
            proxied = open_book(proxy.url(pg_url()), migrate=False)
            try:
                proxy.cut_after_reply_to(b"COMMIT")
                _, error, _ = bounded(lambda: schedules.post_due(proxied.sessions))
                assert proxy.cuts == 1, "the proxy forwarded COMMIT and dropped the answer"
                assert isinstance(error, DatabaseUnavailable)
                assert error.saved is True  # looked up: the posting committed
                retried = schedules.post_due(proxied.sessions)
            finally:
                proxied.close()
        assert retried.posted == ()
        assert posted_uids(book) == expected and len(expected) == 14
        assert_rollup_consistent(book)
    finally:
        book.close()
