"""The top line of every screen: the screens as tabs with their keys, and the open book.

At 80 columns the footer has no room left for the keys that switch screens, so they live here,
always in view: ``1 Expenses  2 Categories  3 Reports``, the one on show highlighted, each a
click target too. The Inbox's tab counts the proposals waiting for an answer: ``6 Inbox (2)``. The book (its redacted URL, and "working…" during a slow call) fills the rest:
its name alone when the whole does not fit, and nothing when not even that does.
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
    """The open book: where it is, or only its name when that doesn't fit, or nothing when not
    even the name does (at 80 columns the tabs leave a few cells: "….db" would say nothing).
    A slow call's "working…" outlasts the name."""

    def render(self) -> Content:
        return Content(fit_location(str(self.app.sub_title), self.size.width))


def fit_location(text: str, width: int) -> str:
    """``text`` (``location`` or ``location · working…``) as it fits in ``width`` cells."""
    if not width or len(text) <= width:
        return text
    location, _, state = text.partition(" · ")
    name = location.rstrip("/").rsplit("/", 1)[-1]
    shorter = [f"{name} · {state}", state] if state else [name]
    return next((s for s in shorter if len(s) <= width), "")


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
