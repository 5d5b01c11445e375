"""A statement import whose connection is lost while it moves the rows into the book saves
nothing and says so; run again, it imports every row once; run a third time, nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from budget_tui.controller import expense_list
from budget_tui.controller.book import Book
from budget_tui.controller.file_import import ImportOptions, import_file
from budget_tui.errors import DatabaseUnavailable
from tests.faults.conftest import Admin

pytestmark = pytest.mark.postgres

ROWS = 200_000


def kill_during_move(admin: Admin, stop: threading.Event, killed: list[int]) -> None:
    """Terminate our backend while it moves the staged rows into expenses."""
    while not stop.is_set():
        pid = admin.scalar(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE '%%WITH picked%%'"
        )
        if pid:
            admin.scalar("SELECT pg_terminate_backend(%s)", pid)
            killed.append(pid)
            return
        time.sleep(0.002)


def test_a_retried_import_after_a_lost_connection_adds_every_row_once(
    pg_book: Book, admin: Admin, tmp_path: Path
) -> None:
    path = tmp_path / "statement.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Date,Description,Paid out,Paid in\n")
        for i in range(ROWS):
            fh.write(f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025,Shop {i % 50},{1 + i % 90}.10,\n")
    stop = threading.Event()
    killed: list[int] = []
    killer = threading.Thread(target=kill_during_move, args=(admin, stop, killed), daemon=True)
    killer.start()
    try:
        with pytest.raises(DatabaseUnavailable) as lost:
            import_file(pg_book.sessions, path, ImportOptions(date_format="DD/MM/YYYY"))
    finally:
        stop.set()
        killer.join(10)
    assert killed, "the move was never caught running; the test proved nothing"
    assert lost.value.saved is False
    assert expense_list.expense_totals(pg_book.sessions).count == 0
    again = import_file(pg_book.sessions, path, ImportOptions(date_format="DD/MM/YYYY"))
    assert (again.new, again.duplicates) == (ROWS, 0)
    third = import_file(pg_book.sessions, path, ImportOptions(date_format="DD/MM/YYYY"))
    assert (third.new, third.duplicates) == (0, ROWS)
    assert expense_list.expense_totals(pg_book.sessions).count == ROWS
