"""The first screen's data from a forked child: the same answer as the controller, its errors
with their kind and words, nothing on the terminal, and a clean fall-back when the child dies."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.book import open_book
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from budget_tui.errors import ConfigError, DatabaseUnavailable
from budget_tui.tui import prefetch

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")

MARCH = Period.month(__import__("datetime").date(2026, 3, 15))


def march_list(sessions):
    """The load the tests hand to the child (by name, as the app does)."""
    return expense_list.list_expenses(sessions, ExpenseFilter(period=MARCH))


def slow_march_list(sessions):
    """The whole listing, late enough that the first rows surely come before it."""
    import time

    time.sleep(1.0)
    return march_list(sessions)


def explode(sessions):
    print("chatter on stdout")
    print("chatter on stderr", file=sys.stderr)
    raise RuntimeError("a bug, not a BudgetError")


def explode_after_the_first_rows(sessions):
    """``explode``, once the child's first rows are sent (its thread for them has ended): a child
    that dies sooner takes them with it, and the app then has none to show."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.daemon:
            thread.join(30)
    explode(sessions)


def _book_with_rows(path: Path) -> str:
    url = f"sqlite:///{path}"
    book = open_book(url)
    categories.create_category(book.sessions, "Groceries")
    for i in range(3):
        expenses.create_expense(
            book.sessions,
            description=f"Market {i}",
            amount=f"{10 + i}.50",
            occurred_on="2026-03-0" + str(i + 1),
            category="Groceries",
        )
    book.close()
    return url


def test_the_child_answers_what_the_controller_answers(tmp_path: Path) -> None:
    url = _book_with_rows(tmp_path / "book.db")
    child = prefetch.start(url, f"{__name__}:march_list")
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.error is None
    assert verdict.location == str(tmp_path / "book.db")
    data, error = child.result()  # type: ignore[misc]
    assert error is None
    book = open_book(url)
    try:
        assert data == march_list(book.sessions)
        assert [e.description for e in data.items] == ["Market 2", "Market 1", "Market 0"]
    finally:
        book.close()


def test_a_url_that_cannot_be_read_is_the_verdict() -> None:
    child = prefetch.start("postgres://user:secret@host/db", f"{__name__}:march_list")
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.location is None
    assert isinstance(verdict.error, ConfigError)
    assert "postgresql://" in str(verdict.error)
    assert "secret" not in str(verdict.error)
    child.close()


def test_an_unreachable_database_comes_back_as_its_error(monkeypatch) -> None:
    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", "2")
    url = "postgresql://budget:s3cret@127.0.0.1:9/nothing"
    child = prefetch.start(url, f"{__name__}:march_list")
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.location is not None
    assert "s3cret" not in verdict.location
    data, error = child.result()  # type: ignore[misc]
    assert data is None
    assert isinstance(error, DatabaseUnavailable)
    assert error.saved is False
    assert "s3cret" not in str(error)


def test_a_child_that_dies_leaves_the_app_to_open_the_book_itself(tmp_path: Path) -> None:
    url = _book_with_rows(tmp_path / "book.db")
    child = prefetch.start(url, f"{__name__}:explode")
    assert child is not None
    assert child.verdict() is not None
    assert child.result() is None


def test_the_child_writes_nothing_to_the_terminal(tmp_path: Path) -> None:
    url = _book_with_rows(tmp_path / "book.db")
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from budget_tui.tui import prefetch
        child = prefetch.start({url!r}, "tests.unit.test_prefetch:explode")
        child.verdict()
        print("result:", child.result())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "always"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "result: None\n"
    assert done.stderr == ""


FIRST_ROWS = "budget_tui.controller.first_rows:first_rows"


def _first_and_rest(child: prefetch.Prefetch) -> tuple[object, dict[str, object]]:
    """The first rows, wherever they came (before the verdict in the app; in a test process,
    which has SQLAlchemy imported already, the verdict may win), and the other answers: the
    location and the whole listing."""
    verdict = child.verdict()
    assert verdict is not None and verdict.error is None
    rest = list(child.answers())
    kinds = [kind for kind, _value in rest]
    assert kinds[-1] == "data"
    answers = dict(rest)
    if verdict.location:
        answers.setdefault("location", verdict.location)
    if verdict.first is not None:
        return verdict.first, answers
    assert kinds.index("first") < kinds.index("data")
    return answers["first"], answers


def test_the_first_rows_come_before_the_whole_listing_written_as_the_app_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Amounts are written as the app writes them, with the person's settings.
    monkeypatch.setenv("BUDGET_LOCALE", "de_DE")
    monkeypatch.setenv("BUDGET_CURRENCY", "EUR")
    url = _book_with_rows(tmp_path / "book.db")
    child = prefetch.start(url, f"{__name__}:slow_march_list", FIRST_ROWS)
    assert child is not None
    first, _answers = _first_and_rest(child)
    assert first.location == str(tmp_path / "book.db")  # type: ignore[attr-defined]
    items = first.page.items  # type: ignore[attr-defined]
    assert [e.description for e in items] == ["Market 2", "Market 1", "Market 0"]
    from budget_tui.tui.format import _WRITTEN, money

    assert {str(a): t for a, t in _WRITTEN.items()} == {
        "12.50": "12,50\xa0€",
        "11.50": "11,50\xa0€",
        "10.50": "10,50\xa0€",
    }
    assert money(items[0].amount) == "12,50\xa0€"


def test_unknown_money_settings_are_the_verdict_even_when_the_rows_could_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _book_with_rows(tmp_path / "book.db")
    monkeypatch.setenv("BUDGET_LOCALE", "xx_NOWHERE")
    child = prefetch.start(url, f"{__name__}:march_list", FIRST_ROWS)
    assert child is not None
    verdict = child.verdict()
    assert verdict is not None and verdict.first is None
    assert isinstance(verdict.error, ConfigError)
    assert "BUDGET_LOCALE" in str(verdict.error)
    child.close()


def test_a_servers_first_rows_come_and_its_location_follows() -> None:
    from tests.conftest import make_book

    book = make_book("postgresql", None)
    try:
        categories.create_category(book.sessions, "Groceries")
        expenses.create_expense(
            book.sessions,
            description="Market",
            amount="3.25",
            occurred_on="2026-03-02",
            category="Groceries",
        )
    finally:
        book.close()
    from tests.conftest import pg_url

    child = prefetch.start(pg_url(), f"{__name__}:slow_march_list", FIRST_ROWS)
    assert child is not None
    first, answers = _first_and_rest(child)
    assert first.location is None  # type: ignore[attr-defined]
    assert [e.description for e in first.page.items] == ["Market"]  # type: ignore[attr-defined]
    # The header's location (never a password in it) and the whole listing follow.
    assert answers["location"].startswith("postgresql://")
    assert [e.description for e in answers["data"].items] == ["Market"]
