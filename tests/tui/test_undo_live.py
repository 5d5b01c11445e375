"""Undo, redo, History and the live view, driven with keys on SQLite and PostgreSQL: a person
deletes by mistake, quits, reopens and presses u; sees what an assistant changed and undoes it;
sees another terminal's saves appear by themselves, the cursor where it was."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from textual.pilot import Pilot

from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.book import Book
from budget_tui.controller.ledger import acting_as
from budget_tui.tui.screens.history import HistoryScreen
from budget_tui.tui.widgets.expense_form import ExpenseForm
from tests.conftest import make_book
from tests.tui.helpers import make_app, notifications, ready, settle, type_text

LIVE_WITHIN_S = 2.0


@pytest.fixture
def shared(backend: str, tmp_path) -> tuple[Book, str]:
    """A book with two expenses on ``backend``, and its URL for the app."""
    book = make_book(backend, tmp_path)
    categories.create_category(book.sessions, "Food", "300")
    for description, amount, day in (
        ("Groceries", "45.00", "2026-03-03"),
        ("Bakery", "4.20", "2026-03-10"),
    ):
        expenses.create_expense(
            book.sessions, description=description, amount=amount, occurred_on=day, category="Food"
        )
    yield book, book.engine.url.render_as_string(hide_password=False)
    book.close()


def descriptions(app) -> list[str]:
    return [row.description for row in app.screen.rows]


def stored(book: Book) -> set[str]:
    return {e.description for e in expense_list.list_expenses(book.sessions).items}


async def wait_until(pilot: Pilot, condition, seconds: float) -> float:
    """Pause until ``condition()`` holds, pressing nothing; answers how long it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not within {seconds} s")
        await pilot.pause(0.05)
    return time.monotonic() - start


async def test_delete_by_mistake_quit_reopen_and_u_brings_it_back(shared) -> None:
    book, url = shared
    app = make_app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("down")  # Groceries (the older row)
        assert app.screen.current.description == "Groceries"
        await pilot.press("d", "y")
        await settle(pilot)
        assert stored(book) == {"Bakery"}
    reopened = make_app(url)
    async with reopened.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert descriptions(reopened) == ["Bakery"]
        await pilot.press("u")
        await settle(pilot)
        assert "Undid: delete 'Groceries' 45.00 on 2026-03-03" in notifications(reopened)
        assert descriptions(reopened) == ["Bakery", "Groceries"]
        assert stored(book) == {"Bakery", "Groceries"}
        await pilot.press("U")
        await settle(pilot)
        assert "Redid: delete 'Groceries' 45.00 on 2026-03-03" in notifications(reopened)
        assert stored(book) == {"Bakery"}
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert stored(book) == {"Bakery"}
        assert descriptions(reopened) == ["Bakery"]


async def test_an_undo_refused_shows_what_the_row_holds_now(shared) -> None:
    book, url = shared
    app = make_app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        bakery = app.screen.current
        await pilot.press("e")
        await pilot.press("tab")
        app.focused.value = "5.00"
        await pilot.press("enter")
        await settle(pilot)
        # Another terminal changes the same row after this one.
        expenses.update_expense(book.sessions, bakery.id, description="Bakery (two)")
        await pilot.press("u")
        await settle(pilot)
        shown = " ".join(notifications(app))
        assert "'Bakery' 5.00 on 2026-03-10 was changed since" in shown
        assert "now: 'Bakery (two)' 5.00 on 2026-03-10 in 'Food'" in shown
    assert expenses.get_expense(book.sessions, bakery.id).description == "Bakery (two)"


async def test_history_shows_who_changed_what_filters_by_source_and_undoes(shared) -> None:
    book, url = shared
    with acting_as("mcp:Claude"):
        assistant = expenses.create_expense(
            book.sessions,
            description="Guessed lunch",
            amount="99.00",
            occurred_on="2026-03-12",
            category="Food",
        )
    app = make_app(url)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert [c.source for c in screen.rows] == ["mcp:Claude", "cli", "cli", "cli"]
        await pilot.press("f")  # cli
        await settle(pilot)
        await pilot.press("f")  # mcp:Claude
        await settle(pilot)
        assert screen.source == "mcp:Claude"
        assert [c.summary for c in screen.rows] == [
            "add 'Guessed lunch' 99.00 on 2026-03-12 in 'Food'"
        ]
        await pilot.press("u")
        await settle(pilot)
        assert "Undid: add 'Guessed lunch' 99.00 on 2026-03-12 in 'Food'" in notifications(app)
        assert screen.rows[0].undone
        await pilot.press("f")  # back to every source: the undo is listed, by tui
        await settle(pilot)
        assert (screen.rows[0].action, screen.rows[0].source) == ("undo", "tui")
    assert assistant.description not in stored(book)


async def test_another_process_adds_an_expense_and_it_shows_within_2_s_cursor_kept(shared) -> None:
    _book, url = shared
    app = make_app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("down")
        selected = app.screen.current
        assert selected.description == "Groceries"
        env = dict(os.environ)
        # The other terminal: a separate process, through the command line.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "budget_tui",
                "--db",
                url,
                "add",
                "7.50",
                "Newsagent",
                "-c",
                "Food",
                "--date",
                "2026-03-14",
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        saved_at = time.monotonic()
        await wait_until(pilot, lambda: "Newsagent" in descriptions(app), LIVE_WITHIN_S)
        assert time.monotonic() - saved_at < LIVE_WITHIN_S
        await settle(pilot)
        assert descriptions(app) == ["Newsagent", "Bakery", "Groceries"]
        assert app.screen.current.id == selected.id  # the cursor stayed on its row


async def test_a_form_being_typed_is_never_disturbed_by_a_change_elsewhere(shared) -> None:
    book, url = shared
    app = make_app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await type_text(pilot, "Half typed")
        form = app.screen
        expenses.create_expense(
            book.sessions,
            description="Elsewhere",
            amount="1.00",
            occurred_on="2026-03-11",
            category="Food",
        )
        await pilot.pause(LIVE_WITHIN_S)
        assert app.screen is form and isinstance(form, ExpenseForm)
        assert app.focused.value == "Half typed"
        await pilot.press("escape", "y")  # discard what was typed (the form asks first)
        await wait_until(pilot, lambda: "Elsewhere" in descriptions(app), LIVE_WITHIN_S)


async def test_changes_this_app_makes_are_not_read_twice(shared) -> None:
    """The live view reloads for others' changes only: a delete here costs no extra load."""
    _book, url = shared
    app = make_app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("d", "y")
        await settle(pilot)
        loads: list[int] = []
        original = app.screen.load

        def counting(*args, **kwargs):
            loads.append(1)
            return original(*args, **kwargs)

        app.screen.load = counting
        await pilot.pause(1.5)
        assert loads == []
