"""The top line of every screen: the screens as tabs with their keys, and the open book.

At 80 columns the footer has no room left for the keys that switch screens, so they live here,
always in view: ``1 Expenses  2 Categories  3 Reports``, the one on show highlighted, each a
click target too. The Inbox's tab counts the proposals waiting for an answer: ``6 Inbox (2)``. The book (its redacted URL, and "working…" during a slow call) fills the rest,
cut from the left when it is long, so the file name stays in view.
"""

from __future__ import annotations

import re

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

_SHOW = re.compile(r"^show\('(\w+)'\)$")
# A glyph every browser font has (textual-serve): the default "⭘" shows as a box in some.
ICON = "≡"


def tabs(app: App[object]) -> list[tuple[str, str, str]]:
    """``(mode, key, label)`` of each screen, from the app's digit keys that show one: a new
    screen with its key has its tab without a list to keep."""
    found = []
    for binding in app.BINDINGS:
        if not isinstance(binding, Binding):
            continue
        match = _SHOW.match(binding.action)
        if match and binding.key.isdigit():
            found.append((match.group(1), binding.key, binding.description))
    return found


class BookName(Static):
    """The open book, cut from the left to fit."""

    def render(self) -> Content:
        text = str(self.app.sub_title)
        width = self.size.width
        if width and len(text) > width:
            text = "…" + text[-(width - 1) :]
        return Content(text)


class AppHeader(Horizontal):
    """``current`` is the mode whose tab is highlighted (None: no tabs, the book is not open)."""

    def __init__(self, current: str | None) -> None:
        super().__init__(id="app-header")
        self.current = current

    def compose(self) -> ComposeResult:
        yield Static(self._tabs(), id="header-tabs")
        yield BookName(id="header-book")

    def _tabs(self) -> Content:
        parts: list[Content] = [Content.styled(f" {ICON} ", "bold")]
        if self.current is None:
            parts.append(Content.styled("budget-tui ", "bold"))
        waiting = int(getattr(self.app, "inbox_count", 0) or 0)
        for mode, key, label in tabs(self.app) if self.current is not None else ():
            if mode == "inbox" and waiting:
                label = f"{label} ({waiting})"
            click = f"app.show('{mode}')"
            if mode == self.current:
                tab = Content.from_markup(f"[@click={click}] {key} {label} [/]").stylize(
                    "bold reverse"
                )
            else:
                tab = Content.from_markup(
                    f"[@click={click}] [b]{key}[/b] [$text-muted]{label}[/] [/]"
                )
            parts.append(tab)  # each tab has a space either side: six fit 80 columns
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.watch(self.app, "sub_title", self._book_changed)
        if hasattr(self.app, "inbox_count"):
            self.watch(self.app, "inbox_count", self._count_changed, init=False)

    def _count_changed(self, _value: int) -> None:
        self.query_one("#header-tabs", Static).update(self._tabs())

    def _book_changed(self, _value: str) -> None:
        self.query_one(BookName).refresh()
