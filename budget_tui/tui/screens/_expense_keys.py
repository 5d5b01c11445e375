"""The keys of the Expenses screen (each with an id and a tooltip: the palette and F1 use them)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from budget_tui.tui.screens._month import MONTH_BINDINGS

EXPENSE_BINDINGS: list[BindingType] = [
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
        "r",
        "repeat",
        "Repeat",
        id="repeat",
        tooltip="Make a schedule from the selected expense (rent, a subscription)",
        show=False,
    ),
    Binding(
        "slash",
        "search",
        "Search",
        id="search",
        tooltip="Find expenses by text, in every month",
    ),
    Binding(
        "i",
        "import_statement",
        "Import",
        id="import",
        tooltip="Import a bank statement, with a preview first",
        show=False,
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
