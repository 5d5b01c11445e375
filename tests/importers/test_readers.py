"""The readers on real-shaped statements we wrote (tests/data/imports): each bank's layout is
detected and every row read as the bank meant it. Pure: no database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from budget_tui.importers import BadRow, Row, csvfile, statements
from budget_tui.importers.values import AmountError, parse_cents

DATA = Path(__file__).parents[1] / "data" / "imports"


def rows(name: str) -> list[Row | BadRow]:
    detection = csvfile.detect(DATA / name)
    return list(csvfile.read_csv(DATA / name, detection.mapping))


def test_a_uk_bank_with_account_lines_above_the_header_and_paid_out_paid_in_columns() -> None:
    detection = csvfile.detect(DATA / "uk_bank.csv")
    m = detection.mapping
    assert (m.header_line, m.date, m.debit, m.credit, m.date_format) == (
        4, "Date", "Paid out", "Paid in", "%d/%m/%Y"
    )  # fmt: skip
    got = rows("uk_bank.csv")
    assert [(r.day, r.cents, r.description) for r in got if isinstance(r, Row)] == [
        (dt.date(2026, 12, 1), 4520, "TESCO STORES 3297"),
        (dt.date(2026, 12, 2), 310, "PRET A MANGER"),
        (dt.date(2026, 12, 2), 310, "PRET A MANGER"),
        (dt.date(2026, 12, 13), -250000, "ACME LTD SALARY"),  # money in: "2,500.00" quoted
        (dt.date(2026, 12, 20), 3200, "THAMES WATER"),
    ]


def test_a_german_bank_semicolons_latin_text_and_decimal_commas() -> None:
    detection = csvfile.detect(DATA / "de_bank.csv")
    assert detection.mapping.delimiter == ";" and detection.mapping.decimal == ","
    assert detection.mapping.encoding == "cp1252"
    got = [r for r in rows("de_bank.csv") if isinstance(r, Row)]
    assert [(r.cents, r.description) for r in got] == [
        (2345, "REWE Markt München"),
        (480, "Bäckerei Müller"),
        (-275000, "Gehalt Dezember"),
        (110000, "Miete Wohnung"),
    ]


def test_a_us_card_with_a_bom_crlf_a_type_column_and_a_value_over_two_lines() -> None:
    detection = csvfile.detect(DATA / "us_card.csv")
    assert detection.mapping.type == "Type" and detection.mapping.date_format == "%m/%d/%Y"
    got = [r for r in rows("us_card.csv") if isinstance(r, Row)]
    assert [(r.line, r.day, r.cents) for r in got] == [
        (2, dt.date(2026, 12, 1), 8743),
        (4, dt.date(2026, 12, 4), 1549),  # row 2 ran over two lines
        (5, dt.date(2026, 12, 13), -50000),
        (6, dt.date(2026, 12, 20), -1200),
    ]


def test_dates_that_fit_two_formats_are_not_guessed() -> None:
    detection = csvfile.detect(DATA / "ambiguous_dates.csv")
    assert detection.ambiguous_dates
    assert set(detection.date_choices) == {"%d/%m/%Y", "%m/%d/%Y"}
    chosen = csvfile.detect(DATA / "ambiguous_dates.csv", date_format="%m/%d/%Y")
    assert chosen.date_choices == ("%m/%d/%Y",)
    got = list(csvfile.read_csv(DATA / "ambiguous_dates.csv", chosen.mapping))
    assert got[0].day == dt.date(2026, 1, 2)  # type: ignore[union-attr]


def test_our_own_export_is_recognised_by_its_header() -> None:
    detection = csvfile.detect(DATA / "bad_rows.csv")
    assert detection.mapping.own_format and detection.mapping.category == "category"


def test_every_bad_row_is_reported_with_its_row_and_column() -> None:
    bad = [r for r in rows("bad_rows.csv") if isinstance(r, BadRow)]
    assert [(b.line, b.column) for b in bad] == [
        (3, "date"),
        (5, "amount"),
        (6, "amount"),
        (9, "row"),
    ]


@pytest.mark.parametrize(
    ("text", "decimal", "cents"),
    [
        ("-1,234.56", ".", -123456),
        ("1.234,56", ",", 123456),
        ("(12.00)", ".", -1200),
        ("12.00-", ".", -1200),
        ("12.00 DR", ".", -1200),
        ("€12,50", ",", 1250),
        ("12.50 EUR", ".", 1250),
        ("−3.10", ".", -310),
        (".5", ".", 50),
    ],
)
def test_amounts_as_banks_write_them(text: str, decimal: str, cents: int) -> None:
    assert parse_cents(text, decimal) == cents


@pytest.mark.parametrize("text", ["abc", "1x", "1.234", "", "--"])
def test_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(AmountError):
        parse_cents(text, ".")


def test_ofx_rows_carry_the_banks_transaction_id() -> None:
    got = list(statements.read_ofx(DATA / "statement_2026_11.ofx"))
    assert len(got) == 5
    first = got[0]
    assert isinstance(first, Row)
    assert (first.day, first.cents, first.ref) == (
        dt.date(2026, 11, 3),
        5412,
        "4411223344\x1f2026110301",
    )
    payroll = got[3]
    assert isinstance(payroll, Row) and payroll.cents == -250000  # money in


def test_qif_splits_become_one_row_each() -> None:
    assert statements.qif_day_first(DATA / "splits.qif") is False
    got = [r for r in statements.read_qif(DATA / "splits.qif") if isinstance(r, Row)]
    assert [(r.cents, r.category, r.description) for r in got] == [
        (4520, "Groceries", "Tesco Stores"),
        (6000, "Groceries", "Amazon (Food)"),
        (4000, "Books", "Amazon (A novel)"),
        (-250000, "Salary", "ACME Payroll"),
    ]


def test_camt053_credits_debits_and_only_booked_entries() -> None:
    got = [r for r in statements.read_camt(DATA / "camt053.xml") if isinstance(r, Row)]
    assert [(r.day, r.cents, r.ref) for r in got] == [
        (dt.date(2026, 12, 1), 2345, "REF-0001"),
        (dt.date(2026, 12, 15), -275000, "REF-0002"),
        (dt.date(2026, 12, 20), -1500, None),  # the pending entry is left out
    ]
    assert got[0].description == "REWE Markt Einkauf 1234"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("statement_2026_11.ofx", "ofx"),
        ("statement_2026_12.qfx", "ofx"),
        ("splits.qif", "qif"),
        ("camt053.xml", "camt"),
        ("uk_bank.csv", "csv"),
    ],
)
def test_the_format_is_known_from_the_file(name: str, kind: str) -> None:
    assert statements.sniff_format(DATA / name) == kind


def test_an_ofx_file_that_breaks_the_spec_is_still_read_by_its_tags(tmp_path: Path) -> None:
    text = (DATA / "statement_2026_11.ofx").read_text()
    # No sign-on status and a header the strict parser refuses, as some banks write them.
    broken = text.replace("OFXHEADER:100", "OFXHEADER:999").replace("<CODE>0\r\n", "", 1)
    path = tmp_path / "broken.ofx"
    path.write_text(broken)
    got = list(statements.read_ofx(path))
    strict = list(statements.read_ofx(DATA / "statement_2026_11.ofx"))
    assert got == strict


def test_a_type_column_that_names_the_kind_of_payment_is_not_a_sign(tmp_path: Path) -> None:
    path = tmp_path / "monzo.csv"
    path.write_text(
        "Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency\n"
        "tx_1,01/12/2026,09:14:00,Card payment,Pret A Manger,,Eating out,-3.10,GBP\n"
        "tx_2,02/12/2026,10:00:00,Faster payment,ACME Ltd,,Income,2500.00,GBP\n"
    )
    detection = csvfile.detect(path)
    assert detection.mapping.type is None and detection.mapping.amount == "Amount"
    assert detection.mapping.description == "Name"
    got = list(csvfile.read_csv(path, detection.mapping))
    assert [(r.cents, r.category) for r in got if isinstance(r, Row)] == [
        (310, "Eating out"),
        (-250000, "Income"),
    ]


def test_bad_rows_of_a_banks_layout_say_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(
        "Date,Description,Debit,Credit\n"
        "2026-12-01,Both,1.00,2.00\n"
        "2026-12-02,Neither,,\n"
        "2026-12-03,Fine,3.00,\n"
        "31/12/2026,Other date format,4.00,\n"
    )
    detection = csvfile.detect(path)
    got = list(csvfile.read_csv(path, detection.mapping))
    assert [(r.line, r.reason) for r in got if isinstance(r, BadRow)] == [
        (2, "both the debit and the credit column hold an amount"),
        (3, "the amount is empty"),
        (5, "'31/12/2026' is not a date like YYYY-MM-DD"),
    ]


def test_latin1_text_with_a_quoted_line_break_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "fr.csv"
    path.write_bytes(
        "Date;Libellé;Montant\r\n"
        '02/12/2026;"Café de la Gare\r\nParis";-3,50\r\n'
        "13/12/2026;Crédit salaire;2 100,00\r\n".encode("cp1252")
    )
    detection = csvfile.detect(path)
    assert detection.mapping.delimiter == ";" and detection.mapping.decimal == ","
    assert detection.mapping.description == "Libellé"  # by its name, accent and all
    got = [r for r in csvfile.read_csv(path, detection.mapping) if isinstance(r, Row)]
    assert [(r.line, r.cents, r.description) for r in got] == [
        (2, 350, "Café de la Gare\r\nParis"),
        (4, -210000, "Crédit salaire"),
    ]
