"""SQLite under pressure: a file locked by another writer, and a process killed mid-stream."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from budget_tui.controller import categories, expenses
from budget_tui.controller.book import open_book
from budget_tui.db import engine as db_engine
from budget_tui.db.models import Expense, MonthlyTotal
from budget_tui.errors import DatabaseBusy, render
from tests.conftest import make_book
from tests.faults.conftest import bounded

REPO = Path(__file__).resolve().parents[2]
BREAD = {"description": "Bread", "amount": "3.20", "occurred_on": "2026-03-02"}


def test_file_locked_by_another_writer_waits_then_says_busy_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_engine, "SQLITE_BUSY_TIMEOUT_S", 0.5)
    book = make_book("sqlite", tmp_path)
    other = sqlite3.connect(
        tmp_path / "budget.db", isolation_level=None, timeout=0, check_same_thread=False
    )
    try:
        food = categories.create_category(book.sessions, "Food")
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        other.execute("INSERT INTO categories (name, name_key, version) VALUES ('Rent', 'rent', 1)")

        uid = expenses.new_uid()
        _, error, seconds = bounded(
            lambda: expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
        )
        assert isinstance(error, DatabaseBusy)
        assert error.title == "Database busy"
        assert "busy" in error.message and "try again" in render(error).text
        assert error.saved is False
        assert seconds >= 0.4  # it waited for the lock before giving up

        other.execute("COMMIT")
        saved = expenses.create_expense(book.sessions, **BREAD, category=food.id, uid=uid)
        assert saved.replayed is False
        names = [c.name for c in categories.list_categories(book.sessions)]
        assert names == ["Food", "Rent"]  # the other writer's row and ours, both kept
        assert categories.get_category(book.sessions, food.id).count == 1
    finally:
        other.close()
        book.close()


def test_writer_that_releases_within_the_busy_timeout_does_not_fail_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_engine, "SQLITE_BUSY_TIMEOUT_S", 5.0)
    book = make_book("sqlite", tmp_path)
    other = sqlite3.connect(
        tmp_path / "budget.db", isolation_level=None, timeout=0, check_same_thread=False
    )
    try:
        food = categories.create_category(book.sessions, "Food")
        other.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        release.start()
        saved, error, _ = bounded(
            lambda: expenses.create_expense(book.sessions, **BREAD, category=food.id)
        )
        release.join()
        assert error is None and saved is not None
    finally:
        other.close()
        book.close()


def _stream_until(url: str, acknowledged: int) -> list[str]:
    """Run the save stream in a child, SIGKILL it after ``acknowledged`` saves were reported."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.save_stream", url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.strip())
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    uids: list[str] = []
    deadline = time.monotonic() + 60
    try:
        while len(uids) < acknowledged:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                pytest.fail(f"the save stream stopped: {proc.stderr.read() if proc.stderr else ''}")
            if line != "ready":
                uids.append(line)
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up, mid-save
        proc.wait(timeout=10)
        reader.join(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    return uids


def test_sigkill_during_a_stream_of_saves_keeps_every_acknowledged_save(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'budget.db'}"
    acknowledged: list[str] = []
    for kill_after in (25, 90, 160):
        acknowledged += _stream_until(url, kill_after)

    book = open_book(url)
    try:
        with book.sessions() as s:
            stored = set(s.scalars(select(Expense.uid)))
            rows, total = s.execute(select(func.count(), func.sum(Expense.amount))).one()
            rolled = s.execute(
                select(
                    func.coalesce(func.sum(MonthlyTotal.count), 0),
                    func.coalesce(func.sum(MonthlyTotal.total_cents), 0),
                )
            ).one()
            check = s.connection().exec_driver_sql("PRAGMA integrity_check").scalars().all()
        missing = [u for u in acknowledged if u not in stored]
        assert missing == []
        # A save may have committed just before its uid was printed: at most one per kill.
        assert len(acknowledged) <= rows <= len(acknowledged) + 3
        assert check == ["ok"]
        # The roll-up moved in the same transactions as the rows: it matches them exactly.
        assert tuple(rolled) == (rows, int(total * 100))
        # The book still takes saves after the kills.
        expenses.create_expense(book.sessions, **BREAD, category="Stream")
    finally:
        book.close()
