"""The Categories screen's table: each category's budget, what rollover carried in, the month's
spend, what is left and a bar of the budget used, laid out to the table's width."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from budget_tui.controller.views import CategoryView
from budget_tui.tui.format import amount_width, money
from budget_tui.tui.widgets.budget_bar import budget_bar


class CategoryTable(DataTable[object]):
    """One row a category: ``(income)`` follows an income category's name, ↻ one whose leftover
    rolls over. Each amount column is as wide as its widest amount; the name and the bar share
    the rest."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.drawn_width = 0  # the width the rows were laid out for

    def draw(self, rows: Sequence[CategoryView], index: int) -> None:
        """Lay the table out again for ``rows``, the row at ``index`` selected."""
        width = max(60, self.size.width or self.screen.size.width)
        self.drawn_width = width
        # Each amount column is as wide as its widest amount (never cut); with cell padding
        # 2 x 6 columns and the scrollbar 2, the rest is name and bar.
        amount_w = {
            "budget": amount_width("Budget", (c.monthly_budget for c in rows)),
            "carried": amount_width("Carried", (c.carried for c in rows if c.carried)),
            "spent": amount_width("Spent", (c.spent for c in rows)),
            "left": amount_width("Left", (c.available for c in rows)),
        }
        rest = width - sum(amount_w.values()) - 12 - 2
        # The bar's percent is always whole: it needs its width and a cell of bar.
        percent = max(
            (len(f"{max(c.used, 0) * 100:,.0f}%") for c in rows if c.used is not None),
            default=4,
        )
        bar_width = max(percent + 2, 8)
        name_width = max(12, min(30, rest - bar_width, rest // 2))
        bar_width = max(bar_width, min(40, rest - name_width))
        theme = self.app.theme_variables
        self.clear(columns=True)
        self.add_column("Category", width=name_width, key="name")
        for label, key in (
            ("Budget", "budget"),
            ("Carried", "carried"),
            ("Spent", "spent"),
            ("Left", "left"),
        ):
            self.add_column(Text(label, justify="right"), width=amount_w[key], key=key)
        self.add_column("Used", width=bar_width, key="bar")
        error = theme.get("text-error", "")
        for c in rows:
            left = c.available
            name = c.name + (" (income)" if c.is_income else " ↻" if c.rollover else "")
            self.add_row(
                Text(name, no_wrap=True, overflow="ellipsis"),
                Text(
                    money(c.monthly_budget) if c.monthly_budget is not None else "—",
                    justify="right",
                ),
                Text(
                    money(c.carried) if c.carried else "",
                    justify="right",
                    style=error if c.carried < 0 else "",
                ),
                Text(money(c.spent), justify="right"),
                Text(
                    money(left) if left is not None else "—",
                    justify="right",
                    style=error if left is not None and left < 0 else "",
                ),
                budget_bar(c.used, bar_width, theme),
                key=str(c.id),
            )
        if rows:
            self.move_cursor(row=min(index, len(rows) - 1))
