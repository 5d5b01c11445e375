"""Expenses, the home screen: one month's expenses as a keyset window, with totals and budget left.

The table never holds the whole month: it holds a window of at most ``MAX_WINDOW`` rows, and
pages of ``PAGE`` rows are fetched (by keyset cursor) as the cursor nears either end of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from budget_tui.controller.periods import Period
from budget_tui.controller.views import (
    ZERO,
    CategoryView,
    Cursor,
    ExpenseFilter,
    ExpensePage,
    ExpenseView,
    Totals,
)
from budget_tui.tui import runner
from budget_tui.tui.format import money
from budget_tui.tui.screens._month import MONTH_BINDINGS, MonthSteps

if TYPE_CHECKING:
    from budget_tui.controller._tx import Sessions
    from budget_tui.controller.expenses import Sort

PAGE = 100
MAX_WINDOW = 300
MARGIN = 15  # rows from either end of the window at which the next page is fetched

SORTS: tuple[tuple[Sort, bool, str], ...] = (
    ("date", True, "newest first"),
    ("amount", True, "largest first"),
    ("date", False, "oldest first"),
    ("amount", False, "smallest first"),
)


@dataclass(frozen=True)
class Query:
    """What the list shows: a month, optional filters and an order."""

    period: Period
    category_id: int | None = None
    text: str | None = None
    sort: int = 0  # index into SORTS

    @property
    def filter(self) -> ExpenseFilter:
        return ExpenseFilter(period=self.period, category_id=self.category_id, text=self.text)

    @property
    def key(self) -> Sort:
        return SORTS[self.sort][0]

    @property
    def descending(self) -> bool:
        return SORTS[self.sort][1]

    def cursor(self, item: ExpenseView) -> Cursor:
        return Cursor(item.occurred_on if self.key == "date" else item.amount, item.id)

    def including(self, item: ExpenseView) -> Cursor:
        """A cursor whose ``after`` page starts with ``item`` itself (ids are integers)."""
        step = 1 if self.descending else -1
        return Cursor(self.cursor(item).value, item.id + step)

    def shows(self, item: ExpenseView) -> bool:
        return (
            self.period.start <= item.occurred_on < self.period.end
            and self.category_id in (None, item.category_id)
            and (not self.text or self.text.strip().casefold() in item.description.casefold())
        )


@dataclass(frozen=True)
class Loaded:
    query: Query
    rows: tuple[ExpenseView, ...]
    prev: Cursor | None
    next: Cursor | None
    totals: Totals
    categories: tuple[CategoryView, ...]
    anchor_id: int | None


def fetch(sessions: Sessions, query: Query, anchor: ExpenseView | None) -> Loaded:
    """The window around ``anchor`` (or the first page), the filter's totals and the categories."""
    from budget_tui.controller.categories import list_categories
    from budget_tui.controller.expenses import expense_totals, list_expenses

    flt, key, down = query.filter, query.key, query.descending
    if anchor is not None and query.shows(anchor):
        above = list_expenses(
            sessions, flt, sort=key, descending=down, before=query.cursor(anchor), limit=PAGE // 2
        )
        below = list_expenses(
            sessions, flt, sort=key, descending=down, after=query.including(anchor), limit=PAGE
        )
        rows, prev, nxt = above.items + below.items, above.prev_cursor, below.next_cursor
    else:
        page = list_expenses(sessions, flt, sort=key, descending=down, limit=PAGE)
        rows, prev, nxt = page.items, None, page.next_cursor
    totals = expense_totals(sessions, flt)
    categories = list_categories(sessions, query.period)
    return Loaded(query, rows, prev, nxt, totals, categories, anchor.id if anchor else None)


def fetch_page(
    sessions: Sessions, query: Query, *, after: Cursor | None = None, before: Cursor | None = None
) -> ExpensePage:
    from budget_tui.controller.expenses import list_expenses

    return list_expenses(
        sessions,
        query.filter,
        sort=query.key,
        descending=query.descending,
        after=after,
        before=before,
        limit=PAGE,
    )


