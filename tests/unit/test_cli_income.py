"""Income and refunds on the command line, on both backends: a category made with --income, a
salary and a refund entered with add, and report's income, spending and net."""

from __future__ import annotations

import json
from decimal import Decimal

from budget_tui.controller import categories
from budget_tui.controller.book import open_book
from tests.unit.test_cli_history import run, stored, url  # noqa: F401 (url is a fixture)


def test_a_salary_a_purchase_and_a_refund_then_the_report(url: str) -> None:  # noqa: F811
    code, out, err = run("--db", url, "category", "add", "Salary", "--income")
    assert (code, out) == (0, "Added income category 'Salary'.\n"), err
    code, out, _ = run("--db", url, "category", "add", "Shopping", "--budget", "200")
    assert out == "Added category 'Shopping' with a budget of $200.00 a month.\n"
    assert run("--db", url, "add", "3000", "Pay", "-c", "salary", "-d", "2026-03-01")[0] == 0
    assert run("--db", url, "add", "120", "Shoes", "-c", "shopping", "-d", "-2")[0] == 0
    code, out, err = run(
        "--db", url, "add", "--", "-45.00", "Returned shoes", "--category", "Shopping"
    )
    assert code == 0, err
    assert out == "Saved #3: 2026-03-15  Returned shoes  -$45.00  in Shopping\n"
    assert stored(url)[0] == ("Returned shoes", Decimal("-45.00"), "2026-03-15")
    code, out, _ = run("--db", url, "report", "--format", "json")
    report = json.loads(out)
    assert (report["income"], report["spending"], report["net"]) == ("3000.00", "75.00", "2925.00")
    assert report["in_progress"] is True  # March 2026 holds the tests' today
    assert [c["category"] for c in report["categories"]] == ["Shopping"]
    code, out, _ = run("--db", url, "report")
    assert "Income $3,000.00 · spending $75.00 · net $2,925.00 (saved 98%)" in out
    assert "(so far)" in out.splitlines()[0]
    book = open_book(url)
    try:
        assert categories.get_category(book.sessions, "salary").is_income
    finally:
        book.close()


def test_refused_inputs_say_why_and_save_nothing(url: str) -> None:  # noqa: F811
    code, _, err = run("--db", url, "category", "add", "Bonus", "--income", "--budget", "10")
    assert code == 1 and "no budget" in err
    code, _, err = run("--db", url, "add", "--", "-0", "Nothing", "-c", "groceries")
    assert code == 1 and "can't be zero" in err
    assert stored(url) == []
