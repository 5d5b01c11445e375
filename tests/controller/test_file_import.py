"""Importing statements through the controller, on SQLite and PostgreSQL: the same file twice
adds nothing, an overlapping statement adds only its new rows, every bad row and unknown
category is reported before anything is written, rules and learned suggestions categorise, and
an import is one change that undo takes back whole."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.controller import categories, expense_list, expenses, history, rules
from budget_tui.controller.book import Book
from budget_tui.controller.file_import import (
    MAX_LISTED,
    ImportOptions,
    detect_file,
    import_file,
    list_profiles,
    preview_import,
)
from budget_tui.controller.views import ExpenseFilter
from budget_tui.errors import InvalidInput
from tests.controller.conftest import assert_rollup_consistent

DATA = Path(__file__).parents[1] / "data" / "imports"


def rows(book: Book) -> list[tuple[str, str, Decimal, str]]:
    """Every expense as (date, description, amount, category), oldest first."""
    page = expense_list.list_expenses(book.sessions, ExpenseFilter(), limit=1000)
    return sorted(
        (r.occurred_on.isoformat(), r.description, r.amount, r.category_name) for r in page.items
    )


def count(book: Book) -> int:
    return expense_list.expense_totals(book.sessions).count


def test_the_same_ofx_twice_adds_nothing_and_an_overlapping_one_only_its_new_rows(
    book: Book,
) -> None:
    first = import_file(book.sessions, DATA / "statement_2026_11.ofx")
    assert (first.new, first.duplicates, first.imported) == (5, 0, True)
    again = import_file(book.sessions, DATA / "statement_2026_11.ofx")
    assert (again.new, again.duplicates) == (0, 5)
    december = import_file(book.sessions, DATA / "statement_2026_12.qfx")
    # PG&E's FITID was in November's statement too.
    assert (december.new, december.duplicates) == (2, 1)
    assert count(book) == 7
    assert_rollup_consistent(book)


def test_a_csv_statement_twice_and_two_real_identical_coffees(book: Book) -> None:
    first = import_file(book.sessions, DATA / "uk_bank.csv")
    assert (first.new, first.duplicates) == (5, 0)
    assert [r for r in rows(book) if r[1] == "PRET A MANGER"] == [
        ("2026-12-02", "PRET A MANGER", Decimal("3.10"), "Uncategorised")
    ] * 2
    again = import_file(book.sessions, DATA / "uk_bank.csv")
    assert (again.new, again.duplicates) == (0, 5)
    assert count(book) == 5


def test_an_overlapping_csv_adds_only_the_new_rows(book: Book, tmp_path: Path) -> None:
    header = "Date,Description,Amount\n"
    nov = tmp_path / "nov.csv"
    nov.write_text(header + "2026-11-28,Rent,-900.00\n2026-11-29,Coffee,-3.00\n")
    dec = tmp_path / "dec.csv"
    dec.write_text(header + "2026-11-29,Coffee,-3.00\n2026-12-01,Bread,-2.20\n")
    assert import_file(book.sessions, nov).new == 2
    report = import_file(book.sessions, dec)
    assert (report.new, report.duplicates) == (1, 1)


def test_every_problem_is_reported_at_once_and_nothing_is_written(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    report = import_file(book.sessions, DATA / "bad_rows.csv")
    assert not report.imported
    assert [(b.line, b.column) for b in report.bad] == [
        (3, "date"),
        (4, "description"),
        (5, "amount"),
        (6, "amount"),
        (7, "amount"),  # zero
        (8, "amount"),  # over the cap
        (9, "row"),
    ]
    assert report.bad_total == 7
    assert [(u.name, u.rows, u.did_you_mean) for u in report.unknown] == [
        ("Grocries", 1, "Groceries")
    ]
    assert count(book) == 0
    assert [c.name for c in categories.list_categories(book.sessions)] == ["Groceries"]
    assert history.list_changes(book.sessions)[0].action == "category.add"


def test_skipping_bad_rows_and_creating_categories_is_the_persons_choice(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    only_skip = import_file(book.sessions, DATA / "bad_rows.csv", ImportOptions(skip_bad=True))
    assert not only_skip.imported and count(book) == 0
    report = import_file(
        book.sessions,
        DATA / "bad_rows.csv",
        ImportOptions(skip_bad=True, create_categories=True),
    )
    assert report.imported and report.new == 3
    assert report.categories_created == ("Grocries",)
    assert [r[1] for r in rows(book)] == ["Bread", "Pears", "Tea"]


def test_fifty_bad_rows_are_listed_and_the_rest_counted(book: Book, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        "Date,Description,Amount\n" + "".join(f"2026-12-01,Row {i},x{i}\n" for i in range(80))
    )
    report = import_file(book.sessions, path)
    assert len(report.bad) == MAX_LISTED and report.bad_total == 80
    assert report.bad[0].line == 2 and report.bad[0].column == "Amount"


def test_a_dry_run_counts_but_writes_nothing(book: Book) -> None:
    import_file(book.sessions, DATA / "statement_2026_11.ofx")
    before = history.list_changes(book.sessions)
    report = import_file(book.sessions, DATA / "statement_2026_12.qfx", ImportOptions(dry_run=True))
    assert (report.new, report.duplicates, report.imported) == (2, 1, False)
    assert count(book) == 5
    assert history.list_changes(book.sessions) == before


def test_an_import_is_one_change_and_undo_removes_it_whole(book: Book) -> None:
    report = import_file(book.sessions, DATA / "uk_bank.csv")
    assert count(book) == 5 and report.categories_created == ("Uncategorised",)
    changes = history.list_changes(book.sessions)
    assert len(changes) == 1 and changes[0].source in ("cli", "import")
    history.undo(book.sessions)
    assert count(book) == 0
    assert categories.list_categories(book.sessions) == ()
    assert_rollup_consistent(book)
    # Undone rows are not in the book: importing again brings them back.
    assert import_file(book.sessions, DATA / "uk_bank.csv").new == 5


def test_rules_in_order_with_a_cleaner_description(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    categories.create_category(book.sessions, "Eating out")
    categories.create_category(book.sessions, "Salary", kind="income")
    rules.add_rule(book.sessions, "tesco", "Groceries", rename="Tesco")
    rules.add_rule(book.sessions, "PRET", "Eating out", match="starts")
    rules.add_rule(book.sessions, r"^acme .*salary$", "Salary", match="regex")
    # A rule put first wins over a later one that matches too.
    rules.add_rule(book.sessions, "STORES", "Eating out", position=2)
    assert [r.position for r in rules.list_rules(book.sessions)] == [1, 2, 3, 4]
    report = import_file(book.sessions, DATA / "uk_bank.csv")
    assert (report.by_rule, report.uncategorised) == (4, 1)
    got = rows(book)
    assert ("2026-12-01", "Tesco", Decimal("45.20"), "Groceries") in got
    # Money in, in an income category, is income: a positive amount.
    assert ("2026-12-13", "ACME LTD SALARY", Decimal("2500.00"), "Salary") in got
    assert ("2026-12-20", "THAMES WATER", Decimal("32.00"), "Uncategorised") in got


def test_a_credit_in_a_spending_category_is_a_refund(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    rules.add_rule(book.sessions, "whole foods", "Groceries")
    import_file(book.sessions, DATA / "us_card.csv")
    got = [r for r in rows(book) if r[3] == "Groceries"]
    assert got == [
        ("2026-12-01", "WHOLE FOODS MARKET", Decimal("87.43"), "Groceries"),
        ("2026-12-20", "WHOLE FOODS MARKET", Decimal("-12.00"), "Groceries"),
    ]


def test_rule_changes_are_changes_that_undo_takes_back(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    made = rules.add_rule(book.sessions, "tesco", "Groceries")
    rules.delete_rule(book.sessions, made.id)
    assert rules.list_rules(book.sessions) == ()
    history.undo(book.sessions)
    assert [r.pattern for r in rules.list_rules(book.sessions)] == ["tesco"]
    history.undo(book.sessions)
    assert rules.list_rules(book.sessions) == ()
    history.redo(book.sessions)
    assert [r.pattern for r in rules.list_rules(book.sessions)] == ["tesco"]


def test_a_bad_rule_is_refused(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    with pytest.raises(InvalidInput) as caught:
        rules.add_rule(book.sessions, "(unclosed", "Groceries", match="regex")
    assert caught.value.field == "pattern"


def test_learned_suggestions_apply_only_when_sure(book: Book, tmp_path: Path) -> None:
    food = categories.create_category(book.sessions, "Groceries")
    coffee = categories.create_category(book.sessions, "Coffee")
    day = dt.date(2026, 11, 1)
    for description, category in [
        ("TESCO STORES 1111", food.id),
        ("TESCO STORES 2222", food.id),
        ("PRET A MANGER", coffee.id),
        ("PRET A MANGER", food.id),
    ]:
        expenses.create_expense(
            book.sessions,
            description=description,
            amount=Decimal("1.00"),
            occurred_on=day,
            category=category,
        )
    report = import_file(book.sessions, DATA / "uk_bank.csv")
    assert report.by_suggestion == 1  # Tesco: 2 of 2 earlier rows in Groceries
    got = rows(book)
    assert ("2026-12-01", "TESCO STORES 3297", Decimal("45.20"), "Groceries") in got
    # Pret: one each way, 50%: shown as a suggestion on screen, never applied.
    assert ("2026-12-02", "PRET A MANGER", Decimal("3.10"), "Uncategorised") in got


def test_dates_that_fit_two_formats_need_the_persons_word(book: Book) -> None:
    path = DATA / "ambiguous_dates.csv"
    with pytest.raises(InvalidInput) as caught:
        import_file(book.sessions, path)
    assert "DD/MM/YYYY" in caught.value.message and "MM/DD/YYYY" in caught.value.message
    report = import_file(book.sessions, path, ImportOptions(date_format="MM/DD/YYYY"))
    assert report.imported
    assert [r[0] for r in rows(book)] == ["2026-01-02", "2026-03-04"]


def test_a_profile_is_found_again_by_the_files_header(book: Book, tmp_path: Path) -> None:
    first = tmp_path / "jan.csv"
    shutil.copyfile(DATA / "ambiguous_dates.csv", first)
    import_file(
        book.sessions,
        first,
        ImportOptions(date_format="MM/DD/YYYY", save_profile="My bank"),
    )
    assert list_profiles(book.sessions) == ("My bank",)
    second = tmp_path / "feb.csv"
    second.write_text("Date,Description,Amount\n02/03/2026,Coffee,-3.00\n")
    found = detect_file(book.sessions, second)
    assert found.profile == "My bank" and not found.ambiguous_dates
    report = import_file(book.sessions, second)
    assert report.imported and report.format.profile == "My bank"
    assert "2026-02-03" in [r[0] for r in rows(book)]


def test_qif_splits_and_camt_credits_and_debits(book: Book) -> None:
    report = import_file(book.sessions, DATA / "splits.qif", ImportOptions(create_categories=True))
    assert report.imported and report.new == 4
    assert set(report.categories_created) == {"Groceries", "Books", "Salary"}
    camt = import_file(book.sessions, DATA / "camt053.xml")
    assert (camt.new, camt.duplicates) == (3, 0)
    assert import_file(book.sessions, DATA / "camt053.xml").duplicates == 3


def test_the_preview_shows_categories_duplicates_and_bad_rows(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    rules.add_rule(book.sessions, "tesco", "Groceries")
    import_file(book.sessions, DATA / "uk_bank.csv")
    bigger = preview_import(book.sessions, DATA / "uk_bank.csv")
    assert [r.status for r in bigger.rows] == ["duplicate"] * 5
    assert bigger.rows[0].how == "rule" and bigger.rows[0].category == "Groceries"
    bad = preview_import(book.sessions, DATA / "bad_rows.csv")
    statuses = {r.line: (r.status, r.reason) for r in bad.rows}
    assert statuses[3][0] == "bad" and "date" in statuses[3][1]
    assert statuses[2][0] == "new"
    assert [u.name for u in bad.unknown] == ["Grocries"]


def test_an_amount_too_large_to_write_is_a_bad_row_in_the_preview(book: Book, tmp_path) -> None:
    categories.create_category(book.sessions, "Groceries")
    path = tmp_path / "huge.csv"
    path.write_text(
        "date,description,amount,category\n"
        "2026-03-02,Huge,999999999999999999999999999999,Groceries\n"
        "2026-03-02,Over,1000000000.00,Groceries\n"
        "2026-03-03,Fine,12.50,Groceries\n"
    )
    shown = {r.description: r for r in preview_import(book.sessions, path).rows}
    assert (shown["Huge"].status, shown["Huge"].amount) == ("bad", None)
    assert "over 99,999,999.99" in shown["Huge"].reason
    assert (shown["Over"].status, shown["Over"].amount) == ("bad", Decimal("1000000000.00"))
    assert (shown["Fine"].status, shown["Fine"].amount) == ("new", Decimal("12.50"))


def test_control_characters_in_a_header_are_shown_as_escapes(book: Book, tmp_path) -> None:
    """A header cell is shown on the screen and in messages: an escape sequence in it reached
    the terminal (it cleared the screen, set the window's title). It is written out instead, and
    the file still reads with the columns so named."""
    categories.create_category(book.sessions, "Groceries")
    path = tmp_path / "esc.csv"
    path.write_bytes(
        b"date\x1b]0;PWNED\x07,\x1b[2Jdesc,amount,category\n2026-03-02,Lunch,-12.50,Groceries\n"
    )
    preview = preview_import(book.sessions, path)
    mapping = json.loads(preview.format.mapping_json or "{}")
    assert mapping["date"] == "date\\x1b]0;PWNED\\x07"
    assert mapping["description"] == "\\x1b[2Jdesc"
    assert [(r.status, r.description) for r in preview.rows] == [("new", "Lunch")]
    report = import_file(book.sessions, path)
    assert report.new == 1
    assert rows(book) == [("2026-03-02", "Lunch", Decimal("12.50"), "Groceries")]


def test_choices_made_on_the_preview_are_what_is_imported(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    categories.create_category(book.sessions, "Bills")
    report = import_file(
        book.sessions,
        DATA / "uk_bank.csv",
        ImportOptions(choices={0: "Groceries", 4: "Bills"}),
    )
    assert report.imported
    got = rows(book)
    assert ("2026-12-01", "TESCO STORES 3297", Decimal("45.20"), "Groceries") in got
    assert ("2026-12-20", "THAMES WATER", Decimal("32.00"), "Bills") in got


def test_a_fitid_repeated_across_two_statements_of_one_file_is_one_row(book: Book) -> None:
    report = import_file(book.sessions, DATA / "two_statements.ofx")
    # Eight transactions, PG&E's in both statements: seven rows.
    assert (report.new, report.duplicates) == (7, 1)
    assert import_file(book.sessions, DATA / "statement_2026_12.qfx").new == 0


def test_each_split_of_a_qif_transaction_takes_its_own_choice(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    categories.create_category(book.sessions, "Books")
    categories.create_category(book.sessions, "Salary", kind="income")
    preview = preview_import(book.sessions, DATA / "splits.qif")
    splits = [r for r in preview.rows if r.description.startswith("Amazon")]
    assert splits[0].line == splits[1].line  # one transaction
    report = import_file(
        book.sessions, DATA / "splits.qif", ImportOptions(choices={splits[1].index: "Groceries"})
    )
    assert report.imported
    amazon = [r for r in rows(book) if r[1].startswith("Amazon")]
    assert [(r[2], r[3]) for r in amazon] == [
        (Decimal("40.00"), "Groceries"),
        (Decimal("60.00"), "Groceries"),
    ]
    assert ("2026-12-15", "ACME Payroll", Decimal("2500.00"), "Salary") in rows(book)


def test_a_profile_reads_a_statement_with_more_lines_above_its_header(
    book: Book, tmp_path: Path
) -> None:
    first = tmp_path / "jan.csv"
    first.write_text("Account,1\nDate,Details,Out,In\n2026-01-02,Rent,900.00,\n")
    import_file(
        book.sessions,
        first,
        ImportOptions(
            columns={"description": "Details", "debit": "Out", "credit": "In"},
            save_profile="Bank",
        ),
    )
    second = tmp_path / "feb.csv"
    second.write_text(
        "Account,1\nPeriod,February\n\nDate,Details,Out,In\n2026-02-02,Rent,900.00,\n"
    )
    report = import_file(book.sessions, second)
    assert report.format.profile == "Bank" and report.new == 1
