"""A labelled input with its own error line: where an InvalidInput for that field is shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static


class Field(Vertical):
    """``key`` names the controller field (``InvalidInput.field``) whose errors appear here."""

    DEFAULT_CSS = """
    Field { height: auto; }
    Field > Horizontal { height: auto; }
    Field Label.field-label { width: 13; padding: 1 1 0 0; text-align: right; }
    Field Input { width: 1fr; }
    Field .field-error { color: $text-error; padding: 0 0 0 13; display: none; }
    Field .field-hint { color: $text-muted; padding: 0 0 0 13; }
    """

    def __init__(
        self,
        key: str,
        label: str,
        *,
        value: str = "",
        placeholder: str = "",
        suggester: Suggester | None = None,
        hint: str = "",
        max_length: int = 0,
    ) -> None:
        super().__init__(id=f"field-{key}")
        self.key = key
        self._label = label
        self._value = value
        self._placeholder = placeholder
        self._suggester = suggester
        self._hint = hint
        self._max_length = max_length

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self._label, classes="field-label")
            yield Input(
                self._value,
                placeholder=self._placeholder,
                suggester=self._suggester,
                id=f"{self.key}-input",
                max_length=self._max_length,
            )
        if self._hint:
            yield Static(Content(self._hint), classes="field-hint")
        yield Static("", classes="field-error", id=f"{self.key}-error")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    def show_error(self, message: str) -> None:
        error = self.query_one(".field-error", Static)
        error.update(Content(message))  # plain text: the message may quote what was typed
        error.display = True
        self.input.add_class("-invalid")

    def clear_error(self) -> None:
        error = self.query_one(".field-error", Static)
        error.update("")
        error.display = False
        self.input.remove_class("-invalid")
