"""Every list tool pages by cursor in the order asked for: following next_cursor lists every
matching row exactly once, even while rows are added between pages. Both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from budget_tui.controller import expense_list, expenses, history
from tests.mcp.conftest import EXPENSES, Seeded, Tools, tools_for

SORTS = {
    "date-desc": lambda e: (dt.date.fromisoformat(e["date"]), e["id"]),
    "date-asc": lambda e: (dt.date.fromisoformat(e["date"]), e["id"]),
    "amount-desc": lambda e: (Decimal(e["amount"]), e["id"]),
    "amount-asc": lambda e: (Decimal(e["amount"]), e["id"]),
}


async def follow(t: Tools, tool: str, key: str, **arguments: Any) -> tuple[list[dict], int]:
    """Every row the cursors reach, and how many pages that took."""
    rows: list[dict] = []
    pages = 0
    cursor = None
    while True:
        page = await t.ok(tool, **arguments, **({"cursor": cursor} if cursor else {}))
        pages += 1
        rows += page[key]
        cursor = page["next_cursor"]
        if key == "expenses":
            assert page["more"] is (cursor is not None)
        if cursor is None:
            return rows, pages


@pytest.mark.parametrize("sort", list(SORTS))
async def test_cursors_list_every_expense_once_in_the_order_asked(
    seeded: Seeded, sort: str
) -> None:
    async with tools_for(seeded.url) as t:
        rows, pages = await follow(t, "search_expenses", "expenses", sort=sort, limit=5)
    assert pages == 3
    assert len(rows) == len(EXPENSES)
    assert len({r["id"] for r in rows}) == len(EXPENSES)
    keys = [SORTS[sort](r) for r in rows]
    assert keys == sorted(keys, reverse=sort.endswith("desc"))


async def test_rows_added_between_pages_never_repeat_or_hide_a_row(seeded: Seeded) -> None:
    """A row added before the cursor's position is not listed; one added after it is listed
    once; every row that was there from the start is listed exactly once."""
    there = {e.id for e in expense_list.list_expenses(seeded.book.sessions, limit=100).items}
    seen: list[int] = []
    async with tools_for(seeded.url) as t:
        page = await t.ok("query_expenses_by_category", category="groceries", limit=2)
        added = 0
        while True:
            seen += [e["id"] for e in page["expenses"]]
            if page["next_cursor"] is None:
                break
            for day in ("2026-03-14", "2026-01-01"):  # one ahead of the cursor, one behind it
                expenses.create_expense(
                    seeded.book.sessions,
                    description=f"Added {added}",
                    amount="1.00",
                    occurred_on=dt.date.fromisoformat(day),
                    category="Groceries",
                )
                added += 1
            page = await t.ok(
                "query_expenses_by_category",
                category="groceries",
                limit=2,
                cursor=page["next_cursor"],
            )
    groceries = {
        e.id
        for e in expense_list.list_expenses(seeded.book.sessions, limit=100).items
        if e.category_name == "Groceries" and e.id in there
    }
    assert len(seen) == len(set(seen))
    assert groceries <= set(seen)
    assert len(groceries) == 6


async def test_my_ten_biggest_expenses_this_year(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        top = await t.ok("search_expenses", start="2026-01-01", sort="amount-desc", limit=10)
    amounts = [Decimal(e["amount"]) for e in top["expenses"]]
    expected = sorted((Decimal(a) for _, a, _, _ in EXPENSES), reverse=True)[:10]
    assert amounts == expected
    assert top["count"] == 12 and top["more"] is True and top["sort"] == "amount-desc"


async def test_a_cursor_is_refused_with_another_sort_or_when_made_up(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        first = await t.ok("search_expenses", sort="amount-desc", limit=2)
        other = await t.error(
            "search_expenses", sort="date-desc", limit=2, cursor=first["next_cursor"]
        )
        made_up = await t.error("search_expenses", cursor="not a cursor")
        huge = await t.error("search_expenses", cursor="eyJzIjoiZGF0ZS1kZXNjIiwiaSI6MX0" * 8)
        bad_sort = await t.error("search_expenses", sort="price")
        too_many = await t.error("search_expenses", limit=501)
        changes = await t.error("list_changes", cursor=first["next_cursor"])
    assert "cursor: This cursor continues a list sorted amount-desc, not date-desc" in other
    assert "cursor: This is not a cursor from a listing" in made_up
    assert "cursor" in huge
    assert "sort" in bad_sort
    assert "limit: Ask for 1 to 500 expenses." in too_many
    assert "cursor: This cursor continues a list sorted amount-desc" in changes


@pytest.mark.parametrize("sort", ["date-desc", "date-asc"])
async def test_list_changes_pages_through_every_change_once(seeded: Seeded, sort: str) -> None:
    every = [c.id for c in history.list_changes(seeded.book.sessions, limit=100)]
    async with tools_for(seeded.url) as t:
        rows, pages = await follow(t, "list_changes", "changes", sort=sort, limit=4)
    ids = [c["id"] for c in rows]
    assert pages == 4 and len(every) == 15
    assert ids == (every if sort == "date-desc" else every[::-1])


async def test_list_schemas_say_their_sorts_and_limits(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        listed = {tool.name: tool for tool in (await t.client.list_tools()).tools}
    for name in ("search_expenses", "query_expenses_by_category", "list_changes"):
        props = listed[name].input_schema["properties"]
        assert props["limit"]["minimum"] == 1 and props["limit"]["maximum"] == 500, name
        assert props["limit"]["default"] == 50
        assert "date-asc" in props["sort"]["enum"], name
        assert "next_cursor" in props["cursor"]["description"], name
        assert "next_cursor" in listed[name].output_schema["properties"], name
