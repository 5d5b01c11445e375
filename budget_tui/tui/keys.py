"""The app's own keys, on every screen: the screens (1-6, F2-F7), undo and redo, help, quit.

The header's tabs are made from the digit keys here (see widgets/app_header.py), and the command
palette and F1 list them with their tooltips.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_BINDINGS: list[BindingType] = [
    Binding("q", "quit", "Quit", id="quit", tooltip="Quit budget-tui"),
    Binding("f1", "help", "Keys", id="help", tooltip="Show every key for this screen"),
    Binding(
        "1",
        "show('expenses')",
        "Expenses",
        id="expenses",
        tooltip="The month's expenses",
        show=False,  # the tabs in the header show these keys
    ),
    Binding(
        "2",
        "show('categories')",
        "Categories",
        id="categories",
        tooltip="Categories, their budgets and what is left",
        show=False,  # the tabs in the header show these keys
    ),
    Binding(
        "3",
        "show('reports')",
        "Reports",
        id="reports",
        tooltip="Spend by category and by month, budget against actual",
        show=False,  # the tabs in the header show these keys
    ),
    Binding(
        "4",
        "show('history')",
        "History",
        id="history",
        tooltip="Every change, newest first, with who made it; undo any of them",
        show=False,
    ),
    Binding(
        "5",
        "show('schedules')",
        "Schedules",
        id="schedules",
        tooltip="Recurring entries (rent, subscriptions, salary) and what falls due next",
        show=False,
    ),
    Binding(
        "6",
        "show('inbox')",
        "Inbox",
        id="inbox",
        tooltip="Changes an assistant proposed, waiting for your OK",
        show=False,
    ),
    Binding(
        "u",
        "undo",
        "Undo",
        id="undo",
        tooltip="Undo the last change made in budget-tui (History undoes any change)",
        show=False,
    ),
    Binding("U", "redo", "Redo", id="redo", tooltip="Redo the change last undone", show=False),
    Binding(
        "ctrl+y",
        "redo",
        "Redo",
        id="redo-ctrl",
        tooltip="Redo the change last undone",
        show=False,
    ),
    Binding(
        "f2",
        "show('expenses')",
        "Expenses",
        id="expenses-f",
        tooltip="The month's expenses",
        show=False,
    ),
    Binding(
        "f3",
        "show('categories')",
        "Categories",
        id="categories-f",
        tooltip="Categories, their budgets and what is left",
        show=False,
    ),
    Binding(
        "f4",
        "show('reports')",
        "Reports",
        id="reports-f",
        tooltip="Spend by category and by month",
        show=False,
    ),
    Binding(
        "f5",
        "show('history')",
        "History",
        id="history-f",
        tooltip="Every change, newest first",
        show=False,
    ),
    Binding(
        "f6",
        "show('schedules')",
        "Schedules",
        id="schedules-f",
        tooltip="Recurring entries and what falls due next",
        show=False,
    ),
    Binding(
        "f7",
        "show('inbox')",
        "Inbox",
        id="inbox-f",
        tooltip="Changes an assistant proposed",
        show=False,
    ),
]
