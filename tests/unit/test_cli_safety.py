"""The command line never destroys or invents a book, and says what happened in one line.

Given a book, I run a command that goes wrong (a mistyped path, an output over the book, a lost
connection), and I read one sentence on stderr, get an exit code that tells me what to do, and
find every file as it was.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_tui.cli import main
from budget_tui.controller import categories, expenses
from budget_tui.controller.book import open_book
from budget_tui.errors import DatabaseUnavailable


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """A book with one expense, closed again (nothing holds it open)."""
    path = tmp_path / "budget.db"
    book = open_book(f"sqlite:///{path}")
    food = categories.create_category(book.sessions, "Food")
    expenses.create_expense(
        book.sessions,
        description="Bread",
        amount=Decimal("2.50"),
        occurred_on="2026-03-02",
        category=food.id,
    )
    book.close()
    return path


# --- 1. export never destroys the book or an existing file -----------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("force", [False, True])
def test_export_over_the_book_or_its_files_is_refused(
    book_path: Path, suffix: str, force: bool
) -> None:
    target = Path(f"{book_path}{suffix}")
    before = fingerprint(book_path)
    args = ["--db", f"sqlite:///{book_path}", "export", "-o", str(target)]
    code, _, err = run(*args, *(["--force"] if force else []))
    assert code == 1
    assert "budget book" in one_line(err)
    assert fingerprint(book_path) == before
    if suffix:
        assert not target.exists() or target.read_bytes()[:4] != b"date"
    code, out, _ = run("--db", f"sqlite:///{book_path}", "export")
    assert code == 0 and "Bread" in out


def test_export_over_the_book_through_another_name_is_refused(
    book_path: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(book_path)
    before = fingerprint(book_path)
    code, _, err = run("--db", f"sqlite:///{book_path}", "export", "-o", str(link), "--force")
    assert code == 1 and "budget book" in one_line(err)
    assert fingerprint(book_path) == before


def test_export_over_an_existing_file_needs_force(book_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.csv"
    out.write_text("keep me\n")
    code, _, err = run("--db", f"sqlite:///{book_path}", "export", "-o", str(out))
    assert code == 1
    assert "--force" in one_line(err)
    assert out.read_text() == "keep me\n"

    code, _, err = run("--db", f"sqlite:///{book_path}", "export", "-o", str(out), "--force")
    assert code == 0, err
    assert out.read_text().splitlines() == [
        "date,description,amount,category",
        "2026-03-02,Bread,2.50,Food",
    ]
    assert {p.name for p in tmp_path.iterdir()} - _book_files(book_path) == {"mine.csv"}


def test_export_into_a_missing_folder_is_a_sentence(book_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.csv"
    code, _, err = run("--db", f"sqlite:///{book_path}", "export", "-o", str(target))
    assert code == 1
    assert "does not exist" in one_line(err)
    assert not (tmp_path / "no").exists()


def test_export_through_a_file_names_the_file_not_a_missing_folder(
    book_path: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    target = notes / "sub" / "out.csv"
    code, out, err = run("--db", f"sqlite:///{book_path}", "export", "-o", str(target))
    assert code == 1
    assert one_line(err) == (
        f"Error: {notes} is a file, not a folder; the export was not written. Check the path."
    )
    assert out == ""
    assert notes.read_text() == "shopping list"


def test_a_failed_export_leaves_the_old_file_and_no_half_file(
    book_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budget_tui.controller import export as export_module

    def fails_midway(_sessions, out, _flt=None) -> int:
        out.write("date,description,amount,category\n2026-03-02,Half")
        raise DatabaseUnavailable("The connection to the database was lost.", saved=False)

    monkeypatch.setattr(export_module, "export_csv", fails_midway)
    out = tmp_path / "mine.csv"
    out.write_text("the old export\n")
    code, _, err = run("--db", f"sqlite:///{book_path}", "export", "-o", str(out), "--force")
    assert code == 3
    assert "lost" in one_line(err)
    assert out.read_text() == "the old export\n"
    assert {p.name for p in tmp_path.iterdir()} - _book_files(book_path) == {"mine.csv"}

    fresh = tmp_path / "fresh.csv"
    code, _, _ = run("--db", f"sqlite:///{book_path}", "export", "-o", str(fresh))
    assert code == 3
    assert not fresh.exists()
    assert {p.name for p in tmp_path.iterdir()} - _book_files(book_path) == {"mine.csv"}


def _book_files(book_path: Path) -> set[str]:
    return {book_path.name + s for s in ("", "-wal", "-shm", "-journal")}


# --- 2. the outcome of a lost connection, and exit codes that tell it -----------------------


@pytest.mark.parametrize(
    ("saved", "code", "outcome"),
    [
        (False, 3, "Nothing was saved; you can try again."),
        (True, 4, "Your change was saved."),
        (None, 5, "It is not known whether your change was saved"),
    ],
)
def test_a_lost_connection_says_the_outcome_and_exits_with_its_code(
    book_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved, code, outcome
) -> None:
    from budget_tui.controller import file_import

    def lost(*_args, **_kwargs):
        raise DatabaseUnavailable("The connection to the database was lost.", saved=saved)

    monkeypatch.setattr(file_import, "import_file", lost)
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("date,description,amount,category\n2026-03-03,Milk,1.20,Food\n")
    got, _, err = run("--db", f"sqlite:///{book_path}", "import", str(csv_file))
    assert got == code
    line = one_line(err)
    assert "The connection to the database was lost." in line and outcome in line


def test_the_exit_codes_are_documented() -> None:
    from budget_tui import cli

    doc = cli.__doc__ or ""
    for number in range(6):
        assert f"{number} " in doc


# --- 3. read-only commands never create a book; a foreign file is never touched -------------


@pytest.mark.parametrize("command", [["report"], ["export"], ["db", "info"]])
def test_read_only_commands_do_not_create_a_book(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "mistyped" / "budgte.db"
    code, out, err = run("--db", f"sqlite:///{path}", *command)
    assert code == 1
    assert f"There is no budget book at {path}." in one_line(err)
    assert out == ""
    assert not (tmp_path / "mistyped").exists()


def test_read_only_commands_on_an_existing_folder_create_no_file(tmp_path: Path) -> None:
    path = tmp_path / "budgte.db"
    for command in (["report"], ["export"], ["db", "info"]):
        code, _, err = run("--db", f"sqlite:///{path}", *command)
        assert code == 1 and "There is no budget book" in one_line(err)
    assert list(tmp_path.iterdir()) == []


def test_commands_that_write_may_create_a_book(tmp_path: Path) -> None:
    path = tmp_path / "budget.db"
    code, out, err = run("--db", f"sqlite:///{path}", "db", "upgrade")
    assert code == 0, err
    assert path.exists()
    code, out, _ = run("--db", f"sqlite:///{path}", "report")
    assert code == 0 and "Total" in out


@pytest.mark.parametrize(
    "command", [["db", "upgrade"], ["add", "3", "Coffee", "-c", "Food"], ["demo"]]
)
def test_commands_that_write_make_no_book_in_a_missing_folder(
    tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "mistyped" / "dir"
    code, out, err = run("--db", f"sqlite:///{folder / 'budget.db'}", *command)
    assert code == 1
    assert one_line(err) == (
        f"Error: The folder {folder} does not exist. Create it first, or check the path."
    )
    assert out == ""
    assert not (tmp_path / "mistyped").exists()


def test_commands_that_write_make_the_data_directory_for_the_default_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "fresh" / "budget-tui"
    monkeypatch.setenv("BUDGET_TUI_DATA_DIR", str(data))
    code, _, err = run("db", "upgrade")
    assert code == 0, err
    assert (data / "budget.db").is_file()


def _foreign_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('not a budget')")
    conn.commit()
    conn.close()
    return path


def _not_sqlite(path: Path) -> Path:
    path.write_text("date,description\n2026-01-01,this is a CSV, not a database\n" * 50)
    return path


COMMANDS = [
    ["report"],
    ["export"],
    ["db", "info"],
    ["db", "upgrade"],
    ["demo", "--expenses", "3"],
]


@pytest.mark.parametrize("make", [_foreign_sqlite, _not_sqlite], ids=["foreign", "not-sqlite"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_file_that_is_not_a_budget_book_is_refused_unchanged(
    tmp_path: Path, make, command: list[str]
) -> None:
    path = make(tmp_path / "other.db")
    before = fingerprint(path)
    code, _, err = run("--db", f"sqlite:///{path}", *command)
    assert code == 1
    assert "not a budget book" in one_line(err)
    assert fingerprint(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["other.db"]


@pytest.mark.parametrize("make", [_foreign_sqlite, _not_sqlite], ids=["foreign", "not-sqlite"])
def test_import_into_a_file_that_is_not_a_budget_book_is_refused(tmp_path: Path, make) -> None:
    path = make(tmp_path / "other.db")
    before = fingerprint(path)
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("date,description,amount,category\n2026-03-03,Milk,1.20,Food\n")
    code, _, err = run("--db", f"sqlite:///{path}", "import", str(csv_file))
    assert code == 1 and "not a budget book" in one_line(err)
    assert fingerprint(path) == before


@pytest.mark.parametrize("make", [_foreign_sqlite, _not_sqlite], ids=["foreign", "not-sqlite"])
def test_the_app_refuses_a_file_that_is_not_a_budget_book(
    tmp_path: Path, make, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budget_tui.tui import app

    opened: list[str] = []
    monkeypatch.setattr(app.BudgetApp, "run", lambda self, **_: opened.append("ran"))
    path = make(tmp_path / "other.db")
    before = fingerprint(path)
    code, _, err = run("--db", f"sqlite:///{path}")
    assert code == 1 and "not a budget book" in one_line(err)
    assert opened == []
    assert fingerprint(path) == before


# --- 4. readers are not locked out by a writer ------------------------------------------------


def test_reads_answer_while_another_program_writes(book_path: Path) -> None:
    writer = sqlite3.connect(book_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO categories (name, name_key, version) VALUES ('Late', 'late', 1)"
        )
        url = f"sqlite:///{book_path}"
        code, out, err = run("--db", url, "report", "--from", "2026-03-01", "--to", "2026-03-31")
        assert code == 0, err
        assert "Food" in out and "2.50" in out
        code, out, err = run("--db", url, "db", "info")
        assert code == 0, err
        assert "categories: 1" in out and "expenses:   1" in out
        code, out, err = run("--db", url, "export")
        assert code == 0, err
        assert out.splitlines()[1:] == ["2026-03-02,Bread,2.50,Food"]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# --- 7. one line per error: no log record leaks onto stderr ---------------------------------


def test_a_busy_book_is_one_line_with_its_outcome(
    book_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budget_tui.db import engine

    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("date,description,amount,category\n2026-03-03,Milk,1.20,Food\n")
    writer = sqlite3.connect(book_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        code, _, err = run("--db", f"sqlite:///{book_path}", "import", str(csv_file))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert code == 3
    line = one_line(err)
    assert "busy" in line and "Nothing was saved" in line


def test_no_log_line_reaches_the_terminal(book_path: Path, tmp_path: Path) -> None:
    """In a real process (pytest's log capture hides Python's last-resort handler): the
    controller's warning about the failed import stays off stderr."""
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("date,description,amount,category\n2026-03-03,Milk,1.20,Food\n")
    program = (
        "import sys, budget_tui.db.engine as e; e.SQLITE_BUSY_TIMEOUT_S = 0.2; "
        "from budget_tui.cli import main; sys.exit(main())"
    )
    writer = sqlite3.connect(book_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                program,
                "--db",
                f"sqlite:///{book_path}",
                "import",
                str(csv_file),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert done.returncode == 3
    assert "busy" in one_line(done.stderr)
    assert "failed" not in done.stderr


# --- 8. settings that can't be used are one sentence naming the setting ---------------------


@pytest.mark.parametrize(
    ("variable", "value"), [("BUDGET_LOCALE", "xx_YY"), ("BUDGET_CURRENCY", "XYZ")]
)
def test_an_unknown_locale_or_currency_is_one_line(
    book_path: Path, variable: str, value: str
) -> None:
    code, _, err = run("--db", f"sqlite:///{book_path}", "report", env={variable: value})
    assert code == 1
    line = one_line(err)
    assert variable in line and value in line


@pytest.mark.parametrize(
    ("variable", "value"), [("BUDGET_LOCALE", "xx_YY"), ("BUDGET_CURRENCY", "XYZ")]
)
def test_the_app_checks_the_locale_before_it_starts(
    book_path: Path, variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budget_tui import money
    from budget_tui.tui import app

    def draws_money(self, **_kwargs) -> None:  # what the first screen does
        money.currency_symbol()
        money.format_money(Decimal("1.00"))

    monkeypatch.setattr(app.BudgetApp, "run", draws_money)
    monkeypatch.setenv(variable, value)
    money._defaults.cache_clear()
    code, _, err = run("--db", f"sqlite:///{book_path}")
    assert code == 1
    assert variable in one_line(err)


def test_a_posix_locale_name_is_understood(book_path: Path) -> None:
    code, out, err = run(
        "--db", f"sqlite:///{book_path}", "report", env={"BUDGET_LOCALE": "de_DE.UTF-8"}
    )
    assert code == 0, err
    assert "2,50" in out


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["report"], ["export"], ["db", "info"]])
def test_read_only_commands_on_a_server_without_a_book_create_nothing(
    command: list[str],
) -> None:
    import uuid

    from sqlalchemy import inspect, text
    from sqlalchemy.engine import make_url

    from budget_tui.db.engine import make_engine
    from tests.conftest import pg_url

    schema = f"nobook_{uuid.uuid4().hex[:12]}"
    admin = make_engine(pg_url())
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(pg_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        code, out, err = run("--db", url.render_as_string(hide_password=False), *command)
        assert code == 1
        assert one_line(err).startswith("Error: There is no budget book at postgresql://")
        assert out == ""
        with admin.connect() as conn:
            assert inspect(conn).get_table_names(schema=schema) == []
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
