"""Faults seen through the screen: a connection killed at COMMIT, a server silent at connect, and
two terminals saving the same row.

Each test presses keys with Pilot, then checks what the person sees (toasts, the form, the
connecting screen) and what the database holds. Every scenario runs under a deadline
(:func:`run_scenario`), so a hang fails the test instead of stalling the run, and stops what it
started (app, proxy, books, admin connection).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import event
from textual.widgets import LoadingIndicator, Static

from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.book import Book
from budget_tui.controller.views import ExpenseFilter
from budget_tui.tui.screens.categories import CategoriesScreen
from budget_tui.tui.screens.connecting import ConnectingScreen
from budget_tui.tui.screens.expenses import ExpensesScreen
from budget_tui.tui.screens.help import HelpScreen
from budget_tui.tui.widgets.category_form import CategoryForm
from budget_tui.tui.widgets.expense_form import ExpenseForm
from tests.conftest import make_book, pg_url
from tests.faults.conftest import Admin, at_commit
from tests.faults.proxy import FaultProxy
from tests.tui.fault_helpers import run_scenario, toasts, wait_for
from tests.tui.helpers import clear_and_type, make_app, ready, settle, type_text

# Short, yet long enough that the keys pressed while connecting land before the app gives up.
CONNECT_S = 4

BREAD = {"description": "Bread", "amount": "3.20", "occurred_on": "2026-03-02"}


@pytest.fixture
def pg_book(tmp_path) -> Iterator[Book]:
    """An empty, migrated PostgreSQL book (TEST_DATABASE_URL) to set up and check data."""
    book = make_book("postgresql", tmp_path)
    yield book
    book.close()


@pytest.fixture
def admin(pg_book: Book) -> Iterator[Admin]:
    a = Admin(pg_url())
    yield a
    a.close()


def book_url(book: Book) -> str:
    return book.engine.url.render_as_string(hide_password=False)


def connecting_text(app) -> str:
    return str(app.screen.query_one("#connecting-message", Static).render())


def errors_shown(app, title: str) -> list[str]:
    return [message for t, message, _ in toasts(app) if t == title]


# -- the server kills our connection at COMMIT --------------------------------------------------


@pytest.mark.postgres
def test_connection_killed_at_commit_says_not_saved_keeps_the_form_and_a_retry_saves_once(
    pg_book: Book, admin: Admin
) -> None:
    categories.create_category(pg_book.sessions, "Groceries")
    kills: list[int] = []

    def kill_our_backend(session) -> None:
        # Once: the retry's COMMIT must go through.
        if not kills:
            pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            admin.terminate([pid])
            kills.append(pid)

    listener = at_commit(kill_our_backend)

    async def scenario() -> None:
        app = make_app(pg_url())
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            await pilot.press("a")
            form = app.screen
            assert isinstance(form, ExpenseForm)
            await type_text(pilot, "Cheese")
            await pilot.press("tab")
            await type_text(pilot, "7.25")
            await pilot.press("tab", "tab")
            await type_text(pilot, "gro")
            # Armed only now: the loads before this point commit too.
            event.listen(app.book.sessions, "before_commit", listener)
            try:
                await pilot.press("enter")
                await settle(pilot)
            finally:
                event.remove(app.book.sessions, "before_commit", listener)
            assert len(kills) == 1, "the save reached COMMIT and its backend was killed"

            # The screen: the form is still open with what was typed, and says not saved.
            assert app.is_running
            assert app.screen is form
            values = {key: form.field(key).value for key in ("description", "amount", "category")}
            assert values == {"description": "Cheese", "amount": "7.25", "category": "Groceries"}
            (message,) = errors_shown(app, "Database unavailable")
            assert "Nothing was saved; you can try again." in message
            assert "Traceback" not in message and "psycopg2" not in message
            # The database: nothing, not even the roll-up.
            assert admin.scalar("SELECT count(*) FROM expenses") == 0
            assert admin.scalar("SELECT coalesce(sum(count), 0) FROM monthly_totals") == 0

            # The person presses Enter again: saved, once, with the form's uid.
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ExpensesScreen)
            assert admin.scalar("SELECT count(*) FROM expenses") == 1
            assert admin.scalar("SELECT count(*) FROM expenses WHERE uid = %s", form.uid) == 1
            assert admin.scalar("SELECT sum(count) FROM monthly_totals") == 1
            (row,) = app.screen.rows
            assert (row.description, row.amount, row.category_name) == (
                "Cheese",
                Decimal("7.25"),
                "Groceries",
            )

    run_scenario(scenario)


@pytest.mark.postgres
def test_reply_to_commit_lost_says_saved_and_saving_again_adds_no_second_row(
    pg_book: Book, admin: Admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("BUDGET_TUI_QUERY_TIMEOUT", "2")
    categories.create_category(pg_book.sessions, "Groceries")

    async def scenario(proxy: FaultProxy) -> None:
        app = make_app(proxy.url(pg_url()))
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            await pilot.press("a")
            form = app.screen
            assert isinstance(form, ExpenseForm)
            await type_text(pilot, "Cheese")
            await pilot.press("tab")
            await type_text(pilot, "7.25")
            await pilot.press("tab", "tab")
            await type_text(pilot, "gro")
            proxy.cut_after_reply_to(b"COMMIT")
            await pilot.press("enter")
            await settle(pilot)
            assert proxy.cuts == 1, "the server committed and its answer was dropped"

            assert app.is_running
            (message,) = errors_shown(app, "Database unavailable")
            assert "Your change was saved." in message
            assert admin.scalar("SELECT count(*) FROM expenses WHERE uid = %s", form.uid) == 1

            # The form stays open with what was typed; not sure what happened, the person
            # saves again: the same row (the form's uid), not a second one.
            assert app.screen is form
            assert form.field("description").value == "Cheese"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ExpensesScreen)
            assert admin.scalar("SELECT count(*) FROM expenses") == 1
            assert admin.scalar("SELECT sum(count) FROM monthly_totals") == 1
            (row,) = app.screen.rows
            assert (row.description, row.amount) == ("Cheese", Decimal("7.25"))

    with FaultProxy.for_url(pg_url()) as proxy:
        run_scenario(lambda: scenario(proxy))


# -- the server does not answer at connect ------------------------------------------------------


@pytest.fixture
def silent_server(
    pg_book: Book, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FaultProxy, str]]:
    """A proxy that accepts connections and never answers, in front of a book with two
    expenses; the app gives up after a connect timeout of CONNECT_S seconds."""
    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", str(CONNECT_S))
    monkeypatch.setenv("BUDGET_TUI_QUERY_TIMEOUT", "2")
    food = categories.create_category(pg_book.sessions, "Food")
    expenses.create_expense(pg_book.sessions, **BREAD, category=food.id)
    expenses.create_expense(
        pg_book.sessions,
        description="Milk",
        amount="1.10",
        occurred_on="2026-03-03",
        category=food.id,
    )
    with FaultProxy.for_url(pg_url()) as proxy:
        proxy.blackhole()
        yield proxy, proxy.url(pg_url())


@pytest.mark.postgres
def test_silent_server_at_connect_stays_responsive_fails_clearly_and_recovers_on_r(
    silent_server: tuple[FaultProxy, str],
) -> None:
    proxy, url = silent_server

    async def scenario() -> None:
        started = time.monotonic()
        app = make_app(url)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ConnectingScreen)
            assert "Connecting to" in connecting_text(app)
            assert screen.query_one(LoadingIndicator).display

            # While it waits, keys work: F1 opens the key list and closes it again.
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert app.screen is screen
            assert "Connecting to" in connecting_text(app)

            await wait_for(
                pilot,
                lambda: "Could not open" in connecting_text(app),
                within=30,
                what="the connect failure",
            )
            # It waited for the server for the configured time, it did not give up at once.
            assert time.monotonic() - started >= CONNECT_S - 1
            text = connecting_text(app)
            assert "did not answer in time" in text
            assert "Press r to try again" in text
            assert not screen.query_one(LoadingIndicator).display
            assert proxy.accepted >= 1, "the app's connection went through the proxy"

            proxy.heal()
            await pilot.press("r")
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, ExpensesScreen) and bool(app.screen.rows),
                within=30,
                what="the expenses screen after r",
            )
            await settle(pilot)
            assert sorted(r.description for r in app.screen.rows) == ["Bread", "Milk"]
            assert app.screen.table.row_count == 2

    run_scenario(scenario)


@pytest.mark.postgres
def test_failure_at_connect_is_shown_even_if_the_key_list_was_open_when_it_came(
    silent_server: tuple[FaultProxy, str],
) -> None:
    proxy, url = silent_server

    async def scenario() -> None:
        app = make_app(url)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ConnectingScreen)
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)
            # The open gives up while the key list covers the connecting screen.
            await wait_for(
                pilot,
                lambda: not any(w.name == "open_book" and w.is_running for w in app.workers),
                within=30,
                what="the connect attempt to end",
            )
            await settle(pilot)
            await pilot.press("escape")
            assert app.screen is screen
            text = connecting_text(app)
            assert "Could not open" in text and "Press r to try again" in text, text
            assert not screen.query_one(LoadingIndicator).display

            proxy.heal()
            await pilot.press("r")
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, ExpensesScreen) and len(app.screen.rows) == 2,
                within=30,
                what="the expenses screen after r",
            )

    run_scenario(scenario)


@pytest.mark.postgres
def test_q_quits_while_the_server_is_silent(
    silent_server: tuple[FaultProxy, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, url = silent_server
    # Far longer than the wait below: the app must quit while it is still connecting, not
    # after giving up.
    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", "60")

    async def scenario() -> None:
        app = make_app(url)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ConnectingScreen)
            assert "Connecting to" in connecting_text(app)
            await pilot.press("q")
            await wait_for(pilot, lambda: not app.is_running, within=10, what="quitting")
        # The connect attempt still runs in its worker thread, and the event loop waits for it
        # before it closes: resetting the silent connection ends that attempt now.
        proxy.cut_all()

    run_scenario(scenario)


# -- two terminals save the same row ----------------------------------------------------------


def test_expense_edited_in_another_terminal_is_a_conflict_that_says_what_changed(
    book: Book,
) -> None:
    """``book`` is the other terminal: its own engine and pool on the app's database."""
    food = categories.create_category(book.sessions, "Food")
    created = expenses.create_expense(book.sessions, **BREAD, category=food.id)

    async def scenario() -> None:
        app = make_app(book_url(book))
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            await pilot.press("e")
            form = app.screen
            assert isinstance(form, ExpenseForm)
            assert form.field("amount").value == "3.20"
            await pilot.press("tab")
            await clear_and_type(pilot, "9.99")

            # Meanwhile, in the other terminal:
            expenses.update_expense(
                book.sessions,
                created.id,
                version=created.version,
                description="Rye bread",
                amount="4.80",
            )

            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is form, "the form stays open with what was typed"
            assert form.field("amount").value == "9.99"
            (message,) = errors_shown(app, "Conflict")
            assert "changed elsewhere" in message
            assert "Rye bread" in message and "4.80" in message
            assert "nothing was saved" in message

            now = expenses.get_expense(book.sessions, created.id)
            assert (now.description, now.amount) == ("Rye bread", Decimal("4.80"))
            assert now.version == created.version + 1

            # Closing the form and reloading shows the other terminal's values.
            await pilot.press("escape", "y", "ctrl+r")  # discard the edit: asked first
            await settle(pilot)
            assert isinstance(app.screen, ExpensesScreen)
            (row,) = app.screen.rows
            assert (row.description, row.amount) == ("Rye bread", Decimal("4.80"))

    run_scenario(scenario)


