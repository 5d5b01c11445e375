"""Any random sequence of changes, undone change by change, leaves the book exactly as it
started (every row's content and the monthly roll-up); redone, it is exactly as it ended.

Runs on SQLite and PostgreSQL. The sequences mix every kind of change: expenses added, edited,
moved and deleted; categories added, renamed, budgeted and deleted with their expenses moved;
CSV imports and bank statements categorised by rules (undone and redone whole); import rules
added and deleted. Steps the controller refuses (a name taken, say) are simply not changes.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from budget_tui.controller import categories, expense_list, expenses, history, rules
from budget_tui.controller.book import Book
from budget_tui.controller.file_import import ImportOptions, import_file
from budget_tui.controller.imports import import_csv
from budget_tui.errors import BudgetError
from tests.property.conftest import empty

NAMES = ["Food", "Home", "Travel", "Fun", "food"]
DAYS = ["2026-01-31", "2026-02-01", "2026-02-28", "2026-03-01", "2026-03-15"]
amounts = st.sampled_from(["0.01", "1.00", "12.34", "99.99", "1500.00"])
picks = st.integers(min_value=0, max_value=50)

steps = st.one_of(
    st.tuples(st.just("add"), picks, amounts, st.sampled_from(DAYS), st.sampled_from(NAMES)),
    st.tuples(st.just("edit"), picks, amounts, st.sampled_from(DAYS)),
    st.tuples(st.just("move"), picks, picks),
    st.tuples(st.just("delete"), picks),
    st.tuples(st.just("category"), st.sampled_from(NAMES)),
    st.tuples(st.just("rename"), picks, st.sampled_from(NAMES)),
    st.tuples(
        st.just("budget"),
        picks,
        st.sampled_from([None, "10", "250.50"]),
        st.sampled_from(["2026-02", "2026-03", "2026-04"]),
        st.sampled_from([None, True, False]),  # rollover: keep, on, off
        st.booleans(),  # this month only
    ),
    st.tuples(st.just("drop"), picks, picks),
    st.tuples(
        st.just("import"),
        st.lists(
            st.tuples(st.sampled_from(DAYS), amounts, st.sampled_from([*NAMES, "Imported"])),
            min_size=1,
            max_size=6,
        ),
    ),
    st.tuples(st.just("rule"), st.sampled_from(["Bought", "Shop", "o"]), picks, picks),
    st.tuples(st.just("unrule"), picks),
    st.tuples(
        st.just("statement"),
        st.lists(
            st.tuples(st.sampled_from(DAYS), amounts, st.sampled_from(["Shop", "Bought", "x"])),
            min_size=1,
            max_size=6,
        ),
    ),
)


def state(book: Book) -> tuple:
    with book.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT uid, description, amount, occurred_on, category_id FROM expenses "
                "ORDER BY uid"
            )
        ).all()
        cats = conn.execute(
            text(
                "SELECT c.id, c.name, c.kind, b.month, b.amount, b.rollover FROM categories c "
                "LEFT JOIN budgets b ON b.category_id = c.id ORDER BY 1, 4"
            )
        ).all()
        kept_rules = conn.execute(
            text("SELECT id, position, match, pattern, category_id, rename FROM rules ORDER BY id")
        ).all()
        rollup = conn.execute(
            text(
                "SELECT category_id, month, total_cents, count FROM monthly_totals "
                "WHERE count <> 0 OR total_cents <> 0 ORDER BY 1, 2"
            )
        ).all()
    return (
        tuple(map(tuple, rows)),
        tuple(map(tuple, cats)),
        tuple(map(tuple, rollup)),
        tuple(map(tuple, kept_rules)),
    )


def run(book: Book, step: tuple) -> None:
    s = book.sessions
    rows = expense_list.list_expenses(s, limit=1000).items
    cats = categories.list_categories(s)

    def row(i: int):
        return rows[i % len(rows)] if rows else None

    def cat(i: int):
        return cats[i % len(cats)] if cats else None

    kind = step[0]
    if kind == "add":
        _, _, amount, day, name = step
        expenses.create_expense(
            s, description="Bought", amount=amount, occurred_on=day, category=name
        )
    elif kind == "edit" and (r := row(step[1])):
        expenses.update_expense(s, r.id, amount=step[2], occurred_on=step[3], description="Edited")
    elif kind == "move" and (r := row(step[1])) and (c := cat(step[2])):
        expenses.move_expense(s, r.id, c.id)
    elif kind == "delete" and (r := row(step[1])):
        expenses.delete_expense(s, r.id)
    elif kind == "category":
        categories.create_category(s, step[1])
    elif kind == "rename" and (c := cat(step[1])):
        categories.rename_category(s, c.id, step[2])
    elif kind == "budget" and (c := cat(step[1])):
        categories.set_budget(
            s,
            c.id,
            step[2],
            month=step[3],
            rollover=step[4] and step[2] is not None,
            only_month=step[5],
        )
    elif kind == "drop" and (c := cat(step[1])) and (t := cat(step[2])):
        categories.delete_category(s, c.id, move_to=t.id if t.id != c.id else None)
    elif kind == "import":
        lines = ["date,description,amount,category\n"]
        lines += [f"{day},Imported row,{amount},{name}\n" for day, amount, name in step[1]]
        import_csv(s, io.StringIO("".join(lines)))
    elif kind == "rule" and (c := cat(step[2])):
        count = len(rules.list_rules(s))
        rules.add_rule(s, step[1], c.id, position=1 + step[3] % (count + 1))
    elif kind == "unrule" and (found := rules.list_rules(s)):
        rules.delete_rule(s, found[step[1] % len(found)].id)
    elif kind == "statement":
        lines = ["Date,Description,Amount\n"]
        lines += [f"{day},{text_},-{amount}\n" for day, amount, text_ in step[1]]
        with tempfile.TemporaryDirectory(prefix="h14-") as folder:
            path = Path(folder) / "statement.csv"
            path.write_text("".join(lines), encoding="utf-8")
            import_file(s, path, ImportOptions(create_categories=True))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(setup=st.lists(steps, max_size=4), changes=st.lists(steps, min_size=1, max_size=12))
def test_undo_all_restores_the_start_and_redo_all_restores_the_end(
    shared_book: Book, setup: list, changes: list
) -> None:
    empty(shared_book)
    s = shared_book.sessions
    categories.create_category(s, "Food", "100")
    for step in setup:
        with contextlib.suppress(BudgetError):
            run(shared_book, step)
    start, first = state(shared_book), history.newest_change(s)
    for step in changes:
        with contextlib.suppress(BudgetError):
            run(shared_book, step)
    end = state(shared_book)
    made = [c for c in history.list_changes(s, limit=1000) if c.id > first]
    for _ in made:
        history.undo(s)
    assert state(shared_book) == start
    for _ in made:
        history.redo(s)
    assert state(shared_book) == end
