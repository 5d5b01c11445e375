"""Relative periods: this-month, last-month, this-year, last-year and last-12-months wherever a
tool takes a month or a date range, resolved by the app's clock (today is 2026-03-15 in the
tests) and echoed as dates in the result. Both backends."""

from __future__ import annotations

from typing import Any

import pytest

from budget_tui.controller import categories
from tests.mcp.conftest import Seeded, tools_for

RANGES = {
    "this-month": ("2026-03-01", "2026-03-31"),
    "last-month": ("2026-02-01", "2026-02-28"),
    "this-year": ("2026-01-01", "2026-12-31"),
    "last-year": ("2025-01-01", "2025-12-31"),
    "last-12-months": ("2025-04-01", "2026-03-31"),
}


@pytest.mark.parametrize("period", sorted(RANGES))
async def test_range_tools_resolve_a_relative_period_and_echo_it(
    seeded: Seeded, period: str
) -> None:
    first, last = RANGES[period]
    async with tools_for(seeded.url) as t:
        summary = await t.ok("summarize_spending", period=period)
        by_dates = await t.ok("summarize_spending", start=first, end=last)
        found = await t.ok("search_expenses", period=period)
        groceries = await t.ok("query_expenses_by_category", category="Groceries", period=period)
        coming = await t.ok("upcoming", period=period)
    assert (summary["start"], summary["end"]) == (first, last)
    assert summary["spending"] == by_dates["spending"]
    assert (found["start"], found["end"]) == (first, last)
    assert (groceries["start"], groceries["end"]) == (first, last)
    assert (coming["start"], coming["end"]) == (first, last)
    assert all(first <= e["date"] <= last for e in found["expenses"])


async def test_last_month_counts_february(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        found = await t.ok("search_expenses", period="last-month")
    assert (found["count"], found["total"]) == (4, "1759.75")


@pytest.mark.parametrize(
    ("tool", "arguments", "month"),
    [
        ("list_categories", {"month": "last-month"}, "2026-02"),
        ("list_categories", {"month": "this-month"}, "2026-03"),
        ("budget_status", {"month": "last-month"}, "2026-02"),
    ],
)
async def test_month_tools_take_this_and_last_month(
    seeded: Seeded, tool: str, arguments: dict[str, Any], month: str
) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok(tool, **arguments)
    assert result["month"] == month
    assert result["start"] == f"{month}-01"
    assert result["end"] == {"2026-02": "2026-02-28", "2026-03": "2026-03-31"}[month]


async def test_spending_by_month_ending_last_month_echoes_its_dates(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("spending_by_month", months=2, end_month="last-month")
    assert (result["start"], result["end"]) == ("2026-01-01", "2026-02-28")
    assert [m["month"] for m in result["months"]] == ["2026-01", "2026-02"]


async def test_set_budget_from_last_month(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        await t.ok("set_budget", category="Coffee", amount="40", month="last-month")
    history = categories.budget_history(seeded.book.sessions, "Coffee")
    assert [(h.month.isoformat(), str(h.amount)) for h in history] == [("2026-02-01", "40.00")]


async def test_a_period_with_dates_or_an_unknown_name_is_refused(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        both = await t.error("search_expenses", period="this-year", start="2026-01-01")
        neither = await t.error("summarize_spending")
        unknown = await t.error("summarize_spending", period="next-month")
        wrong_month = await t.error("budget_status", month="this-year")
    assert "period: Give either period or start and end, not both." in both
    assert "Give start and end" in neither
    assert "period" in unknown
    assert "month" in wrong_month
