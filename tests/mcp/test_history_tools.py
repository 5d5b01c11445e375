"""An assistant's changes carry its name, it can list the book's changes, and with --allow-write
undo its own (only its own, unless told otherwise). Both backends."""

from __future__ import annotations

import datetime as dt

from budget_tui.controller import expense_list, history
from tests.mcp.conftest import Seeded, tools_for


async def test_writes_are_recorded_with_the_client_name_from_the_handshake(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True, client_name="Claude Desktop") as t:
        added = await t.ok("add_expense", description="Pizza", amount="9", category="coffee")
        await t.ok("update_expense", expense_id=added["expense"]["id"], amount="9.50")
        await t.ok("create_category", name="Gifts")
        await t.ok("delete_expense", expense_id=added["expense"]["id"])
    made = history.list_changes(seeded.book.sessions, source="mcp:Claude Desktop")
    assert [c.action for c in made] == [
        "expense.delete",
        "category.add",
        "expense.edit",
        "expense.add",
    ]
    assert made[-1].summary == "add 'Pizza' 9.00 on 2026-03-15 in 'Coffee'"


async def test_list_changes_newest_first_mine_and_by_source(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True, client_name="helper") as t:
        await t.ok("add_expense", description="Tea", amount="2", category="coffee")
        every = await t.ok("list_changes", limit=3)
        mine = await t.ok("list_changes", mine=True)
        cli = await t.ok("list_changes", source="cli", limit=500)
        refused = await t.error("list_changes", limit=0)
    assert [c["source"] for c in every["changes"]] == ["mcp:helper", "cli", "cli"]
    assert [c["summary"] for c in mine["changes"]] == ["add 'Tea' 2.00 on 2026-03-15 in 'Coffee'"]
    assert len(cli["changes"]) == 15  # the seeded book: 3 categories, 12 expenses
    assert "limit" in refused
    ids = [c["id"] for c in every["changes"]]
    assert ids == sorted(ids, reverse=True)
    assert dt.datetime.fromisoformat(every["changes"][0]["at"]).tzinfo is not None


async def test_undo_change_undoes_only_the_clients_own_changes_unless_told(seeded: Seeded) -> None:
    s = seeded.book.sessions
    people_change = history.list_changes(s, limit=1)[0]  # the seed's last add, by the CLI
    async with tools_for(seeded.url, allow_write=True, client_name="helper") as t:
        added = await t.ok("add_expense", description="Tea", amount="2", category="coffee")
        refused = await t.error("undo_change", change_id=people_change.id)
        own = (await t.ok("list_changes", mine=True))["changes"][0]["id"]
        done = await t.ok("undo_change", change_id=own)
        told = await t.ok("undo_change", change_id=people_change.id, any_source=True)
    assert "was made by cli, not by mcp:helper; it was not undone" in refused
    assert done["message"] == "Undid: add 'Tea' 2.00 on 2026-03-15 in 'Coffee'"
    assert done["undo"]["source"] == "mcp:helper" and done["undone"]["undone"] is True
    assert told["message"] == "Undid: " + people_change.summary
    left = {e.description for e in expense_list.list_expenses(s, limit=100).items}
    assert "Tea" not in left and added["expense"]["id"] not in {
        e.id for e in expense_list.list_expenses(s, limit=100).items
    }


async def test_undo_change_is_only_offered_with_allow_write(seeded: Seeded) -> None:
    async with tools_for(seeded.url) as t:
        names = {tool.name for tool in (await t.client.list_tools()).tools}
    assert "list_changes" in names and "undo_change" not in names
