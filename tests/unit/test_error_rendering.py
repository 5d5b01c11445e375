"""One rendering of an error: the app, the command line and an MCP client read the same words."""

from __future__ import annotations

import pytest

from budget_tui.errors import (
    BudgetError,
    ConfigError,
    Conflict,
    DatabaseBusy,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
    render,
)

ERRORS = [
    InvalidInput("amount", "'ten' is not an amount.", hint="Write it like 12.50."),
    NotFound("That expense no longer exists."),
    Conflict("A category with that name already exists."),
    ConfigError("BUDGET_LOCALE is set to 'xx', which is not a locale budget-tui knows."),
    DatabaseUnavailable("The connection to the database was lost.", saved=True),
    DatabaseUnavailable("The connection to the database was lost.", saved=None, hint="Retry."),
    DatabaseBusy("The database file is busy.", saved=False, hint="Try again in a moment."),
    BudgetError("Something unexpected went wrong;\nthe details are in the log file."),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_the_app_the_cli_and_mcp_say_the_same(error: BudgetError) -> None:
    from click.testing import CliRunner

    from budget_tui.cli import main
    from budget_tui.mcp.arguments import error_text
    from budget_tui.tui.runner import describe

    shown = render(error)
    assert describe(error) == shown.text
    field = f"{error.field}: " if isinstance(error, InvalidInput) else ""
    assert error_text(error) == field + shown.text

    @main.command("fail-for-test")
    def fail() -> None:
        raise error

    try:
        result = CliRunner().invoke(main, ["fail-for-test"])
    finally:
        main.commands.pop("fail-for-test")
    assert result.stderr == f"Error: {shown.line()}\n"


def test_a_lost_connection_says_its_outcome_before_the_hint() -> None:
    shown = render(DatabaseUnavailable("Lost.", saved=None, hint="Look before you retry."))
    assert shown.outcome == ("It is not known whether your change was saved; trying again is safe.")
    assert shown.text == f"Lost. {shown.outcome} Look before you retry."
    assert (shown.title, shown.field) == ("Database unavailable", None)
    assert render(InvalidInput("date", "Not a date.")).field == "date"


@pytest.mark.parametrize("reading", [False, True], ids=["write", "read"])
@pytest.mark.parametrize("sqlstate", ["55P03", "40P01", "SQLITE_BUSY"])
def test_a_busy_database_says_each_thing_once(sqlstate: str, reading: bool) -> None:
    """Busy: what happened, then (for a write) that nothing was saved, then to try again: each
    said once, and a read never speaks of saving."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from budget_tui.controller._tx import translate
    from budget_tui.db.classify import Kind, Problem

    if sqlstate == "SQLITE_BUSY":
        orig: Exception = sqlite3.OperationalError("database is locked")
    else:
        orig = Exception(sqlstate)
    orig.budget_problem = Problem(Kind.BUSY)  # type: ignore[attr-defined]  # as classify keeps it
    exc = OperationalError("SELECT 1", {}, orig)
    text = render(translate(exc, committing=False, reading=reading)).text.lower()
    assert text.count("try again") == 1, text
    assert text.count("saved") == (0 if reading else 1), text
