"""Two terminals edit one row: the second save is a Conflict and nothing is silently overwritten.

"Terminal A" and "terminal B" are two callers holding what they loaded (the version) on the same
book, as two app instances on one database would. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import event

from budget_tui.controller import categories, expenses
from budget_tui.controller.book import Book, open_book
from budget_tui.errors import Conflict
from tests.faults.conftest import Admin, at_commit

BREAD = {"description": "Bread", "amount": "3.20", "occurred_on": "2026-03-02"}


@pytest.fixture
def second_terminal(book: Book) -> Book:
    """Another engine and pool on the same database, like a second app instance."""
    other = open_book(book.engine.url.render_as_string(hide_password=False), migrate=False)
    yield other
    other.close()


def test_second_save_of_an_expense_is_a_conflict_naming_what_changed(
    book: Book, second_terminal: Book
) -> None:
    food = categories.create_category(book.sessions, "Food")
    created = expenses.create_expense(book.sessions, **BREAD, category=food.id)
    seen_by_a = expenses.get_expense(book.sessions, created.id)
    seen_by_b = expenses.get_expense(second_terminal.sessions, created.id)

    expenses.update_expense(
        book.sessions, created.id, version=seen_by_a.version, amount="4.80", description="Rye bread"
    )
    with pytest.raises(Conflict) as err:
        expenses.update_expense(
            second_terminal.sessions, created.id, version=seen_by_b.version, amount="9.99"
        )
    # The message tells B what A saved.
    assert "changed elsewhere" in err.value.message
    assert "Rye bread" in err.value.message and "4.80" in err.value.message
    assert "nothing was saved" in err.value.message

    now = expenses.get_expense(book.sessions, created.id)
    assert (now.description, now.amount) == ("Rye bread", Decimal("4.80"))
    assert now.version == seen_by_a.version + 1


def test_stale_move_and_delete_of_an_expense_are_conflicts(
    book: Book, second_terminal: Book
) -> None:
    food = categories.create_category(book.sessions, "Food")
    home = categories.create_category(book.sessions, "Home")
    created = expenses.create_expense(book.sessions, **BREAD, category=food.id)
    stale = created.version
    expenses.update_expense(book.sessions, created.id, version=stale, amount="5")

    with pytest.raises(Conflict):
        expenses.move_expense(second_terminal.sessions, created.id, home.id, version=stale)
    with pytest.raises(Conflict):
        expenses.delete_expense(second_terminal.sessions, created.id, version=stale)
    now = expenses.get_expense(book.sessions, created.id)
    assert (now.category_id, now.amount) == (food.id, Decimal("5.00"))
    assert categories.get_category(book.sessions, home.id).count == 0


def test_second_save_of_a_category_is_a_conflict_naming_it(
    book: Book, second_terminal: Book
) -> None:
    food = categories.create_category(book.sessions, "Food", "300")
    seen_by_b = categories.get_category(second_terminal.sessions, food.id)

    categories.rename_category(book.sessions, food.id, "Groceries", version=food.version)
    with pytest.raises(Conflict) as err:
        categories.set_budget(second_terminal.sessions, food.id, "999", version=seen_by_b.version)
    assert "Groceries" in err.value.message and "changed elsewhere" in err.value.message
    with pytest.raises(Conflict):
        categories.rename_category(
            second_terminal.sessions, food.id, "Eating", version=seen_by_b.version
        )
    with pytest.raises(Conflict):
        categories.delete_category(second_terminal.sessions, food.id, version=seen_by_b.version)

    now = categories.get_category(book.sessions, food.id)
    assert (now.name, now.monthly_budget) == ("Groceries", Decimal("300.00"))


@pytest.mark.postgres
def test_a_write_racing_between_load_and_save_is_refused_not_overwritten(pg_book: Book) -> None:
    """A's transaction has loaded the row (and checked its version) when B's save lands.

    PostgreSQL only: on SQLite a write action holds the write lock from its first statement
    (BEGIN IMMEDIATE), so no other save can land between its load and its save."""
    book = pg_book
    other = open_book(book.engine.url.render_as_string(hide_password=False), migrate=False)
    food = categories.create_category(book.sessions, "Food")
    created = expenses.create_expense(book.sessions, **BREAD, category=food.id)
    raced = []

    def b_saves_first(session, flush_context, instances) -> None:
        if not raced:
            raced.append(True)
            expenses.update_expense(other.sessions, created.id, description="B's edit")

    event.listen(book.sessions, "before_flush", b_saves_first)
    try:
        with pytest.raises(Conflict) as err:
            expenses.update_expense(
                book.sessions, created.id, version=created.version, description="A's edit"
            )
    finally:
        event.remove(book.sessions, "before_flush", b_saves_first)
        other.close()

    # The versioned UPDATE matched no row: B's save is there, A is told.
    assert "changed or deleted elsewhere" in err.value.message
    now = expenses.get_expense(book.sessions, created.id)
    assert now.description == "B's edit"
    assert now.version == created.version + 1


@pytest.mark.postgres
def test_retry_while_the_first_attempt_is_still_committing_replays_it(
    pg_book: Book, admin: Admin
) -> None:
    """The first save is slow to commit; the person retries from another terminal (same uid).
    The retry waits on the first one's row, then finds it: one row, and it says it was saved."""
    other = open_book(pg_book.engine.url.render_as_string(hide_password=False), migrate=False)
    food = categories.create_category(pg_book.sessions, "Food")
    uid = expenses.new_uid()
    committing, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def hold_first_commit(session) -> None:
        if not committing.is_set():
            committing.set()
            release.wait(20)

    def save(name: str, book: Book) -> None:
        try:
            results[name] = expenses.create_expense(
                book.sessions, **BREAD, category=food.id, uid=uid
            )
        except Exception as exc:
            results[name] = exc

    hold_first_commit = at_commit(hold_first_commit)
    event.listen(pg_book.sessions, "before_commit", hold_first_commit)
    first = threading.Thread(target=save, args=("first", pg_book), daemon=True)
    retry = threading.Thread(target=save, args=("retry", other), daemon=True)
    try:
        first.start()
        assert committing.wait(10)
        retry.start()
        deadline = time.monotonic() + 10
        while not admin.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        ):
            assert time.monotonic() < deadline, "the retry never waited on the first save"
            time.sleep(0.05)
        release.set()
        first.join(20)
        retry.join(20)
    finally:
        release.set()
        event.remove(pg_book.sessions, "before_commit", hold_first_commit)
        other.close()

    assert not first.is_alive() and not retry.is_alive()
    assert results["first"].replayed is False
    assert results["retry"].replayed is True, results["retry"]
    assert results["retry"].id == results["first"].id
    assert admin.scalar("SELECT count(*) FROM expenses WHERE uid = %s", uid) == 1
    assert admin.scalar("SELECT sum(count) FROM monthly_totals") == 1
