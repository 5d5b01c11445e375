"""The keys floor: a bare Textual app doing the visible work of budget-tui's keys, and nothing else.

Three modes like the app's: a list (header, a 100-row DataTable, a footer); Categories (a 12-row
table); and Reports as Reports shows a period: a summary line over four panels, the spend by
category (12 rows), a chart of the months (12 lines of bars), the budgets (12 rows) and the largest
expenses (10 rows). The keys the benchmark presses do what the app's keys do to the screen:

- ``]`` / ``[`` refill the list with the next or previous month's 40 rows;
- ``1`` ``2`` ``3`` switch modes (the table of the screen switched to is refilled, as the app
  reloads a screen it shows again);
- ``p`` on Reports refills its summary and its four panels (a new report period);
- ``/`` opens a search field under the list; Enter refills the list with matching rows;
- PageDown moves the list's cursor (near the end, the next 100 rows are appended, as the app
  fetches its next page).

No database, no worker: every figure measured on it is what Textual itself costs for that visible
work, so budget-tui's key timings are given as ratios to it (``probe.py floor-keys``).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

DESCRIPTIONS = ["Supermarket", "Flat white", "Bus ticket", "Pizza", "Clothes", "Rent", "Fuel"]
CATEGORIES = ["Groceries", "Dining", "Transport", "Shopping", "Housing", "Car"]
LIST_ROWS = 100  # what the app loads for a month: its first page
PANEL_ROWS = 12


def _rows(month: int, count: int, text: str = "") -> list[tuple[str, str, str, str]]:
    first = dt.date(2026, 1, 1) + dt.timedelta(days=31 * month)
    rows = []
    for i in range(count * 2):
        description = DESCRIPTIONS[(i + month) % len(DESCRIPTIONS)]
        if text and text not in description.lower():
            continue
        rows.append(
            (
                (first + dt.timedelta(days=i % 28)).isoformat(),
                description,
                CATEGORIES[i % len(CATEGORIES)],
                f"{12 + i * 1.37 + month:,.2f}",
            )
        )
        if len(rows) == count:
            break
    return rows


def _fill(table: DataTable, rows: list[tuple[str, ...]]) -> None:
    table.clear()
    table.add_rows(rows)


class ListScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "step(1)", "Next month"),
        Binding("left_square_bracket", "step(-1)", "Previous month"),
        Binding("slash", "search", "Search"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="list")
        yield Input(id="search")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Description", "Category", "Amount")
        self.query_one(Input).display = False
        self.refill()

    def refill(self, text: str = "") -> None:
        month = self.app.month  # type: ignore[attr-defined]
        _fill(self.query_one(DataTable), _rows(month, LIST_ROWS, text))  # type: ignore[arg-type]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Near the end, the next page is appended, as the app's list fetches its next page.
        table = event.data_table
        if table.row_count - event.cursor_row < 15:
            table.add_rows(_rows(self.app.month + table.row_count, LIST_ROWS))  # type: ignore[attr-defined]

    def action_step(self, delta: int) -> None:
        self.app.month += delta  # type: ignore[attr-defined]
        self.refill()

    def action_search(self) -> None:
        field = self.query_one(Input)
        field.display = True
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.refill(event.value.lower())
        event.input.display = False
        self.query_one(DataTable).focus()


class PanelScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("p", "period", "Period")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Category", "Budget", "Spent", "Left")
        self.period = 0

    def on_screen_resume(self) -> None:
        self.refill()

    def refill(self) -> None:
        rows = [
            (c, f"{400 + i * 50:,.2f}", f"{130 + i * 17 + self.period:,.2f}", "")
            for i, c in enumerate((CATEGORIES * 2)[:PANEL_ROWS])
        ]
        _fill(self.query_one(DataTable), rows)  # type: ignore[arg-type]

    def action_period(self) -> None:
        self.period += 1
        self.refill()


class ReportsScreen(Screen[None]):
    """A summary line and four panels, in a grid of two by two, as the Reports screen lays them
    out at 120 columns."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("p", "period", "Period")]
    DEFAULT_CSS = """
    ReportsScreen Grid { grid-size: 2 2; }
    ReportsScreen Grid > * { border: round $border-blurred; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        with Grid():
            yield DataTable(cursor_type="row", id="by-category")
            yield Static(id="chart")
            yield DataTable(cursor_type="row", id="budget")
            yield DataTable(cursor_type="row", id="largest")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#by-category", DataTable).add_columns("Category", "Spent", "Share")
        self.query_one("#budget", DataTable).add_columns("Category", "Budget", "Spent", "Left")
        self.query_one("#largest", DataTable).add_columns("Date", "Description", "Amount")
        self.period = 0

    def on_screen_resume(self) -> None:
        self.refill()

    def refill(self) -> None:
        p = self.period
        names = (CATEGORIES * 2)[:PANEL_ROWS]
        self.query_one("#summary", Static).update(
            f"2026 (so far)  {41_234.5 + p:,.2f} spent · {3_120 + p:,} expenses · 120.10 a day"
        )
        _fill(
            self.query_one("#by-category", DataTable),
            [(c, f"{1300 + i * 170 + p:,.2f}", f"{12 - i}%") for i, c in enumerate(names)],
        )
        self.query_one("#chart", Static).update(
            "\n".join(
                f"{m:>3} {'█' * (8 + (m * 7 + p) % 30):<40} {2100 + m * 37 + p:,.2f}"
                for m in range(1, 13)
            )
        )
        _fill(
            self.query_one("#budget", DataTable),
            [
                (c, f"{400 + i * 50:,.2f}", f"{130 + i * 17 + p:,.2f}", f"{270 + i * 33:,.2f}")
                for i, c in enumerate(names)
            ],
        )
        _fill(
            self.query_one("#largest", DataTable),
            [
                (f"2026-0{1 + i % 9}-1{i}", DESCRIPTIONS[i % 7], f"{900 - i * 40 + p:,.2f}")
                for i in range(10)
            ],
        )

    def action_period(self) -> None:
        self.period += 1
        self.refill()


class FloorKeys(App[None]):
    MODES: ClassVar = {"expenses": ListScreen, "categories": PanelScreen, "reports": ReportsScreen}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('expenses')", "Expenses"),
        Binding("2", "switch_mode('categories')", "Categories"),
        Binding("3", "switch_mode('reports')", "Reports"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month = 2

    def on_mount(self) -> None:
        self.switch_mode("expenses")


if __name__ == "__main__":
    FloorKeys().run()
