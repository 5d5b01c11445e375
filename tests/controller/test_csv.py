"""CSV export and import: the round trip, and files that are refused with the row named."""

from __future__ import annotations

import datetime as dt
import errno
import io
from decimal import Decimal

import pytest

from budget_tui.controller import categories, expense_list
from budget_tui.controller.export import export_csv
from budget_tui.controller.imports import import_csv
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.errors import BudgetError, DatabaseUnavailable, InvalidInput
from tests.controller.conftest import add, assert_rollup_consistent

HEADER = "date,description,amount,category\n"


def export(sessions, flt=None) -> str:
    out = io.StringIO()
    export_csv(sessions, out, flt)
    return out.getvalue()


def count_rows(sessions) -> int:
    return expense_list.expense_totals(sessions).count


def test_export_writes_the_columns_oldest_first(sessions, food, travel) -> None:
    add(sessions, travel.id, "1234.50", "2026-03-02", 'Hotel "Zum Löwen", 2 nights')
    add(sessions, food.id, "0.99", "2026-01-05", "Gum")
    out = io.StringIO()
    assert export_csv(sessions, out) == 2
    assert out.getvalue() == (
        HEADER
        + "2026-01-05,Gum,0.99,Food\n"
        + '2026-03-02,"Hotel ""Zum Löwen"", 2 nights",1234.50,Travel\n'
    )


def test_export_with_a_filter(sessions, food, travel) -> None:
    add(sessions, travel.id, "5", "2026-03-02", "Bus")
    add(sessions, food.id, "6", "2026-03-03", "Soup")
    text = export(sessions, ExpenseFilter(category_id=food.id))
    assert text == HEADER + "2026-03-03,Soup,6.00,Food\n"
    assert export(sessions, ExpenseFilter(period=Period.month(dt.date(2025, 1, 1)))) == HEADER


def test_round_trip_keeps_every_value(book, sessions, food, travel) -> None:
    add(sessions, travel.id, "99999999.99", "1900-01-01", 'Quotes " and, commas')
    add(sessions, food.id, "0.01", "2199-12-31", "Ünïcödé ☕ 寿司")
    add(sessions, food.id, "12.30", "2026-03-15", "  padded  ")
    first = export(sessions)
    result = import_csv(sessions, io.StringIO(first))
    assert (result.rows, result.categories_created) == (3, ())
    second = export(sessions)
    body = first.splitlines()[1:]
    assert sorted(second.splitlines()[1:]) == sorted(body * 2)
    assert_rollup_consistent(book)


def test_import_creates_unknown_categories_once(book, sessions, food) -> None:
    text = (
        "Date , Category,Amount,Description\n"  # any order, any case, spaces around names
        "2026-03-01,food,3.00,Apple\n"
        "2026-03-02,Books,12.00,Novel\n"
        "\n"  # blank lines are skipped
        "2026-02-02,BOOKS,8,Comic\n"
    )
    result = import_csv(sessions, io.StringIO(text))
    assert (result.rows, result.categories_created) == (3, ("Books",))
    listed = {c.name: c for c in categories.list_categories(sessions, Period.year(2026))}
    assert set(listed) == {"Food", "Books"}
    assert (listed["Books"].spent, listed["Books"].count) == (Decimal("20.00"), 2)
    assert (listed["Food"].spent, listed["Food"].count) == (Decimal("3.00"), 1)
    assert_rollup_consistent(book)


def test_import_reads_a_bom_and_reports_progress(sessions) -> None:
    seen: list[int] = []
    text = "\ufeff" + HEADER + "2026-03-01,Tea,2.00,Drinks\n"
    assert import_csv(sessions, io.StringIO(text), progress=seen.append).rows == 1
    assert seen == [1]


def test_import_of_a_header_only_file(sessions) -> None:
    assert import_csv(sessions, io.StringIO(HEADER)).rows == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "The file is empty"),
        ("date,description,amount\n2026-03-01,x,1\n", "lacks category"),
        ("when,what,howmuch,where\n", "lacks date, description, amount, category"),
        (HEADER + "2026-03-01,x,1.00\n", "Row 2: expected 4 columns, found 3"),
        (HEADER + "2026-03-01,x,1.00,Food,extra\n", "Row 2: expected 4 columns, found 5"),
        (HEADER + "2026-03-01,ok,1,Food\n01/03/2026,x,1.00,Food\n", "Row 3: '01/03/2026' is not a"),
        (HEADER + "2026-02-30,x,1.00,Food\n", "Row 2: '2026-02-30' is not a date"),
        (HEADER + "1899-12-31,x,1.00,Food\n", "Row 2: the date 1899-12-31 is out of range"),
        (HEADER + "2026-03-01,x,1,234.50,Food\n", "Row 2: expected 4 columns, found 5"),
        (HEADER + '2026-03-01,x,"1,234.50",Food\n', "Row 2: '1,234.50' is not an amount"),
        (HEADER + "2026-03-01,x,$5,Food\n", "Row 2: '$5' is not an amount"),
        (HEADER + "2026-03-01,x,-5,Food\n", "Row 2: '-5' is not an amount"),
        (HEADER + "2026-03-01,x,0,Food\n", "Row 2: The amount can't be zero"),
        (HEADER + "2026-03-01,x,1.005,Food\n", "Row 2: '1.005' is not an amount"),
        (HEADER + "2026-03-01,x,100000000,Food\n", "Row 2: The amount can be at most"),
        (HEADER + "2026-03-01,x,,Food\n", "Row 2: '' is not an amount"),
        (HEADER + "2026-03-01,,1,Food\n", "Row 2: The description can't be empty"),
        (HEADER + "2026-03-01,x,1,\n", "Row 2: The category name can't be empty"),
        (HEADER + "2026-03-01,x\x00y,1,Food\n", "Row 2: The description contains a control"),
        (HEADER + "2026-03-01,x,1," + "c" * 51 + "\n", "Row 2: The category name is 51"),
        (HEADER + '2026-03-01,"multi\nline",1,Food\n', "Row 3: The description contains"),
    ],
)
def test_malformed_files_are_refused_naming_the_row(book, sessions, text, words) -> None:
    with pytest.raises(InvalidInput) as err:
        import_csv(sessions, io.StringIO(text, newline=""))
    assert err.value.field == "file"
    assert words in err.value.message
    assert count_rows(sessions) == 0
    assert categories.list_categories(sessions) == ()


