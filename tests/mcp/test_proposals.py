"""Propose mode (``--allow-write=propose``, the default write mode): the write tools check their
arguments as in direct mode, but store a proposal instead of changing the book; the change is
made, as the client, only when the person accepts it."""

from __future__ import annotations

import pytest

from budget_tui.controller import expense_list, expenses, history, proposals
from budget_tui.controller.book import info
from budget_tui.errors import Conflict
from tests.controller.test_ledger import book_state
from tests.mcp.conftest import Seeded, connect, tools_for

WRITE_TOOLS = {
    "add_expense",
    "update_expense",
    "delete_expense",
    "create_category",
    "set_budget",
    "rename_category",
    "delete_category",
}


async def test_propose_mode_offers_the_write_tools_answering_with_a_proposal(
    seeded: Seeded,
) -> None:
    async with connect(seeded.url) as client:
        reading = {t.name for t in (await client.list_tools()).tools}
    async with connect(seeded.url, allow_write="propose") as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
    # Undo and the schedule tools write directly: offered in direct mode only.
    assert set(listed) == reading | WRITE_TOOLS
    for name in WRITE_TOOLS:
        tool = listed[name]
        assert tool.input_schema["additionalProperties"] is False, name
        assert "proposal_id" in (tool.output_schema or {}).get("properties", {}), name
        assert "waits for the person's OK" in (tool.description or ""), name


async def test_nothing_changes_until_the_person_accepts(seeded: Seeded) -> None:
    before = book_state(seeded.book)
    async with tools_for(seeded.url, allow_write="propose", client_name="claude") as t:
        asked = await t.ok(
            "add_expense", description="Cheese", amount="12.3", category="GROCERIES", date="today"
        )
        budget = await t.ok("set_budget", category="coffee", amount="40")
        refused = await t.error("add_expense", description="Cheese", amount="1.00", category="Nope")
        refused_amount = await t.error(
            "add_expense", description="Cheese", amount="1.001", category="Coffee"
        )
    assert asked["action"] == "proposed" and asked["status"] == "pending"
    assert "Cheese" in asked["summary"] and "12.30" in asked["summary"]
    assert "Known categories" in refused and "amount" in refused_amount
    assert book_state(seeded.book) == before
    pending = proposals.list_proposals(seeded.book.sessions)
    assert [p.id for p in pending] == [budget["proposal_id"], asked["proposal_id"]]
    # "today" was read when proposed: accepting later doesn't move the date.
    assert pending[1].arguments["date"] == "2026-03-15"
    assert {p.source for p in pending} == {"mcp:claude"}

    count = info(seeded.book.sessions).expenses
    accepted = proposals.accept_proposal(seeded.book.sessions, asked["proposal_id"])
    assert info(seeded.book.sessions).expenses == count + 1
    change = history.history_page(seeded.book.sessions).changes[0]
    assert (change.id, change.source) == (accepted.change_id, "mcp:claude")
    proposals.reject_proposal(seeded.book.sessions, budget["proposal_id"])
    assert proposals.list_proposals(seeded.book.sessions) == ()


async def test_an_update_proposal_pins_the_version_it_saw(seeded: Seeded) -> None:
    row = expense_list.list_expenses(seeded.book.sessions).items[0]
    async with tools_for(seeded.url, allow_write="propose") as t:
        asked = await t.ok("update_expense", expense_id=row.id, amount="1.00")
        missing = await t.error("delete_expense", expense_id=999_999)
    assert "1.00" in asked["summary"]
    assert missing  # refused at once, as in direct mode
    assert len(proposals.list_proposals(seeded.book.sessions)) == 1
    expenses.update_expense(seeded.book.sessions, row.id, description="Edited elsewhere")
    with pytest.raises(Conflict, match="can't be made now"):
        proposals.accept_proposal(seeded.book.sessions, asked["proposal_id"])
