"""Schedules from the keyboard: last month's rent made a monthly schedule with one key on
Expenses (the form filled from the row), posted once and projected; the Schedules screen
pauses, resumes, skips, deletes (undone with u) and posts a reminder with a changed amount;
opening the app posts what is due, once. Each flow checks the screen and the database."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable, Input, Static

from budget_tui.controller import categories, expense_list, expenses, schedules
from budget_tui.tui.screens.schedules import SchedulesScreen
from budget_tui.tui.widgets.schedule_form import PostForm, ScheduleForm
from tests.tui.helpers import clear_and_type, make_app, ready, settle


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def rent_entries(db) -> list[tuple[str, Decimal]]:
    rows = expense_list.list_expenses(db.sessions, descending=False).items
    return [(e.occurred_on.isoformat(), e.amount) for e in rows if e.description == "Rent"]


async def test_last_months_rent_becomes_a_schedule_posted_once_and_projected(empty_url, db):
    home = categories.create_category(db.sessions, "Housing")
    expenses.create_expense(
        db.sessions, description="Rent", amount="1200", occurred_on="2026-02-01", category=home.id
    )
    app = make_app(empty_url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("left_square_bracket")  # February, where last month's rent is
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScheduleForm)
        values = {
            k: form.field(k).value for k in ("description", "amount", "every", "day", "start")
        }
        assert values == {
            "description": "Rent",
            "amount": "1200.00",
            "every": "month",
            "day": "1",
            "start": "2026-03-01",
        }
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ScheduleForm)
        # 1 March has come (today is the 15th): posted at once, once.
        assert rent_entries(db) == [
            ("2026-02-01", Decimal("1200.00")),
            ("2026-03-01", Decimal("1200.00")),
        ]
        made = schedules.list_schedules(db.sessions)[0]
        assert (made.every, made.next_on.isoformat()) == ("every month on the 1st", "2026-04-01")
        # Next month shows it as upcoming, with the projection.
        await pilot.press("t", "right_square_bracket")
        await settle(pilot)
        upcoming = text_of(app, "#expenses-upcoming")
        assert "upcoming  2026-04-01  Rent  $1,200.00  Housing" in upcoming
        assert "Projected for April 2026: spending $1,200.00" in upcoming
    # Opening the app again (the 1st of a later month would post): nothing is posted twice.
    app = make_app(empty_url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
    assert len(rent_entries(db)) == 2


async def test_opening_the_app_posts_what_is_due_once(empty_url, db, monkeypatch):
    home = categories.create_category(db.sessions, "Housing")
    schedules.create_schedule(
        db.sessions, description="Rent", amount="1200", category=home.id, day=1, start="2026-01-01"
    )
    for _ in range(2):  # two openings, one after the other
        app = make_app(empty_url)
        async with app.run_test(size=(120, 30)) as pilot:
            await ready(pilot)
            assert "Rent" in str(app.screen.query_one("#expenses", DataTable).get_row_at(0))
    assert [d for d, _ in rent_entries(db)] == ["2026-01-01", "2026-02-01", "2026-03-01"]


async def test_pause_resume_skip_delete_and_undo_on_the_schedules_screen(empty_url, db):
    home = categories.create_category(db.sessions, "Housing")
    made = schedules.create_schedule(
        db.sessions, description="Gym", amount="30", category=home.id, day=20, start="2026-03-20"
    )
    app = make_app(empty_url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, SchedulesScreen)
        table = app.screen.query_one("#schedules", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:2] == ["2026-03-20", "Gym"]
        await pilot.press("p")
        await settle(pilot)
        assert schedules.get_schedule(db.sessions, made.id).paused
        assert "paused" in str(table.get_row_at(0)[4])
        await pilot.press("p")
        await settle(pilot)
        assert not schedules.get_schedule(db.sessions, made.id).paused
        await pilot.press("s")
        await settle(pilot)
        assert schedules.get_schedule(db.sessions, made.id).next_on.isoformat() == "2026-04-20"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")  # the dialog's Delete
        await settle(pilot)
        assert schedules.list_schedules(db.sessions) == ()
        assert "No schedules yet" in text_of(app, "#schedules-empty")
        await pilot.press("u")
        await settle(pilot)
        assert [s.description for s in schedules.list_schedules(db.sessions)] == ["Gym"]
        assert table.row_count == 1


async def test_a_reminder_is_posted_with_one_key_and_a_changed_amount(empty_url, db):
    home = categories.create_category(db.sessions, "Housing")
    schedules.create_schedule(
        db.sessions,
        description="Electricity",
        amount="80",
        category=home.id,
        day=10,
        start="2026-03-10",
        remind=True,
    )
    app = make_app(empty_url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        # Not posted by the opening: it waits, shown as due on the month's list.
        assert "due       2026-03-10  Electricity  $80.00" in text_of(app, "#expenses-upcoming")
        await pilot.press("f6")
        await settle(pilot)
        assert "1 due" in text_of(app, "#schedules-status")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PostForm)
        amount = app.screen.query_one("#amount-input", Input)
        assert amount.value == "80.00"
        await clear_and_type(pilot, "91.30")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SchedulesScreen)
        assert "due" not in text_of(app, "#schedules-status")
    posted = expense_list.list_expenses(db.sessions).items
    assert [(e.description, e.amount, e.occurred_on.isoformat()) for e in posted] == [
        ("Electricity", Decimal("91.30"), "2026-03-10")
    ]


async def test_a_new_schedule_from_scratch_with_a_bad_day_keeps_what_was_typed(empty_url, db):
    categories.create_category(db.sessions, "Subscriptions")
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, "schedules")
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScheduleForm)
        await pilot.press(*"Music", "tab", *"9.99", "tab", *"subs", "tab")
        await clear_and_type(pilot, "month")
        await pilot.press("tab", *"32", "enter")
        await settle(pilot)
        assert app.screen is form
        assert "1 to 31" in str(form.query_one("#day-error", Static).render())
        await clear_and_type(pilot, "last")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SchedulesScreen)
    made = schedules.list_schedules(db.sessions)
    assert [(s.description, s.amount, s.every, s.next_on.isoformat()) for s in made] == [
        ("Music", Decimal("9.99"), "every month on the last day", "2026-03-31")
    ]


async def test_reports_forecast_the_next_three_months_from_the_schedules(empty_url, db):
    home = categories.create_category(db.sessions, "Housing")
    pay = categories.create_category(db.sessions, "Salary", kind="income")
    schedules.create_schedule(
        db.sessions, description="Rent", amount="1200", category=home.id, day=31, start="2026-03-31"
    )
    schedules.create_schedule(
        db.sessions, description="Pay", amount="1000", category=pay.id, day=25, start="2026-03-25"
    )
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, "reports")
        forecast = text_of(app, "#forecast").splitlines()
    assert forecast == [
        "Forecast from schedules",
        "Mar 2026 (rest): scheduled in $1,000.00 · out $1,200.00 · projected net -$200.00",
        "Apr 2026: scheduled in $1,000.00 · out $1,200.00 · projected net -$200.00",
        "May 2026: scheduled in $1,000.00 · out $1,200.00 · projected net -$200.00",
    ]


async def test_two_apps_opening_at_the_same_moment_post_rent_once(empty_url, db):
    home = categories.create_category(db.sessions, "Housing")
    schedules.create_schedule(
        db.sessions, description="Rent", amount="1200", category=home.id, day=1, start="2026-01-01"
    )
    first, second = make_app(empty_url), make_app(empty_url)
    async with first.run_test(size=(120, 30)) as one, second.run_test(size=(120, 30)) as two:
        await ready(one)
        await ready(two)
    assert [d for d, _ in rent_entries(db)] == ["2026-01-01", "2026-02-01", "2026-03-01"]


async def test_an_app_left_open_past_midnight_posts_the_new_days_entry(empty_url, db, monkeypatch):
    home = categories.create_category(db.sessions, "Housing")
    schedules.create_schedule(
        db.sessions, description="Rent", amount="1200", category=home.id, day=16, start="2026-03-16"
    )
    app = make_app(empty_url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert rent_entries(db) == []
        monkeypatch.setenv("BUDGET_TUI_TODAY", "2026-03-16")
        for _ in range(100):
            await pilot.pause(0.05)
            if rent_entries(db):
                break
        await settle(pilot)
        assert rent_entries(db) == [("2026-03-16", Decimal("1200.00"))]


async def test_editing_a_schedule_changes_it_and_u_takes_it_back(empty_url, db):
    home = categories.create_category(db.sessions, "Housing")
    made = schedules.create_schedule(
        db.sessions, description="Rent", amount="1200", category=home.id, day=1, start="2026-04-01"
    )
    app = make_app(empty_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, "schedules")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScheduleForm)
        assert form.field("amount").value == "1200.00"
        await pilot.press("tab")
        await clear_and_type(pilot, "1250")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SchedulesScreen)
        assert schedules.get_schedule(db.sessions, made.id).amount == Decimal("1250.00")
        await pilot.press("u")
        await settle(pilot)
        assert schedules.get_schedule(db.sessions, made.id).amount == Decimal("1200.00")


async def test_categories_show_what_is_still_scheduled_and_the_budget_left_after_it(empty_url, db):
    bills = categories.create_category(db.sessions, "Utilities", "100")
    expenses.create_expense(
        db.sessions, description="Water", amount="30", occurred_on="2026-03-02", category=bills.id
    )
    schedules.create_schedule(
        db.sessions, description="Power", amount="80", category=bills.id, day=28, start="2026-03-28"
    )
    app = make_app(empty_url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, "categories")
        line = text_of(app, "#categories-projected")
        assert line == "Still scheduled: Utilities $80.00 (left -$10.00)"
        await pilot.press("right_square_bracket")  # April: all of it still to come
        await settle(pilot)
        assert text_of(app, "#categories-projected") == (
            "Still scheduled: Utilities $80.00 (left $20.00)"
        )
