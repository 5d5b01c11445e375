"""A search of every month reads the list in one of two ways on SQLite (through the date index
for a common word, one pass and a sort for a rare one: ``expense_list.FEW_MATCHES``). Both give the
same list, in every order, with the same cursors and the same totals."""

from __future__ import annotations

import datetime as dt

import pytest

from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.book import Book
from budget_tui.controller.views import ExpenseFilter


def _fill(book: Book) -> None:
    categories.create_category(book.sessions, "Groceries")
    words = ["Pizza night", "pizza slice", "Bread", "100% juice", "under_score", "PIZZERIA"]
    for i in range(60):
        expenses.create_expense(
            book.sessions,
            description=words[i % len(words)],
            # Equal amounts and dates, so the id decides the order among them.
            amount=f"{1 + (i * 7) % 5}.{i % 3}0",
            occurred_on=dt.date(2024 + i % 3, 1 + i % 12, 1 + i % 4),
            category="Groceries",
        )


@pytest.mark.parametrize("text", ["pizz", "PIZZA", "100%", "_", "r_s", "nothing"])
@pytest.mark.parametrize(
    ("sort", "descending"), [("date", True), ("date", False), ("amount", True)]
)
def test_both_ways_of_reading_a_search_give_the_same_list(
    sqlite_book: Book, monkeypatch: pytest.MonkeyPatch, text: str, sort: str, descending: bool
) -> None:
    _fill(sqlite_book)
    flt = ExpenseFilter(text=text)

    def browse(few: int, around: int | None = None):
        monkeypatch.setattr(expense_list, "FEW_MATCHES", few)
        return expense_list.browse_expenses(
            sqlite_book.sessions, flt, sort=sort, descending=descending, limit=7, around=around
        )

    walked, scanned = browse(-1), browse(10_000)
    assert scanned == walked
    if walked.page.items:
        middle = walked.page.items[len(walked.page.items) // 2].id
        assert browse(10_000, around=middle) == browse(-1, around=middle)
    # Every row that matches, as a case-blind search of the text would find them.
    everything = expense_list.browse_expenses(sqlite_book.sessions, flt, limit=1000)
    assert everything.totals.count == len(everything.page.items) == walked.totals.count
    assert all(text.lower() in e.description.lower() for e in everything.page.items)
