"""History: every change to the book, newest first, with who made it; any of them can be undone.

A load is one controller call (``history.history_page``): the changes (filtered by source) and
the sources there are to filter by. ``f`` cycles the filter (all, then each source: tui, cli,
import, mcp:<client>...), so "what did the assistant change?" is a key or two away; ``u`` on a
row undoes that change (the app's ``u`` elsewhere undoes the last one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from budget_tui.tui import runner
from budget_tui.tui.screens._list import RowListScreen

if TYPE_CHECKING:
    from budget_tui.controller.views import ChangeView, HistoryPage

LIMIT = 200


def when(change: ChangeView) -> str:
    """The change's time in the local time zone, to the minute."""
    return change.at.astimezone().strftime("%Y-%m-%d %H:%M")


class HistoryScreen(RowListScreen["ChangeView"]):
    """The change log. Reloads whenever it is shown again and when the book changes."""

    TITLE = "History"
    AUTO_FOCUS = "#history"
    LIST = "history"
    COLUMNS = (
        ("#", "id"),
        ("When", "when"),
        ("Source", "source"),
        ("Change", "summary"),
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "u", "undo_selected", "Undo", id="undo-selected", tooltip="Undo the selected change"
        ),
        Binding(
            "f",
            "next_source",
            "Source",
            id="source",
            tooltip="Show one source's changes: all, tui, cli, import, each MCP client",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="reload",
            tooltip="Read the history again",
            show=False,
        ),
    ]

    @dataclass
    class Loaded(Message):
        """The changes for ``source`` came back; ``select_id`` is the one to select."""

        source: str | None
        page: HistoryPage
        select_id: int | None

    def __init__(self) -> None:
        super().__init__()
        self.source: str | None = None
        self.sources: tuple[str, ...] = ()
        self._width = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo_selected":
            change = self.current
            # Dimmed on an undo or redo record, and on a change already undone.
            if change is None or change.undone or change.reverts is not None:
                return None
        return True

    # -- loading -------------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        if self.shown_again():
            return
        self.action_reload()
        self.table.focus()

    def action_reload(self) -> None:
        current = self.current
        self.load(self.source, current.id if current else None)

    # Changes made elsewhere (the app hears of them) or undone: read again, the cursor kept.
    book_changed = action_reload

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, source: str | None, select_id: int | None) -> None:
        from budget_tui.controller.history import history_page

        page = runner.call(self.app, history_page, source=source, limit=LIMIT)
        runner.deliver(self, self.Loaded(source, page, select_id))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.source != self.source:
            return  # the filter changed while this was loading; a newer load is on its way
        self.rows = list(message.page.changes)
        self.sources = message.page.sources
        table, empty = self.table, self.query_one("#history-empty", Static)
        self._fill()
        table.display = bool(self.rows)
        empty.display = not self.rows
        if not self.rows:
            empty.update(
                "No changes yet." if self.source is None else f"No changes by {self.source}."
            )
        index = next((i for i, c in enumerate(self.rows) if c.id == message.select_id), 0)
        if self.rows:
            table.move_cursor(row=index, animate=False)
        shown = "every source" if self.source is None else self.source
        self.query_one("#history-status", Static).update(
            f"{len(self.rows)} change{'s' if len(self.rows) != 1 else ''}, newest first · "
            f"{shown} · f: source · u: undo the selected change · U: redo"
        )
        self.refresh_bindings()

    def _fill(self) -> None:
        """The rows, the summary taking the width the other columns leave and cut with "…"
        past it (a long one ran off the screen's edge, cut mid-word)."""
        table = self.table
        keep = table.cursor_row
        self._width = width = self.size.width  # the table spans the screen
        id_w = max([1, *(len(str(c.id)) for c in self.rows)])
        source_w = max([6, *(len(c.source) for c in self.rows)])
        # Two cells of padding a column, and a cell for the scrollbar when the rows outgrow it.
        summary_w = max(20, width - id_w - 16 - source_w - 2 * 4 - 1)
        table.clear(columns=True)
        for (label, key), column_w in zip(
            self.COLUMNS, (id_w, 16, source_w, summary_w), strict=True
        ):
            table.add_column(label, key=key, width=column_w)
        undone = " (undone)"
        for change in self.rows:
            summary = Text(change.summary, no_wrap=True, overflow="ellipsis")
            if change.undone:
                # The summary is cut, not the mark: it says what the row is.
                summary.truncate(summary_w - len(undone), overflow="ellipsis")
                summary = Text.assemble(summary, (undone, "italic"), no_wrap=True)
                summary.stylize("dim")
            table.add_row(str(change.id), when(change), change.source, summary, key=str(change.id))
        if 0 < keep < len(self.rows):
            table.move_cursor(row=keep, animate=False)

    def on_resize(self) -> None:
        if self.rows and self.size.width != self._width:
            self._fill()

    @on(DataTable.RowHighlighted, "#history")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    # -- actions -------------------------------------------------------------------------------

    def action_next_source(self) -> None:
        choices: list[str | None] = [None, *self.sources]
        following = (
            choices[(choices.index(self.source) + 1) % len(choices)]
            if (self.source in choices)
            else None
        )
        self.source = following
        self.load(following, None)

    def action_undo_selected(self) -> None:
        change = self.current
        if change is not None:
            self.app.undo_change(change.id, redo=False)  # type: ignore[attr-defined]
