"""The read tools, called by an MCP client in-process, on SQLite and PostgreSQL.

Given the small book in conftest (today is 2026-03-15), each tool answers with the figures a person
would add up by hand, and each bad argument comes back as a tool error with a clear message.
"""

from __future__ import annotations

import json

import pytest

from tests.mcp.conftest import Seeded, connect, tools_for

READ_TOOLS = {
    "list_categories",
    "query_expenses_by_category",
    "search_expenses",
    "summarize_spending",
    "spending_by_month",
    "budget_status",
    "list_changes",
    "upcoming",
    "budget_history",
    "list_schedules",
}
WRITE_TOOLS = {
    "add_expense",
    "update_expense",
    "delete_expense",
    "create_category",
    "set_budget",
    "undo_change",
    "create_schedule",
    "rename_category",
    "delete_category",
}


async def test_read_only_server_lists_only_read_tools(seeded: Seeded) -> None:
    async with connect(seeded.url) as client:
        listed = (await client.list_tools()).tools
    assert {t.name for t in listed} == READ_TOOLS
    for tool in listed:
        assert tool.description and len(tool.description) > 40, tool.name
        assert "\n    " not in tool.description, f"{tool.name}: description keeps its indentation"
        for name, schema in tool.input_schema["properties"].items():
            assert "description" in json.dumps(schema), f"{tool.name}.{name} has no description"
        assert tool.output_schema is not None, tool.name
        assert tool.annotations is not None and tool.annotations.read_only_hint is True


async def test_allow_write_adds_the_write_tools(seeded: Seeded) -> None:
    async with connect(seeded.url, allow_write=True) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
    assert set(listed) == READ_TOOLS | WRITE_TOOLS
    for name in WRITE_TOOLS:
        for param, schema in listed[name].input_schema["properties"].items():
            assert "description" in json.dumps(schema), f"{name}.{param} has no description"
    assert listed["delete_expense"].annotations.destructive_hint is True
    assert listed["add_expense"].annotations.read_only_hint is False


# list_categories ----------------------------------------------------------------------------


async def test_list_categories_shows_budgets_and_this_months_spend(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("list_categories")
    assert result["currency"] == "USD"
    assert result["month"] == "2026-03"
    by_name = {c["name"]: c for c in result["categories"]}
    assert list(by_name) == ["Coffee", "Groceries", "Rent"]
    assert by_name["Groceries"]["monthly_budget"] == "600.00"
    assert by_name["Groceries"]["spent"] == "445.00"
    assert by_name["Groceries"]["count"] == 2
    assert by_name["Coffee"]["monthly_budget"] is None
    assert by_name["Coffee"]["spent"] == "21.20"


async def test_list_categories_for_another_month(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        by_iso_month = await t.ok("list_categories", month="2026-01")
        by_a_day = await t.ok("list_categories", month="2026-01-17")
    assert by_iso_month == by_a_day
    spent = {c["name"]: c["spent"] for c in by_iso_month["categories"]}
    assert spent == {"Coffee": "0.00", "Groceries": "130.00", "Rent": "1500.00"}


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2026-13", "is not a month"),
        ("March", "is not a date"),
        ("1800-01", "between 1900-01 and 2199-12"),
    ],
)
async def test_list_categories_refuses_a_bad_month(
    seeded: Seeded, month: str, expected: str
) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("list_categories", month=month)
    assert message.startswith("Error executing tool list_categories: month:")
    assert expected in message


# query_expenses_by_category -----------------------------------------------------------------


async def test_query_by_category_in_any_case_newest_first(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("query_expenses_by_category", category="gRoCeRiEs")
    assert result["count"] == 6
    assert result["total"] == "830.25"
    assert result["shown"] == 6 and result["more"] is False
    assert result["start"] is None and result["end"] is None
    dates = [e["date"] for e in result["expenses"]]
    assert dates == sorted(dates, reverse=True)
    assert {e["category"] for e in result["expenses"]} == {"Groceries"}
    first = result["expenses"][0]
    assert first == {
        "id": first["id"],
        "date": "2026-03-10",
        "description": "Butcher",
        "amount": "64.90",
        "category": "Groceries",
        "version": 1,
    }


async def test_query_by_category_in_a_period_with_a_limit(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok(
            "query_expenses_by_category",
            category="Groceries",
            start="2026-02-01",
            end="2026-02-28",
            limit=1,
        )
    # The last day of the range is included; the total covers every match, not the one shown.
    assert (result["start"], result["end"]) == ("2026-02-01", "2026-02-28")
    assert result["count"] == 2 and result["total"] == "255.25"
    assert result["shown"] == 1 and result["more"] is True
    assert result["expenses"][0]["description"] == "Farmers market"


async def test_query_by_category_with_only_a_start(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("query_expenses_by_category", category="Coffee", start="2026-03-01")
    assert result["start"] == "2026-03-01" and result["end"] is None
    assert (result["count"], result["total"]) == (2, "21.20")


async def test_query_by_unknown_category_names_the_known_ones(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("query_expenses_by_category", category="Holidays")
    assert "There is no category named 'Holidays'." in message
    assert "Known categories: Coffee, Groceries, Rent." in message


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"start": "2026-02-30"}, "start: '2026-02-30' is not a date"),
        (
            {"start": "2026-03-01", "end": "2026-02-01"},
            "end: The end date is before the start date.",
        ),
        ({"limit": 0}, "limit: Ask for 1 to 500 expenses."),
        ({"limit": 5000}, "limit: Ask for 1 to 500 expenses."),
        ({"category": "   "}, "category: Choose a category."),
    ],
)
async def test_query_by_category_refuses_bad_arguments(
    seeded: Seeded, arguments: dict, expected: str
) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("query_expenses_by_category", **{"category": "Rent", **arguments})
    assert expected in message


