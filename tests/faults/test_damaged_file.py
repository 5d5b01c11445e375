"""A damaged SQLite book says it is damaged; no report over it looks like a normal answer.

The book is filled, closed (so everything is in the main file), and then a run of pages in the
middle of the file is overwritten, as a failing disk or a bad copy would. Those pages hold expense
rows and index entries; the roll-up (``monthly_totals``) and the schema are intact, so a report
that read only the roll-up would print figures as if nothing were wrong.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_tui.cli import main
from budget_tui.controller import expense_list, reports
from budget_tui.controller.book import open_book
from budget_tui.controller.demo import fill_demo
from budget_tui.controller.periods import Period
from budget_tui.errors import DatabaseDamaged

ROWS = 20_000
DAMAGED = "The book file is damaged"


def damage_pages(path: Path, *, pages: int = 6, seed: int = 7) -> None:
    """Overwrite ``pages`` pages in the middle of an SQLite file with random bytes."""
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    first = len(data) // page_size // 2
    noise = random.Random(seed).randbytes(pages * page_size)
    with path.open("r+b") as fh:
        fh.seek(first * page_size)
        fh.write(noise)


@pytest.fixture
def damaged_book(tmp_path: Path) -> Path:
    path = tmp_path / "budget.db"
    book = open_book(f"sqlite:///{path}")
    try:
        assert fill_demo(book.sessions, ROWS, seed=3, today=dt.date(2026, 3, 15)) == ROWS
    finally:
        book.close()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    damage_pages(path)
    return path


def test_a_report_over_damaged_pages_says_the_book_is_damaged(damaged_book: Path) -> None:
    book = open_book(f"sqlite:///{damaged_book}", create=False)
    try:
        for period in (
            Period.between(dt.date(2026, 3, 1), dt.date(2026, 3, 15)),  # the CLI's default
            Period.between(dt.date(2024, 1, 1), dt.date(2026, 2, 28)),  # whole months: roll-up
        ):
            with pytest.raises(DatabaseDamaged) as err:
                reports.spend_by_category_report(book.sessions, period)
            assert err.value.message.startswith(DAMAGED)
            assert "backup" in (err.value.hint or "")
    finally:
        book.close()


def test_reading_the_damaged_pages_themselves_says_the_book_is_damaged(
    damaged_book: Path,
) -> None:
    book = open_book(f"sqlite:///{damaged_book}", create=False)
    try:
        with pytest.raises(DatabaseDamaged) as err:
            page = None
            while True:  # page through every expense, newest first
                page = expense_list.list_expenses(
                    book.sessions, limit=500, after=page.next_cursor if page else None
                )
                if page.next_cursor is None:
                    break
        assert err.value.message.startswith(DAMAGED)
    finally:
        book.close()


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_the_report_command_prints_no_figures_for_a_damaged_book(
    damaged_book: Path, fmt: str
) -> None:
    result = CliRunner().invoke(
        main, ["--db", f"sqlite:///{damaged_book}", "report", "--format", fmt]
    )
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and DAMAGED in lines[0], result.stderr
    assert "Traceback" not in result.stderr
