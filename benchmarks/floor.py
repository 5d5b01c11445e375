"""The floor: a bare Textual app that shows a 50-row DataTable, nothing else.

Launching it costs what Python and Textual themselves cost; budget-tui's launch is measured
against it in the same run. Its rows look like the expense list (the benchmark detects painted rows
by the demo descriptions in them).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

DESCRIPTIONS = ["Supermarket", "Flat white", "Bus ticket", "Pizza", "Clothes"]


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Description", "Category", "Amount")
        for i in range(50):
            table.add_row(
                f"2026-03-{15 - i % 15:02d}",
                DESCRIPTIONS[i % len(DESCRIPTIONS)],
                "Groceries",
                f"{12 + i * 1.37:,.2f}",
            )


if __name__ == "__main__":
    Floor().run()
