"""``upcoming`` (read) and ``create_schedule`` (``--allow-write``): a schedule made by an
assistant posts what is due once, is recorded as the assistant's change, and what is coming is
listed per category. Both backends; today is 2026-03-15."""

from __future__ import annotations

from budget_tui.controller import history, schedules
from tests.mcp.conftest import Seeded, tools_for


async def test_create_schedule_posts_the_past_dates_once_and_is_the_clients_change(
    seeded: Seeded,
) -> None:
    async with tools_for(seeded.url, allow_write=True, client_name="claude") as t:
        made = await t.ok(
            "create_schedule",
            description="Gym",
            amount="30.00",
            category="coffee",
            every="month",
            day="31",
            start="2026-01-31",
        )
        again = await t.ok("upcoming", start="2026-03-01", end="2026-05-31")
    schedule = made["schedule"]
    assert schedule["every"] == "every month on the 31st"
    assert schedule["next"] == "2026-03-31"
    assert [p["date"] for p in made["posted"]] == ["2026-01-31", "2026-02-28"]
    assert [e["date"] for e in again["entries"]] == ["2026-03-31", "2026-04-30", "2026-05-31"]
    assert again["spending"] == "90.00" and again["income"] == "0.00" and again["net"] == "-90.00"
    assert again["by_category"] == [
        {"category": "Coffee", "kind": "spending", "total": "90.00", "count": 3}
    ]
    changes = history.list_changes(seeded.book.sessions, limit=2)
    assert [(c.action, c.source) for c in changes] == [
        ("schedule.post", "schedule"),
        ("schedule.add", "mcp:claude"),
    ]
    # Opening the book again (another server) posts nothing more.
    assert schedules.post_due(seeded.book.sessions).posted == ()


async def test_upcoming_defaults_to_the_next_30_days_and_marks_reminders_due(
    seeded: Seeded,
) -> None:
    schedules.create_schedule(
        seeded.book.sessions,
        description="Water bill",
        amount="40.00",
        category="Rent",
        every="month",
        day=10,
        start="2026-03-10",
        remind=True,
    )
    async with tools_for(seeded.url) as t:
        result = await t.ok("upcoming")
    assert (result["start"], result["end"]) == ("2026-03-15", "2026-04-14")
    assert [(e["date"], e["due"], e["remind"]) for e in result["entries"]] == [
        ("2026-04-10", False, True)
    ]


async def test_create_schedule_refuses_bad_arguments_and_is_write_only(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        bad_every = await t.error(
            "create_schedule", description="X", amount="1.00", category="Rent", every="fortnite"
        )
        bad_day = await t.error(
            "create_schedule", description="X", amount="1.00", category="Rent", day="32"
        )
    assert "every: Say how often" in bad_every
    assert "day: A day of the month is 1 to 31" in bad_day
    async with tools_for(seeded.url) as t:
        names = {tool.name for tool in (await t.client.list_tools()).tools}
    assert "upcoming" in names and "create_schedule" not in names
    assert schedules.list_schedules(seeded.book.sessions) == ()
