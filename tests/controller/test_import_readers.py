"""Readers keep working while a large import or demo fill writes, on SQLite and PostgreSQL.

The load is paused half-way (in its progress callback while the file is read, or between two
of its move statements) and a reader on another connection (a read-only book, as the MCP server
opens one) lists expenses and reads totals from the roll-up. It must answer, with what was
there before the load; on PostgreSQL a reader that waits for a lock fails the test at once (its
wait shows in pg_stat_activity), so no timing decides the result.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from budget_tui.controller import bulk, demo, expense_list, imports, reports
from budget_tui.controller.book import Book, open_book
from budget_tui.controller.demo import fill_demo
from budget_tui.controller.imports import import_csv
from budget_tui.controller.periods import Period
from tests.controller.conftest import add, assert_rollup_consistent

ALL_TIME = Period(dt.date(1900, 1, 1), dt.date(2200, 1, 1))
# Long enough for a reader to find out whether it is blocked; a blocked reader is seen at once.
SAFETY_S = 60.0


def url_of(book: Book) -> str:
    return book.engine.url.render_as_string(hide_password=False)


def big_csv(rows: int) -> str:
    return "date,description,amount,category\n" + "".join(
        f"2025-{1 + i % 12:02d}-{1 + i % 28:02d},Row {i},{1 + i % 90}.{i % 100:02d},"
        f"{('Food', 'Rent', 'Fun')[i % 3]}\n"
        for i in range(rows)
    )


def read_everything(reader: Book) -> tuple[Any, ...]:
    """What a screen or the MCP server reads: a page of the list, totals, a report (roll-up)."""
    page = expense_list.list_expenses(reader.sessions, limit=20)
    totals = expense_list.expense_totals(reader.sessions)
    report = reports.spend_by_category_report(reader.sessions, ALL_TIME)
    by_month = reports.spend_by_month(
        reader.sessions, Period(dt.date(2024, 1, 1), dt.date(2027, 1, 1))
    )
    return (
        [e.id for e in page.items],
        totals.count,
        totals.total,
        report.total,
        [(c.category_id, c.total, c.count) for c in report.rows],
        [(m.month, m.total, m.count) for m in by_month],
    )


class Paused:
    """A gate a load stops at (once), and the test opens."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.go_on = threading.Event()
        self.writer_view: dict[str, Any] = {}

    def wait_here(self) -> None:
        if self.reached.is_set():
            return
        self.reached.set()
        if not self.go_on.wait(SAFETY_S):
            raise AssertionError("the test never let the load go on")


def waiting_for_a_lock(book: Book) -> bool:
    """True when some other backend of this database waits for a lock (PostgreSQL)."""
    with book.engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
                )
            ).scalar()
        )


def read_while_paused(book: Book, reader: Book) -> tuple[Any, ...]:
    """Read on ``reader`` in a thread; fail as soon as it waits for a lock."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["answer"] = read_everything(reader)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    deadline = time.monotonic() + SAFETY_S
    while thread.is_alive():
        if book.backend == "postgresql" and waiting_for_a_lock(book):
            pytest.fail("a reader waits for a lock the load holds")
        if time.monotonic() > deadline:
            pytest.fail("a reader did not answer during the load")
        thread.join(0.05)
    if "error" in box:
        raise box["error"]
    return box["answer"]


@pytest.fixture
def reader(book: Book) -> Iterator[Book]:
    r = open_book(url_of(book), read_only=True)
    yield r
    r.close()


def run_in_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


def finish(thread: threading.Thread, box: dict[str, Any], gate: Paused) -> Any:
    gate.go_on.set()
    thread.join(SAFETY_S)
    assert not thread.is_alive(), "the load did not finish"
    if "error" in box:
        raise box["error"]
    return box["result"]


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few thousand rows take the large-load paths (several chunks; on SQLite the indexes
    rebuilt at the end; before this fix, PostgreSQL's constraints dropped)."""
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 1000)
    monkeypatch.setattr(imports, "CHUNK", 1000)
    monkeypatch.setattr(demo, "CHUNK", 1000)
    if hasattr(bulk, "MOVE_CHUNK"):
        monkeypatch.setattr(bulk, "MOVE_CHUNK", 1500)


