"""The Expenses screen's list: one month's expenses (or a search of every month) as a keyset
window, with totals, budget left and the month's scheduled entries not posted yet.

A load is one controller call (``expense_list.browse_expenses``): the window, the totals and the
categories from one snapshot. The table never holds the whole month: it fetches pages itself
(:class:`~budget_tui.tui.widgets.expense_table.ExpenseTable`) as the cursor nears either end. At
start-up the rows read before SQLAlchemy are painted until the whole list comes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from budget_tui.controller.periods import Period
from budget_tui.controller.views import CategoryView, ExpenseListing, ExpensePage, Flows
from budget_tui.tui import runner
from budget_tui.tui.format import period_label
from budget_tui.tui.screens.expense_query import Query, empty_message, status_line, upcoming_lines
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.app_header import AppHeader
from budget_tui.tui.widgets.expense_table import PAGE, ExpenseTable

if TYPE_CHECKING:
    from budget_tui.controller.views import ExpenseView


class ExpenseListScreen(runner.DatabaseWork, Screen[None]):
    """What the Expenses screen lists, and reading it (``ExpensesScreen`` adds what its keys do).
    Follows ``app.month``; reloads whenever it is shown again."""

    @dataclass
    class Loaded(Message):
        """The list for ``query`` came back from the database."""

        query: Query
        listing: ExpenseListing

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
        yield AppFooter(compact=True, show_command_palette=False)

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
        self.refresh_bindings()  # the row keys dim while no row is listed
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
        from budget_tui.controller.expense_list import browse_expenses

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
        if table.has_focus and not listing.page.items:
            # Hidden, the table would hand focus on to the search field, and the next month
            # key would be typed into it: the screen keeps the keys instead.
            self.set_focus(None)
        elif listing.page.items and self.focused is None:
            self.call_after_refresh(table.focus)
        table.display = bool(listing.page.items)
        empty.display = not listing.page.items
        if not listing.page.items:
            empty.update(empty_message(message.query, self.categories))
        page = listing.page
        table.show(message.query.source, page, select_id=listing.anchor_id)
        self.query_one("#expenses-status", Static).update(
            status_line(message.query, listing.totals, self.categories, listing.flows)
        )
        self.refresh_bindings()  # the row keys dim while no row is listed
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
