"""Importing the same rows again adds nothing: the same file twice, overlapping statements,
identical rows within one file, and the roll-up counting exactly the rows added. SQLite and
PostgreSQL, through the controller and the ``budget-tui import`` command."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from budget_tui.cli import main
from budget_tui.controller import bulk, categories, expense_list, imports
from budget_tui.controller.book import Book
from budget_tui.controller.export import export_csv
from budget_tui.controller.imports import import_csv, row_key
from budget_tui.controller.queries import expenses_t
from budget_tui.controller.views import ExpenseFilter
from budget_tui.db.models import Category
from tests.controller.conftest import add, assert_rollup_consistent

HEADER = "date,description,amount,category\n"


def csv_of(*rows: str) -> io.StringIO:
    return io.StringIO(HEADER + "".join(r + "\n" for r in rows), newline="")


def count(book: Book) -> int:
    return expense_list.expense_totals(book.sessions).count


def keys(book: Book) -> list[str | None]:
    with book.engine.connect() as conn:
        return list(
            conn.execute(select(expenses_t.c.import_key).order_by(expenses_t.c.id)).scalars()
        )


MARCH = [
    "2026-03-01,Bakery,3.20,Food",
    "2026-03-01,Coffee,2.50,Food",
    "2026-03-01,Coffee,2.50,Food",  # a second real coffee that day: it stays
    "2026-03-02,Train,12.00,Travel",
]


def test_the_same_file_twice_adds_nothing_the_second_time(book: Book) -> None:
    first = import_csv(book.sessions, csv_of(*MARCH))
    assert (first.rows, first.skipped) == (4, 0)
    assert set(first.categories_created) == {"Food", "Travel"}
    assert_rollup_consistent(book)
    second = import_csv(book.sessions, csv_of(*MARCH))
    assert (second.rows, second.skipped, second.categories_created) == (0, 4, ())
    assert count(book) == 4
    assert_rollup_consistent(book)
    stored = keys(book)
    assert all(stored) and len(set(stored)) == 4


def test_an_overlapping_file_adds_only_its_new_rows(book: Book) -> None:
    import_csv(book.sessions, csv_of(*MARCH))
    later = [
        *MARCH[1:],  # the overlap, in another order and place in the file
        "2026-03-01,Coffee,2.50,Food",  # a third coffee on the 1st: new
        "2026-03-03,Cinema,9.00,Fun",
    ]
    result = import_csv(book.sessions, csv_of(*reversed(later)))
    assert (result.rows, result.skipped, result.categories_created) == (2, 3, ("Fun",))
    assert count(book) == 6
    coffees = expense_list.list_expenses(
        book.sessions, ExpenseFilter(text="Coffee"), limit=10
    ).items
    assert len(coffees) == 3
    assert_rollup_consistent(book)


def test_the_key_ignores_how_a_row_is_written(book: Book) -> None:
    """Case of the category, spaces, a formula quote, 2.5 vs 2.50: the same row."""
    import_csv(book.sessions, csv_of("2026-03-01,=Coffee,2.50,Food"))
    again = import_csv(book.sessions, csv_of("2026-03-01 , '=Coffee ,2.5, FOOD "))
    assert (again.rows, again.skipped) == (0, 1)
    assert keys(book) == [row_key("2026-03-01", 250, "=Coffee", "food") + ":1"]


def test_rows_entered_by_hand_are_not_taken_for_imported_ones(book: Book) -> None:
    food = categories.create_category(book.sessions, "Food")
    add(book.sessions, food.id, "2.50", "2026-03-01", "Coffee")
    result = import_csv(book.sessions, csv_of("2026-03-01,Coffee,2.50,Food"))
    assert (result.rows, result.skipped) == (1, 0)
    assert keys(book)[0] is None
    assert_rollup_consistent(book)


def test_an_export_imported_twice_adds_its_rows_once(book: Book) -> None:
    food = categories.create_category(book.sessions, "Food")
    for _ in range(5):
        add(book.sessions, food.id, "4.00", "2026-02-10", "Same lunch")  # five alike
    out = io.StringIO()
    export_csv(book.sessions, out)
    first = import_csv(book.sessions, io.StringIO(out.getvalue(), newline=""))
    second = import_csv(book.sessions, io.StringIO(out.getvalue(), newline=""))
    assert (first.rows, second.rows, second.skipped) == (5, 0, 5)
    assert count(book) == 10
    assert_rollup_consistent(book)


def test_categories_are_not_made_for_rows_already_imported(book: Book) -> None:
    import_csv(book.sessions, csv_of("2026-03-01,Coffee,2.50,Food"))
    food = categories.get_category(book.sessions, "Food")
    categories.rename_category(book.sessions, food.id, "Groceries", version=food.version)
    again = import_csv(book.sessions, csv_of("2026-03-01,Coffee,2.50,Food"))
    assert (again.rows, again.skipped, again.categories_created) == (0, 1, ())
    assert [c.name for c in categories.list_categories(book.sessions)] == ["Groceries"]


def test_many_chunks_with_repeats_across_chunks(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CHUNK", 700)
    monkeypatch.setattr(bulk, "MOVE_CHUNK", 900)
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 1000)
    # Row i and row i + 2100 are identical (the cycles of 50, 28, 7 and 3 meet at 2100).
    rows = [
        f"2026-01-{1 + i % 28:02d},Item {i % 50},{1 + i % 7}.00,Cat {i % 3}" for i in range(3000)
    ]
    first = import_csv(book.sessions, csv_of(*rows))
    assert (first.rows, first.skipped) == (3000, 0)
    assert len(set(keys(book))) == 3000
    # Rows 0-399 are there twice each: two more of each find them, a third one is new.
    second = import_csv(book.sessions, csv_of(*rows[:1500], *rows[:400]))
    assert (second.rows, second.skipped) == (0, 1900)
    third = import_csv(book.sessions, csv_of(*rows[:400], *rows[:400], *rows[:400]))
    assert (third.rows, third.skipped) == (400, 800)
    assert count(book) == 3400
    assert_rollup_consistent(book)


def test_a_bad_row_still_imports_nothing_on_a_second_run(book: Book) -> None:
    import_csv(book.sessions, csv_of(*MARCH))
    with pytest.raises(imports.InvalidInput, match=r"^Row 6: "):
        import_csv(book.sessions, csv_of(*MARCH, "2026-03-09,Cake,1.005,Food"))
    assert count(book) == 4
    assert_rollup_consistent(book)


# -- the command ---------------------------------------------------------------------------------


def run_import(book: Book, path: Path, *more: str) -> tuple[int, str]:
    url = book.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--db", url, "import", str(path), *more])
    return result.exit_code, result.stderr


def test_the_command_says_what_was_new_and_what_was_there(book: Book, tmp_path: Path) -> None:
    path = tmp_path / "march.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in MARCH), encoding="utf-8")
    code, err = run_import(book, path, "--create-categories")
    assert code == 0, err
    assert "\n4 new, 0 already in the book.\n" in err
    code, err = run_import(book, path)
    assert code == 0 and "\n0 new, 4 already in the book.\n" in err
    path.write_text(HEADER + MARCH[0] + "\n2026-03-04,Tea,1.00,Food\n", encoding="utf-8")
    code, err = run_import(book, path)
    assert code == 0 and "\n1 new, 1 already in the book.\n" in err
    assert count(book) == 5


# -- two imports of one file at once (PostgreSQL) -----------------------------------------------


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_imports_of_one_file_at_once_add_it_once(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second import waits for the first one to commit, then skips its rows: they are added
    once, and the roll-up counts them once."""
    categories.create_category(book.sessions, "Food")
    categories.create_category(book.sessions, "Travel")
    first_moved = threading.Event()
    go_on = threading.Event()
    original = bulk.ImportStage._move_pg

    def move(self: Any, *args: Any) -> int:
        added = original(self, *args)
        if threading.current_thread().name == "first":
            first_moved.set()
            assert go_on.wait(60)
        return added

    monkeypatch.setattr(bulk.ImportStage, "_move_pg", move)
    results: dict[str, Any] = {}

    def run(name: str) -> None:
        try:
            results[name] = import_csv(book.sessions, csv_of(*MARCH))
        except BaseException as exc:
            results[name] = exc

    first = threading.Thread(target=run, args=("first",), name="first", daemon=True)
    first.start()
    assert first_moved.wait(60)
    second = threading.Thread(target=run, args=("second",), name="second", daemon=True)
    second.start()
    # Wait until the second import waits for the first one's uncommitted keys.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with book.engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            ).scalar()
        if waiting or not second.is_alive():
            break
        time.sleep(0.05)
    go_on.set()
    first.join(60)
    second.join(60)
    assert (results["first"].rows, results["first"].skipped) == (4, 0)
    assert (results["second"].rows, results["second"].skipped) == (0, 4)
    assert count(book) == 4
    assert_rollup_consistent(book)
    with book.engine.connect() as conn:
        assert conn.execute(select(Category.name).order_by(Category.name)).scalars().all() == [
            "Food",
            "Travel",
        ]
