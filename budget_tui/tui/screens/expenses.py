"""Expenses, the home screen: one month's expenses as a keyset window, with totals and budget left.

A load is one controller call (``expenses.browse_expenses``): the window, the totals and the
categories from one snapshot. The table never holds the whole month: it fetches pages itself
(:class:`~budget_tui.tui.widgets.expense_table.ExpenseTable`) as the cursor nears either end.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from budget_tui.controller.periods import Period
from budget_tui.controller.views import CategoryView, ExpenseListing, ExpensePage, Flows
from budget_tui.tui import runner
from budget_tui.tui.format import money, period_label
from budget_tui.tui.keys import RowActions
from budget_tui.tui.screens._expense_keys import EXPENSE_BINDINGS
from budget_tui.tui.screens._month import MonthSteps
from budget_tui.tui.screens.expense_query import (
    SORTS,
    Query,
    empty_message,
    status_line,
    upcoming_lines,
)
from budget_tui.tui.widgets.app_header import AppHeader
from budget_tui.tui.widgets.expense_table import MAX_WINDOW, PAGE, ExpenseTable

if TYPE_CHECKING:
    from budget_tui.controller.views import ExpenseView

__all__ = ["MAX_WINDOW", "PAGE", "ExpensesScreen"]


class ExpensesScreen(runner.DatabaseWork, MonthSteps, RowActions, Screen[None]):
    """The month's expenses. Follows ``app.month``; reloads whenever it is shown again."""

    TITLE = "Expenses"
    AUTO_FOCUS = "#expenses"
    BINDINGS: ClassVar[list[BindingType]] = EXPENSE_BINDINGS

    @dataclass
    class Loaded(Message):
        """The list for ``query`` came back from the database."""

        query: Query
        listing: ExpenseListing

    @dataclass
    class Changed(Message):
        """An expense was deleted; ``select_id`` is the row to select after the reload."""

        note: str
        select_id: int | None

    def __init__(self) -> None:
        super().__init__()
        self.query_state: Query | None = None
        self.categories: tuple[CategoryView, ...] = ()
        self.pending_anchor: int | None = None
        self.answering = False  # a dialog of this screen is open; its answer reloads the list
        # Showing the first rows read at start-up, without totals, until the whole list comes.
        self.previewing = False
        self.flows = Flows()

    def compose(self) -> ComposeResult:
        yield AppHeader("expenses")
        yield Input(
            placeholder="Search every month's descriptions: Enter finds, Esc clears", id="search"
        )
        yield ExpenseTable(id="expenses")
        yield Static("Loading…", id="expenses-empty")
        yield Static("", id="expenses-upcoming")
        yield Static("", id="expenses-status")
        # The palette (ctrl+p) is listed by F1; its footer label would push F1 off 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#search").display = False
        self.table.display = False
        self.watch(self.app, "month", self._month_changed, init=False)

    @property
    def table(self) -> ExpenseTable:
        return self.query_one("#expenses", ExpenseTable)

    @property
    def rows(self) -> list[ExpenseView]:
        return self.table.window

    @property
    def current(self) -> ExpenseView | None:
        return self.table.current

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Shown dimmed in the footer while there is no row to act on.
        if action in ("edit", "delete", "move", "repeat") and self.current is None:
            return None
        return True

    # -- loading -----------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        if self.shown_again():
            return
        month: Period = self.app.month  # type: ignore[attr-defined]
        if self.query_state is None:
            self.query_state = Query(month)
        elif self.query_state.period != month:
            self.query_state = replace(self.query_state, period=month)
        if self.answering:
            self.answering = False  # the dialog's answer reloads (or leaves the list as it is)
        elif (first := self.app.take_first_listing(month)) is not None:  # type: ignore[attr-defined]
            self.post_message(self.Loaded(self.query_state, first))  # read while Textual started
        elif (rows := self.app.take_first_rows(month)) is not None:  # type: ignore[attr-defined]
            self._show_first_rows(rows)
        else:
            current = self.current
            self.reload(self.pending_anchor or (current.id if current else None))
        search = self.query_one("#search", Input)
        if not (search.display and search.has_focus):
            self.table.focus()

    def _month_changed(self, month: Period) -> None:
        q = self.query_state
        if q is not None and (q.period != month or q.all_months):
            # A month step narrows a search of every month to the month stepped to.
            self.query_state = replace(q, period=month, all_months=False)
            if self.is_current:
                self.reload()

    def _show_first_rows(self, page: ExpensePage) -> None:
        """Paint the rows read at start-up before SQLAlchemy; the status line waits for the
        whole list (:meth:`first_listing_came`)."""
        assert self.query_state is not None
        self.previewing = True
        self.call_after_refresh(self.app.first_rows_painted)  # type: ignore[attr-defined]
        if not page.items:
            return  # "Loading…" until the whole list says what an empty month means
        self.query_one("#expenses-empty", Static).display = False
        self.table.display = True
        self.table.show(self.query_state.source, page)
        self.rows_listed(True)
        self.query_one("#expenses-status", Static).update(
            Content.assemble((period_label(self.query_state.period), "bold"), " · counting…")
        )

    def first_listing_came(self) -> bool:
        """The whole first list is here (the app calls this): it takes the first rows' place,
        the cursor kept where the keys put it meanwhile. False when the screen has moved on
        (another month or filter: its own load is on its way)."""
        q = self.query_state
        if not self.previewing or q is None or q != Query(q.period):
            return False
        listing = self.app.take_first_listing(q.period)  # type: ignore[attr-defined]
        if listing is None:
            return False
        current = self.current
        if current is not None and any(r.id == current.id for r in listing.page.items):
            listing = replace(listing, anchor_id=current.id)
        self.post_message(self.Loaded(q, listing))
        return True

    def settle_first_rows(self) -> None:
        """The app's own book is open (the app calls this): first rows still waiting for their
        whole list (the start-up child ended without it) are read again."""
        if self.previewing and self.query_state is not None:
            current = self.current
            self.reload(current.id if current else None)

    def reload(self, anchor_id: int | None = None) -> None:
        """Read the list again, keeping ``anchor_id`` selected when the query still shows it."""
        assert self.query_state is not None
        self.previewing = False
        self.table.forget_pages()
        self.pending_anchor = anchor_id
        self.load(self.query_state, anchor_id)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, query: Query, anchor_id: int | None) -> None:
        from budget_tui.controller.expenses import browse_expenses

        listing = runner.call(
            self.app,
            browse_expenses,
            query.filter,
            sort=query.key,
            descending=query.descending,
            around=anchor_id,
            limit=PAGE,
        )
        runner.deliver(self, self.Loaded(query, listing))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.query != self.query_state:
            return  # the query changed while this was loading; a newer load is on its way
        listing = message.listing
        self.pending_anchor = None
        self.previewing = False
        self.categories = listing.categories
        table, empty = self.table, self.query_one("#expenses-empty", Static)
        table.display = bool(listing.page.items)
        empty.display = not listing.page.items
        if not listing.page.items:
            empty.update(empty_message(message.query, self.categories))
        page = listing.page
        table.show(message.query.source, page, select_id=listing.anchor_id)
        self.query_one("#expenses-status", Static).update(
            status_line(message.query, listing.totals, self.categories, listing.flows)
        )
        self.rows_listed(bool(page.items))
        self.call_after_refresh(self.app.first_rows_painted)  # type: ignore[attr-defined]
        self.flows = listing.flows
        # The month's scheduled entries not posted yet (read in the same snapshot).
        panel = self.query_one("#expenses-upcoming", Static)
        category = message.query.category_id
        entries = [
            e
            for e in listing.upcoming
            if not (message.query.all_months or message.query.text)
            and category in (None, e.category_id)
        ]
        panel.display = bool(entries)
        if entries:
            panel.update(upcoming_lines(entries, message.query.period, self.flows, category))

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
