"""The bulk paths (demo data, CSV import) write what they say, keep the roll-up equal to a plain
SUM, and leave the schema as they found it, on SQLite and PostgreSQL.

The thresholds for the big-load path (indexes rebuilt at the end, rows made in a thread) are
lowered so that a few thousand rows take it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select, text

from budget_tui.controller import bulk, demo
from budget_tui.controller import imports as csv_io
from budget_tui.controller.book import Book
from budget_tui.controller.demo import fill_demo
from budget_tui.controller.export import export_csv
from budget_tui.controller.imports import import_csv
from budget_tui.controller.periods import add_months
from budget_tui.controller.queries import expenses_t, totals_t
from budget_tui.db.models import Category
from budget_tui.errors import InvalidInput
from tests.controller.conftest import assert_search_index_consistent

TODAY = dt.date(2026, 3, 15)


@pytest.fixture(params=["kept", "rebuilt"])
def index_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a bulk load treats the indexes: kept up to date, or dropped and rebuilt."""
    if request.param == "rebuilt":
        monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 1000)
        monkeypatch.setattr(demo, "CHUNK", 1500)  # several chunks: the maker thread runs too
    return request.param


def schema(book: Book) -> dict[str, object]:
    found = inspect(book.engine)
    with book.engine.connect() as conn:
        triggers = sorted(
            conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                if book.backend == "sqlite"
                else text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            ).scalars()
        )
    return {
        "triggers": triggers,
        "indexes": sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"]))
            for i in found.get_indexes("expenses")
        ),
        "unique": sorted(
            (u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints("expenses")
        ),
        "foreign_keys": sorted(
            (f["referred_table"], tuple(f["constrained_columns"]))
            for f in found.get_foreign_keys("expenses")
        ),
    }


def rollup(book: Book) -> dict[tuple[int, dt.date], tuple[int, int]]:
    with book.engine.connect() as conn:
        rows = conn.execute(
            select(
                totals_t.c.category_id, totals_t.c.month, totals_t.c.total_cents, totals_t.c.count
            )
        ).all()
    return {(c, m): (t, n) for c, m, t, n in rows if n}


def plain_sums(book: Book) -> dict[tuple[int, dt.date], tuple[int, int]]:
    """The same figures summed row by row from the expenses themselves."""
    sums: dict[tuple[int, dt.date], tuple[int, int]] = {}
    with book.engine.connect() as conn:
        for cat, day, cents in conn.execute(
            select(expenses_t.c.category_id, expenses_t.c.occurred_on, expenses_t.c.amount)
        ):
            key = (cat, day.replace(day=1))
            total, count = sums.get(key, (0, 0))
            sums[key] = (total + int(cents * 100), count + 1)
    return sums


def rows(book: Book) -> list[tuple[str, str, str, str]]:
    out = io.StringIO()
    export_csv(book.sessions, out)
    return list(csv.reader(io.StringIO(out.getvalue())))[1:]


def test_demo_rollup_equals_plain_sums(book: Book, index_path: str) -> None:
    before = schema(book)
    assert fill_demo(book.sessions, 6000, seed=3, today=TODAY) == 6000
    assert rollup(book) == plain_sums(book)
    # A second fill (asked for on purpose) adds to what is there: new uids, the roll-up right.
    assert fill_demo(book.sessions, 2500, seed=3, today=TODAY, into_existing=True) == 2500
    assert rollup(book) == plain_sums(book)
    assert len(rows(book)) == 8500
    assert schema(book) == before
    assert_search_index_consistent(book)


def test_demo_is_the_same_for_the_same_seed(backend: str, tmp_path, monkeypatch) -> None:
    from tests.conftest import make_book

    monkeypatch.setattr(demo, "CHUNK", 700)
    book = make_book(backend, tmp_path)
    try:
        fill_demo(book.sessions, 3000, seed=11, today=TODAY)
        first = rows(book)
        with book.engine.begin() as conn:
            conn.execute(expenses_t.delete())
            conn.execute(totals_t.delete())
        fill_demo(book.sessions, 3000, seed=11, today=TODAY, into_existing=True)
        assert rows(book) == first
        fill_demo(book.sessions, 3000, seed=12, today=TODAY, into_existing=True)
        assert rows(book)[3000:] != first
    finally:
        book.close()


