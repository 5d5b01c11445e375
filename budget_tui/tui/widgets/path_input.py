"""The import screen's path field: a file path completed from what is on disk as it is typed,
Tab taking the completion shown."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import Input


class PathSuggester(Suggester):
    """Completes a file path from what is on disk (the first match, in name order)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, _, start = expanded.rpartition(os.sep)
        base = Path(folder or ".") if folder or not expanded.startswith(os.sep) else Path(os.sep)
        try:
            names = sorted(p.name for p in base.iterdir() if p.name.startswith(start))
        except OSError:
            return None
        if not names or (start == names[0] and not (base / names[0]).is_dir()):
            return None
        tail = names[0][len(start) :]
        if (base / names[0]).is_dir():
            tail += os.sep
        return value + tail if tail else None


class PathInput(Input):
    """The path field: Tab takes the completion shown (as → does), else moves on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "complete",
            "Complete",
            id="complete",
            tooltip="Take the completion shown",
            show=False,
        ),
    ]

    def action_complete(self) -> None:
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
