"""Many random edits, checked against a model kept in plain Python: the rows, the totals and the
roll-up must agree with it after every step (a fixed seed, so a failure can be replayed)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from budget_tui.controller import categories, expense_list, expenses, reports
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from tests.controller.conftest import assert_rollup_consistent

START = dt.date(2025, 11, 20)


@pytest.mark.parametrize("seed", [1])
def test_random_edits_agree_with_a_model(book, sessions, seed: int) -> None:
    rng = random.Random(seed)
    cats = [categories.create_category(sessions, f"Cat {i}").id for i in range(4)]
    model: dict[int, tuple[int, dt.date, Decimal]] = {}

    def amount() -> Decimal:
        return Decimal(rng.choice([1, 99, 1250, 9999999999, rng.randrange(1, 10**6)])) / 100

    def day() -> dt.date:
        return START + dt.timedelta(days=rng.randrange(0, 120))

    for step in range(80):
        op = rng.random()
        if op < 0.4 or not model:
            e = expenses.create_expense(
                sessions,
                description=f"e{step}",
                amount=amount(),
                occurred_on=day(),
                category=rng.choice(cats),
            )
            model[e.id] = (e.category_id, e.occurred_on, e.amount)
        elif op < 0.7:
            eid = rng.choice(sorted(model))
            cat, when, value = model[eid]
            changes: dict = {}
            if rng.random() < 0.5:
                changes["amount"] = value = amount()
            if rng.random() < 0.5:
                changes["occurred_on"] = when = day()
            if rng.random() < 0.5:
                changes["category"] = cat = rng.choice(cats)
            expenses.update_expense(sessions, eid, **changes)
            model[eid] = (cat, when, value)
        elif op < 0.8:
            eid = rng.choice(sorted(model))
            cat = rng.choice(cats)
            expenses.move_expense(sessions, eid, cat)
            model[eid] = (cat, *model[eid][1:])
        elif op < 0.97:
            eid = rng.choice(sorted(model))
            expenses.delete_expense(sessions, eid)
            del model[eid]
        elif len(cats) > 1:
            gone, heir = rng.sample(cats, 2)
            categories.delete_category(sessions, gone, move_to=heir)
            cats.remove(gone)
            model = {k: ((heir if c == gone else c), d, a) for k, (c, d, a) in model.items()}
        if step % 20 == 19:
            check(book, sessions, model)
    check(book, sessions, model)


def check(book, sessions, model) -> None:
    assert_rollup_consistent(book)
    rows = expense_list.list_expenses(sessions, limit=1000).items
    assert {e.id: (e.category_id, e.occurred_on, e.amount) for e in rows} == model
    for period in (
        Period.month(dt.date(2026, 1, 1)),
        Period(dt.date(2025, 12, 1), dt.date(2026, 3, 1)),
        Period.between(dt.date(2025, 12, 10), dt.date(2026, 2, 3)),
    ):
        inside = [(c, a) for c, d, a in model.values() if period.start <= d < period.end]
        report = reports.spend_by_category_report(sessions, period)
        assert (report.total, report.count) == (
            sum((a for _, a in inside), Decimal("0")),
            len(inside),
        )
        by_cat: dict[int, Decimal] = {}
        for c, a in inside:
            by_cat[c] = by_cat.get(c, Decimal("0")) + a
        assert {r.category_id: r.total for r in report.rows} == by_cat
        totals = expense_list.expense_totals(sessions, ExpenseFilter(period=period))
        assert (totals.total, totals.count) == (report.total, report.count)
