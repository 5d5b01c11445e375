"""Keyset paging: forward and back, every row exactly once, with ties on the sort value."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from budget_tui.controller import expense_list
from budget_tui.controller.imports import import_csv
from budget_tui.controller.views import ExpenseFilter, ExpensePage


@pytest.fixture
def many(sessions) -> list:
    """43 expenses on 5 days and 4 amounts, so most rows tie on both sort keys."""
    lines = ["date,description,amount,category"]
    for i in range(43):
        day = dt.date(2026, 2, 26) + dt.timedelta(days=i % 5)
        amount = ["1.00", "2.50", "2.50", "10.00"][i % 4]
        lines.append(f"{day},Item {i:02d},{amount},{'Food' if i % 3 else 'Fun'}")
    import_csv(sessions, io.StringIO("\n".join(lines) + "\n"))
    return list(expense_list.list_expenses(sessions, limit=1000).items)


def walk(sessions, flt, sort: str, descending: bool, size: int) -> tuple[list, list[ExpensePage]]:
    """Read forward to the end, then back to the start; return both walks' rows, top to bottom."""
    pages = [
        expense_list.list_expenses(sessions, flt, sort=sort, descending=descending, limit=size)
    ]
    assert pages[0].prev_cursor is None
    while pages[-1].next_cursor is not None:
        pages.append(
            expense_list.list_expenses(
                sessions,
                flt,
                sort=sort,
                descending=descending,
                limit=size,
                after=pages[-1].next_cursor,
            )
        )
        assert pages[-1].prev_cursor is not None
    forward = [e for p in pages for e in p.items]
    back_pages = [pages[-1]]
    while back_pages[-1].prev_cursor is not None:
        back_pages.append(
            expense_list.list_expenses(
                sessions,
                flt,
                sort=sort,
                descending=descending,
                limit=size,
                before=back_pages[-1].prev_cursor,
            )
        )
        assert len(back_pages) <= len(pages) + 1
    backward = [e for p in reversed(back_pages) for e in p.items]
    return forward, backward


def expected_order(rows: list, sort: str, descending: bool) -> list[int]:
    key = (lambda e: (e.occurred_on, e.id)) if sort == "date" else (lambda e: (e.amount, e.id))
    return [e.id for e in sorted(rows, key=key, reverse=descending)]


@pytest.mark.parametrize(
    ("sort", "descending", "size"),
    [
        (sort, descending, size)
        for sort in ("date", "amount")
        for descending in (True, False)
        for size in (7, 43)
    ]
    # One row a page: every boundary is a tie; twice is enough to prove it, it is slow.
    + [("date", True, 1), ("amount", False, 1)],
)
def test_every_row_once_forward_and_back(sessions, many, sort, descending, size) -> None:
    forward, backward = walk(sessions, None, sort, descending, size)
    want = expected_order(many, sort, descending)
    assert [e.id for e in forward] == want
    assert [e.id for e in backward] == want


@pytest.mark.parametrize("sort", ["date", "amount"])
def test_paging_inside_a_filter(sessions, many, sort) -> None:
    flt = ExpenseFilter(min_amount=Decimal("2.50"), max_amount=Decimal("2.50"), text="item")
    forward, backward = walk(sessions, flt, sort, True, 3)
    want = expected_order([e for e in many if e.amount == Decimal("2.50")], sort, True)
    assert len(want) == 22
    assert [e.id for e in forward] == want == [e.id for e in backward]


def test_pages_hold_the_limit_and_say_where_they_end(sessions, many) -> None:
    first = expense_list.list_expenses(sessions, limit=10)
    assert len(first.items) == 10
    assert first.next_cursor is not None and first.prev_cursor is None
    assert (first.next_cursor.value, first.next_cursor.id) == (
        first.items[-1].occurred_on,
        first.items[-1].id,
    )
    second = expense_list.list_expenses(sessions, limit=10, after=first.next_cursor)
    back = expense_list.list_expenses(sessions, limit=10, before=second.prev_cursor)
    assert back.items == first.items


def test_empty_book_gives_an_empty_page(sessions) -> None:
    page = expense_list.list_expenses(sessions)
    assert page == ExpensePage((), None, None)
