"""A screen that is one list: the header's tab, a table of rows (one row selected), a line shown
instead of the table while the list is empty, a status line and the footer."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from budget_tui.tui import runner
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.app_header import AppHeader

RowT = TypeVar("RowT")


class RowListScreen(runner.DatabaseWork, Screen[None], Generic[RowT]):
    """``LIST`` names the screen's tab and its widgets (``#LIST``, ``#LIST-empty``,
    ``#LIST-status``); ``COLUMNS`` are the table's (label, key) pairs; ``rows`` are what the
    table shows, in its order."""

    LIST: ClassVar[str]
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RowT] = []

    def compose(self) -> ComposeResult:
        yield AppHeader(self.LIST)
        yield DataTable(id=self.LIST, cursor_type="row", zebra_stripes=True)
        yield Static("Loading…", id=f"{self.LIST}-empty")
        yield Static("", id=f"{self.LIST}-status")
        # The palette (ctrl+p) is listed by F1; its footer label would push F1 off 80 columns.
        yield AppFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.table
        table.display = False
        for label, key in self.COLUMNS:
            table.add_column(label, key=key)

    @property
    def table(self) -> DataTable:
        return self.query_one(f"#{self.LIST}", DataTable)

    @property
    def current(self) -> RowT | None:
        """The selected row, or None while the list is empty."""
        index = self.table.cursor_row
        if self.rows and 0 <= index < len(self.rows):
            return self.rows[index]
        return None
