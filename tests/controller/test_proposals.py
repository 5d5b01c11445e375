"""Proposals: an assistant's write waits for the person's OK; accepting it makes the change as
the assistant (undoable), rejecting it changes nothing, a stale one says why, on both backends."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_tui.controller import categories, expense_list, expenses, history, proposals
from budget_tui.controller.book import Book
from budget_tui.errors import Conflict, InvalidInput, NotFound
from tests.controller.test_ledger import book_state

SOURCE = "mcp:Claude"


def _spend(book: Book) -> None:
    categories.create_category(book.sessions, "Food", "300")


def test_a_proposal_changes_nothing_until_accepted(book: Book) -> None:
    _spend(book)
    before = book_state(book)
    made = proposals.propose(
        book.sessions,
        SOURCE,
        "add_expense",
        {"description": "Lunch", "amount": "12.50", "date": "2026-03-01", "category": "food"},
    )
    assert made.status == "pending" and made.source == SOURCE
    assert "Lunch" in made.summary and "12.50" in made.summary
    assert book_state(book) == before
    assert [p.id for p in proposals.list_proposals(book.sessions)] == [made.id]
    assert proposals.pending_count(book.sessions) == 1

    accepted = proposals.accept_proposal(book.sessions, made.id)
    assert accepted.status == "accepted" and accepted.change_id is not None
    (row,) = expense_list.list_expenses(book.sessions).items
    assert (row.description, row.amount) == ("Lunch", Decimal("12.50"))
    newest = history.history_page(book.sessions).changes[0]
    assert (newest.id, newest.source) == (accepted.change_id, SOURCE)
    assert proposals.pending_count(book.sessions) == 0

    history.undo(book.sessions, accepted.change_id)
    assert expense_list.list_expenses(book.sessions).items == ()


def test_a_bad_call_is_refused_at_once_and_stores_nothing(book: Book) -> None:
    _spend(book)
    with pytest.raises(NotFound):
        proposals.propose(
            book.sessions,
            SOURCE,
            "add_expense",
            {"description": "X", "amount": "1.00", "date": "2026-03-01", "category": "Nope"},
        )
    with pytest.raises(InvalidInput):
        proposals.propose(book.sessions, SOURCE, "set_budget", {"category": "Food", "amount": "-3"})
    with pytest.raises(NotFound):
        proposals.propose(book.sessions, SOURCE, "delete_expense", {"expense_id": 999})
    assert proposals.list_proposals(book.sessions, status=None) == ()


def test_reject_changes_nothing(book: Book) -> None:
    _spend(book)
    made = proposals.propose(
        book.sessions, SOURCE, "set_budget", {"category": "Food", "amount": "50"}
    )
    before = book_state(book)
    changes = history.history_page(book.sessions).changes
    rejected = proposals.reject_proposal(book.sessions, made.id)
    assert rejected.status == "rejected" and rejected.change_id is None
    assert book_state(book) == before
    assert history.history_page(book.sessions).changes == changes
    with pytest.raises(Conflict, match="rejected already"):
        proposals.accept_proposal(book.sessions, made.id)


def test_a_stale_proposal_says_why_and_stays_pending(book: Book) -> None:
    _spend(book)
    row = expenses.create_expense(
        book.sessions, description="Tea", amount="3.00", occurred_on="2026-03-01", category="Food"
    )
    made = proposals.propose(
        book.sessions,
        SOURCE,
        "update_expense",
        {"expense_id": row.id, "version": row.version, "amount": "4.00"},
    )
    expenses.delete_expense(book.sessions, row.id)
    before = book_state(book)
    with pytest.raises(Conflict, match=f"Proposal {made.id} can't be made now") as caught:
        proposals.accept_proposal(book.sessions, made.id)
    assert "reject it" in (caught.value.hint or "")
    assert book_state(book) == before
    assert proposals.list_proposals(book.sessions)[0].status == "pending"
    proposals.reject_proposal(book.sessions, made.id)


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("create_category", {"name": "Books", "monthly_budget": "20.00"}),
        ("rename_category", {"category_id": "FOOD", "new_name": "Groceries"}),
        ("delete_expense", {"expense_id": "ROW"}),
        ("update_expense", {"expense_id": "ROW", "description": "Coffee"}),
        ("delete_category", {"category_id": "FOOD", "move_to": None}),
    ],
)
def test_each_tool_proposes_and_accepts(book: Book, tool: str, arguments: dict) -> None:
    food = categories.create_category(book.sessions, "Food", "300")
    row = expenses.create_expense(
        book.sessions, description="Tea", amount="3.00", occurred_on="2026-03-01", category="Food"
    )
    if tool == "delete_category":
        expenses.delete_expense(book.sessions, row.id)
    ids = {"FOOD": food.id, "ROW": row.id}
    arguments = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in arguments.items()}
    before = book_state(book)
    made = proposals.propose(book.sessions, SOURCE, tool, arguments)
    assert book_state(book) == before
    accepted = proposals.accept_proposal(book.sessions, made.id)
    assert book_state(book) != before
    history.undo(book.sessions, accepted.change_id)
    assert book_state(book) == before
