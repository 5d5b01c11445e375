"""Snapshots of the Schedules screen and of the month's upcoming entries at 80x24 and 120x40, on
the fixed demo book (today 2026-03-15) with a few schedules: rent on the 1st (posted when the
app opens), a salary (income), a reminder due (electricity), a paused gym and a monthly
streaming subscription on the 31st.

Each test names what a reviewer should see in its SVG.
"""

from __future__ import annotations

import pytest

from budget_tui.controller import schedules
from budget_tui.controller.book import open_book
from tests.tui.helpers import make_app
from tests.tui.test_snapshots import keys, sizes


@pytest.fixture
def schedules_url(snapshot_url: str) -> str:
    book = open_book(snapshot_url)
    try:
        s = book.sessions
        for description, amount, category, day, start, remind in (
            ("Rent", "1800", "Rent", 1, "2026-04-01", False),
            ("Pay", "4200", "Salary", 25, "2026-03-25", False),  # the demo's income category
            ("Electricity", "60", "Utilities", 12, "2026-03-12", True),
            ("Streaming", "15.99", "Subscriptions", 31, "2026-03-31", False),
            ("Gym membership", "45", "Health", 20, "2026-03-20", False),
        ):
            made = schedules.create_schedule(
                s,
                description=description,
                amount=amount,
                category=category,
                day=day,
                start=start,
                remind=remind,
            )
        schedules.pause_schedule(s, made.id)  # the gym
    finally:
        book.close()
    return snapshot_url


@sizes
def test_schedules_screen(snap_compare, schedules_url, size) -> None:
    """Five schedules, the next to fall due first: electricity's row says "due" (a reminder
    waiting since 12 March), pay is green (income), the paused gym is dimmed at the end; the
    status line counts one due and the next 30 days' income, spending and net; the header's
    tabs end with "5 Schedules", highlighted."""
    run_before = keys(mode="schedules")
    assert snap_compare(make_app(schedules_url), terminal_size=size, run_before=run_before)


@sizes
def test_expenses_with_upcoming_entries(snap_compare, schedules_url, size) -> None:
    """March's list as usual; under it, dimmed: electricity "due" on 12 March, then "upcoming"
    streaming on the 31st and pay on the 25th (oldest first: due 12th, pay 25th, streaming 31st),
    and the month's projected spending and net."""
    assert snap_compare(make_app(schedules_url), terminal_size=size, run_before=keys())


@sizes
def test_new_schedule_from_an_expense(snap_compare, schedules_url, size) -> None:
    """r on the newest expense opens the schedule form filled from its row: monthly, on its
    day, starting the month after it."""
    run_before = keys("r")
    assert snap_compare(make_app(schedules_url), terminal_size=size, run_before=run_before)
