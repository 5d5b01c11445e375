"""Expenses: create, update, move, delete, get, list with filters; idempotent saves; versions."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from budget_tui.controller import expense_list, expenses
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.errors import Conflict, InvalidInput, NotFound
from tests.controller.conftest import add, assert_rollup_consistent

TODAY = dt.date(2026, 3, 15)


def all_rows(sessions, flt=None, **kw):
    return list(expense_list.list_expenses(sessions, flt, limit=1000, **kw).items)


def descriptions(sessions, flt=None, **kw) -> list[str]:
    return [e.description for e in all_rows(sessions, flt, **kw)]


def test_create_and_get(book, sessions, food) -> None:
    saved = expenses.create_expense(
        sessions, description="  Bread ", amount="3.20", occurred_on="yesterday", category="food"
    )
    assert saved.description == "Bread"
    assert saved.amount == Decimal("3.20")
    assert saved.occurred_on == TODAY - dt.timedelta(days=1)
    assert (saved.category_id, saved.category_name) == (food.id, "Food")
    assert saved.version == 1 and saved.replayed is False
    uuid.UUID(saved.uid)
    assert expenses.get_expense(sessions, saved.id) == saved
    assert_rollup_consistent(book)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "x" * 201}, "description"),
        ({"description": "a\nb"}, "description"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-0"}, "amount"),  # a refund is negative, never zero
        ({"amount": "1.001"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"occurred_on": "someday"}, "date"),
        ({"occurred_on": "1899-12-31"}, "date"),
        ({"category": ""}, "category"),
        ({"uid": "not-a-uuid"}, "uid"),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(book, sessions, food, changes, field) -> None:
    values = {"description": "Bread", "amount": "3", "occurred_on": "today", "category": food.id}
    values.update(changes)
    with pytest.raises(InvalidInput) as err:
        expenses.create_expense(sessions, **values)
    assert err.value.field == field
    assert all_rows(sessions) == []


def test_create_in_a_missing_category(sessions, food) -> None:
    with pytest.raises(NotFound):
        expenses.create_expense(
            sessions, description="x", amount="1", occurred_on="today", category=food.id + 9
        )
    with pytest.raises(NotFound, match="Nope"):
        expenses.create_expense(
            sessions, description="x", amount="1", occurred_on="today", category="Nope"
        )


def test_same_uid_twice_replays_without_a_second_row(book, sessions, food) -> None:
    uid = expenses.new_uid()
    values = dict(description="Taxi", amount="18.00", occurred_on="2026-03-01", category=food.id)
    first = expenses.create_expense(sessions, uid=uid, **values)
    again = expenses.create_expense(sessions, uid=uid.upper(), **values)
    assert again.replayed is True
    assert again.id == first.id and again.uid == first.uid
    assert len(all_rows(sessions)) == 1
    assert_rollup_consistent(book)


def test_same_uid_with_other_values_is_a_conflict(book, sessions, food) -> None:
    uid = expenses.new_uid()
    expenses.create_expense(
        sessions,
        uid=uid,
        description="Taxi",
        amount="18",
        occurred_on="2026-03-01",
        category=food.id,
    )
    with pytest.raises(Conflict, match="other values"):
        expenses.create_expense(
            sessions,
            uid=uid,
            description="Taxi",
            amount="19",
            occurred_on="2026-03-01",
            category=food.id,
        )
    assert [e.amount for e in all_rows(sessions)] == [Decimal("18.00")]
    assert_rollup_consistent(book)


def test_update_every_field(book, sessions, food, travel) -> None:
    e = add(sessions, food.id, "10.00", "2026-03-10", "Lunch")
    changed = expenses.update_expense(
        sessions,
        e.id,
        version=e.version,
        description="Dinner",
        amount="25.50",
        occurred_on="2026-01-05",
        category="Travel",
    )
    assert (changed.description, changed.amount, changed.occurred_on) == (
        "Dinner",
        Decimal("25.50"),
        dt.date(2026, 1, 5),
    )
    assert (changed.category_id, changed.category_name) == (travel.id, "Travel")
    assert changed.version == e.version + 1
    assert expenses.get_expense(sessions, e.id) == changed
    assert_rollup_consistent(book)


def test_update_with_nothing_given_keeps_the_row(sessions, food) -> None:
    e = add(sessions, food.id)
    assert expenses.update_expense(sessions, e.id) == e


def test_update_refuses_bad_input_and_changes_nothing(book, sessions, food) -> None:
    e = add(sessions, food.id, "10.00")
    # Description is valid but the amount is not: the description must not be saved either.
    with pytest.raises(InvalidInput) as err:
        expenses.update_expense(sessions, e.id, description="New", amount="-0")
    assert err.value.field == "amount"
    with pytest.raises(NotFound):
        expenses.update_expense(sessions, e.id, description="New", category=food.id + 9)
    assert expenses.get_expense(sessions, e.id) == e
    assert_rollup_consistent(book)


def test_stale_version_is_a_conflict(book, sessions, food) -> None:
    e = add(sessions, food.id, "10.00")
    expenses.update_expense(sessions, e.id, version=e.version, amount="11")
    with pytest.raises(Conflict, match="changed elsewhere"):
        expenses.update_expense(sessions, e.id, version=e.version, amount="12")
    with pytest.raises(Conflict):
        expenses.move_expense(sessions, e.id, food.id, version=e.version)
    with pytest.raises(Conflict):
        expenses.delete_expense(sessions, e.id, version=e.version)
    assert expenses.get_expense(sessions, e.id).amount == Decimal("11.00")
    assert_rollup_consistent(book)


def test_move(book, sessions, food, travel) -> None:
    e = add(sessions, food.id, "4.00")
    moved = expenses.move_expense(sessions, e.id, "TRAVEL", version=e.version)
    assert (moved.category_id, moved.category_name, moved.version) == (travel.id, "Travel", 2)
    assert_rollup_consistent(book)
    with pytest.raises(NotFound):
        expenses.move_expense(sessions, e.id, travel.id + 9)
    with pytest.raises(NotFound):
        expenses.move_expense(sessions, e.id + 9, travel.id)


def test_delete(book, sessions, food) -> None:
    e = add(sessions, food.id)
    keep = add(sessions, food.id, "1")
    assert expenses.delete_expense(sessions, e.id, version=e.version).deleted_id == e.id
    assert [x.id for x in all_rows(sessions)] == [keep.id]
    with pytest.raises(NotFound):
        expenses.delete_expense(sessions, e.id)
    with pytest.raises(NotFound):
        expenses.get_expense(sessions, e.id)
    assert_rollup_consistent(book)


@pytest.fixture
def spread(sessions, food, travel):
    """Five expenses over three months in two categories."""
    return [
        add(sessions, food.id, "5.00", "2026-01-31", "Coffee beans"),
        add(sessions, food.id, "12.00", "2026-02-01", "100% juice"),
        add(sessions, travel.id, "300.00", "2026-02-28", "Train_ticket"),
        add(sessions, food.id, "45.10", "2026-03-01", "Supermarket"),
        add(sessions, travel.id, "0.99", "2026-03-14", "Bus fare \\ app"),
    ]


def test_list_newest_first_by_default(sessions, spread) -> None:
    page = expense_list.list_expenses(sessions)
    assert [e.occurred_on.isoformat() for e in page.items] == [
        "2026-03-14",
        "2026-03-01",
        "2026-02-28",
        "2026-02-01",
        "2026-01-31",
    ]
    assert page.next_cursor is None and page.prev_cursor is None


def test_list_by_amount_both_ways(sessions, spread) -> None:
    up = [e.amount for e in all_rows(sessions, sort="amount", descending=False)]
    assert up == sorted(e.amount for e in spread)
    down = [e.amount for e in all_rows(sessions, sort="amount")]
    assert down == up[::-1]
    oldest = [e.occurred_on for e in all_rows(sessions, descending=False)]
    assert oldest == sorted(oldest)


def test_filter_by_period(sessions, spread) -> None:
    feb = ExpenseFilter(period=Period.month(dt.date(2026, 2, 1)))
    assert descriptions(sessions, feb) == ["Train_ticket", "100% juice"]
    days = ExpenseFilter(period=Period.between(dt.date(2026, 1, 31), dt.date(2026, 2, 1)))
    assert descriptions(sessions, days) == ["100% juice", "Coffee beans"]


def test_filter_by_category(sessions, spread, travel) -> None:
    assert descriptions(sessions, ExpenseFilter(category_id=travel.id)) == [
        "Bus fare \\ app",
        "Train_ticket",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("COFFEE", ["Coffee beans"]),
        ("  market ", ["Supermarket"]),
        ("%", ["100% juice"]),  # a literal percent sign, not "anything"
        ("_", ["Train_ticket"]),  # a literal underscore, not "any character"
        ("0%", ["100% juice"]),
        ("n_t", ["Train_ticket"]),
        ("\\", ["Bus fare \\ app"]),
        ("zzz", []),
    ],
)
def test_filter_by_text(sessions, spread, text, expected) -> None:
    assert descriptions(sessions, ExpenseFilter(text=text)) == expected


def test_filter_by_amount_bounds_inclusive(sessions, spread) -> None:
    flt = ExpenseFilter(min_amount=Decimal("5.00"), max_amount=Decimal("45.10"))
    assert descriptions(sessions, flt) == ["Supermarket", "100% juice", "Coffee beans"]
    assert descriptions(sessions, ExpenseFilter(min_amount=Decimal("300"))) == ["Train_ticket"]
    assert descriptions(sessions, ExpenseFilter(max_amount=Decimal("0.99"))) == ["Bus fare \\ app"]


def test_filters_combine(sessions, spread, food) -> None:
    flt = ExpenseFilter(
        period=Period.between(dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        category_id=food.id,
        text="e",
        min_amount=Decimal("6"),
    )
    assert descriptions(sessions, flt) == ["Supermarket", "100% juice"]
    totals = expense_list.expense_totals(sessions, flt)
    assert (totals.total, totals.count) == (Decimal("57.10"), 2)


def test_totals_from_rollup_and_rows_agree(sessions, spread, travel) -> None:
    feb = Period.month(dt.date(2026, 2, 1))
    whole = expense_list.expense_totals(sessions, ExpenseFilter(period=feb))
    assert (whole.total, whole.count) == (Decimal("312.00"), 2)
    by_cat = expense_list.expense_totals(sessions, ExpenseFilter(period=feb, category_id=travel.id))
    assert (by_cat.total, by_cat.count) == (Decimal("300.00"), 1)
    everything = expense_list.expense_totals(sessions)
    assert (everything.total, everything.count) == (Decimal("363.09"), 5)


@pytest.mark.parametrize(
    ("flt", "kw", "field"),
    [
        (ExpenseFilter(min_amount=Decimal("5"), max_amount=Decimal("4")), {}, "max_amount"),
        (ExpenseFilter(min_amount=Decimal("NaN")), {}, "min_amount"),
        (ExpenseFilter(min_amount=Decimal("1.234")), {}, "min_amount"),
        (ExpenseFilter(max_amount=Decimal("1e30")), {}, "max_amount"),
        (ExpenseFilter(text="x" * 201), {}, "text"),
        (None, {"sort": "name"}, "sort"),
        (None, {"limit": 0}, "limit"),
        (None, {"limit": 1001}, "limit"),
    ],
)
def test_list_refuses_bad_filters(sessions, flt, kw, field) -> None:
    with pytest.raises(InvalidInput) as err:
        expense_list.list_expenses(sessions, flt, **kw)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("éclair", True),
        ("ÉCLAIR", True),
        ("CAFÉ", True),
        ("überweisung 50%", True),
        ("ÜBERWEISUNG", True),
        ("ü%", False),  # the percent sign is literal here too
        ("é_", False),
        ("Cafe", False),  # no accent folding: only case
        ("ΟΔΟΣ", True),  # a word-final capital sigma matches however it is typed
        ("Σ", True),
        ("οδος", True),
    ],
)
def test_text_filter_ignores_case_beyond_ascii(sessions, food, text, found) -> None:
    add(sessions, food.id, "3.00", "2026-03-01", "Éclair at the café")
    add(sessions, food.id, "4.00", "2026-03-02", "Überweisung 50% Miete")
    add(sessions, food.id, "5.00", "2026-03-03", "Taxi ΟΔΟΣ")
    flt = ExpenseFilter(text=text)
    assert bool(descriptions(sessions, flt)) is found
    assert expense_list.expense_totals(sessions, flt).count == len(descriptions(sessions, flt))


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=False)
def test_a_row_changed_during_the_edit_is_a_conflict(book, sessions, food, monkeypatch) -> None:
    """Another terminal saves the same row between this edit's read and its write: the version
    counter turns the lost update into a Conflict (SQLite's write lock makes this race impossible)."""
    e = add(sessions, food.id, "10.00")
    real = expenses.validate.description

    def meanwhile(value, *args, **kwargs):
        with book.engine.connect() as other:
            other.exec_driver_sql(
                "UPDATE expenses SET description = 'Theirs', version = version + 1 WHERE id = %(id)s",
                {"id": e.id},
            )
            other.commit()
        return real(value, *args, **kwargs)

    monkeypatch.setattr(expenses.validate, "description", meanwhile)
    with pytest.raises(Conflict, match="changed or deleted elsewhere"):
        expenses.update_expense(sessions, e.id, description="Mine")
    monkeypatch.setattr(expenses.validate, "description", real)
    now = expenses.get_expense(sessions, e.id)
    assert (now.description, now.version) == ("Theirs", 2)
    assert_rollup_consistent(book)