@pytest.mark.parametrize("bad_row", [1, 2, 77, 5000])
def test_bytes_that_are_not_utf8_name_their_row(sessions, tmp_path, bad_row: int) -> None:
    lines = [b"date,description,amount,category\n"]
    lines += [f"2026-03-01,Caf\u00e9 {i},1.00,Food\n".encode() for i in range(2, 6001)]
    lines[bad_row - 1] = lines[bad_row - 1].replace(b",", b"\xff,", 1)  # Latin-1, not UTF-8
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"".join(lines))
    with (
        open(path, encoding="utf-8-sig", newline="", errors="strict") as fh,
        pytest.raises(InvalidInput) as err,
    ):
        import_csv(sessions, fh)
    if bad_row == 1:
        assert err.value.message == "The file is not UTF-8 text."
    else:
        assert err.value.message == f"Row {bad_row}: the file is not UTF-8 text there."
    assert count_rows(sessions) == 0
    assert categories.list_categories(sessions) == ()


def test_import_ignores_extra_columns_and_reads_crlf(sessions) -> None:
    text = (
        "id,date,description,amount,category,notes\r\n"
        '1,2026-03-01,"Tea, green",2.00,Drinks,"from ""the"" shop"\r\n'
        "2,2026-03-02,Coffee,3.50,drinks,\r\n"
    )
    assert import_csv(sessions, io.StringIO(text, newline="")).rows == 2
    assert export(sessions) == (
        HEADER + '2026-03-01,"Tea, green",2.00,Drinks\n' + "2026-03-02,Coffee,3.50,Drinks\n"
    )


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), "Broken pipe"),
    ],
)
def test_an_output_that_fails_is_not_blamed_on_the_database(sessions, food, error, words) -> None:
    add(sessions, food.id)

    class Failing(io.StringIO):
        def write(self, text: str) -> int:
            raise error

    with pytest.raises(BudgetError) as err:
        export_csv(sessions, Failing())
    assert not isinstance(err.value, DatabaseUnavailable)
    assert err.value.message == f"The CSV could not be written: {words}."


# -- cells a spreadsheet would run as formulas: what the export quotes, the import unquotes ---

FORMULA_LIKE = [
    "=SUM(A1)",
    "+1",
    "-x",
    "@home",
    "'quoted",
    "'=x",  # a real quote before a trigger: the export writes ''=x
    "''-y",
    "'",
    "it's =fine",
]


def test_text_that_looks_like_a_formula_round_trips_exactly(book, sessions) -> None:
    fees = categories.create_category(sessions, "=Fees")
    quoted = categories.create_category(sessions, "'@home")
    for i, text in enumerate(FORMULA_LIKE):
        add(sessions, (fees, quoted)[i % 2].id, f"{i + 1}.00", f"2026-03-{i + 1:02d}", text)
    first = export(sessions)
    assert "'=SUM(A1)" in first and "''=x" in first  # the export did neutralise them
    result = import_csv(sessions, io.StringIO(first, newline=""))
    # Every category is found again by its real name (no "'=Fees" made), every row added.
    assert (result.rows, result.categories_created) == (len(FORMULA_LIKE), ())
    stored = [(e.description, e.category_name) for e in expense_list.list_expenses(sessions).items]
    assert sorted(stored) == sorted(
        (text, ("=Fees", "'@home")[i % 2]) for i, text in enumerate(FORMULA_LIKE) for _ in "ab"
    )
    assert sorted(export(sessions).splitlines()[1:]) == sorted(first.splitlines()[1:] * 2)
    assert_rollup_consistent(book)


@pytest.mark.parametrize("text", [*FORMULA_LIKE, "=", "'''", "'''=", "\tx", "\rx", "a=b", ""])
def test_unquote_undoes_exactly_what_the_export_does(text: str) -> None:
    from budget_tui.controller import export as exports
    from budget_tui.controller.imports import FORMULA_START, unquote

    assert exports.FORMULA_START == FORMULA_START
    assert unquote(exports.neutralise(text)) == text
