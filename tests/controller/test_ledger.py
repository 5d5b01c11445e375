"""The ledger records every change, and undo/redo put the book back exactly, on both backends.

Each test tells a person's story: they change the book, undo (maybe after a restart, maybe from
another terminal), and the rows and the monthly roll-up are what they were.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from budget_tui.controller import categories, expense_list, expenses, history
from budget_tui.controller.book import Book, open_book
from budget_tui.controller.demo import fill_demo
from budget_tui.controller.imports import import_csv
from budget_tui.controller.ledger import acting_as
from budget_tui.db.models import Change
from budget_tui.errors import Conflict, InvalidInput, NotFound
from tests.controller.conftest import add, assert_rollup_consistent, rollup


def book_state(book: Book) -> tuple:
    """What a person would call "the book": every row's content and the roll-up."""
    with book.engine.connect() as conn:
        exp = conn.execute(
            text(
                "SELECT uid, description, amount, occurred_on, category_id, import_key "
                "FROM expenses ORDER BY uid"
            )
        ).all()
        cats = conn.execute(
            text("SELECT id, name, name_key, kind FROM categories ORDER BY id")
        ).all()
        budgets = conn.execute(
            text("SELECT category_id, month, amount, rollover FROM budgets ORDER BY 1, 2")
        ).all()
    return (
        [tuple(map(str, r)) for r in exp],
        [tuple(map(str, r)) for r in cats],
        [tuple(map(str, r)) for r in budgets],
        rollup(book),
    )


def changes(book: Book) -> list[Change]:
    with book.sessions() as s:
        return list(s.scalars(select(Change).order_by(Change.id)))


def test_every_action_is_recorded_with_its_source_and_summary(sessions, book, food, travel):
    lunch = add(sessions, food.id, "12.50", "2026-03-10", "Lunch")
    expenses.update_expense(sessions, lunch.id, amount="13.00")
    expenses.move_expense(sessions, lunch.id, travel.id)
    with acting_as("mcp:Claude Desktop"):
        expenses.delete_expense(sessions, lunch.id)
    categories.rename_category(sessions, travel.id, "Trips")
    categories.set_budget(sessions, travel.id, "99")
    log = changes(book)
    assert [(c.action, c.source) for c in log] == [
        ("category.add", "cli"),
        ("category.add", "cli"),
        ("expense.add", "cli"),
        ("expense.edit", "cli"),
        ("expense.move", "cli"),
        ("expense.delete", "mcp:Claude Desktop"),
        ("category.edit", "cli"),
        ("budget.set", "cli"),
    ]
    assert log[2].summary == "add 'Lunch' 12.50 on 2026-03-10 in 'Food'"
    assert log[3].summary == "edit 'Lunch' 12.50 on 2026-03-10 -> 'Lunch' 13.00 on 2026-03-10"
    assert log[4].summary == "move 'Lunch' 13.00 on 2026-03-10 to 'Travel'"
    assert log[5].summary == "delete 'Lunch' 13.00 on 2026-03-10"
    assert log[6].summary == "rename category 'Travel' to 'Trips'"
    assert log[7].summary == "set the budget of 'Trips' to 99.00 from 2026-03 on"
    deleted = json.loads(log[5].before)["expenses"][lunch.uid]
    assert (deleted["description"], deleted["amount"]) == ("Lunch", 1300)
    assert json.loads(log[5].after)["expenses"][lunch.uid] is None
    assert len({c.group_id for c in log}) == len(log)


def test_a_delete_undone_after_a_restart_brings_the_row_back(book, food):
    add(book.sessions, food.id, "45.00", "2026-11-03", "Groceries")
    start = book_state(book)
    gone = expense_list.list_expenses(book.sessions).items[0]
    expenses.delete_expense(book.sessions, gone.id)
    url = book.engine.url.render_as_string(hide_password=False)
    again = open_book(url, source="tui")  # quit and reopen
    try:
        result = history.undo(again.sessions)
        assert result.message == "Undid: delete 'Groceries' 45.00 on 2026-11-03"
        assert result.change.source == "tui" and result.change.action == "undo"
        assert book_state(again) == start
        back = expense_list.list_expenses(again.sessions).items[0]
        assert (back.id, back.uid) == (gone.id, gone.uid)
        assert back.version > gone.version  # a stale editor of the old row is refused
        assert_rollup_consistent(again)
    finally:
        again.close()


