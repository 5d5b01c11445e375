"""The expense form's category field: typing lists the matching categories (fuzzy), the arrow keys
choose one, Enter takes it. A few letters that match several names are never taken silently."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from budget_tui.tui.widgets.field import Field

Choice = tuple[int, str]
_WORDS = re.compile(r"[\s&/,.+-]+")


def _subsequence(needle: str, text: str) -> bool:
    rest = iter(text)
    return all(ch in rest for ch in needle)


def _rank(needle: str, name: str) -> int | None:
    """How well ``needle`` (casefolded) matches ``name``: 0 exact, 1 prefix, 2 a word's prefix,
    3 inside, 4 its letters in order ("dno" for "Dining out"); None for no match."""
    key = name.casefold()
    if key == needle:
        return 0
    if key.startswith(needle):
        return 1
    if any(word.startswith(needle) for word in _WORDS.split(key)):
        return 2
    if needle in key:
        return 3
    if len(needle) > 1 and _subsequence(needle.replace(" ", ""), key):
        return 4
    return None


def match_categories(text: str, categories: Sequence[Choice]) -> list[Choice]:
    """The categories ``text`` matches, best first (then by name); all of them for no text."""
    needle = text.strip().casefold()
    if not needle:
        return list(categories)
    scored = []
    for cid, name in categories:
        rank = _rank(needle, name)
        if rank is not None:
            scored.append((rank, name.casefold(), cid, name))
    return [(cid, name) for _, _, cid, name in sorted(scored)]


def resolve_category(text: str, categories: Sequence[Choice]) -> Choice | str:
    """The category a few typed letters mean, or the error message to show.

    An exact name (any case) wins; then the one best match (a prefix before a word's prefix
    before letters inside). Letters that match several names equally well are refused with the
    names, never resolved to one of them silently.
    """
    typed = text.strip()
    if not categories:
        return "There are no categories yet: add one on the Categories screen (press 2, then a)."
    if not typed:
        return "Choose a category: type a few letters, or press ↓."
    matches = match_categories(typed, categories)
    if not matches:
        return f"No category matches {typed!r}; press ↓ for the list."
    needle = typed.casefold()
    best = [m for m in matches if _rank(needle, m[1]) == _rank(needle, matches[0][1])]
    if len(best) == 1:
        return best[0]
    shown = ", ".join(name for _, name in best[:3])
    more = f" and {len(best) - 3} more" if len(best) > 3 else ""
    return f"{typed!r} matches {shown}{more}: choose one with ↓ and Enter."


class CategoryChoice(Field):
    """A :class:`Field` for the category with a list of the names that match what is typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down",
            "move(1)",
            "Next",
            id="category.next",
            tooltip="Open the list of categories, or highlight the next one",
            show=False,
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous",
            id="category.previous",
            tooltip="Highlight the previous category",
            show=False,
        ),
    ]

    def __init__(self, categories: Sequence[Choice], *, value: str = "") -> None:
        super().__init__(
            "category", "Category", value=value, placeholder="type a few letters, or ↓ for the list"
        )
        self.categories = list(categories)
        self.chosen_by_keys = False  # the highlight was moved with the arrows: Enter takes it

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("", id="category-matches", classes="field-hint")
        yield OptionList(id="category-options")

    def on_mount(self) -> None:
        self.options.can_focus = False
        self.close_list()

    @property
    def options(self) -> OptionList:
        return self.query_one("#category-options", OptionList)

    def show_error(self, message: str) -> None:
        # The error says what the live note said ("No category matches ..."): one line, not two.
        self.query_one("#category-matches", Static).display = False
        super().show_error(message)

    @property
    def list_open(self) -> bool:
        return bool(self.options.display)

    def close_list(self) -> bool:
        """Hide the list; True if it was open."""
        was_open = self.list_open
        self.options.display = False
        self.query_one("#category-matches", Static).display = False
        self.chosen_by_keys = False
        return was_open

    def open_list(self, text: str) -> None:
        matches = match_categories(text, self.categories)
        options = self.options
        options.clear_options()
        options.add_options([Option(Content(name), id=str(cid)) for cid, name in matches])
        if matches:
            options.highlighted = 0
        options.display = bool(matches)
        note = self.query_one("#category-matches", Static)
        typed = text.strip()
        if not typed:
            words = "↓ ↑ choose, Enter takes it"
        elif not matches:
            words = f"No category matches {typed!r}."
        elif len(matches) == 1:
            words = f"Matches {matches[0][1]}."
        else:
            words = f"{typed!r} matches {len(matches)} categories: ↓ ↑ choose, Enter takes it."
        note.update(Content(words))
        note.display = True
        self.chosen_by_keys = False

    def take(self) -> bool:
        """Put the highlighted name in the field; False when nothing is highlighted."""
        options = self.options
        if not self.list_open or options.highlighted is None:
            return False
        name = str(options.get_option_at_index(options.highlighted).prompt)
        with self.input.prevent(Input.Changed):
            self.input.value = name
        self.input.cursor_position = len(name)
        self.clear_error()
        self.close_list()
        return True

    def action_move(self, step: int) -> None:
        if not self.list_open:
            self.open_list(self.value)
            return
        options = self.options
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))
            self.chosen_by_keys = True

    @on(Input.Changed, "#category-input")
    def _typed(self, event: Input.Changed) -> None:
        text = event.value.strip().casefold()
        if text and not any(name.casefold() == text for _, name in self.categories):
            self.open_list(event.value)
        else:
            self.close_list()

    @on(Input.Submitted, "#category-input")
    def _submitted(self, event: Input.Submitted) -> None:
        # Enter after choosing with the arrows takes the choice; the next Enter saves.
        if self.chosen_by_keys and self.take():
            event.stop()

    @on(Input.Blurred, "#category-input")
    def _left(self) -> None:
        if self.chosen_by_keys:
            self.take()
        self.close_list()

    @on(OptionList.OptionSelected, "#category-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.options.highlighted = event.option_index
        self.take()
