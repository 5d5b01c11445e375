"""The Inbox, driven with keys on SQLite and PostgreSQL: an assistant proposes over stdio (a real
``budget-tui mcp --allow-write`` subprocess, propose being the default write mode), the app
shows the proposal by itself with a count on the tab, ``y`` accepts it and the book has the
change, made as the assistant; ``n`` rejects another and nothing changes."""

from __future__ import annotations

from pathlib import Path

from budget_tui.controller import history, proposals
from budget_tui.tui.screens.inbox import InboxScreen
from tests.mcp.test_stdio import stdio
from tests.tui.helpers import make_app, notifications, ready, settle
from tests.tui.test_undo_live import shared, stored, wait_until  # noqa: F401 (a fixture)


async def test_a_proposal_over_stdio_shows_and_y_accepts_it(shared, tmp_path: Path) -> None:  # noqa: F811
    from mcp import Client

    book, url = shared
    app = make_app(url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        transport, errlog = stdio(url, tmp_path, "--allow-write", url_in_env=True)
        with errlog:
            async with Client(transport) as client:
                asked = await client.call_tool(
                    "add_expense",
                    {"description": "Cheese", "amount": "12.30", "category": "food"},
                )
                other = await client.call_tool("set_budget", {"category": "food", "amount": "500"})
        assert not asked.is_error, asked.content[0].text
        assert asked.structured_content["action"] == "proposed"
        assert not other.is_error, other.content[0].text
        assert stored(book) == {"Groceries", "Bakery"}
        await wait_until(pilot, lambda: app.inbox_count == 2, 5.0)

        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await wait_until(pilot, lambda: len(screen.rows) == 2, 5.0)
        assert "500.00" in screen.rows[0].summary  # newest first
        await pilot.press("n")
        await settle(pilot)
        await wait_until(pilot, lambda: len(screen.rows) == 1, 5.0)
        assert "Cheese" in screen.rows[0].summary
        await pilot.press("y")
        await settle(pilot)
        await wait_until(pilot, lambda: "Cheese" in stored(book), 5.0)
        await wait_until(pilot, lambda: app.inbox_count == 0, 5.0)
        assert any(n.startswith("Accepted:") for n in notifications(app))

    newest = history.history_page(book.sessions).changes[0]
    assert newest.source.startswith("mcp:") and "Cheese" in newest.summary
    done = {p.status for p in proposals.list_proposals(book.sessions, status=None)}
    assert done == {"accepted", "rejected"}
