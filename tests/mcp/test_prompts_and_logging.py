"""Prompts (monthly-review, cut-spending), completion of their arguments (category names from
the book, months), and a log line for each tool call at the level the client asked for, never
with an argument's value. Both backends; today is 2026-03-15."""

from __future__ import annotations

from typing import Any

from mcp_types import PromptReference, ResourceTemplateReference

from budget_tui.controller.book import open_book
from tests.mcp.conftest import Seeded, connect


async def test_the_prompts_are_listed_and_guide_to_our_tools(seeded: Seeded) -> None:
    async with connect(seeded.url) as client:
        listed = {p.name: p for p in (await client.list_prompts()).prompts}
        review = await client.get_prompt("monthly-review", {"month": "2026-02"})
        default = await client.get_prompt("monthly-review", {})
        cut = await client.get_prompt("cut-spending", {"category": "Coffee"})
    assert set(listed) == {"monthly-review", "cut-spending"}
    assert [(a.name, a.required) for a in listed["monthly-review"].arguments or []] == [
        ("month", False)
    ]
    text = review.messages[0].content.text
    assert "February 2026 (2026-02-01 to 2026-02-28)" in text
    for tool in ("summarize_spending", "budget_status", "search_expenses", "upcoming"):
        assert tool in text
    assert "February 2026" in default.messages[0].content.text  # last month by default
    assert "category='Coffee'" in cut.messages[0].content.text
    assert "list_schedules" in cut.messages[0].content.text


async def test_a_bad_month_in_a_prompt_is_refused_with_our_words(seeded: Seeded) -> None:
    async with connect(seeded.url) as client:
        try:
            await client.get_prompt("monthly-review", {"month": "2026-13"})
        except Exception as error:  # the SDK raises the JSON-RPC error
            message = str(error)
        else:
            raise AssertionError("a month 13 was accepted")
    assert "is not a month" in message


async def test_category_names_and_months_complete(seeded: Seeded) -> None:
    prompt = PromptReference(type="ref/prompt", name="cut-spending")
    review = PromptReference(type="ref/prompt", name="monthly-review")
    summary = ResourceTemplateReference(type="ref/resource", uri="budget://summary/{month}")
    async with connect(seeded.url) as client:
        gro = await client.complete(prompt, {"name": "category", "value": "gro"})
        every = await client.complete(prompt, {"name": "category", "value": ""})
        inner = await client.complete(prompt, {"name": "category", "value": "ffe"})
        months = await client.complete(review, {"name": "month", "value": "2026-0"})
        words = await client.complete(summary, {"name": "month", "value": "la"})
    assert gro.completion.values == ["Groceries"]
    assert every.completion.values == ["Coffee", "Groceries", "Rent"]
    assert inner.completion.values == ["Coffee"]
    assert months.completion.values == ["2026-03", "2026-02", "2026-01"]
    assert words.completion.values == ["last-month"]


async def test_each_tool_call_is_logged_at_the_clients_level_without_values(
    seeded: Seeded,
) -> None:
    from mcp import Client

    from budget_tui.mcp_server import create_server

    lines: list[Any] = []

    async def collect(params: Any) -> None:
        lines.append(params)

    server_book = open_book(seeded.url, read_only=True, source="mcp")
    try:
        server = create_server(server_book)
        async with Client(server, logging_callback=collect, log_level="info") as client:
            await client.call_tool("search_expenses", {"text": "secret-shop", "limit": 5})
            await client.call_tool("budget_status", {"month": "2026-13"})
            await client.call_tool("list_categories", {"password": "hunter2"})
        async with Client(server, logging_callback=collect, log_level="error") as client:
            await client.call_tool("search_expenses", {"text": "quiet"})
    finally:
        server_book.close()
    texts = [str(p.data) for p in lines]
    assert len(texts) == 3, texts
    assert [p.level for p in lines] == ["info", "warning", "warning"]
    assert texts[0].startswith("search_expenses(limit, text): answered in ")
    assert texts[1].startswith("budget_status(month): refused: month: '2026-13' is not a month")
    assert texts[2].startswith("list_categories(password): refused: Unknown argument")
    joined = " ".join(texts)
    assert "secret-shop" not in joined and "hunter2" not in joined and "quiet" not in joined
    assert all(p.logger == "budget-tui" for p in lines)


async def test_a_handshake_era_client_gets_log_lines_only_after_set_level(seeded: Seeded) -> None:
    """Before 2026-07-28 a client asks with logging/setLevel: nothing before it, then its level
    and above."""
    import warnings

    from mcp import Client

    from budget_tui.mcp_server import create_server

    lines: list[Any] = []

    async def collect(params: Any) -> None:
        lines.append(params)

    server_book = open_book(seeded.url, read_only=True, source="mcp")
    try:
        server = create_server(server_book)
        async with Client(server, logging_callback=collect, mode="legacy") as client:
            assert client.server_capabilities.logging is not None
            await client.call_tool("list_categories", {})
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                await client.set_logging_level("warning")
            await client.call_tool("list_categories", {})
            await client.call_tool("list_categories", {"month": "nope"})
    finally:
        server_book.close()
    assert [(p.level, str(p.data).split(":")[0]) for p in lines] == [
        ("warning", "list_categories(month)")
    ]
