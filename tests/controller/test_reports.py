"""Reports: by category, by month, budget vs actual, largest, summary; exact money at scale."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from budget_tui.controller import categories, reports
from budget_tui.controller.imports import import_csv
from budget_tui.controller.periods import Period
from budget_tui.errors import InvalidInput, NotFound
from tests.controller.conftest import add

D = dt.date
MARCH = Period.month(D(2026, 3, 1))


@pytest.fixture
def spending(sessions, food, travel):
    """Food (budget 300) and Travel (no budget), spread over January to March 2026."""
    add(sessions, food.id, "10.00", "2026-01-15", "Bread")
    add(sessions, food.id, "20.00", "2026-03-01", "Cheese")
    add(sessions, food.id, "30.50", "2026-03-31", "Wine")
    add(sessions, travel.id, "100.00", "2026-03-10", "Train")
    add(sessions, travel.id, "0.01", "2026-04-01", "Stamp")
    return food, travel


def test_spend_by_category(sessions, spending) -> None:
    _, travel = spending
    report = reports.spend_by_category_report(sessions, MARCH)
    assert (report.total, report.count, report.period) == (Decimal("150.50"), 3, MARCH)
    assert [(r.name, r.total, r.count) for r in report.rows] == [
        ("Travel", Decimal("100.00"), 1),
        ("Food", Decimal("50.50"), 2),
    ]
    assert [r.share for r in report.rows] == [Decimal("0.6645"), Decimal("0.3355")]
    assert sum(r.share for r in report.rows) == pytest.approx(Decimal(1), abs=Decimal("0.0002"))
    assert report.rows[0].category_id == travel.id


def test_spend_by_category_of_an_empty_period(sessions, spending) -> None:
    report = reports.spend_by_category_report(sessions, Period.month(D(2025, 1, 1)))
    assert (report.total, report.count, report.rows) == (Decimal("0.00"), 0, ())


def test_shares_sum_to_one_with_many_categories(sessions) -> None:
    for i in range(7):
        cat = categories.create_category(sessions, f"C{i}")
        add(sessions, cat.id, "1.00", "2026-03-02")
    rows = reports.spend_by_category_report(sessions, MARCH).rows
    assert all(r.share == Decimal("0.1429") for r in rows)
    assert abs(sum(r.share for r in rows) - 1) <= Decimal("0.0001") * len(rows)


def test_spend_by_month_includes_empty_months(sessions, spending) -> None:
    months = reports.spend_by_month(sessions, Period(D(2025, 12, 1), D(2026, 5, 1)))
    assert [(m.month, m.total, m.count) for m in months] == [
        (D(2025, 12, 1), Decimal("0.00"), 0),
        (D(2026, 1, 1), Decimal("10.00"), 1),
        (D(2026, 2, 1), Decimal("0.00"), 0),
        (D(2026, 3, 1), Decimal("150.50"), 3),
        (D(2026, 4, 1), Decimal("0.01"), 1),
    ]


def test_spend_by_month_for_one_category(sessions, spending) -> None:
    food, _ = spending
    months = reports.spend_by_month(sessions, Period.year(2026), category=food.id)
    assert len(months) == 12
    assert {m.month: m.total for m in months if m.count} == {
        D(2026, 1, 1): Decimal("10.00"),
        D(2026, 3, 1): Decimal("50.50"),
    }
    assert reports.spend_by_month(sessions, Period.year(2026), category="food") == months
    with pytest.raises(NotFound):
        reports.spend_by_month(sessions, Period.year(2026), category="Nope")


def test_spend_by_month_of_a_partial_period_covers_whole_months(sessions, spending) -> None:
    months = reports.spend_by_month(sessions, Period.between(D(2026, 3, 20), D(2026, 4, 2)))
    assert [(m.month, m.total) for m in months] == [
        (D(2026, 3, 1), Decimal("150.50")),
        (D(2026, 4, 1), Decimal("0.01")),
    ]


def test_spend_by_month_refuses_a_huge_range(sessions) -> None:
    with pytest.raises(InvalidInput):
        reports.spend_by_month(sessions, Period(D(1900, 1, 1), D(2199, 1, 1)))


def test_budget_vs_actual(sessions, spending) -> None:
    food, travel = spending
    report = reports.budget_vs_actual(sessions, D(2026, 3, 17))
    assert report.month == MARCH
    assert [line.category_id for line in report.lines] == [food.id, travel.id]
    lines = {line.name: line for line in report.lines}
    assert [line.name for line in report.lines] == ["Food", "Travel"]
    assert (lines["Food"].budget, lines["Food"].spent) == (Decimal("300.00"), Decimal("50.50"))
    assert lines["Food"].remaining == Decimal("249.50")
    assert lines["Food"].used == pytest.approx(50.5 / 300)
    assert (lines["Travel"].budget, lines["Travel"].remaining, lines["Travel"].used) == (
        None,
        None,
        None,
    )
    assert report.total_budget == Decimal("300.00")
    assert report.total_spent == Decimal("150.50")


def test_budget_vs_actual_with_no_categories(sessions) -> None:
    report = reports.budget_vs_actual(sessions, D(2026, 3, 1))
    assert (report.lines, report.total_budget, report.total_spent) == (
        (),
        Decimal("0.00"),
        Decimal("0.00"),
    )


def test_largest_expenses(sessions, spending) -> None:
    largest = reports.largest_expenses(sessions, MARCH, limit=2)
    assert [(e.description, e.amount, e.category_name) for e in largest] == [
        ("Train", Decimal("100.00"), "Travel"),
        ("Wine", Decimal("30.50"), "Food"),
    ]
    assert len(reports.largest_expenses(sessions, Period.year(2026))) == 5
    for bad in (0, 1001):
        with pytest.raises(InvalidInput):
            reports.largest_expenses(sessions, MARCH, limit=bad)


def test_summary_between_two_dates(sessions, spending) -> None:
    s = reports.summary(sessions, D(2026, 3, 1), D(2026, 3, 31), top=1)
    assert s.period == MARCH
    assert (s.total, s.count) == (Decimal("150.50"), 3)
    # March is in progress (the test's today is the 15th): the average is over the 15 days so far.
    assert (s.in_progress, s.days) == (True, 15)
    assert s.daily_average == Decimal("10.03")  # 150.50 / 15 days
    assert [r.name for r in s.by_category] == ["Travel", "Food"]
    assert [e.description for e in s.largest] == ["Train"]
    one_day = reports.summary(sessions, D(2026, 3, 31), D(2026, 3, 31))
    assert (one_day.total, one_day.daily_average) == (Decimal("30.50"), Decimal("30.50"))
    with pytest.raises(InvalidInput):
        reports.summary(sessions, D(2026, 3, 31), D(2026, 3, 1))


def test_month_aligned_periods_equal_the_same_sums_from_rows(sessions, food, travel) -> None:
    """Whole months are read from the roll-up, other periods from the rows: they must agree."""
    days = [D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 1), D(2026, 2, 28)]
    for i, day in enumerate(days * 3):
        add(sessions, (food if i % 2 else travel).id, f"{i + 1}.{i:02d}", day)
    for whole in (
        Period.month(D(2026, 1, 1)),
        Period(D(2026, 1, 1), D(2026, 3, 1)),
        Period(D(2025, 12, 1), D(2026, 3, 1)),
    ):
        assert whole.is_whole_months
        # The same days as two periods that are not month-aligned, so they are summed from rows.
        mid = whole.start + dt.timedelta(days=10)
        left, right = Period(whole.start, mid), Period(mid, whole.end)
        assert not left.is_whole_months and not right.is_whole_months
        a = reports.spend_by_category_report(sessions, whole)
        parts = [reports.spend_by_category_report(sessions, p) for p in (left, right)]
        assert a.total == sum(p.total for p in parts)
        assert a.count == sum(p.count for p in parts)
        by_cat: dict[int, tuple[Decimal, int]] = {}
        for part in parts:
            for r in part.rows:
                t, n = by_cat.get(r.category_id, (Decimal(0), 0))
                by_cat[r.category_id] = (t + r.total, n + r.count)
        assert {r.category_id: (r.total, r.count) for r in a.rows} == by_cat
        assert a.count > 0


def test_money_sums_are_exact_at_large_values(book, sessions) -> None:
    big, small, n = Decimal("99999999.99"), Decimal("0.01"), 2000
    lines = ["date,description,amount,category"]
    for i in range(n):
        lines.append(f"2026-03-{1 + i % 28:02d},big {i},{big},Big")
        lines.append(f"2026-03-{1 + i % 28:02d},small {i},{small},Small")
    import_csv(sessions, io.StringIO("\n".join(lines)))
    expected = big * n + small * n
    assert expected == Decimal("200000000000.00")
    for period in (MARCH, Period.between(D(2026, 3, 1), D(2026, 3, 30))):
        report = reports.spend_by_category_report(sessions, period)
        assert report.total == expected
        assert {r.name: r.total for r in report.rows} == {"Big": big * n, "Small": small * n}
    s = reports.summary(sessions, D(2026, 3, 1), D(2026, 3, 31))
    assert s.total == expected
    assert s.daily_average == (expected / s.days).quantize(Decimal("0.01"))
    months = reports.spend_by_month(sessions, Period.year(2026))
    assert months[2].total == expected
    assert reports.budget_vs_actual(sessions, D(2026, 3, 1)).total_spent == expected
    lists = categories.list_categories(sessions, MARCH)
    assert sum(c.spent for c in lists) == expected


def test_a_report_reads_as_many_statements_with_forty_categories_as_with_four(book) -> None:
    """Reports' one call stays a fixed number of statements (each a round trip to a server)
    however many categories the book has: no statement is repeated per category."""
    from sqlalchemy import event

    today = dt.date(2026, 3, 15)
    statements = 0

    def counted(*_args: object) -> None:
        nonlocal statements
        statements += 1

    def read_report() -> int:
        nonlocal statements
        statements = 0
        reports.report(book.sessions, Period.year(2026), today=today, largest=10)
        return statements

    event.listen(book.engine, "after_cursor_execute", counted)
    try:
        for i in range(4):
            cat = categories.create_category(book.sessions, f"Spend {i}", "100")
            add(book.sessions, cat.id, "5.00", "2026-03-02")
        categories.create_category(book.sessions, "Salary", kind="income")
        read_report()  # a first read may set its connection up
        few = read_report()
        for i in range(4, 40):
            cat = categories.create_category(book.sessions, f"Spend {i}", "100")
            add(book.sessions, cat.id, "5.00", "2026-03-02")
        assert read_report() == few
    finally:
        event.remove(book.engine, "after_cursor_execute", counted)
