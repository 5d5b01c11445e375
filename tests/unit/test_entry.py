"""``budget-tui`` itself: a plain launch goes to the app without click, and says what stops it in
one line as the command group would; everything else is the command group's; ``--db`` takes the
path of an SQLite file as well as a URL (what ``budget-tui demo`` tells a person to type)."""

from __future__ import annotations

import os
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_tui import entry
from budget_tui.cli import main as command_line
from budget_tui.config import demo_url
from budget_tui.entry import AppOptions, app_options


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], AppOptions()),
        (["--db", "sqlite:///x.db"], AppOptions(db="sqlite:///x.db")),
        (["--db=postgresql://u@h/d"], AppOptions(db="postgresql://u@h/d")),
        (["--echo-sql", "--db", "a.db"], AppOptions(db="a.db", echo_sql=True)),
        (["--db", "a.db", "--echo-sql"], AppOptions(db="a.db", echo_sql=True)),
        (["--db", "--echo-sql"], AppOptions(db="--echo-sql")),  # as click reads it
        (["--db", "a.db", "--db", "b.db"], AppOptions(db="b.db")),  # the last one wins
    ],
)
def test_a_plain_launch_is_read_without_click(args: list[str], expected: AppOptions) -> None:
    assert app_options(args) == expected


def test_demo_and_db_the_later_wins_as_in_click() -> None:
    assert app_options(["--demo", "--db", "a.db"]) == AppOptions(db="a.db", demo=True)
    assert app_options(["--db", "a.db", "--demo"]) == AppOptions(db=demo_url(), demo=True)


@pytest.mark.parametrize(
    "args",
    [
        ["add", "3", "coffee"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--db"],  # a missing value: click's usage error
        ["--dbx", "a.db"],
        ["--db", "a.db", "report"],
        ["report", "--db", "a.db"],
    ],
)
def test_anything_else_goes_to_click(args: list[str]) -> None:
    assert app_options(args) is None


def test_the_command_group_answers_what_is_not_a_plain_launch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["budget-tui", "--version"])
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code == 0
    assert "budget-tui" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "mysql://user@host/db"], "The database kind 'mysql' is not supported."),
        (["--demo"], "There is no demo book yet"),
    ],
)
def test_what_stops_a_plain_launch_is_one_line_and_exit_1(
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["budget-tui", *args])
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_file_that_is_not_a_book_stops_a_plain_launch_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    monkeypatch.setattr(sys, "argv", ["budget-tui", "--db", str(notes)])
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code == 1
    assert "is not a budget book" in capsys.readouterr().err
    assert notes.read_text() == "shopping list"


@pytest.mark.parametrize("given", ["--db", "DATABASE_URL"])
def test_a_plain_launch_in_a_missing_folder_names_it_and_makes_nothing(
    given: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from budget_tui.tui.app import BudgetApp

    def opened(_app: BudgetApp) -> None:
        pytest.fail("the app opened an empty new book")

    monkeypatch.setattr(BudgetApp, "run", opened)
    folder = tmp_path / "mistyped" / "dir"
    if given == "--db":
        monkeypatch.setattr(sys, "argv", ["budget-tui", "--db", str(folder / "x.db")])
    else:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder / 'x.db'}")
        monkeypatch.setattr(sys, "argv", ["budget-tui"])
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err == (
        f"Error: The folder {folder} does not exist. Create it first, or check the path.\n"
    )
    assert not (tmp_path / "mistyped").exists()


def test_a_plain_launch_through_a_file_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    monkeypatch.setattr(sys, "argv", ["budget-tui", "--db", str(notes / "x.db")])
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code == 1
    assert capsys.readouterr().err == (
        f"Error: {notes} is a file, not a folder, so there can be no book at {notes / 'x.db'}."
        " Check the path.\n"
    )
    assert notes.read_text() == "shopping list"


def test_db_takes_the_path_of_an_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "books").mkdir()
    runner = CliRunner()
    made = runner.invoke(command_line, ["--db", "books/home.db", "db", "upgrade"])
    assert made.exit_code == 0, made.stderr
    info = runner.invoke(command_line, ["--db", str(tmp_path / "books" / "home.db"), "db", "info"])
    assert info.exit_code == 0, info.stderr
    assert f"location:   {tmp_path / 'books' / 'home.db'}" in info.stdout


def test_what_demo_says_to_type_opens_the_book(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "try.db"
    made = runner.invoke(
        command_line, ["--db", str(path), "demo", "--expenses", "50", "--seed", "1"]
    )
    assert made.exit_code == 0, made.stderr
    hint = made.stderr.strip().splitlines()[-1]
    assert hint == f"Open it with: budget-tui --db {path}"
    info = runner.invoke(command_line, [*hint.split()[4:], "db", "info"])
    assert info.exit_code == 0, info.stderr
    assert "expenses:   50" in info.stdout


def _launch_in_a_terminal(args: list[str], env: dict[str, str], cwd: Path):
    """``budget-tui`` run in a pseudo-terminal of its own, as a person runs it; returns the
    process and the terminal's end to type into and read from."""
    main_fd, child_fd = os.openpty()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "budget-tui"), *args],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    os.close(child_fd)
    return process, main_fd


def _read_until(process, fd: int, wanted: bytes, timeout: float) -> bytes:
    """What the terminal shows, read until ``wanted`` has appeared (or the process ended)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the process ended and closed the terminal
                break
        elif process.poll() is not None:
            break
    return seen


def test_quitting_the_app_that_could_not_open_its_book_exits_1(tmp_path: Path) -> None:
    # A book this release can't open (its schema is from a newer one): the file passes the
    # start-up's checks, and the app shows "Could not open" with its keys.
    path = tmp_path / "book.db"
    from budget_tui.controller.book import open_book

    open_book(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_a_newer_release'")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "TERM": "xterm-256color",
        "BUDGET_TUI_DATA_DIR": str(tmp_path / "data"),
        "BUDGET_TUI_TODAY": "2026-03-15",
    }
    process, fd = _launch_in_a_terminal(["--db", str(path)], env, tmp_path)
    try:
        shown = _read_until(process, fd, b"to quit", timeout=30)
        assert b"Could not open" in shown, shown[-2000:]
        os.write(fd, b"q")
        _read_until(process, fd, b"\x00never", timeout=10)  # drain until it ends
        assert process.wait(timeout=10) == 1
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(fd)


def test_the_command_group_exits_with_the_apps_status(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without a command, click opens the app too (``budget-tui --db X --echo-sql`` and the like).
    from budget_tui.tui import start

    monkeypatch.setattr(start, "run_app", lambda *_args, **_kwargs: 1)
    assert CliRunner().invoke(command_line, ["--echo-sql"]).exit_code == 1
