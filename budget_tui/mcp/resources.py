"""Resources a client can offer its user beside the tools: the category list and a month's
summary. Each is the JSON result of the read tool that answers the same question (one controller
read), so a resource and a tool never disagree."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from mcp.server.mcpserver.tools import Tool

from budget_tui.controller.periods import Period
from budget_tui.errors import BudgetError
from budget_tui.mcp.arguments import error_text, parse_month

JSON = "application/json"


def add_resources(server: MCPServer, tools: list[Tool]) -> None:
    """Register ``budget://categories`` and ``budget://summary/{month}`` on ``server``, answered
    by the read tools among ``tools``."""
    by_name = {tool.name: tool.fn for tool in tools}

    def answer(tool: str, **arguments: Any) -> str:
        return by_name[tool](**arguments).model_dump_json(indent=2)

    @server.resource(
        "budget://categories",
        name="categories",
        title="Categories",
        description="Every category with its monthly budget and this month's spend (JSON).",
        mime_type=JSON,
    )
    def categories() -> str:
        return answer("list_categories")

    @server.resource(
        "budget://summary/{month}",
        name="month-summary",
        title="A month's summary",
        description="A month's spending (YYYY-MM): total, daily average, by category, the "
        "largest expenses; partial while the month is in progress (JSON).",
        mime_type=JSON,
    )
    def month_summary(month: str) -> str:
        try:
            period = Period.month(parse_month(month, "month"))
        except BudgetError as error:
            # Said to the client as it is (the SDK hides the text of any other exception).
            raise ResourceError(error_text(error)) from None
        return answer(
            "summarize_spending",
            start=period.start.isoformat(),
            end=period.last_day.isoformat(),
        )
