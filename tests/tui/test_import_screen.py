"""The import screen driven by keys: i on Expenses, the statement's path, Enter; the preview shows
every row with its category and how it came; c fixes one row, C every row alike; Ctrl+S imports
(one change: u takes it back whole); the same statement again adds nothing. Snapshots at 80x24
and 120x40."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.controller import categories, expense_list, history, rules
from budget_tui.controller.book import Book
from budget_tui.tui.screens.imports import ImportScreen
from tests.tui.helpers import (
    burst,
    make_app,
    notifications,
    ready,
    settle,
    steady_cursor,
    type_text,
)
from tests.tui.test_snapshots import sizes

DATA = Path(__file__).parents[1] / "data" / "imports"


def stored(book: Book) -> list[tuple[str, Decimal, str]]:
    rows = expense_list.list_expenses(book.sessions, limit=100).items
    return sorted((r.description, r.amount, r.category_name) for r in rows)


async def open_preview(pilot, path: Path) -> ImportScreen:
    await ready(pilot)
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    await type_text(pilot, str(path))
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def test_import_fix_two_categories_and_undo_it_whole(
    empty_url: str, db: Book, tmp_path: Path
) -> None:
    categories.create_category(db.sessions, "Groceries")
    categories.create_category(db.sessions, "Eating out")
    categories.create_category(db.sessions, "Bills")
    rules.add_rule(db.sessions, "tesco", "Groceries")
    statement = tmp_path / "december.csv"
    shutil.copyfile(DATA / "uk_bank.csv", statement)
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_preview(pilot, statement)
        assert screen.preview is not None
        assert [(r.description, r.how, r.status) for r in screen.preview.rows] == [
            ("TESCO STORES 3297", "rule", "new"),
            ("PRET A MANGER", "none", "new"),
            ("PRET A MANGER", "none", "new"),
            ("ACME LTD SALARY", "none", "new"),
            ("THAMES WATER", "none", "new"),
        ]
        # Row 2 (Pret) and the one like it: Eating out, for all alike.
        await pilot.press("down", "C")
        await settle(pilot)
        await type_text(pilot, "eat")
        await pilot.press("enter")
        await settle(pilot)
        # The water bill: Bills, this row only.
        await pilot.press("down", "down", "down", "c")
        await settle(pilot)
        await type_text(pilot, "bil")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.choices == {1: "Eating out", 2: "Eating out", 4: "Bills"}, screen.choices
        assert [r.category for r in screen.preview.rows] == [
            "Groceries",
            "Eating out",
            "Eating out",
            "Uncategorised",
            "Bills",
        ]
        assert screen.preview.rows[4].how == "choice"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert any("Imported 5 new; 0 already in the book" in n for n in notifications(app))
        assert stored(db) == [
            ("ACME LTD SALARY", Decimal("-2500.00"), "Uncategorised"),
            ("PRET A MANGER", Decimal("3.10"), "Eating out"),
            ("PRET A MANGER", Decimal("3.10"), "Eating out"),
            ("TESCO STORES 3297", Decimal("45.20"), "Groceries"),
            ("THAMES WATER", Decimal("32.00"), "Bills"),
        ]
        assert history.list_changes(db.sessions)[0].source == "tui"
        # The same statement again: every row is already in the book, dimmed; nothing is added.
        screen = await open_preview(pilot, statement)
        assert [r.status for r in screen.preview.rows] == ["duplicate"] * 5
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(stored(db)) == 5
        # u undoes the import whole.
        await pilot.press("u")
        await settle(pilot)
        assert stored(db) == []


async def test_bad_rows_are_marked_and_skipped_only_when_asked(
    empty_url: str, db: Book, tmp_path: Path
) -> None:
    categories.create_category(db.sessions, "Groceries")
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_preview(pilot, DATA / "bad_rows.csv")
        assert screen.preview is not None
        bad = [r for r in screen.preview.rows if r.status == "bad"]
        assert len(bad) == 7 and "date" in bad[0].reason
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen) and stored(db) == []
        await pilot.press("s", "n", "ctrl+s")
        await settle(pilot)
        assert [d for d, _a, _c in stored(db)] == ["Bread", "Pears", "Tea"]


async def test_dates_that_fit_two_formats_are_chosen_with_f(
    empty_url: str, db: Book, tmp_path: Path
) -> None:
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_preview(pilot, DATA / "ambiguous_dates.csv")
        assert screen.preview is None
        await pilot.press("f")
        await settle(pilot)
        assert screen.preview is not None
        assert screen.preview.format.date_format == "DD/MM/YYYY"
        await pilot.press("f")
        await settle(pilot)
        assert screen.preview.format.date_format == "MM/DD/YYYY"
        assert [r.day.isoformat() for r in screen.preview.rows] == ["2026-01-02", "2026-03-04"]


def preview_keys(path: Path):
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, str(path))
        await pilot.press("enter")
        await settle(pilot)
        await steady_cursor(pilot)

    return run_before


@sizes
def test_import_preview(snap_compare, snapshot_url, size) -> None:
    """The UK statement on the demo book: how it was read (CSV, DD/MM/YYYY, out/in columns),
    five rows, each with its category (Uncategorised: no rule yet) and "new"; the status line
    counts 5 new, 0 already in the book."""
    shutil.copyfile(DATA / "uk_bank.csv", "statement.csv")
    assert snap_compare(
        make_app(snapshot_url), terminal_size=size, run_before=preview_keys(Path("statement.csv"))
    )


@sizes
def test_import_preview_with_bad_rows(snap_compare, snapshot_url, size) -> None:
    """Our own export with bad rows: each marked red with its reason; the status line says 7 bad
    (s skips them) and names 'Grocries' with "did you mean 'Groceries'?"."""
    shutil.copyfile(DATA / "bad_rows.csv", "bad.csv")
    assert snap_compare(
        make_app(snapshot_url), terminal_size=size, run_before=preview_keys(Path("bad.csv"))
    )


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_a_rule_added_from_the_preview_categorises_at_once(
    empty_url: str, db: Book, tmp_path: Path
) -> None:
    from budget_tui.tui.screens.rules import RuleForm, RulesScreen

    categories.create_category(db.sessions, "Bills")
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_preview(pilot, DATA / "uk_bank.csv")
        assert screen.preview is not None and screen.preview.rows[4].how == "none"
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RulesScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RuleForm)
        burst(app, "thames\t\tBills")  # read at once: each field still gets its own text
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert [r.pattern for r in rules.list_rules(db.sessions)] == ["thames"]
        assert isinstance(app.screen, RulesScreen) and len(app.screen.rules) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        row = screen.preview.rows[4]
        assert (row.description, row.category, row.how) == ("THAMES WATER", "Bills", "rule")
        # Deleting it on the Rules screen, then u, brings it back (rule changes are undoable).
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert rules.list_rules(db.sessions) == ()
        await pilot.press("u")
        await settle(pilot)
        assert [r.pattern for r in rules.list_rules(db.sessions)] == ["thames"]


@sizes
def test_rules_screen(snap_compare, snapshot_url, size) -> None:
    """Two rules in order (contains 'tesco' -> Groceries saved as 'Tesco'; regex '^ACME' ->
    Coffee), the status line saying they are tried in this order."""
    from budget_tui.controller.book import open_book

    book = open_book(snapshot_url)
    try:
        rules.add_rule(book.sessions, "tesco", "Groceries", rename="Tesco")
        rules.add_rule(book.sessions, "^ACME", "Coffee", match="regex")
    finally:
        book.close()
    shutil.copyfile(DATA / "uk_bank.csv", "statement.csv")

    async def run_before(pilot) -> None:
        await preview_keys(Path("statement.csv"))(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


async def test_a_wrong_column_is_put_right_and_saved_as_a_profile(
    empty_url: str, db: Book, tmp_path: Path
) -> None:
    from budget_tui.controller.file_import import list_profiles
    from budget_tui.tui.screens.import_mapping import MappingForm

    statement = tmp_path / "card.csv"
    statement.write_text("Date,Memo,Payee,Amount\n2026-12-01,POS 1234,Corner Shop,-4.50\n")
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_preview(pilot, statement)
        assert screen.preview is not None
        assert screen.preview.rows[0].description == "POS 1234"  # the memo, not the payee
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MappingForm)
        await pilot.press("tab", "enter", "down", "enter")  # Description: Payee
        await pilot.press(*["tab"] * 7)  # to the profile's name
        await type_text(pilot, "Card")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.preview.rows[0].description == "Corner Shop"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(db) == [("Corner Shop", Decimal("4.50"), "Uncategorised")]
        assert list_profiles(db.sessions) == ("Card",)
        # The next statement with this header is read the same way, with no question.
        later = tmp_path / "later.csv"
        later.write_text("Date,Memo,Payee,Amount\n2026-12-09,POS 9,Bakery,-2.00\n")
        screen = await open_preview(pilot, later)
        assert screen.preview.format.profile == "Card"
        assert screen.preview.rows[0].description == "Bakery"


@sizes
def test_import_mapping_form(snap_compare, snapshot_url, size) -> None:
    """The column dialog over the UK statement: Date, Description, Money out (Paid out),
    Money in (Paid in), the rest (none); money out is negative; an empty profile name."""
    shutil.copyfile(DATA / "uk_bank.csv", "statement.csv")

    async def run_before(pilot) -> None:
        await preview_keys(Path("statement.csv"))(pilot)
        await pilot.press("m")
        await settle(pilot)
        await steady_cursor(pilot)

    assert snap_compare(make_app(snapshot_url), terminal_size=size, run_before=run_before)


async def test_two_overlapping_ofx_statements_on_either_backend(backend: str, tmp_path) -> None:
    """November, then December (one transaction in both): the preview dims it, Ctrl+S adds the
    two new ones; u takes December back whole."""
    from tests.conftest import make_book

    book = make_book(backend, tmp_path)
    try:
        url = book.engine.url.render_as_string(hide_password=False)
        app = make_app(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_preview(pilot, DATA / "statement_2026_11.ofx")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert len(stored(book)) == 5
            screen = await open_preview(pilot, DATA / "statement_2026_12.qfx")
            assert [r.status for r in screen.preview.rows] == ["duplicate", "new", "new"]
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert len(stored(book)) == 7
            await pilot.press("u")
            await settle(pilot)
            assert len(stored(book)) == 5
    finally:
        book.close()


async def test_tab_completes_the_path(empty_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "statements"
    folder.mkdir()
    shutil.copyfile(DATA / "uk_bank.csv", folder / "december-2026.csv")
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, str(tmp_path / "stat"))
        await pilot.pause(0.2)
        await pilot.press("tab")
        await pilot.pause(0.2)
        await pilot.press("d")
        await pilot.pause(0.2)
        await pilot.press("tab")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        path_input = screen.query_one("#import-path")
        assert path_input.value == str(folder / "december-2026.csv")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.preview is not None and len(screen.preview.rows) == 5


def test_the_import_notes_count_one_bad_row_as_one() -> None:
    from types import SimpleNamespace

    from budget_tui.tui.screens.import_text import imported_note, nothing_imported

    one = SimpleNamespace(new=4, duplicates=0, bad_total=1, unknown=())
    assert (
        imported_note(one)
        == "Imported 4 new; 0 already in the book. Skipped 1 bad row. u undoes it."
    )  # type: ignore[arg-type]
    assert nothing_imported(one) == "Nothing was imported: 1 bad row (s skips them)."  # type: ignore[arg-type]
    two = SimpleNamespace(new=4, duplicates=1, bad_total=2, unknown=())
    assert "Skipped 2 bad rows." in imported_note(two)  # type: ignore[arg-type]
