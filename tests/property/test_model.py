"""A stateful test: random sequences of add / edit / move / delete / import against an in-memory
model of the book. After every step, the totals of every report equal the model's, to the cent.

Runs on SQLite and PostgreSQL: RUNS sequences of up to STEPS steps per backend.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from budget_tui.controller import categories, expense_list, expenses, reports
from budget_tui.controller.book import Book
from budget_tui.controller.imports import import_csv
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.errors import Conflict, InvalidInput
from tests.property.budget_model import Plan, month_budget, set_budget
from tests.property.conftest import empty
from tests.property.strategies import amount_input, nearby_date, plain_amount, plain_description

RUNS = 25
STEPS = 15
ZERO = Decimal("0.00")
# Reports are checked over whole months (read from the roll-up) and an odd span (summed from the
# rows), so both paths are held to the model.
WINDOWS = [
    Period(dt.date(1900, 1, 1), dt.date(2200, 1, 1)),
    Period(dt.date(2025, 6, 10), dt.date(2026, 2, 20)),
]
# Budgets are set and checked in these months (the tests' today is 2026-03-15).
BUDGET_MONTHS = [dt.date(2026, m, 1) for m in range(1, 7)]
category_names = st.sampled_from(["Food", "Home", "Travel", "Fun", "Health", "food", "HOME"])


class BookModel(RuleBasedStateMachine):
    """The model: categories by id (name) and expenses by id (cents, date, category, version)."""

    book: Book

    def __init__(self) -> None:
        super().__init__()
        empty(self.book)
        self.s = self.book.sessions
        self.names: dict[int, str] = {}
        self.rows: dict[int, dict] = {}
        self.imported = 0
        self.plans: dict[int, Plan] = {}

    cats = Bundle("categories")
    items = Bundle("expenses")

    # -- helpers -------------------------------------------------------------------------

    def category_id_for(self, name: str) -> int | None:
        return next((i for i, n in self.names.items() if n.casefold() == name.casefold()), None)

    def spend(self, period: Period) -> dict[int, tuple[Decimal, int]]:
        out: dict[int, list] = defaultdict(lambda: [ZERO, 0])
        for row in self.rows.values():
            if period.start <= row["day"] < period.end:
                out[row["cat"]][0] += row["amount"]
                out[row["cat"]][1] += 1
        return {k: (v[0], v[1]) for k, v in out.items()}

    # -- rules ---------------------------------------------------------------------------

    @initialize(target=cats)
    def first_category(self) -> int:
        made = categories.create_category(self.s, "Food", "300")
        self.names[made.id] = made.name
        # From this month (March) on, as a budget set without a month is.
        self.plans[made.id] = [(None, False)] * 2 + [(30000, False)] * 4
        return made.id

    @rule(target=cats, name=category_names)
    def add_category(self, name: str):
        try:
            made = categories.create_category(self.s, name)
        except Conflict:
            assert self.category_id_for(name) is not None
            return multiple()
        assert self.category_id_for(name) is None
        self.names[made.id] = made.name
        return made.id

    @rule(
        target=items,
        cat=cats,
        description=plain_description,
        amount=st.one_of(plain_amount, plain_amount.map(str), amount_input),
        day=nearby_date,
    )
    def add_expense(self, cat: int, description: str, amount: object, day: dt.date):
        if cat not in self.names:
            return multiple()
        try:
            saved = expenses.create_expense(
                self.s, description=description, amount=amount, occurred_on=day, category=cat
            )
        except InvalidInput as err:
            assert err.field == "amount"
            return multiple()
        self.rows[saved.id] = {
            "amount": saved.amount,
            "day": day,
            "cat": cat,
            "version": saved.version,
        }
        return saved.id

    @rule(
        cat=cats,
        amount=st.one_of(st.none(), st.integers(min_value=1, max_value=99_999)),
        at=st.sampled_from(range(len(BUDGET_MONTHS))),
        rollover=st.sampled_from([None, True, False]),
        only=st.booleans(),
    )
    def set_budget(
        self, cat: int, amount: int | None, at: int, rollover: bool | None, only: bool
    ) -> None:
        if cat not in self.names:
            return
        rollover = rollover and amount is not None
        categories.set_budget(
            self.s,
            cat,
            None if amount is None else Decimal(amount) / 100,
            month=BUDGET_MONTHS[at],
            rollover=rollover,
            only_month=only,
        )
        plan = self.plans.setdefault(cat, [(None, False)] * len(BUDGET_MONTHS))
        set_budget(plan, amount, at, rollover, only)

    @rule(item=items, amount=st.one_of(plain_amount, amount_input), day=st.none() | nearby_date)
    def edit_expense(self, item: int, amount: object, day: dt.date | None) -> None:
        if item not in self.rows:
            return
        row = self.rows[item]
        try:
            saved = expenses.update_expense(
                self.s, item, version=row["version"], amount=amount, occurred_on=day
            )
        except InvalidInput as err:
            assert err.field == "amount"
            return
        row.update(amount=saved.amount, day=saved.occurred_on, version=saved.version)

    @rule(item=items, cat=cats)
    def move_expense(self, item: int, cat: int) -> None:
        if item not in self.rows or cat not in self.names:
            return
        saved = expenses.move_expense(self.s, item, cat, version=self.rows[item]["version"])
        self.rows[item].update(cat=cat, version=saved.version)

    @rule(item=consumes(items))
    def delete_expense(self, item: int) -> None:
        if item not in self.rows:
            return
        expenses.delete_expense(self.s, item, version=self.rows[item]["version"])
        del self.rows[item]

    @rule(cat=consumes(cats), data=st.data())
    def delete_category(self, cat: int, data: st.DataObject) -> None:
        if cat not in self.names:
            return
        in_use = [i for i, r in self.rows.items() if r["cat"] == cat]
        others = [c for c in self.names if c != cat]
        if in_use and not others:
            with pytest.raises(Conflict):
                categories.delete_category(self.s, cat)
            return
        move_to = data.draw(st.sampled_from(others)) if in_use else None
        result = categories.delete_category(self.s, cat, move_to=move_to)
        assert result.moved == len(in_use)
        for i in in_use:
            self.rows[i]["cat"] = move_to
            self.rows[i]["version"] += 1
        del self.names[cat]
        self.plans.pop(cat, None)  # its budgets go with it (and its id may be used again)

    @rule(
        lines=st.lists(
            st.tuples(nearby_date, plain_amount, category_names), min_size=1, max_size=8
        ),
        bad_at=st.none() | st.integers(0, 7),
    )
    def import_rows(self, lines: list[tuple[dt.date, Decimal, str]], bad_at: int | None) -> None:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "description", "amount", "category"])
        for n, (day, amount, name) in enumerate(lines):
            shown = "12,50" if n == bad_at else f"{amount:.2f}"
            writer.writerow([day.isoformat(), f"imported {self.imported + n}", shown, name])
        try:
            result = import_csv(self.s, io.StringIO(out.getvalue(), newline=""))
        except InvalidInput as err:
            assert bad_at is not None and bad_at < len(lines)
            assert err.message.startswith(f"Row {bad_at + 2}:")
            return  # all or nothing: the model stays as it was
        assert bad_at is None or bad_at >= len(lines)
        assert result.rows == len(lines)
        for name in result.categories_created:
            made = categories.get_category(self.s, name)
            self.names[made.id] = made.name
        page = expense_list.list_expenses(self.s, ExpenseFilter(text="imported"), limit=1000)
        fresh = {e.description: e for e in page.items if e.id not in self.rows}
        for n, (day, amount, name) in enumerate(lines):
            view = fresh[f"imported {self.imported + n}"]
            assert (view.amount, view.occurred_on) == (amount, day)
            assert view.category_id == self.category_id_for(name)
            self.rows[view.id] = {
                "amount": view.amount,
                "day": day,
                "cat": view.category_id,
                "version": view.version,
            }
        self.imported += len(lines)

    # -- what must hold after every step ---------------------------------------------------

    @invariant()
    def every_report_matches_the_model(self) -> None:
        for period in WINDOWS:
            want = self.spend(period)
            total = sum((v[0] for v in want.values()), ZERO)
            count = sum(v[1] for v in want.values())

            report = reports.spend_by_category_report(self.s, period)
            assert (report.total, report.count) == (total, count), period
            assert {r.category_id: (r.total, r.count) for r in report.rows} == want
            if total:
                assert abs(sum(r.share for r in report.rows) - 1) <= Decimal("0.0001") * len(want)

            totals = expense_list.expense_totals(self.s, ExpenseFilter(period=period))
            assert (totals.total, totals.count) == (total, count)

        months = reports.spend_by_month(
            self.s, Period.between(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
        )
        for m in months:
            spent = self.spend(Period.month(m.month))
            assert m.total == sum((v[0] for v in spent.values()), ZERO), m.month
            assert m.count == sum(v[1] for v in spent.values())

        listed = {c.id: (c.spent, c.count) for c in categories.list_categories(self.s, WINDOWS[0])}
        assert set(listed) == set(self.names)
        assert {k: v for k, v in listed.items() if v[1]} == self.spend(WINDOWS[0])

        march = reports.budget_vs_actual(self.s, dt.date(2026, 3, 1))
        assert march.total_spent == sum(
            (v[0] for v in self.spend(Period.month(dt.date(2026, 3, 1))).values()), ZERO
        )
        # Every month's budget, carried and available, against the plan and the model's spend.
        for m, first in enumerate(BUDGET_MONTHS):
            shown = {
                c.id: (c.monthly_budget, c.carried, c.available)
                for c in categories.budget_status(self.s, first).categories
            }
            for cat, plan in self.plans.items():
                if cat not in self.names:
                    continue
                spent = [
                    int(self.spend(Period.month(month)).get(cat, (ZERO, 0))[0] * 100)
                    for month in BUDGET_MONTHS
                ]
                budget, carried, available = month_budget(plan, spent, m)
                assert shown[cat] == (
                    None if budget is None else Decimal(budget) / 100,
                    Decimal(carried) / 100,
                    None if available is None else Decimal(available) / 100,
                ), (first, self.names[cat])
        everything = expense_list.expense_totals(self.s)  # no period: summed from the rows
        assert everything.count == len(self.rows)
        assert everything.total == sum((r["amount"] for r in self.rows.values()), ZERO)


def test_random_sequences_keep_every_report_equal_to_the_model(shared_book: Book) -> None:
    BookModel.book = shared_book
    run_state_machine_as_test(
        BookModel,
        settings=settings(
            max_examples=RUNS,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
