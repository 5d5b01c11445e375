"""``budget_history`` and ``list_schedules`` (read), ``rename_category`` and ``delete_category``
(``--allow-write``): each answers what the app shows, a change is the client's own and
undoable, and an unknown category name is answered with the names there are. Both backends;
today is 2026-03-15."""

from __future__ import annotations

from budget_tui.controller import categories, history, schedules
from tests.mcp.conftest import Seeded, tools_for

KNOWN = "Known categories: Coffee, Groceries, Rent."


async def test_budget_history_lists_each_change_oldest_first(seeded: Seeded) -> None:
    categories.set_budget(seeded.book.sessions, "Groceries", "650", month="2026-02", rollover=True)
    async with tools_for(seeded.url) as t:
        result = await t.ok("budget_history", category="groceries")
        none = await t.ok("budget_history", category="Coffee")
        unknown = await t.error("budget_history", category="Pets")
    assert result["category"] == "Groceries" and result["current_budget"] == "650.00"
    assert result["changes"] == [
        {"month": "2025-12", "amount": "600.00", "rollover": False},
        {"month": "2026-02", "amount": "650.00", "rollover": True},
    ]
    assert none["changes"] == [] and none["current_budget"] is None
    assert "There is no category named 'Pets'" in unknown and KNOWN in unknown


async def test_rename_category_keeps_its_entries_and_is_the_clients_change(
    seeded: Seeded,
) -> None:
    async with tools_for(seeded.url, allow_write=True, client_name="claude") as t:
        renamed = await t.ok("rename_category", category="coffee", new_name="Cafés")
        taken = await t.error("rename_category", category="Cafés", new_name="rent")
        unknown = await t.error("rename_category", category="Pets", new_name="Animals")
        found = await t.ok("query_expenses_by_category", category="cafés")
    assert renamed["action"] == "renamed" and renamed["category"]["name"] == "Cafés"
    assert renamed["category"]["spent"] == "21.20"
    assert "rent" in taken.casefold()
    assert "There is no category named 'Pets'" in unknown
    assert "Known categories: Cafés, Groceries, Rent." in unknown
    assert found["count"] == 3
    last = history.list_changes(seeded.book.sessions, limit=1)[0]
    assert (last.action, last.source) == ("category.edit", "mcp:claude")


async def test_delete_category_needs_a_move_target_when_it_has_entries(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True, client_name="claude") as t:
        refused = await t.error("delete_category", category="Coffee")
        same = await t.error("delete_category", category="Coffee", move_to="coffee")
        unknown = await t.error("delete_category", category="Coffee", move_to="Pets")
        moved = await t.ok("delete_category", category="coffee", move_to="groceries")
        groceries = await t.ok("query_expenses_by_category", category="Groceries")
        undone = await t.ok("undo_change", change_id=moved_change(seeded))
    assert "'Coffee' has 3 expenses" in refused
    assert "different category" in same
    assert KNOWN in unknown
    assert moved == {
        "currency": moved["currency"],
        "action": "deleted",
        "category": "Coffee",
        "moved": 3,
        "moved_to": "Groceries",
    }
    assert groceries["count"] == 9
    assert undone["undone"]["action"] == "category.delete"
    assert categories.get_category(seeded.book.sessions, "Coffee").name == "Coffee"


def moved_change(seeded: Seeded) -> int:
    return history.list_changes(seeded.book.sessions, limit=1)[0].id


async def test_delete_category_without_entries_needs_no_target(seeded: Seeded) -> None:
    categories.create_category(seeded.book.sessions, "Pets")
    async with tools_for(seeded.url, allow_write=True) as t:
        gone = await t.ok("delete_category", category="pets")
    assert (gone["category"], gone["moved"], gone["moved_to"]) == ("Pets", 0, None)
    assert [c.name for c in categories.list_categories(seeded.book.sessions)] == [
        "Coffee",
        "Groceries",
        "Rent",
    ]


async def test_write_tools_name_the_known_categories(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        add = await t.error("add_expense", description="X", amount="1.00", category="Pets")
        budget = await t.error("set_budget", category="Pets", amount="10")
        schedule = await t.error("create_schedule", description="X", amount="1", category="Pets")
    for message in (add, budget, schedule):
        assert "There is no category named 'Pets'" in message and KNOWN in message, message


async def test_list_schedules_pages_every_schedule_once_in_each_order(seeded: Seeded) -> None:
    for n, (amount, start) in enumerate(
        [
            ("30.00", "2026-04-01"),
            ("12.00", "2026-03-20"),
            ("30.00", "2026-03-20"),
            ("99.00", "2026-05-01"),
            ("5.00", "2026-06-01"),
        ]
    ):
        schedules.create_schedule(
            seeded.book.sessions,
            description=f"S{n}",
            amount=amount,
            category="Rent",
            every="month",
            start=start,
        )
    ended = schedules.create_schedule(
        seeded.book.sessions,
        description="Once",
        amount="1.00",
        category="Rent",
        start="2026-03-20",
        count=1,
    )
    schedules.post_due(seeded.book.sessions, "2026-03-31")
    async with tools_for(seeded.url) as t:
        for sort in ("date-asc", "date-desc", "amount-desc", "amount-asc"):
            seen: list[dict] = []
            cursor = None
            while True:
                page = await t.ok(
                    "list_schedules", sort=sort, limit=2, **({"cursor": cursor} if cursor else {})
                )
                assert page["count"] == 6
                seen += page["schedules"]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert sorted(s["id"] for s in seen) == sorted({s["id"] for s in seen})
            assert len(seen) == 6, sort
            if sort == "date-asc":
                assert seen[-1]["id"] == ended.id and seen[-1]["next"] is None
                dates = [s["next"] for s in seen[:-1]]
                assert dates == sorted(dates)
            if sort == "amount-desc":
                amounts = [float(s["amount"]) for s in seen]
                assert amounts == sorted(amounts, reverse=True)
        wrong = await t.error("list_schedules", sort="amount-asc", cursor=cursor or page_cursor(t))
    assert "cursor" in wrong


def page_cursor(t: object) -> str:
    from budget_tui.mcp.paging import encode

    return encode("date-asc", "2026-04-01", 1)
