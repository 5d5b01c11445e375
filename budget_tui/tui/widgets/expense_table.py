"""The expense list's table: a window of at most ``MAX_WINDOW`` rows of a keyset-paged list.

It holds the rows it shows and the keyset cursors that continue them above (``prev``) and below
(``next``). As the cursor nears either end it fetches the next page (``expense_list.list_expenses``,
one call) in a thread worker and adds it, dropping rows from the far end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from budget_tui.controller.views import Cursor, ExpenseFilter, ExpensePage, ExpenseView
from budget_tui.tui import runner
from budget_tui.tui.format import amount_width, money

if TYPE_CHECKING:
    from textual.worker import Worker

    from budget_tui.controller.expense_list import Sort
    from budget_tui.errors import BudgetError

MAX_WINDOW = 300
PAGE = 100
MARGIN = 15  # rows from either end of the window at which the next page is fetched


@dataclass(frozen=True)
class Source:
    """What the window is a window of: the filter and the order."""

    filter: ExpenseFilter
    key: Sort
    descending: bool


def cursor_of(item: ExpenseView, key: Sort) -> Cursor:
    """The keyset cursor of ``item`` in a list sorted by ``key``."""
    return Cursor(item.occurred_on if key == "date" else item.amount, item.id)


class ExpenseTable(runner.DatabaseWork, DataTable[object]):
    """Date, description, category and amount of each row in the window; the description takes
    whatever width the others leave.

    Keys move through the whole list, not only the window: Home and End fetch its first and
    last page, and a move past the window's edge (PageDown held down while a page is still on
    its way) is owed and made when the page arrives, so no press is lost.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "home,ctrl+home", "first", "First", id="first", tooltip="The first row", show=False
        ),
        Binding("end,ctrl+end", "last", "Last", id="last", tooltip="The last row", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.window: list[ExpenseView] = []
        self.prev: Cursor | None = None
        self.next: Cursor | None = None
        self.source: Source | None = None
        self.generation = 0  # bumped by every new window; late pages of an older one are dropped
        self.paging = False
        self.owed = 0  # rows still to move past the window's edge, once the next page is in
        self._width = 0

    @dataclass
    class PageLoaded(Message):
        """A page above (``below=False``) or below the window came back."""

        generation: int
        below: bool
        page: ExpensePage

    @property
    def current(self) -> ExpenseView | None:
        index = self.cursor_row
        if self.window and 0 <= index < len(self.window):
            return self.window[index]
        return None

    def forget_pages(self) -> None:
        """A new window is coming: drop the pages still on their way for this one."""
        self.generation += 1
        self.paging = False
        self.owed = 0

    def show(self, source: Source, page: ExpensePage, *, select_id: int | None = None) -> None:
        """Show a new window (a reload), with the row ``select_id`` (else the first) selected."""
        self.forget_pages()
        self.source = source
        self.window = list(page.items)
        self.prev, self.next = page.prev_cursor, page.next_cursor
        index = next((i for i, row in enumerate(self.window) if row.id == select_id), 0)
        self._draw(index, keep_scroll=False)

    # -- moving through the whole list ---------------------------------------------------------

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - self.header_height)

    def move_by(self, rows: int) -> None:
        """Move the cursor ``rows`` down (up if negative) through the list; the part beyond the
        window is owed until its page arrives."""
        if not self.window:
            return
        last = len(self.window) - 1
        target = self.cursor_row + rows
        if target > last and self.next is not None:
            self.owed = max(0, self.owed) + target - last
        elif target < 0 and self.prev is not None:
            self.owed = min(0, self.owed) + target
        else:
            self.owed = 0
        self.move_cursor(row=max(0, min(last, target)))
        self._fetch_near_edge()

    def action_page_down(self) -> None:
        self.move_by(self._page_rows())

    def action_page_up(self) -> None:
        self.move_by(-self._page_rows())

    def action_cursor_down(self) -> None:
        self.move_by(1)

    def action_cursor_up(self) -> None:
        self.move_by(-1)

    def action_first(self) -> None:
        if self.prev is None or self.source is None:
            self.owed = 0
            self.move_cursor(row=0)
        else:
            self.forget_pages()
            self.fetch_end(self.source, self.generation, last=False)

    def action_last(self) -> None:
        if self.next is None or self.source is None:
            self.owed = 0
            self.move_cursor(row=max(0, len(self.window) - 1))
        else:
            self.forget_pages()
            self.fetch_end(self.source, self.generation, last=True)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def fetch_end(self, source: Source, generation: int, *, last: bool) -> None:
        """The first page of the list, or its last (the first of the reverse order, turned)."""
        from budget_tui.controller.expense_list import list_expenses

        descending = source.descending != last
        page = runner.call(
            self.app,
            list_expenses,
            source.filter,
            sort=source.key,
            descending=descending,
            limit=PAGE,
        )
        if last:
            items = tuple(reversed(page.items))
            more = page.next_cursor is not None
            page = ExpensePage(items, None, cursor_of(items[0], source.key) if more else None)
        runner.deliver(self, self.EndLoaded(generation, last, page))

    @dataclass
    class EndLoaded(Message):
        """The first (``last=False``) or last page of the list came back."""

        generation: int
        last: bool
        page: ExpensePage

    @on(EndLoaded)
    def _end_loaded(self, message: EndLoaded) -> None:
        if message.generation != self.generation or self.source is None or not message.page.items:
            return
        self.window = list(message.page.items)
        self.prev, self.next = message.page.prev_cursor, message.page.next_cursor
        self._draw(len(self.window) - 1 if message.last else 0, keep_scroll=False)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row == self.cursor_row:  # else a stale event from a rebuild
            self._fetch_near_edge()

    def _fetch_near_edge(self) -> None:
        if self.paging or self.source is None:
            return
        index = self.cursor_row
        if self.next is not None and index >= len(self.window) - MARGIN:
            self.paging = True
            self.fetch_page(self.source, self.generation, after=self.next)
        elif self.prev is not None and index < MARGIN:
            self.paging = True
            self.fetch_page(self.source, self.generation, before=self.prev)

    @work(thread=True, group="page", exit_on_error=False)
    def fetch_page(
        self,
        source: Source,
        generation: int,
        *,
        after: Cursor | None = None,
        before: Cursor | None = None,
    ) -> None:
        from budget_tui.controller.expense_list import list_expenses

        page = runner.call(
            self.app,
            list_expenses,
            source.filter,
            sort=source.key,
            descending=source.descending,
            after=after,
            before=before,
            limit=PAGE,
        )
        runner.deliver(self, self.PageLoaded(generation, after is not None, page))

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self.generation or self.source is None:
            return
        self.paging = False
        if message.below:
            self.append(message.page, self.source.key)
        else:
            self.prepend(message.page, self.source.key)
        # Moves made past the edge while the page was coming are made now; keys held down may
        # also have moved the cursor near the new edge.
        owed, self.owed = self.owed, 0
        if (owed > 0) == message.below and owed:
            self.move_by(owed)
        else:
            self._fetch_near_edge()

    def worker_failed(self, worker: Worker[Any], error: BudgetError) -> bool:
        self.paging = False
        return False

    def append(self, page: ExpensePage, key: Sort) -> None:
        """Add the page below the window; rows beyond ``MAX_WINDOW`` go from the top."""
        index, scroll_y = self.cursor_row, self.scroll_y
        self.window.extend(page.items)
        self.next = page.next_cursor
        drop = max(0, len(self.window) - MAX_WINDOW)
        if drop:
            del self.window[:drop]
            self.prev = cursor_of(self.window[0], key)
        self._draw(index - drop, keep_scroll=True, scroll_y=scroll_y - drop)

    def prepend(self, page: ExpensePage, key: Sort) -> None:
        """Add the page above the window; rows beyond ``MAX_WINDOW`` go from the bottom."""
        index, scroll_y = self.cursor_row, self.scroll_y
        added = len(page.items)
        self.window[:0] = page.items
        self.prev = page.prev_cursor
        drop = max(0, len(self.window) - MAX_WINDOW)
        if drop:
            del self.window[-drop:]
            self.next = cursor_of(self.window[-1], key)
        self._draw(index + added, keep_scroll=True, scroll_y=scroll_y + added)

    def _draw(self, index: int, *, keep_scroll: bool, scroll_y: float | None = None) -> None:
        width = max(40, self.size.width or self.screen.size.width)
        self._width = width
        # The amount column is as wide as the widest amount in the window (never cut); the
        # description takes what date 10, category 16, cell padding 8 and scrollbar 2 leave.
        amount_w = amount_width("Amount", (row.amount for row in self.window))
        description_width = max(10, width - 10 - 16 - amount_w - 8 - 2)
        self.clear(columns=True)
        self.add_column("Date", width=10, key="date")
        self.add_column("Description", width=description_width, key="description")
        self.add_column("Category", width=16, key="category")
        self.add_column(Text("Amount", justify="right"), width=amount_w, key="amount")
        # A refund (a negative amount) shows its minus sign in the success colour.
        refund_style = self.app.theme_variables.get("text-success", "")
        for row in self.window:
            self.add_row(
                Text(row.occurred_on.isoformat()),  # a Text is not read for markup, as a str is
                Text(row.description, no_wrap=True, overflow="ellipsis"),
                Text(row.category_name, no_wrap=True, overflow="ellipsis"),
                Text(
                    money(row.amount),
                    justify="right",
                    style=refund_style if row.amount < 0 else "",
                ),
                key=str(row.id),
            )
        if self.window:
            self.move_cursor(row=min(index, len(self.window) - 1), scroll=not keep_scroll)
            if keep_scroll and scroll_y is not None:
                self.scroll_to(y=max(0, scroll_y), animate=False, immediate=True)

    def on_resize(self) -> None:
        if self.window and self.size.width != self._width:
            self._draw(self.cursor_row, keep_scroll=True, scroll_y=self.scroll_y)
