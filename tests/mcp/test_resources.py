"""The category list and a month's summary as resources, with the read tools' figures. Both
backends."""

from __future__ import annotations

import json

import pytest

from tests.mcp.conftest import Seeded, connect, tools_for


async def test_resources_answer_as_the_read_tools_do(seeded: Seeded) -> None:
    async with connect(seeded.url) as client:
        listed = {str(r.uri) for r in (await client.list_resources()).resources}
        templates = {
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        }
        categories = await client.read_resource("budget://categories")
        february = await client.read_resource("budget://summary/2026-02")
    async with tools_for(seeded.url) as t:
        tool_categories = await t.ok("list_categories")
        tool_february = await t.ok("summarize_spending", start="2026-02-01", end="2026-02-28")
    assert listed == {"budget://categories"}
    assert templates == {"budget://summary/{month}"}
    assert json.loads(categories.contents[0].text) == tool_categories
    assert json.loads(february.contents[0].text) == tool_february
    assert tool_february["total"] == "1759.75" and tool_february["partial"] is False


async def test_a_month_that_is_not_one_is_an_error_that_says_why(seeded: Seeded) -> None:
    from mcp.shared.exceptions import MCPError

    async with connect(seeded.url) as client:
        with pytest.raises(MCPError, match="not a month"):
            await client.read_resource("budget://summary/2026-13")