async def test_query_by_category_without_the_category_is_a_tool_error(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("query_expenses_by_category")
    assert "category" in message and "Field required" in message


# search_expenses ----------------------------------------------------------------------------


async def test_search_by_text_in_any_case(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("search_expenses", text="SUPERMARKET")
    assert result["count"] == 3
    assert result["total"] == "710.50"
    assert {e["description"] for e in result["expenses"]} == {"Supermarket"}


async def test_search_by_amount_range_and_period(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok(
            "search_expenses",
            min_amount="9.60",
            max_amount=64.9,
            start="2026-01-01",
            end="2026-03-10",
        )
    # Both amount limits and both dates are included.
    assert sorted(e["amount"] for e in result["expenses"]) == ["45.25", "64.90", "9.60"]
    assert (result["count"], result["total"]) == (3, "119.75")


async def test_search_with_a_category_and_a_miss(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        coffee = await t.ok("search_expenses", category="coffee", text="e")
        nothing = await t.ok("search_expenses", text="caviar")
    assert {e["description"] for e in coffee["expenses"]} == {
        "Flat white",
        "Espresso",
        "Coffee beans",
    }
    assert nothing == {
        "currency": "USD",
        "start": None,
        "end": None,
        "total": "0.00",
        "count": 0,
        "shown": 0,
        "more": False,
        "next_cursor": None,
        "sort": "date-desc",
        "expenses": [],
    }


async def test_search_treats_wildcards_as_plain_text(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("search_expenses", text="%")
    assert result["count"] == 0


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"min_amount": "lots"}, "min_amount: 'lots' is not an amount"),
        ({"max_amount": -5}, "max_amount: The amount must be more than zero."),
        ({"min_amount": "50", "max_amount": "10"}, "The largest amount is below the smallest."),
        ({"end": "yesterday-ish"}, "end: 'yesterday-ish' is not a date"),
        ({"category": "Fuel"}, "There is no category named 'Fuel'."),
        ({"text": "x" * 201}, "text: The search text is 201 characters long; the limit is 200."),
        ({"text": "a\x00b"}, "text: The search text contains a control character (U+0000)"),
        ({"limit": "many"}, "limit"),
    ],
)
async def test_search_refuses_bad_arguments(seeded: Seeded, arguments: dict, expected: str) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("search_expenses", **arguments)
    assert expected in message


# summarize_spending -------------------------------------------------------------------------


async def test_summarize_february(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("summarize_spending", start="2026-02-01", end="2026-02-28")
    assert result["currency"] == "USD"
    assert (result["start"], result["end"], result["days"]) == ("2026-02-01", "2026-02-28", 28)
    assert (result["total"], result["count"]) == ("1759.75", 4)
    assert result["daily_average"] == "62.85"
    assert result["by_category"] == [
        {"category": "Rent", "total": "1500.00", "count": 1, "share": "0.8524"},
        {"category": "Groceries", "total": "255.25", "count": 2, "share": "0.1450"},
        {"category": "Coffee", "total": "4.50", "count": 1, "share": "0.0026"},
    ]
    assert [e["amount"] for e in result["largest"]] == ["1500.00", "210.00", "45.25", "4.50"]


async def test_summarize_a_period_inside_a_month(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("summarize_spending", start="2026-03-10", end="2026-03-14")
    assert (result["total"], result["count"]) == ("68.10", 2)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            {"start": "2026-03-01", "end": "2026-02-01"},
            "end: The end date is before the start date.",
        ),
        ({"start": "01/02/2026", "end": "2026-02-01"}, "start: '01/02/2026' is not a date"),
        ({"start": "2026-01-01"}, "start: Give start and end (YYYY-MM-DD), or a period."),
    ],
)
async def test_summarize_refuses_bad_arguments(
    seeded: Seeded, arguments: dict, expected: str
) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("summarize_spending", **arguments)
    assert expected in message


