"""Every tool describes itself strictly: a title, all four annotation hints, an input schema
that is valid JSON Schema, refuses unknown names, and carries each parameter's description at
its top; dates, months, amounts and limits say their form. Results for a period still in
progress say so. Both backends."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from budget_tui import __version__
from budget_tui.mcp.arguments import MONTH_PATTERN
from tests.mcp.conftest import Seeded, connect, tools_for

DATES = {"start", "end"}
MONTHS = {"month", "end_month"}
AMOUNTS = {"amount", "min_amount", "max_amount", "monthly_budget"}


async def listed_tools(url: str, mode: bool | str = True) -> dict[str, Any]:
    async with connect(url, allow_write=mode) as client:
        return {tool.name: tool for tool in (await client.list_tools()).tools}


async def test_every_tool_has_a_title_and_every_hint(seeded: Seeded) -> None:
    tools = await listed_tools(seeded.url)
    assert len(tools) == 19
    for name, tool in tools.items():
        hints = tool.annotations
        assert tool.title and tool.title != name, name
        assert hints is not None, name
        assert hints.open_world_hint is False, name
        assert None not in (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint)
        if hints.read_only_hint:
            assert hints.destructive_hint is False and hints.idempotent_hint is True, name
    assert tools["delete_expense"].annotations.destructive_hint is True
    assert tools["add_expense"].annotations.idempotent_hint is False


@pytest.mark.parametrize("mode", [True, "propose"], ids=["direct", "propose"])
async def test_every_input_schema_is_strict_valid_and_self_describing(
    seeded: Seeded, mode: bool | str
) -> None:
    for name, tool in (await listed_tools(seeded.url, mode)).items():
        schema = tool.input_schema
        Draft202012Validator.check_schema(schema)
        Draft202012Validator.check_schema(tool.output_schema)
        assert schema["additionalProperties"] is False, name
        for param, prop in schema["properties"].items():
            assert prop.get("description"), (name, param)
            if param in DATES:
                assert prop["format"] == "date", (name, param)
            if param in MONTHS:
                assert prop["pattern"] == MONTH_PATTERN, (name, param)
            if param in AMOUNTS:
                # An entry's amount may be negative (a refund); a budget or a bound may not.
                entry = (
                    name in ("add_expense", "update_expense", "create_schedule")
                    and param == "amount"
                )
                sign = "-?" if entry else ""
                assert prop["pattern"] == rf"^{sign}\d+(\.\d{{1,2}})?$", (name, param)
                assert "decimal" in prop["description"], (name, param)
            if param == "limit":
                assert (prop["minimum"], prop["maximum"]) == (1, 500), name


async def test_the_server_says_its_name_and_version(seeded: Seeded) -> None:
    async with connect(seeded.url) as client:
        server = client.server_info
    assert server is not None
    assert (server.name, server.version) == ("budget-tui", __version__)


async def test_amounts_are_read_the_same_in_every_locale(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In de_DE a person types 1.234,50; an assistant's "1234.50" still means 1234.50, and a
    locale-formatted amount is refused rather than misread."""
    from budget_tui import money

    monkeypatch.setenv("BUDGET_LOCALE", "de_DE")
    money._defaults.cache_clear()
    async with tools_for(seeded.url) as t:
        big = await t.ok("search_expenses", min_amount="1000.00")
        dotted = await t.error("search_expenses", min_amount="1.000,00")
        grouped = await t.error("search_expenses", min_amount="1,000")
        small = await t.ok("search_expenses", max_amount="9.6")
    assert big["count"] == 3 and big["total"] == "4500.00"
    assert "min_amount: '1.000,00' is not an amount" in dotted
    assert "min_amount: '1,000' is not an amount" in grouped
    assert {e["amount"] for e in small["expenses"]} == {"9.60", "4.50", "3.20"}


@pytest.mark.parametrize(
    ("tool", "arguments", "partial", "through"),
    [
        ("list_categories", {"month": "2026-03"}, True, "2026-03-15"),
        ("list_categories", {"month": "2026-02"}, False, "2026-02-28"),
        ("list_categories", {"month": "2026-04"}, True, None),
        ("budget_status", {}, True, "2026-03-15"),
        ("budget_status", {"month": "2026-01"}, False, "2026-01-31"),
        ("summarize_spending", {"start": "2026-01-01", "end": "2026-12-31"}, True, "2026-03-15"),
        ("summarize_spending", {"start": "2026-01-01", "end": "2026-03-14"}, False, "2026-03-14"),
        ("spending_by_month", {"months": 3}, True, "2026-03-15"),
        ("spending_by_month", {"months": 3, "end_month": "2026-02"}, False, "2026-02-28"),
    ],
)
async def test_a_period_in_progress_says_so(
    seeded: Seeded, tool: str, arguments: dict[str, Any], partial: bool, through: str | None
) -> None:
    async with tools_for(seeded.url) as t:
        result = await t.ok(tool, **arguments)
    assert (result["partial"], result["through"]) == (partial, through)