def test_undo_and_redo_walk_back_and_forth_through_every_kind_of_change(book, food, travel):
    s = book.sessions
    steps = [
        lambda: add(s, food.id, "12.50", "2026-03-10", "Lunch"),
        lambda: expenses.update_expense(s, lunch().id, description="Big", occurred_on="2026-04-02"),
        lambda: expenses.move_expense(s, lunch().id, travel.id),
        lambda: categories.rename_category(s, food.id, "Groceries"),
        lambda: categories.set_budget(s, food.id, None),
        lambda: add(s, food.id, "3.00", "2026-02-01", "Milk"),
        lambda: categories.delete_category(s, food.id, move_to=travel.id),
        lambda: expenses.delete_expense(s, lunch().id),
    ]

    def lunch():
        return next(e for e in expense_list.list_expenses(s).items if e.description != "Milk")

    states = [book_state(book)]
    for step in steps:
        step()
        states.append(book_state(book))
    for previous in reversed(states[:-1]):
        history.undo(s)
        assert book_state(book) == previous
        assert_rollup_consistent(book)
    for following in states[1:]:
        history.redo(s)
        assert book_state(book) == following
        assert_rollup_consistent(book)
    with pytest.raises(NotFound, match="nothing to redo"):
        history.redo(s)


def test_two_terminals_an_undo_never_overwrites_a_later_edit(book, food):
    a, b = book, open_book(book.engine.url.render_as_string(hide_password=False), source="tui")
    try:
        row = add(a.sessions, food.id, "20.00", "2026-03-05", "Taxi")
        expenses.update_expense(a.sessions, row.id, amount="25.00")  # A edits
        expenses.update_expense(b.sessions, row.id, description="Taxi home")  # B edits after
        before = book_state(a)
        with pytest.raises(Conflict) as refused:
            history.undo(a.sessions, source="cli")  # A's undo of its own edit
        assert "'Taxi' 25.00 on 2026-03-05 was changed since" in refused.value.message
        assert "now: 'Taxi home' 25.00 on 2026-03-05 in 'Food'" in refused.value.message
        assert book_state(a) == before  # nothing changed
        assert not any(c.undone for c in changes(a))
    finally:
        b.close()


def test_two_terminals_a_deletes_b_edits_the_same_row_and_a_undo_is_refused(book, food):
    a, b = book, open_book(book.engine.url.render_as_string(hide_password=False), source="tui")
    try:
        row = add(a.sessions, food.id, "20.00", "2026-03-05", "Taxi")
        expenses.delete_expense(a.sessions, row.id)  # A deletes
        # B still shows the row; its edit of it is refused (the row is gone), and B adds it
        # again with its uid (a retried save), as the person in B meant it.
        with pytest.raises(NotFound):
            expenses.update_expense(b.sessions, row.id, version=row.version, amount="21.00")
        expenses.create_expense(
            b.sessions,
            description="Taxi",
            amount="21.00",
            occurred_on="2026-03-05",
            category=food.id,
            uid=row.uid,
        )
        before = book_state(a)
        with pytest.raises(Conflict, match="was added again since"):
            history.undo(a.sessions, changes(a)[-2].id)
        assert book_state(a) == before
    finally:
        b.close()


def test_an_import_is_undone_whole_and_redone_whole(book, food):
    add(book.sessions, food.id, "1.00", "2026-01-01", "Before")
    start = book_state(book)
    lines = ["date,description,amount,category\n"] + [
        f"2026-02-{1 + i % 28:02d},Row {i},{i + 1}.25,{'Food' if i % 2 else 'Imported'}\n"
        for i in range(300)
    ]
    with acting_as("import"):
        result = import_csv(book.sessions, io.StringIO("".join(lines)))
    assert result.rows == 300 and result.categories_created == ("Imported",)
    after_import = book_state(book)
    log = changes(book)[-1]
    assert (log.action, log.source, log.summary) == ("import", "import", "import 300 expenses")
    assert len(log.after) < 1000  # the batch, not every row
    add(book.sessions, food.id, "2.00", "2026-03-01", "After")
    done = history.undo(book.sessions, log.id)
    assert done.message == "Undid: import 300 expenses"
    state = book_state(book)
    assert [r for r in state[0] if r[1].startswith("Row ")] == []
    assert "Imported" not in {c[1] for c in state[1]}
    assert_rollup_consistent(book)
    history.undo(book.sessions)  # "After"
    assert book_state(book) == start
    history.redo(book.sessions)  # "After" (the newest undo)
    history.redo(book.sessions)  # the import, whole
    restored = book_state(book)
    assert len(restored[0]) == 302 and set(after_import[0]) < set(restored[0])
    assert restored[1] == after_import[1]
    assert_rollup_consistent(book)