# spending_by_month --------------------------------------------------------------------------


async def test_groceries_in_each_of_the_last_three_months(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("spending_by_month", category="groceries", months=3)
    assert result["category"] == "Groceries"
    assert result["months"] == [
        {"month": "2026-01", "total": "130.00", "count": 2},
        {"month": "2026-02", "total": "255.25", "count": 2},
        {"month": "2026-03", "total": "445.00", "count": 2},
    ]
    assert (result["total"], result["count"]) == ("830.25", 6)


async def test_spending_by_month_for_everything_ending_in_a_given_month(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("spending_by_month", months=2, end_month="2026-02")
    assert result["category"] is None
    assert result["months"] == [
        {"month": "2026-01", "total": "1630.00", "count": 3},
        {"month": "2026-02", "total": "1759.75", "count": 4},
    ]


async def test_spending_by_month_counts_empty_months_as_zero(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("spending_by_month", category="Coffee")
    assert len(result["months"]) == 12
    assert result["months"][0] == {"month": "2025-04", "total": "0.00", "count": 0}
    assert (result["total"], result["count"]) == ("25.70", 3)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"months": 0}, "months: Ask for 1 to 1200 months."),
        ({"months": 1201}, "months: Ask for 1 to 1200 months."),
        ({"end_month": "2026-00"}, "end_month: '2026-00' is not a month"),
        ({"category": "Pets"}, "There is no category named 'Pets'."),
    ],
)
async def test_spending_by_month_refuses_bad_arguments(
    seeded: Seeded, arguments: dict, expected: str
) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("spending_by_month", **arguments)
    assert expected in message


# budget_status ------------------------------------------------------------------------------


async def test_budget_status_this_month(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok("budget_status")
    assert result["month"] == "2026-03"
    assert (result["total_budget"], result["total_spent"]) == ("2100.00", "1966.20")
    assert result["lines"] == [
        {
            "category": "Coffee",
            "budget": None,
            "carried": "0.00",
            "spent": "21.20",
            "available": None,
            "left": None,
            "used_percent": None,
            "over_budget": False,
        },
        {
            "category": "Groceries",
            "budget": "600.00",
            "carried": "0.00",
            "spent": "445.00",
            "available": "155.00",
            "left": "155.00",
            "used_percent": "74.2",
            "over_budget": False,
        },
        {
            "category": "Rent",
            "budget": "1500.00",
            "carried": "0.00",
            "spent": "1500.00",
            "available": "0.00",
            "left": "0.00",
            "used_percent": "100.0",
            "over_budget": False,
        },
    ]


async def test_budget_status_shows_an_overspent_category(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        before = await t.ok("budget_status", month="2026-02")
    from budget_tui.controller import categories

    groceries = categories.get_category(seeded.book.sessions, "Groceries")
    categories.set_budget(seeded.book.sessions, groceries.id, "200", month="2026-02")
    async with tools_for(seeded.url) as t:
        after = await t.ok("budget_status", month="2026-02")
        january = await t.ok("budget_status", month="2026-01")
    # Set from February on: January keeps the budget it had.
    assert next(x for x in january["lines"] if x["category"] == "Groceries")["budget"] == "600.00"
    line = next(x for x in after["lines"] if x["category"] == "Groceries")
    assert line["left"] == "-55.25" and line["over_budget"] is True
    assert line["used_percent"] == "127.6"
    assert before["total_spent"] == after["total_spent"] == "1759.75"


async def test_budget_status_refuses_a_bad_month(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("budget_status", month="next month")
    assert "month: 'next month' is not a date" in message


async def test_a_running_server_sees_what_the_app_saves_meanwhile(seeded: Seeded) -> None:
    """The TUI and the read-only server share the book: each tool call is a fresh transaction."""
    from budget_tui.controller import expenses

    async with tools_for(seeded.url) as t:
        before = await t.ok("spending_by_month", category="Coffee", months=1)
        expenses.create_expense(
            seeded.book.sessions,
            description="Cortado",
            amount="3.80",
            occurred_on="2026-03-15",
            category="Coffee",
        )
        after = await t.ok("spending_by_month", category="Coffee", months=1)
    assert before["months"] == [{"month": "2026-03", "total": "21.20", "count": 2}]
    assert after["months"] == [{"month": "2026-03", "total": "25.00", "count": 3}]
