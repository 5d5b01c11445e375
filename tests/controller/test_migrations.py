"""Migrations: an old database is upgraded with its data kept, and the models match the migrations."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url

from budget_tui.controller import categories, expense_list, expenses, reports
from budget_tui.controller.book import open_book
from budget_tui.controller.periods import Period
from budget_tui.controller.views import BudgetChange, ExpenseFilter
from budget_tui.db import migrate
from budget_tui.db.engine import make_engine
from budget_tui.db.models import Base
from budget_tui.errors import ConfigError
from tests.conftest import pg_url
from tests.controller.conftest import (
    assert_rollup_consistent,
    assert_search_index_consistent,
    rollup,
)

D = dt.date


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a new SQLite file, or a new schema on the test server."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    schema = f"mig_{uuid.uuid4().hex[:12]}"
    admin = make_engine(pg_url())
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(pg_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_head_is_the_latest_migration_file() -> None:
    script = ScriptDirectory(str(migrate.MIGRATIONS))
    assert script.get_current_head() == migrate.HEAD
    files = sorted(p.name for p in (migrate.MIGRATIONS / "versions").glob("[0-9]*.py"))
    assert files[-1].startswith(migrate.HEAD + "_")
    assert len(list(script.walk_revisions())) == len(files)


def test_a_new_database_is_created_at_head(empty_url: str) -> None:
    book = open_book(empty_url)
    try:
        assert migrate.current_revision(book.engine) == migrate.HEAD
        assert categories.list_categories(book.sessions) == ()
    finally:
        book.close()


def test_upgrade_from_0001_keeps_data_and_fills_the_rollup(empty_url: str) -> None:
    engine = make_engine(empty_url)
    migrate.upgrade(engine, "0001")
    assert migrate.current_revision(engine) == "0001"
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [
        # id, description, cents, date, category
        (1, "Bread", 250, D(2026, 1, 31), 1),
        (2, "Cheese", 1999, D(2026, 2, 1), 1),
        (3, "Wine", 999999999, D(2026, 2, 28), 1),
        (4, "Train", 4500, D(2026, 2, 3), 2),
        (5, "Stamp", 1, D(2025, 12, 31), 2),
    ]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO categories (id, name, name_key, monthly_budget, version) "
                "VALUES (1, 'Food', 'food', 30000, 1), (2, 'Travel', 'travel', NULL, 3)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO expenses (id, uid, description, amount, occurred_on, category_id, "
                "created_at, updated_at, version) VALUES (:id, :uid, :d, :a, :o, :c, :t, :t, 1)"
            ),
            [
                {"id": i, "uid": str(uuid.uuid4()), "d": d, "a": a, "o": o, "c": c, "t": now}
                for i, d, a, o, c in rows
            ],
        )
        if engine.dialect.name == "postgresql":
            # Explicit ids leave the sequences behind; the app would have used them.
            conn.execute(text("SELECT setval('categories_id_seq', 2)"))
            conn.execute(text("SELECT setval('expenses_id_seq', 5)"))
    engine.dispose()

    book = open_book(empty_url)
    try:
        assert migrate.current_revision(book.engine) == migrate.HEAD
        assert rollup(book) == {
            (1, D(2026, 1, 1)): (250, 1),
            (1, D(2026, 2, 1)): (1999 + 999999999, 2),
            (2, D(2026, 2, 1)): (4500, 1),
            (2, D(2025, 12, 1)): (1, 1),
        }
        assert_rollup_consistent(book)
        listed = {c.name: c for c in categories.list_categories(book.sessions)}
        assert listed["Food"].monthly_budget == Decimal("300.00")
        assert listed["Travel"].version == 3
        feb = reports.spend_by_category_report(book.sessions, Period.month(D(2026, 2, 1)))
        assert feb.total == Decimal("10000064.98")  # 19.99 + 9999999.99 + 45.00
        page = expense_list.list_expenses(book.sessions, limit=10)
        assert [e.description for e in page.items] == ["Wine", "Train", "Cheese", "Bread", "Stamp"]
        # The rows already there are in the search index (SQLite's, made by 0011), or found by
        # the GIN index (PostgreSQL's, 0005).
        assert_search_index_consistent(book)
        searched = expense_list.browse_expenses(book.sessions, ExpenseFilter(text="CHEE"))
        assert [e.description for e in searched.page.items] == ["Cheese"]
        # The upgraded book takes new work, and keeps the roll-up in step.
        expenses.create_expense(
            book.sessions, description="Tea", amount="2", occurred_on="2026-02-10", category=1
        )
        categories.delete_category(book.sessions, 2, move_to=1)
        assert_rollup_consistent(book)
    finally:
        book.close()


def test_models_and_migrations_agree(book) -> None:
    with book.engine.connect() as conn:
        dialect = conn.dialect.name

        def on_this_backend(obj, _name, type_, _reflected, _compare_to) -> bool:
            # An index made only on another backend (Index.ddl_if) is not expected here.
            ddl_if = getattr(obj, "_ddl_if", None)
            return not (type_ == "index" and ddl_if is not None and ddl_if.dialect != dialect)

        def not_the_search_index(name, type_, _parent_names) -> bool:
            # SQLite's trigram index (0011) is an FTS5 table and its shadow tables: kept by
            # triggers, never by the ORM, so no model describes them.
            return not (type_ == "table" and str(name).startswith("expenses_search"))

        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_object": on_this_backend,
                "include_name": not_the_search_index,
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_a_book_at_head_is_not_migrated_again(book) -> None:
    # ensure_schema is one small query when the schema is current: no second upgrade happens.
    with book.engine.connect() as conn:
        before = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    migrate.ensure_schema(book.engine)
    with book.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == before
    assert before == [(migrate.HEAD,)]


def test_a_schema_from_a_newer_version_is_refused_untouched(empty_url: str) -> None:
    open_book(empty_url).close()
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        with pytest.raises(ConfigError, match="newer budget-tui") as err:
            open_book(empty_url)
        assert "Upgrade budget-tui" in (err.value.hint or "")
        assert migrate.current_revision(engine) == "0099"
    finally:
        engine.dispose()


def test_upgrade_from_0002_adds_import_keys_and_keeps_rows(empty_url: str) -> None:
    import io

    from budget_tui.controller.imports import import_csv

    engine = make_engine(empty_url)
    migrate.upgrade(engine, "0002")
    engine.dispose()
    book = open_book(empty_url)  # 0002 -> head on open
    try:
        assert migrate.current_revision(book.engine) == migrate.HEAD
        food = categories.create_category(book.sessions, "Food")
        expenses.create_expense(
            book.sessions, description="Tea", amount="2", occurred_on="2026-02-10", category=food.id
        )
        rows = "date,description,amount,category\n2026-02-10,Tea,2.00,Food\n"
        first = import_csv(book.sessions, io.StringIO(rows, newline=""))
        again = import_csv(book.sessions, io.StringIO(rows, newline=""))
        assert (first.rows, again.rows, again.skipped) == (1, 0, 1)
        with book.engine.connect() as conn:
            stored = conn.execute(text("SELECT import_key FROM expenses ORDER BY id")).scalars()
            hand, imported = list(stored)
        assert hand is None and imported  # rows entered by hand have no key
        assert_rollup_consistent(book)
    finally:
        book.close()


def test_upgrade_from_0005_makes_every_category_a_spending_one(empty_url: str) -> None:
    engine = make_engine(empty_url)
    migrate.upgrade(engine, "0005")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO categories (id, name, name_key, monthly_budget, version) "
                "VALUES (1, 'Food', 'food', 30000, 2)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO expenses (id, uid, description, amount, occurred_on, category_id, "
                "created_at, updated_at, version) VALUES (1, :uid, 'Bread', 250, :o, 1, :t, :t, 1)"
            ),
            {"uid": str(uuid.uuid4()), "o": D(2026, 3, 2), "t": now},
        )
        conn.execute(
            text(
                "INSERT INTO monthly_totals (category_id, month, total_cents, count) "
                "VALUES (1, :m, 250, 1)"
            ),
            {"m": D(2026, 3, 1)},
        )
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('categories_id_seq', 1)"))
            conn.execute(text("SELECT setval('expenses_id_seq', 1)"))
    engine.dispose()
    book = open_book(empty_url)
    try:
        assert migrate.current_revision(book.engine) == migrate.HEAD
        (food,) = categories.list_categories(book.sessions, Period.month(D(2026, 3, 1)))
        assert (food.kind, food.monthly_budget, food.spent) == (
            "spending",
            Decimal("300.00"),
            Decimal("2.50"),
        )
        salary = categories.create_category(book.sessions, "Salary", kind="income")
        expenses.create_expense(
            book.sessions,
            description="Pay",
            amount="1000",
            occurred_on="2026-03-01",
            category=salary.id,
        )
        expenses.create_expense(
            book.sessions,
            description="Refund",
            amount="-0.50",
            occurred_on="2026-03-03",
            category=1,
        )
        overview = categories.category_overview(book.sessions, Period.month(D(2026, 3, 1)))
        assert (overview.flows.income, overview.flows.spending) == (
            Decimal("1000.00"),
            Decimal("2.00"),
        )
        assert_rollup_consistent(book)
    finally:
        book.close()


def test_upgrade_from_0006_keeps_each_budget_from_the_books_first_month(empty_url: str) -> None:
    """A budget that was one number for all time holds in every month of the book after the
    upgrade (from the first month the roll-up knows), and from then on changes by month."""
    engine = make_engine(empty_url)
    migrate.upgrade(engine, "0006")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO categories (id, name, name_key, monthly_budget, version, kind) "
                "VALUES (1, 'Food', 'food', 30000, 2, 'spending'), "
                "(2, 'Fun', 'fun', NULL, 1, 'spending'), (3, 'Pay', 'pay', NULL, 1, 'income')"
            )
        )
        for i, (cents, day, cat) in enumerate(
            [(250, D(2025, 11, 3), 1), (9000, D(2026, 2, 1), 1), (4000, D(2026, 2, 2), 3)], 1
        ):
            conn.execute(
                text(
                    "INSERT INTO expenses (id, uid, description, amount, occurred_on, "
                    "category_id, created_at, updated_at, version) "
                    "VALUES (:i, :uid, 'x', :c, :o, :cat, :t, :t, 1)"
                ),
                {"i": i, "uid": str(uuid.uuid4()), "c": cents, "o": day, "cat": cat, "t": now},
            )
            conn.execute(
                text(
                    "INSERT INTO monthly_totals (category_id, month, total_cents, count) "
                    "VALUES (:cat, :m, :c, 1)"
                ),
                {"cat": cat, "m": day.replace(day=1), "c": cents},
            )
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('categories_id_seq', 3)"))
            conn.execute(text("SELECT setval('expenses_id_seq', 3)"))
    engine.dispose()
    book = open_book(empty_url)
    try:
        assert migrate.current_revision(book.engine) == migrate.HEAD
        assert categories.budget_history(book.sessions, "Food") == (
            BudgetChange(D(2025, 11, 1), Decimal("300.00"), False),
        )
        assert categories.budget_history(book.sessions, "Fun") == ()
        for month in ("2025-11", "2026-02", "2027-06"):
            status = categories.budget_status(book.sessions, month)
            food = next(c for c in status.categories if c.name == "Food")
            assert food.monthly_budget == Decimal("300.00"), month
        assert (
            categories.budget_status(book.sessions, "2025-10").categories[0].monthly_budget is None
        )
        february = categories.budget_status(book.sessions, "2026-02")
        assert (february.flows.income, february.flows.spending) == (
            Decimal("40.00"),
            Decimal("90.00"),
        )
        categories.set_budget(book.sessions, "food", "350", month="2026-02")
        january = categories.budget_status(book.sessions, "2026-01").categories
        assert next(c for c in january if c.name == "Food").monthly_budget == Decimal("300.00")
    finally:
        book.close()
