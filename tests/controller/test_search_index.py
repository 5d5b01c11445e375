"""SQLite's trigram index of descriptions (migration 0011): every way an expense is written,
changed, removed or brought back keeps it equal to the expenses themselves, and a search through
it finds exactly what a read of every row finds."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from budget_tui.controller import bulk, categories, expense_list, expenses, history, queries
from budget_tui.controller.book import Book
from budget_tui.controller.imports import import_csv
from budget_tui.controller.views import ExpenseFilter
from tests.controller.conftest import assert_search_index_consistent


def indexed(book: Book) -> bool:
    with book.sessions() as session:
        return queries.has_search_index(session)


def found(book: Book, needle: str) -> list[int]:
    listing = expense_list.browse_expenses(book.sessions, ExpenseFilter(text=needle), limit=500)
    assert listing.totals.count == len(listing.page.items)
    return sorted(e.id for e in listing.page.items)


def test_writes_changes_deletes_and_undo_keep_the_index_in_step(sqlite_book: Book) -> None:
    book = sqlite_book
    assert indexed(book)
    categories.create_category(book.sessions, "Food")
    categories.create_category(book.sessions, "Treats")
    pizza = expenses.create_expense(
        book.sessions,
        description="Pizza night",
        amount="12",
        occurred_on="2026-03-01",
        category="Food",
    )
    bread = expenses.create_expense(
        book.sessions, description="Bread", amount="3", occurred_on="2026-03-02", category="Food"
    )
    assert found(book, "PIZZ") == [pizza.id] and found(book, "read") == [bread.id]

    expenses.update_expense(book.sessions, pizza.id, description="Pasta night", version=1)
    assert found(book, "pizz") == [] and found(book, "pasta") == [pizza.id]
    expenses.update_expense(book.sessions, bread.id, amount="4", version=1)  # not the text
    assert_search_index_consistent(book)

    expenses.delete_expense(book.sessions, bread.id)
    assert found(book, "bread") == []
    history.undo(book.sessions)  # the delete undone: the row is back, and found again
    assert found(book, "bread") == [bread.id]
    history.undo(book.sessions)  # the amount change
    history.undo(book.sessions)  # the description change
    assert found(book, "pizza") == [pizza.id] and found(book, "pasta") == []

    treats = categories.list_categories(book.sessions)[1]
    categories.delete_category(book.sessions, 1, move_to=treats.id)  # rows move, text stays
    assert found(book, "night") == [pizza.id]
    assert_search_index_consistent(book)


@pytest.mark.parametrize("large", [False, True], ids=["kept", "deferred"])
def test_an_import_is_indexed_whether_its_trigger_runs_or_it_is_indexed_at_the_end(
    sqlite_book: Book, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    book = sqlite_book
    if large:  # the path of a load as large as the book: trigger dropped, rows indexed at once
        monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 10)
    categories.create_category(book.sessions, "Food")
    before = expenses.create_expense(
        book.sessions, description="Old pizza", amount="1", occurred_on="2026-01-01", category=1
    )
    lines = ["date,description,amount,category"] + [
        f"2026-02-{1 + i % 28:02d},{'Pizza' if i % 3 == 0 else 'Rent'} {i},{i + 1}.00,Food"
        for i in range(60)
    ]
    import_csv(book.sessions, io.StringIO("\n".join(lines) + "\n", newline=""))
    assert_search_index_consistent(book)
    assert len(found(book, "pizza")) == 21 and before.id in found(book, "pizza")
    with book.engine.connect() as conn:
        triggers = conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        ).scalars()
        assert list(triggers) == [
            "expenses_search_delete",
            "expenses_search_insert",
            "expenses_search_update",
        ]
    # And the trigger is back at work for the next single save.
    after = expenses.create_expense(
        book.sessions, description="New pizza", amount="1", occurred_on="2026-03-01", category=1
    )
    assert after.id in found(book, "pizza")
    assert_search_index_consistent(book)


def test_a_book_without_the_index_finds_the_same_rows(
    sqlite_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where SQLite lacks FTS5 the migration makes no index; a search reads every row."""
    book = sqlite_book
    categories.create_category(book.sessions, "Food")
    words = ["Pizza", "PIZZERIA", "Käse pizza", "100% juice", 'a "quoted" pie', "Piz"]
    for i, word in enumerate(words * 3):
        expenses.create_expense(
            book.sessions, description=word, amount=f"{i + 1}", occurred_on="2026-03-01", category=1
        )
    needles = ["pizz", "PIZ", "zer", "0% j", '"quoted"', "ä", "käse", "pi", "ie"]
    through_index = {n: found(book, n) for n in needles}
    with book.engine.begin() as conn:
        for name in ("insert", "delete", "update"):
            conn.execute(text(f"DROP TRIGGER expenses_search_{name}"))
        conn.execute(text("DROP TABLE expenses_search"))
    assert not indexed(book)
    assert {n: found(book, n) for n in needles} == through_index
    assert through_index["pizz"] and through_index['"quoted"'] and through_index["0% j"]