def test_demo_has_one_rent_a_month_and_dates_in_order(book: Book) -> None:
    fill_demo(book.sessions, 5000, seed=5, today=TODAY)
    data = rows(book)
    rents = Counter(day[:7] for day, _d, _a, category in data if category == "Rent")
    assert set(rents.values()) == {1}
    assert len(rents) == 24  # the two years up to today (the first month starts mid-month)
    assert all(a == "1800.00" for _day, _d, a, category in data if category == "Rent")
    with book.engine.connect() as conn:
        by_id = [
            d for (d,) in conn.execute(select(expenses_t.c.occurred_on).order_by(expenses_t.c.id))
        ]
    assert by_id == sorted(by_id)
    assert by_id[0] >= TODAY - dt.timedelta(days=730)
    assert by_id[-1] <= TODAY


def test_small_demo_keeps_only_the_latest_bills(book: Book) -> None:
    assert fill_demo(book.sessions, 8, seed=1, today=TODAY) == 8
    data = rows(book)
    assert len(data) == 8
    bills = [r for r in data if r[3] in ("Rent", "Utilities")]
    assert len(bills) == 2


def make_csv(count: int, seed: int = 9) -> str:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "description", "amount", "category"])
    names = ["Food", "Rent", "Fun", "Trips", "Käse & Co"]
    words = ["Market", "Rent", "Back\\slash", "Tab-free, comma", 'Quote "x"', "Café crème"]
    for i in range(count):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(500))
        cents = rng.randrange(1, 500_000)
        writer.writerow(
            [
                day.isoformat(),
                f"{rng.choice(words)} {i}",
                f"{cents // 100}.{cents % 100:02d}",
                rng.choice(names),
            ]
        )
    return out.getvalue()


def test_streamed_import_equals_the_file(
    book: Book,
    index_path: str,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(csv_io, "CHUNK", 3000)
    text = make_csv(20_000)
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    before = schema(book)
    seen: list[int] = []
    with path.open(encoding="utf-8", newline="") as fh:
        result = import_csv(book.sessions, fh, progress=seen.append)
    assert result.rows == 20_000
    assert sorted(result.categories_created) == sorted(
        ["Food", "Rent", "Fun", "Trips", "Käse & Co"]
    )
    assert seen[-1] == 20_000 and len(seen) > 1  # streamed in chunks
    # Export writes oldest first with the id breaking ties: compare as multisets of rows.
    expected = list(csv.reader(io.StringIO(text)))[1:]
    assert Counter(map(tuple, rows(book))) == Counter(map(tuple, expected))
    assert rollup(book) == plain_sums(book)
    assert schema(book) == before
    assert_search_index_consistent(book)
    with book.engine.connect() as conn:
        uids = [u for (u,) in conn.execute(select(expenses_t.c.uid))]
    assert len(set(uids)) == len(uids)


def test_import_into_a_book_with_data_adds_to_the_rollup(book: Book, index_path: str) -> None:
    fill_demo(book.sessions, 3000, seed=2, today=TODAY)
    import_csv(book.sessions, io.StringIO(make_csv(4000), newline=""))
    assert rollup(book) == plain_sums(book)
    assert len(rows(book)) == 7000


def test_a_bad_last_row_imports_nothing(book: Book, index_path: str) -> None:
    before = schema(book)
    text = make_csv(5000) + "2026-01-01,Broken,12.345,Food\n"
    with pytest.raises(InvalidInput) as err:
        import_csv(book.sessions, io.StringIO(text, newline=""))
    assert err.value.message.startswith("Row 5002:")
    assert rows(book) == []
    assert rollup(book) == {}
    with book.engine.connect() as conn:
        assert conn.execute(select(Category.id)).all() == []
    assert schema(book) == before


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2025, 1, 17), dt.date(2026, 2, 10)),  # part-months at both ends
        (dt.date(2025, 3, 1), dt.date(2025, 7, 20)),  # whole months, then a part-month
        (dt.date(2025, 3, 5), dt.date(2025, 3, 9)),  # inside one month
        (dt.date(1900, 1, 1), dt.date(2200, 1, 1)),  # all time
    ],
)
def test_spend_over_any_period_equals_plain_sums(book: Book, start: dt.date, end: dt.date) -> None:
    from budget_tui.controller.expense_list import expense_totals
    from budget_tui.controller.periods import Period
    from budget_tui.controller.views import ExpenseFilter

    fill_demo(book.sessions, 4000, seed=4, today=TODAY)
    period = Period(start, end)
    with book.engine.connect() as conn:
        cells = conn.execute(
            select(expenses_t.c.category_id, expenses_t.c.amount).where(
                expenses_t.c.occurred_on >= start, expenses_t.c.occurred_on < end
            )
        ).all()
    with book.sessions() as session:
        from budget_tui.controller.queries import spend_by_category

        spend = spend_by_category(session, period)
    expected: dict[int, tuple[int, int]] = {}
    for cat, amount in cells:
        c, n = expected.get(cat, (0, 0))
        expected[cat] = (c + int(amount * 100), n + 1)
    assert spend == expected
    totals = expense_totals(book.sessions, ExpenseFilter(period=period))
    assert totals.count == len(cells)
    assert totals.total == sum((a for _c, a in cells), start=Decimal("0.00"))
    assert expense_totals(book.sessions).count == 4000


