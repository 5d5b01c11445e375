"""``budget-tui import`` and ``budget-tui rule``: counts on stderr (or JSON on stdout), exit 0
when it imported (or a dry run found no problem), 1 otherwise; SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_tui.cli import main
from tests.conftest import make_book

DATA = Path(__file__).parents[1] / "data" / "imports"


@pytest.fixture
def url(backend: str, tmp_path) -> str:
    book = make_book(backend, tmp_path)
    rendered = book.engine.url.render_as_string(hide_password=False)
    book.close()
    return rendered


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_same_statement_twice_says_nothing_new(url: str) -> None:
    code, _, err = run("--db", url, "import", str(DATA / "statement_2026_11.ofx"))
    assert code == 0, err
    assert "5 new, 0 already in the book." in err
    code, _, err = run("--db", url, "import", str(DATA / "statement_2026_11.ofx"))
    assert code == 0 and "0 new, 5 already in the book." in err


def test_json_lists_the_bad_rows_and_exits_1(url: str) -> None:
    code, out, _ = run("--db", url, "import", str(DATA / "bad_rows.csv"), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["new"] == 3 and report["duplicates"] == 0 and not report["imported"]
    assert report["bad"][0] == {
        "row": 3,
        "column": "date",
        "reason": "'2026-13-45' is not a date like YYYY-MM-DD",
    }
    assert len(report["bad"]) == report["bad_total"] == 7
    assert {u["name"] for u in report["unknown_categories"]} == {"Groceries", "Grocries"}


def test_unknown_categories_are_listed_with_a_near_name(url: str, tmp_path: Path) -> None:
    run("--db", url, "category", "add", "Groceries")
    path = tmp_path / "in.csv"
    path.write_text("date,description,amount,category\n2026-12-01,Milk,1.20,Grocery\n")
    code, _, err = run("--db", url, "import", str(path))
    assert code == 1
    assert "No category 'Grocery' in the book (1 row) (did you mean 'Groceries'?)." in err
    assert "Nothing was imported" in err
    code, _, err = run("--db", url, "import", str(path), "--create-categories")
    assert code == 0 and "New categories: Grocery." in err
    # A name that only holds another inside it is not near it.
    run("--db", url, "category", "add", "Rent")
    path.write_text("date,description,amount,category\n2026-12-01,Film,9.00,Entertainment\n")
    code, _, err = run("--db", url, "import", str(path))
    assert code == 1
    assert "No category 'Entertainment' in the book (1 row)." in err


def test_with_skip_bad_only_the_missing_categories_are_asked_for(url: str) -> None:
    code, _, err = run("--db", url, "import", str(DATA / "bad_rows.csv"))
    assert code == 1
    assert "Nothing was imported: fix the bad rows, or add --skip-bad; add the categories" in err
    code, _, err = run("--db", url, "import", str(DATA / "bad_rows.csv"), "--skip-bad")
    assert code == 1
    assert "Nothing was imported: add the categories, or --create-categories." in err
    assert "--skip-bad" not in err


def test_a_dry_run_exits_0_when_clean_and_1_with_problems(url: str) -> None:
    code, _, err = run("--db", url, "import", "--dry-run", str(DATA / "camt053.xml"))
    assert code == 0 and "3 would be new" in err and "Dry run: nothing was written." in err
    code, _, _ = run("--db", url, "import", "--dry-run", str(DATA / "bad_rows.csv"))
    assert code == 1
    code, out, _ = run("--db", url, "export")
    assert out.splitlines() == ["date,description,amount,category"]


def test_ambiguous_dates_ask_for_a_format_then_a_profile_remembers_it(
    url: str, tmp_path: Path
) -> None:
    path = DATA / "ambiguous_dates.csv"
    code, _, err = run("--db", url, "import", str(path))
    assert code == 1 and "--date-format" in err
    code, _, err = run(
        "--db", url, "import", str(path), "--date-format", "DD/MM/YYYY", "--profile", "Bank"
    )
    assert code == 0, err
    later = tmp_path / "later.csv"
    later.write_text("Date,Description,Amount\n05/06/2026,Tea,-2.00\n")
    code, _, err = run("--db", url, "import", str(later))
    assert code == 0 and "profile 'Bank'" in err
    _, out, _ = run("--db", url, "export")
    assert "2026-06-05,Tea,2.00,Uncategorised" in out


def test_rules_add_list_delete_and_undo(url: str) -> None:
    run("--db", url, "category", "add", "Groceries")
    code, out, _ = run("--db", url, "rule", "add", "tesco", "Groceries", "--rename", "Tesco")
    assert code == 0 and "Added rule #" in out
    code, out, _ = run("--db", url, "rule", "add", "^ACME", "Groceries", "--match", "regex")
    _, out, _ = run("--db", url, "rule", "list", "--format", "json")
    listed = json.loads(out)
    assert [(r["position"], r["match"], r["pattern"]) for r in listed] == [
        (1, "contains", "tesco"),
        (2, "regex", "^ACME"),
    ]
    code, out, _ = run("--db", url, "rule", "delete", str(listed[0]["id"]))
    assert code == 0 and "Deleted rule" in out
    run("--db", url, "undo")
    _, out, _ = run("--db", url, "rule", "list")
    assert "contains 'tesco' -> 'Groceries' as 'Tesco'" in out
    code, _, err = run("--db", url, "rule", "add", "x", "Nowhere")
    assert code == 1 and "There is no category named 'Nowhere'" in err


def test_columns_named_on_the_command_line(url: str, tmp_path: Path) -> None:
    path = tmp_path / "card.csv"
    path.write_text("Posted,Memo,Payee,Value\n2026-12-01,POS 1234,Corner Shop,-4.50\n")
    code, _, err = run("--db", url, "import", str(path))
    assert code == 1 and "No column for the date" in err
    code, _, err = run(
        "--db", url, "import", str(path),
        "--map", "date=Posted", "--map", "description=payee", "--map", "amount=Value",
    )  # fmt: skip
    assert code == 0, err
    _, out, _ = run("--db", url, "export")
    assert "2026-12-01,Corner Shop,4.50,Uncategorised" in out
    code, _, err = run("--db", url, "import", str(path), "--map", "amount=Nope")
    assert code == 1 and "The header has no column 'Nope'" in err
