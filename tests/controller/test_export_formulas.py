"""A CSV export opened in a spreadsheet never runs a formula that came from a description or a
category name: such cells start with a quote (OWASP's advice); amounts stay plain numbers."""

from __future__ import annotations

import csv
import io

import pytest

from budget_tui.controller import categories
from budget_tui.controller.export import export_csv
from tests.controller.conftest import add

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "'=already quoted",
]


def exported(sessions) -> list[list[str]]:
    out = io.StringIO()
    export_csv(sessions, out)
    return list(csv.reader(io.StringIO(out.getvalue())))[1:]


def test_descriptions_and_categories_that_look_like_formulas_are_quoted(sessions) -> None:
    fees = categories.create_category(sessions, "=Fees")
    home = categories.create_category(sessions, "@home")
    for i, description in enumerate(HOSTILE):
        add(sessions, fees.id if i % 2 else home.id, "12.50", f"2026-03-0{i + 1}", description)
    add(sessions, home.id, "3.00", "2026-03-09", "Plain bread")

    rows = exported(sessions)
    assert [r[1] for r in rows] == [
        '\'=HYPERLINK("http://x","y")',
        "'+1+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(A1:A2)",
        "''=already quoted",
        "Plain bread",
    ]
    assert [r[3] for r in rows] == ["'@home", "'=Fees"] * 2 + ["'@home", "'@home"]
    assert {r[2] for r in rows} == {"12.50", "3.00"}


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+2", "'=1+2"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("''-x", "'''-x"),
        ("'quoted", "'quoted"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_the_rule_for_one_cell(text: str, written: str) -> None:
    from budget_tui.controller.export import neutralise

    assert neutralise(text) == written
