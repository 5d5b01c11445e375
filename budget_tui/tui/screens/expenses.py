"""Expenses, the home screen: one month's expenses as a keyset window, with totals and budget left.

Its keys add, edit, delete, move and repeat an expense, import a statement, search every month,
show one category, sort and step through the months. What it lists and how a load reads it (one
controller call; the table fetches pages itself) is
:class:`~budget_tui.tui.screens._expense_list.ExpenseListScreen`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Input

from budget_tui.controller.periods import Period
from budget_tui.tui import runner
from budget_tui.tui.format import money
from budget_tui.tui.screens._expense_keys import EXPENSE_BINDINGS
from budget_tui.tui.screens._expense_list import ExpenseListScreen
from budget_tui.tui.screens._month import MonthSteps
from budget_tui.tui.screens.expense_query import SORTS, Query
from budget_tui.tui.widgets.expense_table import MAX_WINDOW, PAGE

if TYPE_CHECKING:
    from budget_tui.controller.views import ExpenseView

__all__ = ["MAX_WINDOW", "PAGE", "ExpensesScreen"]


class ExpensesScreen(MonthSteps, ExpenseListScreen):
    """The month's expenses, and what their keys do."""

    TITLE = "Expenses"
    AUTO_FOCUS = "#expenses"
    BINDINGS: ClassVar[list[BindingType]] = EXPENSE_BINDINGS

    @dataclass
    class Changed(Message):
        """An expense was deleted; ``select_id`` is the row to select after the reload."""

        note: str
        select_id: int | None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Shown dimmed in the footer while there is no row to act on.
        if action in ("edit", "delete", "move", "repeat") and self.current is None:
            return None
        return True

    # -- actions -----------------------------------------------------------------------------

    def _choices(self) -> list[tuple[int, str]]:
        return [(c.id, c.name) for c in self.categories]

    def _set_query(self, query: Query, anchor_id: int | None = None) -> None:
        self.query_state = query
        if query.period != self.app.month:  # type: ignore[attr-defined]
            self.app.month = query.period  # type: ignore[attr-defined]
        self.reload(anchor_id)

    def _show_saved(self, view: ExpenseView | None, verb: str = "Saved") -> None:
        if view is None or self.query_state is None:
            return
        q = self.query_state
        if not q.shows(view):
            # Show the saved row even when it falls outside the month or filter on screen.
            q = Query(Period.month(view.occurred_on), sort=q.sort)
            self.notify(f"{verb}; showing {q.period.label}.", timeout=3)
        self._set_query(q, view.id)

    @work(group=runner.DIALOG)
    async def action_add(self) -> None:
        from budget_tui.tui.widgets.expense_form import ExpenseForm

        if self.query_state is None:
            return
        if not self.categories:
            self.notify("Add a category first: press 2 for Categories, then a.", severity="warning")
            return
        category = self.query_state.category_id
        default = next((c.name for c in self.categories if c.id == category), "")
        self.answering = True
        form = ExpenseForm(self._choices(), default_category=default)
        self._show_saved(await self.app.push_screen_wait(form))

    @work(group=runner.DIALOG)
    async def action_edit(self) -> None:
        from budget_tui.tui.widgets.expense_form import ExpenseForm

        if (row := self.current) is not None:
            self.answering = True
            self._show_saved(await self.app.push_screen_wait(ExpenseForm(self._choices(), row)))

    @work(group=runner.DIALOG)
    async def action_repeat(self) -> None:
        from budget_tui.tui.widgets.schedule_form import ScheduleForm, draft_from_expense

        if (row := self.current) is None:
            return
        self.answering = True
        form = ScheduleForm(self._choices(), draft=draft_from_expense(row))
        saved = await self.app.push_screen_wait(form)
        if saved is not None:
            following = saved.next_on.isoformat() if saved.next_on else "none"
            self.notify(f"Made a schedule of {saved.description!r}; next {following}.", timeout=4)
            self.action_reload()

    @on(DataTable.RowSelected, "#expenses")
    def _selected(self) -> None:
        self.action_edit()

    @work(group=runner.DIALOG)
    async def action_delete(self) -> None:
        from budget_tui.tui.screens.confirm import ConfirmScreen

        row = self.current
        if row is None:
            return
        index, rows = self.table.cursor_row, self.rows
        neighbour = rows[index + 1] if index + 1 < len(rows) else rows[index - 1] if index else None
        message = (
            f"{row.occurred_on.isoformat()}  {row.description}\n"
            f"{money(row.amount)} in {row.category_name}"
        )
        self.answering = True
        confirm = ConfirmScreen("Delete this expense?", message, confirm="Delete", cancel="Keep")
        if await self.app.push_screen_wait(confirm):
            self.delete(row, None if neighbour is None else neighbour.id)

    @work(thread=True, group="save", exit_on_error=False)
    def delete(self, row: ExpenseView, select_id: int | None) -> None:
        from budget_tui.controller.expenses import delete_expense

        runner.call(self.app, delete_expense, row.id, version=row.version)
        runner.deliver(self, self.Changed(f"Deleted {row.description!r}.", select_id))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.notify(message.note, timeout=3)
        self.reload(message.select_id)

    @work(group=runner.DIALOG)
    async def action_move(self) -> None:
        from budget_tui.tui.widgets.category_picker import CategoryPicker

        row = self.current
        if row is None:
            return
        others = [(cid, name) for cid, name in self._choices() if cid != row.category_id]
        if not others:
            self.notify("There is no other category to move it to.", severity="warning")
            return
        self.answering = True
        picker = CategoryPicker(f"Move {row.description!r} to…", others)
        if category_id := await self.app.push_screen_wait(picker):
            self.move(row, category_id)

    @work(thread=True, group="save", exit_on_error=False)
    def move(self, row: ExpenseView, category_id: int) -> None:
        from budget_tui.controller.expenses import move_expense

        view = runner.call(self.app, move_expense, row.id, category_id, version=row.version)
        runner.deliver(self, self.Moved(view))

    @dataclass
    class Moved(Message):
        """An expense was moved to another category."""

        view: ExpenseView

    @on(Moved)
    def _moved(self, message: Moved) -> None:
        self._show_saved(message.view, "Moved")

    def action_import_statement(self) -> None:
        from budget_tui.tui.screens.imports import ImportScreen

        self.app.push_screen(ImportScreen())

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip() or None
        if text is None:
            event.input.display = False
        if self.query_state is not None:
            self._set_query(replace(self.query_state, text=text, all_months=text is not None))
        self.table.focus()

    @work(group=runner.DIALOG)
    async def action_category(self) -> None:
        from budget_tui.tui.widgets.category_picker import CategoryPicker

        if self.query_state is None:
            return
        self.answering = True
        picker = CategoryPicker(
            "Show the expenses of…",
            self._choices(),
            offer_all=True,
            current=self.query_state.category_id,
        )
        category_id = await self.app.push_screen_wait(picker)
        if category_id is not None and self.query_state is not None:
            self._set_query(replace(self.query_state, category_id=category_id or None))

    def action_clear_filters(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self.table.focus()
        q, current = self.query_state, self.current
        if q is not None and q.filtered:
            self._set_query(
                replace(q, text=None, category_id=None, all_months=False),
                current.id if current else None,
            )

    def action_sort(self) -> None:
        if (q := self.query_state) is not None:
            current = self.current
            self._set_query(
                replace(q, sort=(q.sort + 1) % len(SORTS)), current.id if current else None
            )

    def _go_to(self, period: Period) -> None:
        if self.app.month == period:  # type: ignore[attr-defined]
            self._month_changed(period)  # narrows a search of every month to this one
        else:
            self.app.month = period  # type: ignore[attr-defined]

    def shown_month(self) -> Period | None:
        return None if self.query_state is None else self.query_state.period

    def action_reload(self) -> None:
        if self.query_state is not None:
            current = self.current
            self.reload(current.id if current else None)

    # Changes made elsewhere (the app hears of them) or undone: read again, the cursor kept.
    book_changed = action_reload