def test_an_import_with_an_edited_row_is_not_undone(book, food):
    lines = [
        "date,description,amount,category\n",
        "2026-02-01,A,1.00,Food\n",
        "2026-02-02,B,2.00,Food\n",
    ]
    import_csv(book.sessions, io.StringIO("".join(lines)))
    imported = changes(book)[-1]
    row = expense_list.list_expenses(book.sessions).items[0]
    expenses.update_expense(book.sessions, row.id, amount="9.99")
    before = book_state(book)
    with pytest.raises(Conflict, match=r"its expenses were changed since \(#\d+: edit 'B' 2.00"):
        history.undo(book.sessions, imported.id)
    assert book_state(book) == before


def test_a_demo_fill_is_one_change_and_undone_whole(book):
    start = book_state(book)
    fill_demo(book.sessions, 500, seed=3, today=dt.date(2026, 3, 15))
    log = changes(book)
    assert [c.action for c in log] == ["demo"]
    assert log[0].summary == "demo: 500 expenses"
    history.undo(book.sessions)
    assert book_state(book) == start
    history.redo(book.sessions)
    assert len(book_state(book)[0]) == 500
    assert_rollup_consistent(book)


def test_an_empty_book_has_nothing_to_undo_or_redo(sessions):
    with pytest.raises(NotFound, match="nothing to undo"):
        history.undo(sessions)
    with pytest.raises(NotFound, match="nothing to redo"):
        history.redo(sessions)


def test_undo_of_an_undo_is_refused_and_an_undone_change_is_not_undone_twice(sessions, food):
    add(sessions, food.id)
    result = history.undo(sessions)
    with pytest.raises(InvalidInput, match="itself an undo"):
        history.undo(sessions, result.change.id)
    with pytest.raises(Conflict, match="undone already"):
        history.undo(sessions, result.target.id)
    with pytest.raises(NotFound, match="no change #999"):
        history.undo(sessions, 999)


def test_history_lists_newest_first_and_filters_by_source(sessions, food):
    add(sessions, food.id, description="By hand")
    with acting_as("mcp:Claude"):
        add(sessions, food.id, description="By the assistant")
    mine = history.list_changes(sessions, source="mcp")
    assert [c.summary for c in mine] == ["add 'By the assistant' 10.00 on 2026-03-10 in 'Food'"]
    every = history.list_changes(sessions)
    assert [c.id for c in every] == sorted((c.id for c in every), reverse=True)
    assert history.change_sources(sessions) == ("cli", "mcp:Claude")
    assert history.newest_change(sessions) == every[0].id
    with pytest.raises(InvalidInput):
        history.list_changes(sessions, limit=0)


def test_a_restored_row_whose_id_was_taken_gets_a_new_one(book, food):
    s = book.sessions
    add(s, food.id, "1.00", description="Older")
    newest = add(s, food.id, "2.00", description="Newest")
    expenses.delete_expense(s, newest.id)
    deleted = changes(book)[-1].id
    add(s, food.id, "3.00", description="Took its id on SQLite")
    history.undo(s, deleted)
    names = {e.description for e in expense_list.list_expenses(s).items}
    assert names == {"Older", "Newest", "Took its id on SQLite"}
    assert_rollup_consistent(book)


def test_undo_leaves_amounts_exact(sessions, book, food):
    row = add(sessions, food.id, "99999999.99")
    expenses.update_expense(sessions, row.id, amount="0.01")
    history.undo(sessions)
    assert expenses.get_expense(sessions, row.id).amount == Decimal("99999999.99")
    assert_rollup_consistent(book)
