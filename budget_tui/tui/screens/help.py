"""F1: every key of the screen it was opened from, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="close", tooltip="Close the key list"),
        Binding("f1", "dismiss", "Close", id="close-f1", tooltip="Close the key list", show=False),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    @classmethod
    def for_screen(cls, screen: Screen) -> HelpScreen:
        """The keys active on ``screen`` (its own, its focused widget's and the app's)."""
        keys: dict[tuple[int, str], list[str]] = {}
        what: dict[tuple[int, str], str] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            # Only the app's own keys (they all have an id), not every widget's cursor keys;
            # two keys for one action (home and ctrl+home, 1 and F2) are one line.
            if not binding.id or not binding.description:
                continue
            place = (id(active.node), binding.action)
            shown = screen.app.get_key_display(binding)
            if shown not in keys.setdefault(place, []):
                keys[place].append(shown)
            what.setdefault(place, binding.tooltip or binding.description)
        rows = [(" ".join(keys[place]), what[place]) for place in keys]
        rows.append(("ctrl+p", "Command palette: every action by name"))
        name = screen.title or type(screen).__name__.removesuffix("Screen")
        return cls(f"Keys: {name}", rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield DataTable(
                id="help-keys", cursor_type="none", show_header=False, zebra_stripes=True
            )
            yield Static("Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "What it does")
        for key, what in self.rows:
            table.add_row(Text(key), Text(what))
        table.focus()
