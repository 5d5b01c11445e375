"""Large amounts are never cut to wrong numbers: each amount column is as wide as its widest
amount, and the budget bar always shows its whole percent."""

from __future__ import annotations

from budget_tui.controller.categories import create_category
from budget_tui.controller.expenses import create_expense
from budget_tui.tui.widgets.budget_bar import budget_bar
from tests.tui.helpers import make_app, ready, settle


def seed(book) -> None:
    create_category(book.sessions, "Property", "1000")
    for day in ("2026-03-02", "2026-03-03"):
        create_expense(
            book.sessions,
            description="A house",
            amount="99999999.99",
            occurred_on=day,
            category="Property",
        )
    create_expense(
        book.sessions,
        description="Coffee",
        amount="3.50",
        occurred_on="2026-03-04",
        category="Property",
    )


def cells(table, key: str) -> list[tuple[str, int]]:
    """Each cell of column ``key`` as shown, with the width the column gives it."""
    column = table.columns[key]
    return [(str(table.get_cell(row, key)), column.width) for row in table.rows]


async def test_the_largest_amount_shows_whole_in_the_list_at_80_columns(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#expenses")
        shown = cells(table, "amount")
        assert ("$99,999,999.99", 14) in shown
        assert all(len(text) <= width for text, width in shown)
        assert table.region.right <= 80


async def test_categories_show_every_digit_and_the_percent_at_80_columns(empty_url, db):
    seed(db)
    app = make_app(empty_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, "categories")
        await settle(pilot)
        table = app.screen.query_one("#categories")
        for key, expected in (
            ("spent", "$200,000,003.48"),
            ("budget", "$1,000.00"),
            ("left", "-$199,999,003.48"),
        ):
            [(text, width)] = cells(table, key)
            assert text == expected and len(text) <= width
        [(bar, width)] = cells(table, "bar")
        assert bar.endswith("20,000,000%") and len(bar) <= width


def test_the_budget_bar_keeps_a_huge_percent_whole() -> None:
    text = budget_bar(123456.0, 12, {}).plain
    assert text.endswith("12,345,600%") and len(text) == 12
    assert budget_bar(0.5, 20, {}).plain.endswith("  50%")
