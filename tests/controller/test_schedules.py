"""Schedules on both backends: a start in the past posts each missed date once; posting again,
deleting or undoing a posted entry never posts a date twice; reminders wait for a person;
making, pausing, skipping and deleting are undoable; what is coming is projected per category
and per month. Today is 2026-03-15."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from budget_tui.controller import categories, expense_list, expenses, history, schedules
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.db.models import Expense
from budget_tui.errors import Conflict, InvalidInput, NotFound
from tests.controller.conftest import add, assert_rollup_consistent

D = Decimal
MARCH = Period.month(dt.date(2026, 3, 1))
APRIL = Period.month(dt.date(2026, 4, 1))


def entries(book) -> list[tuple[str, str, Decimal]]:
    rows = expense_list.list_expenses(book.sessions, descending=False, limit=1000).items
    return [(e.occurred_on.isoformat(), e.description, e.amount) for e in rows]


def rent(sessions, category, **kw):
    values = {
        "description": "Rent",
        "amount": "1200.00",
        "category": category,
        "every": "month",
        "day": 31,
        "start": "2025-12-31",
    }
    return schedules.create_schedule(sessions, **(values | kw))


def test_a_start_in_the_past_posts_each_missed_date_once(book, sessions, food) -> None:
    made = rent(sessions, food.id)
    assert made.next_on == dt.date(2025, 12, 31) and entries(book) == []  # making posts nothing
    posted = schedules.post_due(sessions).posted
    assert [e.occurred_on.isoformat() for e in posted] == ["2025-12-31", "2026-01-31", "2026-02-28"]
    assert all(e.uid == schedules.occurrence_uid(made.id, e.occurred_on) for e in posted)
    assert schedules.post_due(sessions).posted == ()
    assert schedules.post_on_open(sessions).posted == ()
    assert len(entries(book)) == 3
    assert schedules.get_schedule(sessions, made.id).next_on == dt.date(2026, 3, 31)
    assert_rollup_consistent(book)
    # The month's end comes: exactly one more, on the 31st.
    later = schedules.post_due(sessions, "2026-04-01").posted
    assert [e.occurred_on.isoformat() for e in later] == ["2026-03-31"]
    assert len(entries(book)) == 4


def test_posting_is_one_change_per_schedule_by_the_source_schedule(book, sessions, food) -> None:
    made = rent(sessions, food.id)
    schedules.post_due(sessions)
    newest = history.list_changes(sessions, limit=1)[0]
    assert (newest.source, newest.action) == ("schedule", "schedule.post")
    assert newest.summary == (
        f"post 3 entries of 'Rent' from 2025-12-31 to 2026-02-28 (schedule #{made.id})"
    )


def test_a_deleted_or_undone_posting_is_never_posted_again(book, sessions, food) -> None:
    rent(sessions, food.id)
    schedules.post_due(sessions)
    first = expense_list.list_expenses(sessions, descending=False).items[0]
    expenses.delete_expense(sessions, first.id)
    assert schedules.post_due(sessions).posted == ()
    assert len(entries(book)) == 2
    history.undo(sessions)  # the delete
    # Undo the posting itself: its entries go, and opening the book does not post them again.
    posting = next(c for c in history.list_changes(sessions) if c.action == "schedule.post")
    history.undo(sessions, posting.id)
    assert entries(book) == []
    assert schedules.post_on_open(sessions).posted == ()
    assert entries(book) == []
    history.redo(sessions)
    assert [d for d, _, _ in entries(book)] == ["2025-12-31", "2026-01-31", "2026-02-28"]
    assert_rollup_consistent(book)


def test_the_unique_uid_refuses_a_second_posting_of_one_date(book, sessions, food) -> None:
    made = rent(sessions, food.id)
    schedules.post_due(sessions)
    with book.sessions() as s:
        count = s.scalar(
            select(func.count())
            .select_from(Expense)
            .where(Expense.uid == schedules.occurrence_uid(made.id, dt.date(2026, 1, 31)))
        )
    assert count == 1
    with pytest.raises(Conflict):  # the database itself: a second row with that uid
        expenses.create_expense(
            sessions,
            description="Rent",
            amount="1200.00",
            occurred_on="2026-01-30",
            category=food.id,
            uid=schedules.occurrence_uid(made.id, dt.date(2026, 1, 31)),
        )


def test_skip_pause_end_delete_are_changes_and_undo(book, sessions, food) -> None:
    made = rent(sessions, food.id, start="2026-03-31")
    assert schedules.skip_next(sessions, made.id).next_on == dt.date(2026, 4, 30)
    assert schedules.post_due(sessions, "2026-04-01").posted == ()  # 31 March is skipped
    assert history.list_changes(sessions, limit=1)[0].summary.startswith("skip 2026-03-31")
    history.undo(sessions)
    assert schedules.get_schedule(sessions, made.id).next_on == dt.date(2026, 3, 31)

    paused = schedules.pause_schedule(sessions, made.id)
    assert (paused.paused, paused.state) == (True, "paused")
    assert schedules.upcoming(sessions, APRIL).entries == ()
    assert schedules.post_due(sessions, "2026-05-01").posted == ()
    history.undo(sessions)
    assert not schedules.get_schedule(sessions, made.id).paused
    assert [e.on for e in schedules.upcoming(sessions, APRIL).entries] == [dt.date(2026, 4, 30)]

    ended = schedules.end_schedule(sessions, made.id, "2026-06-30")
    assert ended.end_on == dt.date(2026, 6, 30)
    with pytest.raises(InvalidInput):
        schedules.end_schedule(sessions, made.id, "2026-01-01")
    schedules.delete_schedule(sessions, made.id)
    with pytest.raises(NotFound):
        schedules.get_schedule(sessions, made.id)
    history.undo(sessions)
    back = schedules.get_schedule(sessions, made.id)
    assert (back.description, back.end_on, back.next_on) == (
        "Rent",
        dt.date(2026, 6, 30),
        dt.date(2026, 3, 31),
    )
    history.undo(sessions)  # the end date
    assert schedules.get_schedule(sessions, made.id).end_on is None
    history.redo(sessions)
    assert schedules.get_schedule(sessions, made.id).end_on == dt.date(2026, 6, 30)
    # Undoing the making removes it; the id is never handed to another schedule.
    add_change = next(c for c in history.list_changes(sessions) if c.action == "schedule.add")
    schedules.delete_schedule(sessions, made.id)
    with pytest.raises(Conflict):
        history.undo(sessions, add_change.id)  # deleted since: nothing to take back
    other = rent(sessions, food.id, description="Parking")
    assert other.id != made.id


def test_undo_of_a_schedule_changed_since_is_refused(book, sessions, food) -> None:
    made = rent(sessions, food.id, start="2026-04-30")
    schedules.pause_schedule(sessions, made.id)
    pause = history.list_changes(sessions, limit=1)[0]
    schedules.update_schedule(sessions, made.id, amount="1300.00")
    with pytest.raises(Conflict) as caught:
        history.undo(sessions, pause.id)
    assert "was changed since" in caught.value.message
    assert schedules.get_schedule(sessions, made.id).paused


def test_resuming_does_not_post_what_fell_while_paused(book, sessions, food) -> None:
    made = rent(sessions, food.id, every="week", day="mon", start="2026-02-02")
    schedules.pause_schedule(sessions, made.id)
    assert schedules.post_due(sessions).posted == ()
    resumed = schedules.resume_schedule(sessions, made.id)
    assert resumed.next_on == dt.date(2026, 3, 16)
    assert schedules.post_due(sessions).posted == ()
    assert [e.occurred_on for e in schedules.post_due(sessions, "2026-03-16").posted] == [
        dt.date(2026, 3, 16)
    ]


def test_a_reminder_waits_for_a_person_who_may_change_the_amount(book, sessions, food) -> None:
    made = schedules.create_schedule(
        sessions,
        description="Electricity",
        amount="80.00",
        category=food.id,
        every="month",
        day=10,
        start="2026-02-10",
        remind=True,
    )
    assert schedules.post_due(sessions).posted == ()
    due = schedules.upcoming(sessions, Period.between(dt.date(2026, 1, 1), dt.date(2026, 4, 30)))
    assert [(e.on.isoformat(), e.due, e.remind) for e in due.entries] == [
        ("2026-02-10", True, True),
        ("2026-03-10", True, True),
        ("2026-04-10", False, True),
    ]
    saved = schedules.post_reminder(sessions, made.id, "2026-02-10", amount="91.30")
    assert (saved.amount, saved.occurred_on) == (D("91.30"), dt.date(2026, 2, 10))
    with pytest.raises(InvalidInput):
        schedules.post_reminder(sessions, made.id, "2026-02-10")
    with pytest.raises(InvalidInput):
        schedules.post_reminder(sessions, made.id, "2026-02-11")
    assert schedules.get_schedule(sessions, made.id).next_on == dt.date(2026, 3, 10)
    schedules.post_reminder(sessions, made.id, "2026-03-10")
    assert [d for d, _, _ in entries(book)] == ["2026-02-10", "2026-03-10"]
    assert_rollup_consistent(book)


def test_what_is_coming_per_category_and_the_forecast(book, sessions, food, travel) -> None:
    salary = categories.create_category(sessions, "Salary", kind="income")
    rent(sessions, food.id, start="2026-01-31")
    schedules.create_schedule(
        sessions, description="Pay", amount="3000", category=salary.id, day=25, start="2026-01-25"
    )
    schedules.create_schedule(
        sessions, description="Train", amount="20", category=travel.id, every="week", day="fri"
    )
    schedules.post_due(sessions)
    add(sessions, food.id, "50.00", "2026-03-02")
    march = schedules.upcoming(sessions, MARCH)
    assert [(e.on.day, e.description) for e in march.entries] == [
        (20, "Train"),
        (25, "Pay"),
        (27, "Train"),
        (31, "Rent"),
    ]
    assert march.flows.income == D("3000.00") and march.flows.spending == D("1240.00")
    assert schedules.projected_by_category(sessions, dt.date(2026, 3, 1)) == {
        travel.id: D("40.00"),
        salary.id: D("3000.00"),
        food.id: D("1200.00"),
    }
    forecast = schedules.forecast(sessions)
    assert [m.month.start for m in forecast.months] == [
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 1),
        dt.date(2026, 5, 1),
    ]
    now, april = forecast.months[0], forecast.months[1]
    # Rent and pay so far fell in January and February; March has the 50.00 entered.
    assert (now.actual.income, now.actual.spending) == (D("0.00"), D("50.00"))
    assert (now.scheduled.income, now.scheduled.spending) == (D("3000.00"), D("1240.00"))
    assert now.projected.net == D("1710.00")
    # April: rent on the 30th, pay on the 25th, trains on 3, 10, 17 and 24.
    assert (april.scheduled.income, april.scheduled.spending) == (D("3000.00"), D("1280.00"))


def test_bad_values_are_refused_naming_the_field(book, sessions, food) -> None:
    for kw, field in (
        ({"every": "fortnite"}, "every"),
        ({"day": 32}, "day"),
        ({"amount": "0"}, "amount"),
        ({"description": " "}, "description"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "end"),
        ({"count": 0}, "count"),
    ):
        with pytest.raises(InvalidInput) as caught:
            rent(sessions, food.id, **kw)
        assert caught.value.field == field, kw
    with pytest.raises(NotFound):
        rent(sessions, "Nowhere")
    assert schedules.list_schedules(sessions) == ()


def test_a_schedule_keeps_its_category_from_being_deleted(book, sessions, food, travel) -> None:
    rent(sessions, travel.id, start="2026-04-30")
    with pytest.raises(Conflict) as caught:
        categories.delete_category(sessions, travel.id, move_to=food.id)
    assert "'Travel' has 1 schedule; move them" in caught.value.message
    assert expense_list.expense_totals(sessions, ExpenseFilter()).count == 0
