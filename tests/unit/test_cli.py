"""The command line, as a person uses it: given a book, I run a command, I read its output."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from budget_tui.cli import main
from budget_tui.controller import expense_list, reports
from budget_tui.controller.book import open_book
from budget_tui.controller.periods import Period
from tests.conftest import make_book


@pytest.fixture
def url(backend: str, tmp_path) -> str:
    book = make_book(backend, tmp_path)
    rendered = book.engine.url.render_as_string(hide_password=False)
    book.close()
    return rendered


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_demo_then_report_matches_the_controller(url: str) -> None:
    code, _, err = run("--db", url, "demo", "--expenses", "3000", "--seed", "7")
    assert code == 0, err
    assert "Added 3,000 demo expenses" in err

    code, out, _ = run(
        "report", "--from", "2025-01-01", "--to", "2026-03-15", "--format", "json", "--db", url
    )
    assert code == 0
    data = json.loads(out)
    book = open_book(url)
    expected = reports.spend_by_category_report(
        book.sessions,
        Period.between(
            Period.year(2025).start,
            Period.month(Period.year(2026).start).start.replace(month=3, day=15),
        ),
    )
    assert Decimal(data["total"]) == expected.total
    assert data["count"] == expected.count
    assert [(c["category"], Decimal(c["total"]), c["count"]) for c in data["categories"]] == [
        (r.name, r.total, r.count) for r in expected.rows
    ]
    assert sum(Decimal(c["total"]) for c in data["categories"]) == expected.total
    book.close()


def test_report_table_and_csv_agree(url: str) -> None:
    run("--db", url, "demo", "--expenses", "500")
    _, table, _ = run("--db", url, "report", "--from", "2026-01-01", "--to", "2026-01-31")
    _, as_csv, _ = run(
        "--db", url, "report", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert rows, "January has spend in the demo data"
    for row in rows:
        line = next(line for line in table.splitlines() if line.startswith(row["category"] + " "))
        assert f"{Decimal(row['total']):,.2f}" in line
    assert "Total" in table.splitlines()[-1]


def test_export_then_import_round_trip(url: str, tmp_path) -> None:
    run("--db", url, "demo", "--expenses", "300")
    out = tmp_path / "out.csv"
    code, _, err = run("--db", url, "export", "-o", str(out))
    assert code == 0 and "Exported 3" in err
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    code, _, err = run("--db", target, "import", str(out), "--create-categories")
    assert code == 0, err
    assert "300 new, 0 already in the book" in err
    _, again, _ = run("--db", target, "export")
    assert again == out.read_text(encoding="utf-8")


def test_import_refuses_a_bad_file_whole(url: str, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,description,amount,category\n2026-01-02,Bread,2.50,Food\n2026-01-03,Milk,1x,Food\n"
    )
    code, _, err = run("--db", url, "import", str(bad), "--create-categories")
    assert code == 1
    assert "Row 3" in err and "is not an amount" in err
    book = open_book(url)
    assert expense_list.expense_totals(book.sessions).count == 0
    book.close()


def test_db_info_hides_the_password(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        # Trust authentication accepts any password, so the URL can carry one that must not show.
        url = parsed.set(password="s3cret-pw").render_as_string(hide_password=False)
    code, out, _ = run("--db", url, "db", "info")
    assert code == 0
    assert "s3cret-pw" not in out
    assert "revision:   0002" in out or "revision:" in out
    assert "expenses:   0" in out


def test_db_upgrade_says_the_revision(url: str) -> None:
    from budget_tui.db.migrate import HEAD

    code, out, _ = run("db", "upgrade", "--db", url)
    assert code == 0
    assert f"schema revision {HEAD}" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "postgres://u:pw@h/db", "report"], "postgresql://"),
        (["--db", "mysql://u:pw@h/db", "report"], "not supported"),
        (["--db", "sqlite://", "report"], "in-memory"),
        (["report", "--from", "the other day"], "is not a date"),
        (["report", "--from", "2026-02-10", "--to", "2026-02-01"], "before the start"),
    ],
)
def test_user_errors_are_one_line_and_exit_1(args: list[str], message: str) -> None:
    code, _out, err = run(*args)
    assert code == 1
    assert message in err
    assert "Traceback" not in err and "pw@" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "command", [["db", "info"], ["report"], ["budget", "show"], ["history"], ["upcoming"]]
)
def test_unreachable_server_is_a_clear_error_and_a_read_speaks_of_no_saving(
    command: list[str],
) -> None:
    code, _, err = run("--db", "postgresql://u:hunter2@127.0.0.1:9/none", *command)
    assert code == 3  # the database failed: safe to run again
    assert "saved" not in err.lower()  # a command that only reads has nothing to save
    assert "hunter2" not in err
    assert "Nothing is listening" in err or "did not answer" in err


def test_unreachable_server_tells_a_write_that_nothing_was_saved() -> None:
    code, _, err = run(
        "--db", "postgresql://u:hunter2@127.0.0.1:9/none", "add", "1.00", "Tea", "-c", "Food"
    )
    assert code == 3
    assert "Nothing was saved" in err
    assert "hunter2" not in err


def test_usage_errors_exit_2() -> None:
    assert run("report", "--format", "xml")[0] == 2
    assert run("no-such-command")[0] == 2


def test_dotenv_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "from-dotenv.db"
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{db}\n")
    monkeypatch.chdir(tmp_path)
    assert run("db", "upgrade")[0] == 0  # db info reads a book; it never makes one
    code, out, _ = run("db", "info")
    assert code == 0
    assert str(db) in out and "from:       .env" in out
