"""The keys of the Import screen (each with an id and a tooltip: the palette and F1 use them)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

IMPORT_BINDINGS: list[BindingType] = [
    Binding("escape", "close", "Close", id="close", tooltip="Close without importing"),
    Binding(
        "ctrl+s",
        "commit",
        "Import",
        id="commit",
        tooltip="Import the new rows: one change, undone whole with u",
    ),
    Binding("c", "choose", "Category", id="choose", tooltip="Choose the selected row's category"),
    Binding(
        "C",
        "choose_alike",
        "All alike",
        id="choose-alike",
        tooltip="Choose the category of every row with the selected row's description",
    ),
    Binding(
        "a",
        "accept",
        "Accept",
        id="accept",
        tooltip="Take the suggestion shown for the selected row",
        show=False,
    ),
    Binding(
        "m",
        "mapping",
        "Columns",
        id="mapping",
        tooltip="Which column is what (and save it as a profile)",
    ),
    Binding("f", "date_format", "Dates", id="dates", tooltip="Read the dates the other way"),
    Binding(
        "minus",
        "flip_sign",
        "Sign",
        id="sign",
        tooltip="Money out is written negative / positive in this file",
        show=False,
    ),
    Binding("r", "rules", "Rules", id="rules", tooltip="The import rules: add, delete"),
    Binding("s", "skip_bad", "Skip bad", id="skip-bad", tooltip="Import without the bad rows"),
    Binding(
        "n",
        "new_categories",
        "New categories",
        id="new-categories",
        tooltip="Create the categories the file names that the book lacks",
        show=False,
    ),
]
