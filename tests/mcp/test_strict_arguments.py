"""Hostile and mistaken arguments: a name the tool doesn't take, a boolean where a number goes, a
month or date outside the book's range. Each is a tool error that names what to fix, and nothing
is read as something else (an ignored ``from`` would answer for all time; ``true`` would be 1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from budget_tui.controller import categories, expense_list, expenses, reports
from budget_tui.controller.book import info
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from tests.mcp.conftest import Seeded, connect, tools_for
from tests.mcp.test_read_tools import READ_TOOLS, WRITE_TOOLS

# The least each tool needs to run: the id is filled in with a real expense's.
VALID: dict[str, dict[str, Any]] = {
    "list_categories": {},
    "query_expenses_by_category": {"category": "Groceries"},
    "search_expenses": {},
    "summarize_spending": {"start": "2026-02-01", "end": "2026-02-28"},
    "spending_by_month": {},
    "budget_status": {},
    "add_expense": {"description": "Bread", "amount": "3.10", "category": "Groceries"},
    "update_expense": {"expense_id": None},
    "delete_expense": {"expense_id": None},
    "create_category": {"name": "Pets"},
    "list_changes": {},
    "undo_change": {"change_id": 1},
    "set_budget": {"category": "Groceries", "amount": "100"},
    "upcoming": {},
    "create_schedule": {"description": "Gym", "amount": "30.00", "category": "Groceries"},
    "budget_history": {"category": "Groceries"},
    "list_schedules": {},
    "rename_category": {"category": "Coffee", "new_name": "Cafés"},
    "delete_category": {"category": "Coffee", "move_to": "Groceries"},
}


def snapshot(seeded: Seeded) -> tuple:
    counts = info(seeded.book.sessions)
    spend = reports.spend_by_category_report(seeded.book.sessions, Period.year(2026))
    return counts.categories, counts.expenses, spend


def butcher_id(seeded: Seeded) -> int:
    page = expense_list.list_expenses(seeded.book.sessions, ExpenseFilter(text="Butcher"), limit=1)
    return page.items[0].id


def valid_arguments(seeded: Seeded, tool: str) -> dict[str, Any]:
    arguments = dict(VALID[tool])
    if "expense_id" in arguments:
        arguments["expense_id"] = butcher_id(seeded)
    return arguments


def accepts_numbers(schema: dict[str, Any]) -> bool:
    def types(node: dict[str, Any]) -> set[str]:
        found = {node["type"]} if isinstance(node.get("type"), str) else set()
        for branch in node.get("anyOf", []):
            found |= types(branch)
        return found

    found = types(schema)
    return bool(found & {"integer", "number"}) and "boolean" not in found


def test_every_tool_has_a_valid_argument_set() -> None:
    assert set(VALID) == READ_TOOLS | WRITE_TOOLS


async def test_every_schema_refuses_unknown_arguments(seeded: Seeded) -> None:
    async with connect(seeded.url, allow_write=True) as client:
        listed = (await client.list_tools()).tools
    assert {t.name for t in listed} == READ_TOOLS | WRITE_TOOLS
    for tool in listed:
        assert tool.input_schema.get("additionalProperties") is False, tool.name


# Unknown argument names ----------------------------------------------------------------------


async def test_search_with_from_and_to_is_refused_not_answered_for_all_time(
    seeded: Seeded,
) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("search_expenses", **{"from": "2026-01-01", "to": "2026-01-31"})
    assert "Unknown arguments 'from', 'to'" in message
    assert (
        "search_expenses takes: text, start, end, period, min_amount, max_amount, category, sort, "
        "cursor, limit." in message
    )


async def test_update_with_new_amount_is_refused_and_changes_nothing(seeded: Seeded) -> None:
    before = snapshot(seeded)
    expense_id = butcher_id(seeded)
    async with tools_for(seeded.url, allow_write=True) as t:
        message = await t.error("update_expense", expense_id=expense_id, new_amount="5.00")
    assert "Unknown argument 'new_amount'" in message
    assert "expense_id (required), description, amount, date, category, version" in message
    assert snapshot(seeded) == before
    assert expenses.get_expense(seeded.book.sessions, expense_id).amount == Decimal("64.90")


@pytest.mark.parametrize("tool", sorted(READ_TOOLS | WRITE_TOOLS))
async def test_every_tool_refuses_an_argument_it_does_not_take(seeded: Seeded, tool: str) -> None:
    before = snapshot(seeded)
    async with tools_for(seeded.url, allow_write=True) as t:
        message = await t.error(tool, **valid_arguments(seeded, tool), dry_run=True)
    assert "Unknown argument 'dry_run'" in message
    assert snapshot(seeded) == before


async def test_odd_argument_names_are_quoted_safely_and_cut_short(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("list_categories", **{"\x00": 1, "x" * 10_000: 2})
    assert "\x00" not in message and "'\\x00'" in message
    assert len(message) < 400


# Booleans are not numbers --------------------------------------------------------------------


async def numeric_parameters(seeded: Seeded) -> list[tuple[str, str]]:
    async with connect(seeded.url, allow_write=True) as client:
        listed = (await client.list_tools()).tools
    return sorted(
        (tool.name, name)
        for tool in listed
        for name, schema in tool.input_schema["properties"].items()
        if accepts_numbers(schema)
    )


async def test_every_numeric_parameter_refuses_a_boolean(seeded: Seeded) -> None:
    """Found from the schemas, so a numeric parameter added later is covered too."""
    numeric = await numeric_parameters(seeded)
    assert {
        ("add_expense", "amount"),
        ("create_category", "monthly_budget"),
        ("create_schedule", "amount"),
        ("create_schedule", "count"),
        ("delete_expense", "expense_id"),
        ("delete_expense", "version"),
        ("list_schedules", "limit"),
        ("query_expenses_by_category", "limit"),
        ("search_expenses", "limit"),
        ("search_expenses", "max_amount"),
        ("search_expenses", "min_amount"),
        ("spending_by_month", "months"),
        ("update_expense", "amount"),
        ("update_expense", "expense_id"),
        ("update_expense", "version"),
    } <= set(numeric)
    before = snapshot(seeded)
    async with tools_for(seeded.url, allow_write=True) as t:
        for tool, name in numeric:
            for value in (True, False):
                arguments = {**valid_arguments(seeded, tool), name: value}
                message = await t.error(tool, **arguments)
                word = "true" if value else "false"
                assert f"{name}: Give a number here, not {word}." in message, (tool, message)
    assert snapshot(seeded) == before


async def test_amount_true_is_not_saved_as_one(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        message = await t.error(
            "add_expense", description="Bread", amount=True, category="Groceries"
        )
        deleted = await t.error("delete_expense", expense_id=True)
    assert "amount: Give a number here, not true." in message
    assert "expense_id: Give a number here, not true." in deleted
    assert info(seeded.book.sessions).expenses == 12


async def test_a_number_of_the_wrong_kind_says_which_field_in_a_sentence(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        fractional = await t.error("search_expenses", limit=1.5)
        text = await t.error("list_categories", month=5)
    assert "limit: Input should be a valid integer" in fractional
    assert "month: Input should be a valid string" in text
    for message in (fractional, text):
        assert "errors.pydantic.dev" not in message and "input_value" not in message


# Months and dates outside the book -----------------------------------------------------------


MONTH_ARGUMENTS = [
    ("list_categories", "month"),
    ("budget_status", "month"),
    ("spending_by_month", "end_month"),
]


@pytest.mark.parametrize(("tool", "field"), MONTH_ARGUMENTS)
@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("0000-01", "The month must be between 1900-01 and 2199-12."),
        ("0001-01", "The month must be between 1900-01 and 2199-12."),
        ("1899-12", "The month must be between 1900-01 and 2199-12."),
        ("9999-12", "The month must be between 1900-01 and 2199-12."),
        ("2200-01", "The month must be between 1900-01 and 2199-12."),
        ("2026-13", "'2026-13' is not a month; use YYYY-MM, like 2026-03."),
        ("2026-00", "'2026-00' is not a month; use YYYY-MM, like 2026-03."),
        ("0000-01-15", "is not a date"),
        ("10000-01", "is not a date"),
        ("2026-01\x00", "is not a date"),
    ],
)
async def test_a_month_outside_the_book_says_what_to_fix(
    seeded: Seeded, tool: str, field: str, month: str, expected: str
) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error(tool, **{field: month})
    assert f"{field}: " in message and expected in message


async def test_the_first_and_last_months_are_fine(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        first = await t.ok("list_categories", month="1900-01")
        last = await t.ok("spending_by_month", end_month="2199-12", months=12)
    assert first["month"] == "1900-01"
    assert last["months"][-1]["month"] == "2199-12"


async def test_months_reaching_before_1900_are_refused(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        message = await t.error("spending_by_month", end_month="1900-12", months=13)
        fits = await t.ok("spending_by_month", end_month="1900-12", months=12)
    assert "months: 13 months ending 1900-12 begin before 1900-01; ask for at most 12." in message
    assert fits["months"][0]["month"] == "1900-01"


async def test_tomorrow_on_the_last_day_is_refused_like_plus_one(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUDGET_TUI_TODAY", "2199-12-31")
    async with tools_for(seeded.url, allow_write=True) as t:
        word = await t.error(
            "add_expense", description="Bread", amount="3", category="Groceries", date="tomorrow"
        )
        number = await t.error(
            "add_expense", description="Bread", amount="3", category="Groceries", date="+1"
        )
        summary = await t.error("summarize_spending", start="today", end="tomorrow")
    for message in (word, number):
        assert "date: The date must be between 1900-01-01 and 2199-12-31." in message
    assert "end: The date must be between 1900-01-01 and 2199-12-31." in summary
    assert info(seeded.book.sessions).expenses == 12


async def test_two_long_names_that_fold_alike_only_when_cut_are_two_names(
    seeded: Seeded,
) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        short = await t.ok("create_category", name="ß" * 25)
        long = await t.error("create_category", name="ß" * 50)
        found = await t.ok("query_expenses_by_category", category="SS" * 25)
        missing = await t.error("query_expenses_by_category", category="ß" * 50)
    assert short["category"]["name"] == "ß" * 25
    assert "name: The category name is too long" in long and "already exists" not in long
    assert found["count"] == 0
    assert "There is no category named" in missing
    assert categories.get_category(seeded.book.sessions, "ss" * 25).name == "ß" * 25
    assert info(seeded.book.sessions).categories == 4