def test_category_renamed_in_another_terminal_is_a_conflict_naming_it(book: Book) -> None:
    food = categories.create_category(book.sessions, "Food", "300")

    async def scenario() -> None:
        app = make_app(book_url(book))
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot, "categories")
            assert isinstance(app.screen, CategoriesScreen)
            await pilot.press("r")
            form = app.screen
            assert isinstance(form, CategoryForm)
            await clear_and_type(pilot, "Eating")

            categories.rename_category(book.sessions, food.id, "Groceries", version=food.version)

            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is form
            assert form.query_one("#name-input").value == "Eating"
            (message,) = errors_shown(app, "Conflict")
            assert "Groceries" in message and "changed elsewhere" in message
            assert "nothing was saved" in message

            now = categories.get_category(book.sessions, food.id)
            assert (now.name, now.monthly_budget) == ("Groceries", Decimal("300.00"))
            assert now.version == food.version + 1

            await pilot.press("escape", "y", "ctrl+r")  # discard the edit: asked first
            await settle(pilot)
            assert [c.name for c in app.screen.rows] == ["Groceries"]

    run_scenario(scenario)


def test_expense_moved_in_another_terminal_is_a_conflict_that_names_the_new_category(
    book: Book,
) -> None:
    food = categories.create_category(book.sessions, "Food")
    home = categories.create_category(book.sessions, "Home")
    created = expenses.create_expense(book.sessions, **BREAD, category=food.id)

    async def scenario() -> None:
        app = make_app(book_url(book))
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            await pilot.press("e")
            form = app.screen
            assert isinstance(form, ExpenseForm)
            await pilot.press("tab")
            await clear_and_type(pilot, "9.99")

            expenses.move_expense(book.sessions, created.id, home.id, version=created.version)

            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is form
            (message,) = errors_shown(app, "Conflict")
            assert "changed elsewhere" in message and "nothing was saved" in message
            now = expenses.get_expense(book.sessions, created.id)
            assert (now.category_name, now.amount) == ("Home", Decimal("3.20"))
            # What changed is the category: the message should say where it is now.
            assert "Home" in message, message

    run_scenario(scenario)


def test_expense_deleted_in_another_terminal_is_not_brought_back_by_a_save(book: Book) -> None:
    food = categories.create_category(book.sessions, "Food")
    created = expenses.create_expense(book.sessions, **BREAD, category=food.id)

    async def scenario() -> None:
        app = make_app(book_url(book))
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            await pilot.press("e")
            form = app.screen
            assert isinstance(form, ExpenseForm)
            await pilot.press("tab")
            await clear_and_type(pilot, "9.99")

            expenses.delete_expense(book.sessions, created.id, version=created.version)

            await pilot.press("enter")
            await settle(pilot)
            assert app.is_running
            assert app.screen is form
            assert form.field("amount").value == "9.99"
            (message,) = errors_shown(app, "Not found")
            assert "deleted elsewhere" in message
            assert expense_list.list_expenses(book.sessions, ExpenseFilter()).items == ()

            await pilot.press("escape", "y", "ctrl+r")  # discard the edit: asked first
            await settle(pilot)
            assert isinstance(app.screen, ExpensesScreen)
            assert app.screen.rows == []

    run_scenario(scenario)
