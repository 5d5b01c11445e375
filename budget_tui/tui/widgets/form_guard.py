"""What every form does alike: all field errors at once, an error shown next to its field (and
cleared as soon as the field is edited), Enter in any field saves, and Esc asks before dropping
typed text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding, BindingType

from budget_tui.tui import runner
from budget_tui.tui.widgets.field import Field

if TYPE_CHECKING:
    from textual.screen import ModalScreen
    from textual.widgets import Input

    _Base = ModalScreen[Any]
else:
    _Base = object

# Tab and Shift+Tab move between a form's fields before the next key is handed on. Textual hands
# each key to the widget focused when the key arrives, so in keys that come in one burst (pasted,
# or typed ahead over a slow link) the text after a Tab went into the field before it. As
# priority bindings, the app acts on them first, as it reads them.
FIELD_KEYS: list[BindingType] = [
    Binding(
        "tab",
        "app.focus_next",
        "Next field",
        id="next-field",
        tooltip="Move to the next field",
        show=False,
        priority=True,
    ),
    Binding(
        "shift+tab",
        "app.focus_previous",
        "Previous field",
        id="previous-field",
        tooltip="Move to the previous field",
        show=False,
        priority=True,
    ),
]


class FormGuard(_Base):
    """Mixed into a form (a ModalScreen holding :class:`Field` widgets)."""

    _opened_with: dict[str, str]
    saving: bool

    def form_opened(self) -> None:
        """Call from ``on_mount``: remembers what the fields hold, so Esc knows whether anything
        was typed, and clears toasts left from the screen below (they would cover the form)."""
        self._opened_with = self._values()
        self.app.clear_notifications()

    def field(self, key: str) -> Field:
        return self.query_one(f"#field-{key}", Field)

    def show_field_error(self, field: str, message: str) -> bool:
        """Show an InvalidInput next to its field, the cursor in it; False for a field this form
        doesn't have (the caller shows the error another way)."""
        self.saving = False
        for found in self.query(Field):
            if found.key == field:
                found.show_error(message)
                found.input.focus()
                return True
        return False

    # Named handlers (not @on): this mixin is not a Textual class, and Textual finds handlers
    # by name on every class of the form's MRO.
    def on_input_changed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removesuffix("-input")
        for found in self.query(Field):
            if found.key == key:
                found.clear_error()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        raise NotImplementedError

    def _values(self) -> dict[str, str]:
        return {f.key: f.value for f in self.query(Field)}

    @property
    def edited(self) -> bool:
        return self._values() != getattr(self, "_opened_with", {})

    def show_errors(self, order: Iterable[str], errors: Mapping[str, str]) -> bool:
        """Show each field's error (and clear the others'), the cursor on the first field in
        ``order`` with one. False when there is none."""
        first = None
        for field in self.query(Field):
            if field.key in errors:
                field.show_error(errors[field.key])
            else:
                field.clear_error()
        for key in order:
            if key in errors:
                first = key
                break
        if first is None:
            return False
        for field in self.query(Field):
            if field.key == first:
                field.input.focus()
        return True

    @work(group=runner.DIALOG)
    async def leave(self, question: str) -> None:
        """Close without saving; if something was typed, ask first."""
        from budget_tui.tui.screens.confirm import ConfirmScreen

        if self.edited:
            confirm = ConfirmScreen(
                question, "What you typed will be lost.", confirm="Discard", cancel="Keep editing"
            )
            if not await self.app.push_screen_wait(confirm):
                return
        self.dismiss(None)
