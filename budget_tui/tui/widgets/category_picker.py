"""Pick a category by typing a few letters: a filter box over the list, Enter takes the highlight."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from budget_tui.tui.widgets.app_footer import AppFooter

ALL_CATEGORIES = 0  # the answer for "All categories" (ids start at 1)


class CategoryPicker(ModalScreen[int | None]):
    """Answers a category id, :data:`ALL_CATEGORIES` (if offered) or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close without choosing"),
        Binding("enter", "pick", "Choose", id="pick", tooltip="Take the highlighted category"),
        Binding("down", "move(1)", "Down", id="down", tooltip="Next category", show=False),
        Binding("up", "move(-1)", "Up", id="up", tooltip="Previous category", show=False),
    ]

    def __init__(
        self,
        title: str,
        categories: Sequence[tuple[int, str]],
        *,
        offer_all: bool = False,
        current: int | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(categories)
        self.offer_all = offer_all
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Input(placeholder="Type a few letters…", id="picker-filter")
            yield OptionList(id="picker-options")
        yield AppFooter()

    def on_mount(self) -> None:
        self._fill("")
        options = self.query_one(OptionList)
        if self.current is not None:
            for index in range(options.option_count):
                if options.get_option_at_index(index).id == str(self.current):
                    options.highlighted = index
                    break
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.strip().casefold()
        options = self.query_one(OptionList)
        options.clear_options()
        entries: list[Option] = []
        if self.offer_all and not needle:
            entries.append(Option("All categories", id=str(ALL_CATEGORIES)))
        starts = [c for c in self.choices if c[1].casefold().startswith(needle)]
        inside = [c for c in self.choices if needle in c[1].casefold() and c not in starts]
        # Option text is Content, so a name like "[bold]" shows as typed.
        entries += [Option(Content(name), id=str(cid)) for cid, name in starts + inside]
        options.add_options(entries)
        if entries:
            options.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self) -> None:
        self.action_pick()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_pick(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.notify("No category matches what you typed.", severity="warning")
            return
        option = options.get_option_at_index(options.highlighted)
        self.dismiss(int(option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
