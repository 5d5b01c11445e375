"""A backend killed while ``budget-tui import`` streams its rows (COPY) gives one line on stderr
with the outcome, and no row of the file reaches stderr or a log (psycopg2 used to print the
server's message, which quotes the row COPY was reading, through sys.excepthook)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_tui.cli import main
from budget_tui.controller import expense_list, file_import, imports
from budget_tui.controller.book import Book
from tests.faults.conftest import Admin

pytestmark = pytest.mark.postgres

SECRET = "Secret payee"


def kill_during_copy(admin: Admin, stop: threading.Event, killed: list[int]) -> None:
    """Terminate our backend the moment it is busy in a COPY."""
    while not stop.is_set():
        pid = admin.scalar(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE 'COPY%%'"
        )
        if pid:
            admin.scalar("SELECT pg_terminate_backend(%s)", pid)
            killed.append(pid)
            return
        time.sleep(0.002)


def test_a_backend_killed_during_copy_leaks_no_row(
    pg_book: Book,
    admin: Admin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # One COPY carries the whole file, so it stays busy long enough to be caught in the act.
    monkeypatch.setattr(imports, "CHUNK", 10_000_000)
    monkeypatch.setattr(file_import, "CHUNK", 10_000_000)
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("date,description,amount,category\n")
        for i in range(300_000):
            fh.write(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d},{SECRET} {i},{1 + i % 400}.25,Food\n")
    url = pg_book.engine.url.render_as_string(hide_password=False)
    stop = threading.Event()
    killed: list[int] = []
    killer = threading.Thread(target=kill_during_copy, args=(admin, stop, killed), daemon=True)
    caplog.set_level(logging.DEBUG)
    killer.start()
    try:
        result = CliRunner().invoke(main, ["--db", url, "import", str(path), "--create-categories"])
    finally:
        stop.set()
        killer.join(10)
    assert killed, "the COPY was never caught running; the test proved nothing"
    logged = caplog.text + "".join(
        logging.Formatter().format(r) for r in caplog.records
    )  # with any traceback attached to a record
    assert SECRET not in result.stderr, result.stderr
    assert SECRET not in logged
    assert SECRET not in result.stdout
    assert result.exit_code == 3, result.stderr  # not saved: safe to run again
    assert result.stderr.count("\n") == 1
    assert "Nothing was saved" in result.stderr
    assert expense_list.expense_totals(pg_book.sessions).count == 0
