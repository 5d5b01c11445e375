"""Malformed CSV files are refused with the row and the reason, and nothing is imported.

Files are opened the way ``budget-tui import`` opens them (UTF-8 with an optional BOM, strict
decoding, ``newline=""``). Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_tui.controller import categories, expense_list
from budget_tui.controller.book import Book
from budget_tui.controller.imports import import_csv
from budget_tui.controller.views import ExpenseFilter, ImportResult
from budget_tui.errors import InvalidInput

HEADER = "date,description,amount,category\n"


def good_rows(n: int, start: int = 0) -> list[str]:
    names = ["Food", "Home", "Travel", "Fun"]
    return [
        f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d},Item {i},{i % 500 + 1}.{i % 100:02d},{names[i % 4]}\n"
        for i in range(start, start + n)
    ]


def import_file(book: Book, path: Path, content: bytes) -> ImportResult:
    path.write_bytes(content)
    with open(path, encoding="utf-8-sig", newline="", errors="strict") as fh:
        return import_csv(book.sessions, fh)


def assert_nothing_imported(book: Book, categories_before: int = 0) -> None:
    assert expense_list.expense_totals(book.sessions, ExpenseFilter()).count == 0
    assert len(categories.list_categories(book.sessions)) == categories_before


def refused(book: Book, tmp_path: Path, content: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as err:
        import_file(book, tmp_path / "in.csv", content)
    assert err.value.field == "file"
    return err.value


def test_a_bad_row_in_the_middle_of_ten_thousand_names_the_row_and_imports_nothing(
    book: Book, tmp_path: Path
) -> None:
    categories.create_category(book.sessions, "Existing")
    rows = [*good_rows(4999), "2025-02-30,Impossible day,12.00,Food\n", *good_rows(5000, 5000)]
    error = refused(book, tmp_path, (HEADER + "".join(rows)).encode())
    # Row 1 is the header, so the 5,000th data row is line 5001.
    assert error.message.startswith("Row 5001:")
    assert "2025-02-30" in error.message
    # The categories the first rows created went with them.
    assert_nothing_imported(book, categories_before=1)


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("2025-01-05,Coffee,12,50,Food\n", "expected 4 columns, found 5"),
        ("2025-01-05,Coffee,3.50\n", "expected 4 columns, found 3"),
        ("2025-01-05,Coffee,1e5,Food\n", "not an amount"),
        ("2025-01-05,Coffee,NaN,Food\n", "not an amount"),
        ("2025-01-05,Coffee,-3.50,Food\n", "not an amount"),
        ("2025-01-05,Coffee,0,Food\n", "can't be zero"),
        ("2025-01-05,Coffee,3.505,Food\n", "not an amount"),
        ("2025-01-05,Coffee,100000000.00,Food\n", "at most"),
        ("05/01/2025,Coffee,3.50,Food\n", "not a date"),
        ("9999-01-01,Coffee,3.50,Food\n", "out of range"),
        ("2025-01-05,,3.50,Food\n", "can't be empty"),
        ("2025-01-05,Coffee,3.50,\n", "can't be empty"),
        ("2025-01-05,Bell\x07,3.50,Food\n", "control character"),
        ("2025-01-05," + "x" * 201 + ",3.50,Food\n", "the limit is 200"),
    ],
)
def test_a_bad_row_is_refused_with_its_row_number_and_reason(
    book: Book, tmp_path: Path, bad_row: str, reason: str
) -> None:
    content = HEADER + "".join(good_rows(20)) + bad_row + "".join(good_rows(5, 100))
    error = refused(book, tmp_path, content.encode())
    assert error.message.startswith("Row 22:"), error.message
    assert reason in error.message
    assert_nothing_imported(book)


def test_a_quoted_line_break_is_refused(book: Book, tmp_path: Path) -> None:
    content = HEADER + "".join(good_rows(20)) + '2025-01-05,"Two\nlines",3.50,Food\n'
    error = refused(book, tmp_path, content.encode())
    # The record starts on line 22 and ends on line 23; the message names the line it ends on.
    assert error.message.split(":")[0] in ("Row 22", "Row 23")
    assert "control character (U+000A)" in error.message
    assert_nothing_imported(book)


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("date,description,amount\n", "category"),
        ("when,what,how much,where\n", "date, description, amount, category"),
        ("\n", "date"),
    ],
)
def test_wrong_columns_are_refused_before_any_row(
    book: Book, tmp_path: Path, header: str, missing: str
) -> None:
    error = refused(book, tmp_path, (header + "".join(good_rows(3))).encode())
    assert "header" in error.message and missing in error.message
    assert_nothing_imported(book)


def test_an_empty_file_is_refused(book: Book, tmp_path: Path) -> None:
    error = refused(book, tmp_path, b"")
    assert "empty" in error.message
    assert_nothing_imported(book)


def test_latin1_bytes_in_the_middle_are_refused_as_not_utf8(book: Book, tmp_path: Path) -> None:
    content = HEADER + "".join(good_rows(300)) + "2025-01-05,Caf\u00e9,3.50,Food\n"
    content += "".join(good_rows(300, 300))
    error = refused(book, tmp_path, content.encode("latin-1"))
    assert "not UTF-8" in error.message
    assert_nothing_imported(book)


def test_a_utf16_file_is_refused_as_not_utf8(book: Book, tmp_path: Path) -> None:
    error = refused(book, tmp_path, (HEADER + "".join(good_rows(3))).encode("utf-16"))
    assert "UTF-8" in error.message or "header" in error.message
    assert_nothing_imported(book)


def test_a_nul_byte_is_refused_with_its_row(book: Book, tmp_path: Path) -> None:
    content = HEADER + "".join(good_rows(10)) + "2025-01-05,Co\x00ffee,3.50,Food\n"
    error = refused(book, tmp_path, content.encode())
    assert error.message.startswith("Row 12:"), error.message
    assert_nothing_imported(book)


def test_a_good_file_with_bom_and_crlf_imports_every_row(book: Book, tmp_path: Path) -> None:
    content = (HEADER + "".join(good_rows(1000))).replace("\n", "\r\n")
    result = import_file(book, tmp_path / "in.csv", b"\xef\xbb\xbf" + content.encode())
    assert result.rows == 1000
    assert expense_list.expense_totals(book.sessions, ExpenseFilter()).count == 1000


# -- files without an end: memory stays bounded, the row is named ---------------------------


def _limited_memory() -> None:
    import resource

    # Far more than an import needs; /dev/zero read as one line would pass it within seconds.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))


def test_dev_zero_is_refused_in_one_line_without_running_out_of_memory(book: Book) -> None:
    import subprocess
    import sys

    url = book.engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "budget_tui", "--db", url, "import", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited_memory,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert done.stderr.count("\n") == 1, done.stderr[-2000:]
    assert "not a text file" in done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert_nothing_imported(book)


def test_one_endless_line_is_refused_by_its_row(book: Book, tmp_path: Path) -> None:
    content = HEADER + "".join(good_rows(3)) + "2025-01-05," + "x" * 3_000_000 + ",1.00,Food\n"
    error = refused(book, tmp_path, content.encode())
    assert error.message.startswith("Row 5: the line is longer than 65,536 characters")
    assert_nothing_imported(book)


def test_a_quote_that_never_closes_is_refused_by_its_row(book: Book, tmp_path: Path) -> None:
    content = HEADER + "".join(good_rows(3)) + '2025-01-05,"never closed' + "\nmore" * 100_000
    error = refused(book, tmp_path, content.encode())
    assert error.message.startswith("Row "), error.message
    assert "runs on for more than 131,072 characters" in error.message
    row = int(error.message.split(":")[0].removeprefix("Row "))
    assert 5 < row < 60_000  # stopped near where it began, not at the end of the file
    assert_nothing_imported(book)


def test_a_long_line_under_the_limit_still_imports(book: Book, tmp_path: Path) -> None:
    header = "date,description,amount,category,notes\n"
    row = "2025-01-05,Coffee,3.50,Food," + "n" * 60_000 + "\n"
    result = import_file(book, tmp_path / "in.csv", (header + row).encode())
    assert result.rows == 1
