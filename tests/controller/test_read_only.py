"""A read-only book reads everything and refuses every write with one plain sentence."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from budget_tui.controller import categories, expense_list, expenses, reports
from budget_tui.controller.book import Book, open_book
from budget_tui.controller.export import export_csv
from budget_tui.controller.imports import import_csv
from budget_tui.controller.periods import Period
from budget_tui.errors import ConfigError
from tests.controller.conftest import add


@pytest.fixture
def reader(book: Book, food) -> Iterator[Book]:
    add(book.sessions, food.id, "4.20", "2026-03-03", "Tea")
    url = book.engine.url.render_as_string(hide_password=False)
    ro = open_book(url, read_only=True)
    yield ro
    ro.close()


def test_reads_work(reader: Book) -> None:
    assert [c.name for c in categories.list_categories(reader.sessions)] == ["Food"]
    assert [e.description for e in expense_list.list_expenses(reader.sessions).items] == ["Tea"]
    march = reports.spend_by_category_report(reader.sessions, Period.year(2026))
    assert march.count == 1
    out = io.StringIO()
    assert export_csv(reader.sessions, out) == 1


def test_writes_are_refused_and_change_nothing(book: Book, reader: Book, food) -> None:
    writes = [
        lambda: categories.create_category(reader.sessions, "Books"),
        lambda: categories.rename_category(reader.sessions, food.id, "Meals"),
        lambda: categories.set_budget(reader.sessions, food.id, "1"),
        lambda: expenses.create_expense(
            reader.sessions, description="x", amount="1", occurred_on="today", category=food.id
        ),
        lambda: import_csv(
            reader.sessions, io.StringIO("date,description,amount,category\n2026-03-01,x,1,Food\n")
        ),
    ]
    for write in writes:
        with pytest.raises(ConfigError, match="read-only"):
            write()
    assert [c.name for c in categories.list_categories(book.sessions)] == ["Food"]
    assert expense_list.expense_totals(book.sessions).count == 1