class ExpensesScreen(MonthSteps, Screen[None]):
    """The month's expenses. Follows ``app.month``; reloads whenever it is shown again."""

    TITLE = "Expenses"
    AUTO_FOCUS = "#expenses"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="add", tooltip="Enter a new expense"),
        Binding("e", "edit", "Edit", id="edit", tooltip="Change the selected expense (or Enter)"),
        Binding("d", "delete", "Delete", id="delete", tooltip="Delete the selected expense"),
        Binding(
            "m",
            "move",
            "Move",
            id="move",
            tooltip="Move the selected expense to another category",
            show=False,
        ),
        Binding(
            "slash", "search", "Search", id="search", tooltip="Filter by text in the description"
        ),
        Binding("c", "category", "Category", id="category", tooltip="Show one category's expenses"),
        Binding(
            "s",
            "sort",
            "Sort",
            id="sort",
            tooltip="Cycle the order: date, amount, oldest, smallest",
        ),
        *MONTH_BINDINGS,
        Binding(
            "escape",
            "clear_filters",
            "Clear filters",
            id="clear-filters",
            tooltip="Show all of the month's expenses",
            show=False,
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="reload",
            tooltip="Read the list again from the database",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state: Query | None = None
        self.rows: list[ExpenseView] = []
        self.prev: Cursor | None = None
        self.next: Cursor | None = None
        self.categories: tuple[CategoryView, ...] = ()
        self.generation = 0  # bumped by every reload; late pages of an older list are dropped
        self.paging = False
        self.pending_anchor: ExpenseView | None = None
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search descriptions: Enter applies, Esc clears", id="search")
        yield DataTable(id="expenses", cursor_type="row", zebra_stripes=True)
        yield Static("Loading…", id="expenses-empty")
        yield Static("", id="expenses-status")
        # The palette (ctrl+p) is listed by F1; its footer label would push F1 off 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#search").display = False
        self.query_one("#expenses").display = False

    @property
    def table(self) -> DataTable:
        return self.query_one("#expenses", DataTable)

    @property
    def current(self) -> ExpenseView | None:
        index = self.table.cursor_row
        if self.rows and 0 <= index < len(self.rows):
            return self.rows[index]
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Shown dimmed in the footer while there is no row to act on.
        if action in ("edit", "delete", "move") and self.current is None:
            return None
        return True

    # -- loading -----------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        period = self.app.month  # type: ignore[attr-defined]
        if self.query_state is None:
            self.query_state = Query(period)
        elif self.query_state.period != period:
            self.query_state = replace(self.query_state, period=period)
        # A modal's answer may already have asked for a reload around a saved row: keep that row.
        self.reload(self.pending_anchor or self.current)
        search = self.query_one("#search", Input)
        if not (search.display and search.has_focus):
            self.table.focus()

    def reload(self, anchor: ExpenseView | None = None) -> None:
        """Fetch the list again, keeping ``anchor`` selected when the query still shows it."""
        assert self.query_state is not None
        self.generation += 1
        self.paging = False
        self.pending_anchor = anchor
        runner.call(
            self, fetch, self.query_state, anchor, done=self._loaded, group="reload", exclusive=True
        )

    def _loaded(self, loaded: Loaded) -> None:
        if loaded.query != self.query_state:
            return  # the query changed while this was loading; a newer load is on its way
        self.pending_anchor = None
        self.rows = list(loaded.rows)
        self.prev, self.next = loaded.prev, loaded.next
        self.categories = loaded.categories
        index = 0
        if loaded.anchor_id is not None:
            for i, row in enumerate(self.rows):
                if row.id == loaded.anchor_id:
                    index = i
                    break
        self._render_rows(index, keep_scroll=False)
        self._render_status(loaded.totals)
        self.refresh_bindings()

    # -- the window --------------------------------------------------------------------------

    def _render_rows(self, index: int, *, keep_scroll: bool, scroll_y: float | None = None) -> None:
        table = self.table
        empty = self.query_one("#expenses-empty", Static)
        table.display = bool(self.rows)
        empty.display = not self.rows
        if not self.rows:
            empty.update(self._empty_message())
        width = max(40, table.size.width or self.size.width)
        self._width = width
        # date 10, category 16, amount 13, cell padding 8, scrollbar 2
        description_width = max(10, width - 10 - 16 - 13 - 8 - 2)
        table.clear(columns=True)
        table.add_column("Date", width=10, key="date")
        table.add_column("Description", width=description_width, key="description")
        table.add_column("Category", width=16, key="category")
        table.add_column(Text("Amount", justify="right"), width=13, key="amount")
        for row in self.rows:
            table.add_row(
                row.occurred_on.isoformat(),
                Text(row.description, no_wrap=True, overflow="ellipsis"),
                Text(row.category_name, no_wrap=True, overflow="ellipsis"),
                Text(money(row.amount), justify="right"),
                key=str(row.id),
            )
        if self.rows:
            table.move_cursor(row=min(index, len(self.rows) - 1), scroll=not keep_scroll)
            if keep_scroll and scroll_y is not None:
                table.scroll_to(y=max(0, scroll_y), animate=False, immediate=True)

    def _empty_message(self) -> Content:
        q = self.query_state
        if not self.categories:
            return Content(
                "No categories yet. Start by adding one: press 2 for Categories, then a."
            )
        if q is not None and (q.text or q.category_id):
            return Content("No expenses match the filter. Press Esc to clear it.")
        label = q.period.label if q else ""
        return Content(f"No expenses in {label}. Press a to add one, [ or ] to change month.")

    @on(DataTable.RowHighlighted, "#expenses")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.paging or self.query_state is None:
            return
        index = event.cursor_row
        if index != self.table.cursor_row:
            return  # a stale event from rebuilding the table, not a move by the person
        if self.next is not None and index >= len(self.rows) - MARGIN:
            self._fetch_page(after=self.next)
        elif self.prev is not None and index < MARGIN:
            self._fetch_page(before=self.prev)

    def _fetch_page(self, *, after: Cursor | None = None, before: Cursor | None = None) -> None:
        self.paging = True
        generation = self.generation
        query = self.query_state

        def done(page: ExpensePage) -> None:
            if generation != self.generation:
                return
            self.paging = False
            if after is not None:
                self._append(page)
            else:
                self._prepend(page)

        def failed(_error: object) -> bool:
            self.paging = False
            return False

        runner.call(
            self,
            fetch_page,
            query,
            after=after,
            before=before,
            done=done,
            failed=failed,
            group="page",
        )

    def _append(self, page: ExpensePage) -> None:
        q = self.query_state
        assert q is not None
        index, scroll_y = self.table.cursor_row, self.table.scroll_y
        self.rows.extend(page.items)
        self.next = page.next_cursor
        drop = max(0, len(self.rows) - MAX_WINDOW)
        if drop:
            del self.rows[:drop]
            self.prev = q.cursor(self.rows[0])
        self._render_rows(index - drop, keep_scroll=True, scroll_y=scroll_y - drop)

    def _prepend(self, page: ExpensePage) -> None:
        q = self.query_state
        assert q is not None
        index, scroll_y = self.table.cursor_row, self.table.scroll_y
        added = len(page.items)
        self.rows[:0] = page.items
        self.prev = page.prev_cursor
        drop = max(0, len(self.rows) - MAX_WINDOW)
        if drop:
            del self.rows[-drop:]
            self.next = q.cursor(self.rows[-1])
        self._render_rows(index + added, keep_scroll=True, scroll_y=scroll_y + added)

    def on_resize(self) -> None:
        if self.rows and self.table.size.width != self._width:
            self._render_rows(self.table.cursor_row, keep_scroll=True, scroll_y=self.table.scroll_y)

    # -- the status line ---------------------------------------------------------------------

    def _render_status(self, totals: Totals) -> None:
        q = self.query_state
        assert q is not None
        count = f"{totals.count:,} expense{'s' if totals.count != 1 else ''}"
        parts: list[str | tuple[str, str] | Content] = [
            (q.period.label, "bold"),
            f" · {count} · ",
            (money(totals.total), "bold"),
        ]
        shown = [c for c in self.categories if q.category_id in (None, c.id)]
        budgeted = [c for c in shown if c.monthly_budget is not None]
        if budgeted:
            budget = sum((c.monthly_budget or ZERO for c in budgeted), ZERO)
            spent = sum((c.spent for c in budgeted), ZERO)
            left = budget - spent
            parts += [
                " · left ",
                (money(left), "$text-error" if left < 0 else "$text-success"),
            ]
            parts.append(f" of {money(budget)}")
        extra = [f"order: {SORTS[q.sort][2]}"]
        if q.category_id is not None:
            name = next((c.name for c in self.categories if c.id == q.category_id), "?")
            extra.insert(0, f"category: {name}")
        if q.text:
            extra.insert(0, f"text: {q.text!r}")
        parts.append(("\n" + " · ".join(extra), "$text-muted"))
        self.query_one("#expenses-status", Static).update(Content.assemble(*parts))

    # -- actions -----------------------------------------------------------------------------

    def _choices(self) -> list[tuple[int, str]]:
        return [(c.id, c.name) for c in self.categories]

    def _set_query(self, query: Query, anchor: ExpenseView | None = None) -> None:
        self.query_state = query
        if query.period != self.app.month:  # type: ignore[attr-defined]
            self.app.month = query.period  # type: ignore[attr-defined]
        self.reload(anchor)

    def _show_saved(self, view: ExpenseView | None, verb: str = "Saved") -> None:
        if view is None or self.query_state is None:
            return
        q = self.query_state
        if not q.shows(view):
            # Show the saved row even when it falls outside the month or filter on screen.
            q = Query(Period.month(view.occurred_on), sort=q.sort)
            self.notify(f"{verb}; showing {q.period.label}.", timeout=3)
        self._set_query(q, view)

    def action_add(self) -> None:
        from budget_tui.tui.widgets.expense_form import ExpenseForm

        if self.query_state is None:
            return
        if not self.categories:
            self.notify("Add a category first: press 2 for Categories, then a.", severity="warning")
            return
        default = ""
        if self.query_state.category_id is not None:
            default = next(
                (c.name for c in self.categories if c.id == self.query_state.category_id), ""
            )
        self.app.push_screen(
            ExpenseForm(self._choices(), default_category=default), self._show_saved
        )

    def action_edit(self) -> None:
        from budget_tui.tui.widgets.expense_form import ExpenseForm

        if (row := self.current) is not None:
            self.app.push_screen(ExpenseForm(self._choices(), row), self._show_saved)

    @on(DataTable.RowSelected, "#expenses")
    def _selected(self) -> None:
        self.action_edit()

    def action_delete(self) -> None:
        from budget_tui.tui.screens.confirm import ConfirmScreen

        row = self.current
        if row is None:
            return
        index = self.table.cursor_row
        neighbour = None
        if index + 1 < len(self.rows):
            neighbour = self.rows[index + 1]
        elif index > 0:
            neighbour = self.rows[index - 1]

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from budget_tui.controller.expenses import delete_expense

            def deleted(_result: object) -> None:
                self.notify(f"Deleted {row.description!r}.", timeout=3)
                self.reload(neighbour)

            runner.call(self, delete_expense, row.id, version=row.version, done=deleted)

        message = (
            f"{row.occurred_on.isoformat()}  {row.description}\n"
            f"{money(row.amount)} in {row.category_name}"
        )
        self.app.push_screen(
            ConfirmScreen("Delete this expense?", message, confirm="Delete", cancel="Keep"),
            answered,
        )

    def action_move(self) -> None:
        from budget_tui.tui.widgets.category_picker import CategoryPicker

        row = self.current
        if row is None:
            return
        others = [(cid, name) for cid, name in self._choices() if cid != row.category_id]
        if not others:
            self.notify("There is no other category to move it to.", severity="warning")
            return

        def picked(category_id: int | None) -> None:
            if not category_id:
                return
            from budget_tui.controller.expenses import move_expense

            runner.call(
                self,
                move_expense,
                row.id,
                category_id,
                version=row.version,
                done=lambda view: self._show_saved(view, "Moved"),
            )

        self.app.push_screen(CategoryPicker(f"Move {row.description!r} to…", others), picked)

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
            self._set_query(replace(self.query_state, text=text))
        self.table.focus()

    def action_category(self) -> None:
        from budget_tui.tui.widgets.category_picker import CategoryPicker

        if self.query_state is None:
            return

        def picked(category_id: int | None) -> None:
            if category_id is None or self.query_state is None:
                return
            self._set_query(replace(self.query_state, category_id=category_id or None))

        self.app.push_screen(
            CategoryPicker(
                "Show the expenses of…",
                self._choices(),
                offer_all=True,
                current=self.query_state.category_id,
            ),
            picked,
        )

    def action_clear_filters(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self.table.focus()
        q = self.query_state
        if q is not None and (q.text or q.category_id is not None):
            self._set_query(replace(q, text=None, category_id=None), self.current)

    def action_sort(self) -> None:
        if self.query_state is not None:
            q = self.query_state
            self._set_query(replace(q, sort=(q.sort + 1) % len(SORTS)), self.current)

    def _go_to(self, period: Period) -> None:
        if self.query_state is not None:
            self._set_query(replace(self.query_state, period=period))

    def shown_month(self) -> Period | None:
        return None if self.query_state is None else self.query_state.period

    def action_reload(self) -> None:
        if self.query_state is not None:
            self.reload(self.current)
