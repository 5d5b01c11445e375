"""An import or a demo fill as one change: its rows as a batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import (
    delete,
    func,
    select,
)
from sqlalchemy.orm import Session

from budget_tui.controller.bulk import BulkWriter, ImportStage
from budget_tui.controller.ledger._core import _Record, _record, categories_t, category_row
from budget_tui.controller.ledger.entries import BudgetFrom, _insert_category, _write_budget
from budget_tui.controller.queries import bump, expenses_t
from budget_tui.db.models import (
    Category,
)

# -- bulk changes: an import or a demo fill ------------------------------------------------------


class BulkChange:
    """One import or demo fill as one change: its new categories row by row, its expenses as a
    batch (the uid prefix they share and their id range), so recording costs one row.

    Use :meth:`add_category` for each new category, :meth:`stage` (import) or :meth:`writer`
    (demo) for the rows, then :meth:`finish` once.
    """

    def __init__(self, session: Session, action: str, uid_prefix: str) -> None:
        self.session = session
        self.record = _Record(action)
        self.prefix = uid_prefix
        self.first_id = (session.scalar(select(func.max(expenses_t.c.id))) or 0) + 1
        self.created: dict[int, str] = {}

    def add_category(
        self, name: str, budget: BudgetFrom | None = None, *, kind: str = "spending"
    ) -> Category:
        category = _insert_category(self.session, name, kind)
        self.created[category.id] = name
        if budget is not None:
            _write_budget(self.session, self.record, category.id, *budget, None)
        return category

    def budget(self, category_id: int, month: dt.date, amount: int | None, rollover: bool) -> None:
        """A budget row of one of this change's categories (its first row: ``add_category``)."""
        _write_budget(self.session, self.record, category_id, month, amount, rollover, None)

    def stage(self) -> ImportStage:
        return ImportStage(self.session)

    def writer(self, columns: tuple[str, ...], expected: int) -> BulkWriter:
        return BulkWriter(self.session, columns, expected=expected)

    def bump(self, deltas: Mapping[tuple[int, dt.date], tuple[int, int]]) -> None:
        bump(self.session, deltas)

    def drop_unused_categories(self) -> None:
        """Delete the categories this change made that no expense uses (every row naming them
        was already in the book)."""
        if not self.created:
            return
        in_use = select(expenses_t.c.id).where(expenses_t.c.category_id == categories_t.c.id)
        unused: list[int] = self.session.scalars(
            delete(categories_t)
            .where(categories_t.c.id.in_(self.created), ~in_use.exists())
            .returning(categories_t.c.id)
        ).all()  # type: ignore[assignment]
        for cat_id in unused:
            del self.created[cat_id]

    def finish(self, rows: int, summary: str) -> int | None:
        """Record the change (nothing when it added nothing); returns its id."""
        if not rows and not self.created:
            return None
        for cat_id in self.created:
            category = self.session.get(Category, cat_id)
            assert category is not None
            self.record.category(cat_id, None, category_row(category))
        last_id = self.session.scalar(select(func.max(expenses_t.c.id))) or 0
        batch = {"prefix": self.prefix, "first_id": self.first_id, "last_id": last_id, "rows": rows}
        self.record.before["batch"] = dict(batch, present=False)
        self.record.after["batch"] = dict(batch, present=True)
        return _record(self.session, self.record, summary, group_id=self.prefix.rstrip("-"))
