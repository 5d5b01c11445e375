"""CSV export: columns ``date,description,amount,category``, oldest first, the format the
import reads."""

from __future__ import annotations

import csv
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget_tui.controller._tx import read_action
from budget_tui.controller.expenses import _filtered
from budget_tui.controller.imports import COLUMNS
from budget_tui.controller.queries import expenses_t
from budget_tui.controller.views import ExpenseFilter
from budget_tui.db.models import Category
from budget_tui.errors import BudgetError


@read_action
def export_csv(session: Session, out: IO[str], flt: ExpenseFilter | None = None) -> int:
    """Write expenses (oldest first) as CSV to ``out``; returns how many rows were written."""
    c = expenses_t.c
    stmt = _filtered(
        select(c.occurred_on, c.description, c.amount, Category.name).join(
            Category, Category.id == c.category_id
        ),
        flt or ExpenseFilter(),
    ).order_by(c.occurred_on, c.id)
    writer = csv.writer(out, lineterminator="\n")
    count = 0
    try:
        writer.writerow(COLUMNS)
        for partition in session.execute(stmt.execution_options(yield_per=5000)).partitions():
            writer.writerows(
                (d.isoformat(), desc, f"{amt:.2f}", name) for d, desc, amt, name in partition
            )
            count += len(partition)
    except OSError as exc:
        # The output failed (disk full, a closed pipe), not the database: the action wrapper
        # would otherwise report any OSError as a lost database connection.
        reason = exc.strerror or type(exc).__name__
        raise BudgetError(f"The CSV could not be written: {reason}.") from None
    return count
