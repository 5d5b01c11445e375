"""The per-month roll-up always equals SUM(amount), COUNT(*) GROUP BY category, month, and an
action that fails half-way leaves nothing behind (rows, categories and roll-up alike)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.demo import fill_demo
from budget_tui.controller.imports import import_csv
from budget_tui.errors import Conflict, InvalidInput, NotFound
from tests.controller.conftest import add, assert_rollup_consistent, recomputed, rollup

D = dt.date


def snapshot(book) -> tuple:
    """Everything a failed action must leave as it was."""
    with book.engine.connect() as conn:
        cats = conn.exec_driver_sql(
            "SELECT id, name, kind, version FROM categories ORDER BY id"
        ).all()
        budgets = conn.exec_driver_sql(
            "SELECT category_id, month, amount, rollover FROM budgets ORDER BY 1, 2"
        ).all()
        rows = conn.exec_driver_sql(
            "SELECT id, uid, description, amount, occurred_on, category_id, version "
            "FROM expenses ORDER BY id"
        ).all()
    return cats, budgets, rows, rollup(book)


def test_every_kind_of_change_keeps_the_rollup_exact(book, sessions, food, travel) -> None:
    a = add(sessions, food.id, "10.00", "2026-03-10")
    b = add(sessions, food.id, "0.01", "2026-03-31")
    c = add(sessions, travel.id, "99999999.99", "2026-01-01")
    assert rollup(book) == {
        (food.id, D(2026, 3, 1)): (1001, 2),
        (travel.id, D(2026, 1, 1)): (9999999999, 1),
    }
    steps = [
        lambda: expenses.update_expense(sessions, a.id, amount="12.34"),  # amount
        lambda: expenses.update_expense(sessions, a.id, occurred_on="2026-02-28"),  # month
        lambda: expenses.update_expense(sessions, b.id, occurred_on="2026-04-01"),  # month
        lambda: expenses.update_expense(
            sessions, b.id, amount="5", occurred_on="2025-12-31", category=travel.id
        ),  # everything at once
        lambda: expenses.move_expense(sessions, c.id, food.id),
        lambda: expenses.update_expense(sessions, c.id, description="Renamed"),
        lambda: expenses.delete_expense(sessions, a.id),
        lambda: add(sessions, travel.id, "7.77", "2026-03-15"),
        lambda: categories.delete_category(sessions, food.id, move_to=travel.id),
    ]
    for step in steps:
        step()
        assert_rollup_consistent(book)
    assert set(recomputed(book)) == {
        (travel.id, D(2025, 12, 1)),
        (travel.id, D(2026, 1, 1)),
        (travel.id, D(2026, 3, 1)),
    }


def test_import_keeps_the_rollup_exact(book, sessions, food) -> None:
    add(sessions, food.id, "1.00", "2026-03-01")
    text = "date,description,amount,category\n" + "".join(
        f"2026-0{1 + i % 3}-{1 + i % 28:02d},row {i},{i + 1}.{i % 100:02d},{['Food', 'New'][i % 2]}\n"
        for i in range(300)
    )
    import_csv(sessions, io.StringIO(text))
    assert_rollup_consistent(book)


def test_demo_keeps_the_rollup_exact(book, sessions, food) -> None:
    add(sessions, food.id, "1.00", "2026-03-01")
    assert fill_demo(sessions, 3000, seed=7, into_existing=True) == 3000
    assert_rollup_consistent(book)
    # A second fill adds to the same categories; the roll-up still matches.
    fill_demo(sessions, 500, seed=8, into_existing=True)
    assert_rollup_consistent(book)
    assert expense_list.expense_totals(sessions).count == 3501


def test_import_with_a_bad_row_at_5000_leaves_nothing(book, sessions, food) -> None:
    add(sessions, food.id, "3.00", "2026-03-01")
    before = snapshot(book)
    good = [
        f"2026-03-{1 + i % 28:02d},Row {i},{1 + i % 50}.25,Cat {i % 40}\n" for i in range(2, 7001)
    ]
    good[5000 - 2] = "2026-03-01,Row 5000,12.345,Cat 1\n"  # three decimals on row 5000
    text = "date,description,amount,category\n" + "".join(good)
    with pytest.raises(InvalidInput, match=r"^Row 5000: ") as err:
        import_csv(sessions, io.StringIO(text))
    assert err.value.field == "file"
    assert snapshot(book) == before  # no rows, no "Cat n" categories, roll-up untouched


def test_import_stopped_by_its_progress_callback_leaves_nothing(book, sessions) -> None:
    before = snapshot(book)

    def stop(done: int) -> None:
        raise KeyboardInterrupt  # the person pressed ctrl-c while it ran

    text = "date,description,amount,category\n" + "2026-03-01,x,1.00,New\n" * 6000
    with pytest.raises(KeyboardInterrupt):
        import_csv(sessions, io.StringIO(text), progress=stop)
    assert snapshot(book) == before


def test_demo_stopped_half_way_leaves_nothing(book, sessions) -> None:
    before = snapshot(book)
    calls: list[int] = []

    def stop(done: int) -> None:
        calls.append(done)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fill_demo(sessions, 2000, seed=1, progress=stop)
    assert calls  # it did get going
    assert snapshot(book) == before  # demo categories included: none left


def test_failed_category_delete_leaves_nothing(book, sessions, food, travel) -> None:
    add(sessions, food.id, "1.00", "2026-03-01")
    add(sessions, food.id, "2.00", "2026-01-01")
    before = snapshot(book)
    with pytest.raises(NotFound):
        categories.delete_category(sessions, food.id, move_to=travel.id + food.id + 100)
    with pytest.raises(Conflict):
        categories.delete_category(sessions, food.id)
    with pytest.raises(Conflict):
        categories.delete_category(sessions, food.id, move_to=travel.id, version=99)
    assert snapshot(book) == before


def test_failed_update_leaves_nothing(book, sessions, food, travel) -> None:
    e = add(sessions, food.id, "1.00", "2026-03-01")
    before = snapshot(book)
    bad = [
        {"amount": "2", "occurred_on": "2026-13-01"},
        {"amount": "2", "category": "Nope"},
        {"occurred_on": "2026-01-01", "description": ""},
        {"amount": "2", "version": e.version + 1},
    ]
    for changes in bad:
        with pytest.raises((InvalidInput, NotFound, Conflict)):
            expenses.update_expense(sessions, e.id, **changes)
    assert snapshot(book) == before
