"""Only the ledger writes the book: every INSERT, UPDATE and DELETE any action sends comes from
inside the ``controller/ledger`` package (watched at the engine, with the Python stack of each statement),
and no other module has the means to write (checked in the source)."""

from __future__ import annotations

import ast
import io
import traceback
from pathlib import Path

from sqlalchemy import event

import budget_tui
from budget_tui.controller import categories, expenses, history, proposals, rules, schedules
from budget_tui.controller.demo import fill_demo
from budget_tui.controller.file_import import ImportOptions, import_file
from budget_tui.controller.imports import import_csv

LEDGER = str(Path(budget_tui.__file__).parent / "controller" / "ledger")
# The ledger's own bulk machinery (COPY / executemany through the driver), used only by it.
LEDGER_HELPERS = {"bulk.py"}
WRITES = ("INSERT", "UPDATE", "DELETE")


def test_every_write_statement_of_every_action_comes_from_the_ledger(book, tmp_path) -> None:
    outsiders: list[str] = []

    def watch(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip()[:6].upper() in WRITES:
            frames = [f.filename for f in traceback.extract_stack()]
            if not any(f.startswith(LEDGER + "/") for f in frames):
                outsiders.append(statement.split("\n")[0][:80])

    event.listen(book.engine, "before_cursor_execute", watch)
    try:
        s = book.sessions
        food = categories.create_category(s, "Food", "100")
        home = categories.create_category(s, "Home")
        row = expenses.create_expense(
            s, description="Lunch", amount="12.00", occurred_on="2026-03-01", category="Food"
        )
        expenses.update_expense(s, row.id, amount="13.00")
        expenses.move_expense(s, row.id, home.id)
        categories.rename_category(s, food.id, "Groceries")
        categories.set_budget(s, food.id, "50")
        expenses.delete_expense(s, row.id)
        history.undo(s)
        history.redo(s)
        expenses.create_expense(
            s, description="Milk", amount="1.00", occurred_on="2026-03-02", category="Groceries"
        )
        categories.delete_category(s, food.id, move_to=home.id)
        import_csv(s, io.StringIO("date,description,amount,category\n2026-03-03,Tea,2.00,New\n"))
        rule = rules.add_rule(s, "tea", "Home", rename="Tea")
        statement = tmp_path / "statement.csv"
        statement.write_text("Date,Description,Amount\n2026-03-04,TEA SHOP,-3.00\n")
        import_file(s, statement, ImportOptions(save_profile="Bank"))
        rules.delete_rule(s, rule.id)
        fill_demo(s, 50, seed=1, into_existing=True)
        history.undo(s)
        history.undo(s)
        history.redo(s)
        made = schedules.create_schedule(
            s, description="Rent", amount="900", category=home.id, day=31, start="2026-01-31"
        )
        schedules.post_due(s)
        schedules.skip_next(s, made.id)
        schedules.pause_schedule(s, made.id)
        schedules.resume_schedule(s, made.id)
        schedules.update_schedule(s, made.id, amount="950")
        schedules.end_schedule(s, made.id, "2026-12-31")
        remind = schedules.create_schedule(
            s, description="Water", amount="30", category=home.id, start="2026-03-01", remind=True
        )
        schedules.post_reminder(s, remind.id, "2026-03-01", amount="31")
        history.undo(s)
        schedules.delete_schedule(s, made.id)
        history.undo(s)
        history.redo(s)
        asked = proposals.propose(s, "mcp:test", "create_category", {"name": "Books"})
        proposals.accept_proposal(s, asked.id)
        asked = proposals.propose(s, "mcp:test", "set_budget", {"category": "Books", "amount": "9"})
        proposals.reject_proposal(s, asked.id)
    finally:
        event.remove(book.engine, "before_cursor_execute", watch)
    assert outsiders == []


WRITE_NAMES = {"insert", "update", "delete", "bump", "BulkWriter", "ImportStage", "pg_insert"}
SESSION_WRITES = {"add", "add_all", "delete", "merge"}


def _write_means(path: Path) -> list[str]:
    """Imports of write constructs, and session.add/delete/merge calls, in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [f"imports {a.name}" for a in node.names if a.name in WRITE_NAMES]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SESSION_WRITES
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "session"
        ):
            found.append(f"session.{node.func.attr}() on line {node.lineno}")
    return found


def test_no_module_but_the_ledger_has_the_means_to_write() -> None:
    root = Path(budget_tui.__file__).parent
    offenders = {}
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[:2] == ("db", "migrations"):
            continue  # the schema's own history
        if relative.parts[:2] == ("controller", "ledger"):
            continue  # the ledger itself
        if relative.parts[0] == "controller" and relative.name in LEDGER_HELPERS:
            continue
        if relative == Path("controller/queries.py"):
            # Defines bump() (the roll-up upsert) for the ledger, and calls it nowhere itself.
            calls = [
                n
                for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "bump"
            ]
            assert calls == []
            continue
        if means := _write_means(path):
            offenders[str(relative)] = means
    assert offenders == {}


def test_only_the_ledger_uses_the_bulk_writers() -> None:
    root = Path(budget_tui.__file__).parent
    users = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "bulk.py"
        and any(name in p.read_text(encoding="utf-8") for name in ("BulkWriter", "ImportStage"))
    )
    assert users == ["controller/ledger/batches.py"]
