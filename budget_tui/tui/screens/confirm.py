"""A yes/no question: ``ConfirmScreen`` answers True (confirmed) or False."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmScreen(ModalScreen[bool]):
    """``message`` is plain text (never markup), so names like "[bold]" show as typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes", tooltip="Confirm"),
        Binding("n", "answer(False)", "No", id="no", tooltip="Cancel"),
        Binding("escape", "answer(False)", "Cancel", id="cancel", tooltip="Cancel"),
        Binding(
            "left",
            "app.focus_previous",
            "Previous",
            id="left",
            tooltip="Previous button",
            show=False,
        ),
        Binding("right", "app.focus_next", "Next", id="right", tooltip="Next button", show=False),
    ]

    def __init__(
        self, title: str, message: str, *, confirm: str = "Yes", cancel: str = "No"
    ) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm_label = confirm
        self.cancel_label = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Static(Content(self.message), id="confirm-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="error", id="confirm-yes")
                yield Button(f"{self.cancel_label} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