def seed_rows(book: Book) -> None:
    from budget_tui.controller import categories

    food = categories.create_category(book.sessions, "Food")
    for i in range(3):
        add(book.sessions, food.id, f"{i + 2}.50", f"2026-0{i + 1}-05", f"Before {i}")


def test_readers_answer_while_an_import_reads_its_file(
    book: Book, reader: Book, small_thresholds: None, tmp_path: Path
) -> None:
    seed_rows(book)
    before = read_everything(reader)
    gate = Paused()
    calls: list[int] = []

    def progress(done: int) -> None:
        calls.append(done)
        if len(calls) == 2:  # some rows are in; the load holds whatever it holds
            gate.wait_here()

    path = tmp_path / "big.csv"
    path.write_text(big_csv(6000), encoding="utf-8")

    def load() -> Any:
        # A file, as the command opens it (its size told the old code to drop constraints).
        with path.open(encoding="utf-8", newline="") as fh:
            return import_csv(book.sessions, fh, progress=progress)

    thread, box = run_in_thread(load)
    assert gate.reached.wait(SAFETY_S), box.get("error")
    try:
        assert read_while_paused(book, reader) == before
    finally:
        result = finish(thread, box, gate)
    assert result.rows == 6000
    assert read_everything(reader)[1] == 6003
    assert_rollup_consistent(book)


def test_readers_answer_while_an_import_moves_rows_into_the_book(
    book: Book, reader: Book, small_thresholds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_rows(book)
    before = read_everything(reader)
    gate = Paused()
    original = bulk.ImportStage._move

    def move(self: bulk.ImportStage, step: Any, moved: Any) -> int:
        def pause_after_first(done: int) -> None:
            if book.backend == "sqlite":
                # The writer has dropped the list's index inside its transaction (a large load)...
                names: Any = self.session.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'index'")
                ).scalars()
                gate.writer_view["indexes"] = set(names)
            gate.wait_here()

        return original(self, step, pause_after_first)

    monkeypatch.setattr(bulk.ImportStage, "_move", move)
    data = big_csv(6000)
    thread, box = run_in_thread(lambda: import_csv(book.sessions, io.StringIO(data, newline="")))
    assert gate.reached.wait(SAFETY_S), box.get("error")
    try:
        assert read_while_paused(book, reader) == before
        if book.backend == "sqlite":
            assert "ix_expenses_occurred_on_id" not in gate.writer_view["indexes"]
            # ...while a reader still has it, and its query plan uses it.
            with reader.engine.connect() as conn:
                plan = " ".join(
                    str(row[-1])
                    for row in conn.execute(
                        text(
                            "EXPLAIN QUERY PLAN SELECT id FROM expenses "
                            "ORDER BY occurred_on DESC, id DESC LIMIT 20"
                        )
                    )
                )
            assert "ix_expenses_occurred_on_id" in plan
    finally:
        result = finish(thread, box, gate)
    assert (result.rows, result.skipped) == (6000, 0)
    assert read_everything(reader)[1] == 6003
    assert_rollup_consistent(book)


def test_readers_answer_while_a_demo_fill_writes(
    book: Book, reader: Book, small_thresholds: None
) -> None:
    seed_rows(book)
    before = read_everything(reader)
    gate = Paused()
    calls: list[int] = []

    def progress(done: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            gate.wait_here()

    thread, box = run_in_thread(
        lambda: fill_demo(
            book.sessions,
            5000,
            seed=3,
            today=dt.date(2026, 3, 15),
            progress=progress,
            into_existing=True,
        )
    )
    assert gate.reached.wait(SAFETY_S), box.get("error")
    try:
        # The demo categories are made first, in the same transaction: not visible yet either.
        assert read_while_paused(book, reader) == before
    finally:
        assert finish(thread, box, gate) == 5000
    assert read_everything(reader)[1] == 5003
    assert_rollup_consistent(book)