@pytest.mark.parametrize(
    "today", [dt.date(2026, 12, 6), dt.date(2027, 1, 31), dt.date(2026, 3, 15)]
)
def test_the_demos_budgets_hold_in_any_month_it_is_made(book: Book, today: dt.date) -> None:
    """Gifts budgets every December apart (300, then 40 again), Utilities roll over, from the
    demo's first month on, whatever month the demo is made in (the first month may itself be a
    December)."""
    from budget_tui.controller import categories

    fill_demo(book.sessions, 300, seed=3, today=today)
    gifts = categories.budget_history(book.sessions, "Gifts")
    first = gifts[0].month
    assert first == add_months(today, -24)
    decembers = [c for c in gifts if c.month.month == 12]
    assert decembers and all(c.amount == Decimal("300.00") for c in decembers)
    assert all(c.amount == Decimal("40.00") for c in gifts if c.month.month != 12)
    utilities = categories.budget_history(book.sessions, "Utilities")
    assert [(c.month, c.amount, c.rollover) for c in utilities] == [
        (first, Decimal("200.00"), True)
    ]
    assert categories.get_category(book.sessions, "Salary").is_income


def _analyzed(book: Book) -> int:
    """How many times PostgreSQL has analyzed ``expenses`` (read afresh, not from this session's
    snapshot of the statistics)."""
    with book.engine.connect() as conn:
        conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        return int(
            conn.execute(
                text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'expenses'")
            ).scalar_one()
        )


@pytest.mark.postgres
def test_a_large_load_refreshes_the_planners_statistics(
    pg_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load that grows the table by a tenth or more analyzes it in its transaction (the server
    may run without autovacuum; the one here does); a small one into a large table does not."""
    book = pg_book
    with book.engine.begin() as conn:
        for table in ("proposals", "archived_expenses", "changes", "monthly_totals", "expenses"):
            conn.execute(text(f"DELETE FROM {table}"))
        # Only the loads below may analyze the table while this test runs, and they start from
        # statistics that count no row.
        conn.execute(text("ALTER TABLE expenses SET (autovacuum_enabled = false)"))
        conn.execute(text("ANALYZE expenses"))
    monkeypatch.setattr(bulk, "ANALYZE_FROM", 1000)
    try:
        count = _analyzed(book)
        fill_demo(book.sessions, 3000, seed=5, today=TODAY, into_existing=True)
        assert _analyzed(book) == count + 1
        assert import_csv(book.sessions, io.StringIO(make_csv(1500, 1), newline="")).rows == 1500
        assert _analyzed(book) == count + 2  # 1,500 rows on 3,000: over a tenth
        assert import_csv(book.sessions, io.StringIO(make_csv(200, 2), newline="")).rows == 200
        assert _analyzed(book) == count + 2  # under ANALYZE_FROM
        monkeypatch.setattr(bulk, "ANALYZE_FROM", 100)
        assert import_csv(book.sessions, io.StringIO(make_csv(300, 3), newline="")).rows == 300
        assert _analyzed(book) == count + 2  # 300 rows on the 4,500 counted: under a tenth
    finally:
        with book.engine.begin() as conn:
            conn.execute(text("ALTER TABLE expenses RESET (autovacuum_enabled)"))
