"""The header's book name: the whole location, else its name, else nothing; never a stub."""

from __future__ import annotations

import pytest

from budget_tui.tui.widgets.app_header import fit_location


@pytest.mark.parametrize(
    ("text", "width", "shown"),
    [
        ("/home/ann/budget.db", 40, "/home/ann/budget.db"),
        ("/home/ann/budget.db", 12, "budget.db"),
        ("/home/ann/budget.db", 6, ""),
        ("postgresql://ann@db.example/budget", 20, "budget"),
        ("/home/ann/budget.db · working…", 40, "/home/ann/budget.db · working…"),
        ("/home/ann/budget.db · working…", 25, "budget.db · working…"),
        ("/home/ann/budget.db · working…", 10, "working…"),
        ("/home/ann/budget.db · working…", 5, ""),
        ("/home/ann/budget.db", 0, "/home/ann/budget.db"),  # not laid out yet
    ],
)
def test_the_book_is_shown_as_it_fits(text: str, width: int, shown: str) -> None:
    assert fit_location(text, width) == shown
