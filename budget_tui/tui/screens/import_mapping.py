"""Which column of a CSV statement is what: a dialog over the import screen (``m``). Each role
(date, description, a signed amount, or debit and credit columns, a type column, a category)
takes one of the header's columns or none; the sign of money out; and a profile name to save the
mapping under, so the next statement with this header is read the same way."""

from __future__ import annotations

import json
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.form_guard import FIELD_KEYS

ROLES = (
    ("date", "Date"),
    ("description", "Description"),
    ("amount", "Amount (signed)"),
    ("debit", "Money out"),
    ("credit", "Money in"),
    ("type", "Debit/credit type"),
    ("category", "Category"),
)


class MappingForm(ModalScreen[tuple[str, str | None] | None]):
    """Answers (the mapping as JSON, a profile name or None), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close, keeping the mapping"),
        *FIELD_KEYS,
    ]

    def __init__(self, header: tuple[str, ...], mapping_json: str, profile: str | None) -> None:
        super().__init__()
        self.header = header
        self.mapping = json.loads(mapping_json)
        self.profile = profile

    def compose(self) -> ComposeResult:
        columns = [(name, name) for name in self.header]
        with Vertical(id="mapping-form", classes="dialog"):
            yield Label(Content("Which column is what"), classes="dialog-title")
            with Grid(id="mapping-grid"):
                for role, label in ROLES:
                    yield Static(label)
                    value = self.mapping.get(role) or Select.NULL
                    yield Select(
                        columns, value=value, id=f"map-{role}", prompt="(none)", compact=True
                    )
                yield Static("Money out is")
                yield Select(
                    [("negative", "negative"), ("positive", "positive")],
                    value=self.mapping.get("money_out", "negative"),
                    allow_blank=False,
                    id="map-money-out",
                    compact=True,
                )
                yield Static("Save as profile")
                yield Input(
                    self.profile or "", placeholder="(optional) e.g. My bank", id="map-profile"
                )
            yield Static(
                "Enter in the name (or the button) uses it · Esc cancels", classes="dialog-hint"
            )
            yield Button("Use this mapping", variant="primary", id="map-use", compact=True)
        yield AppFooter()

    def _answer(self) -> None:
        mapping = dict(self.mapping)
        for role, _label in ROLES:
            value = self.query_one(f"#map-{role}", Select).value
            mapping[role] = None if value is Select.NULL else str(value)
        if mapping.get("amount"):
            mapping["debit"] = mapping["credit"] = None
        else:
            mapping["type"] = None
        mapping["money_out"] = str(self.query_one("#map-money-out", Select).value)
        mapping["date"] = mapping.get("date") or ""
        mapping["description"] = mapping.get("description") or ""
        missing = [n for n in ("date", "description") if not mapping[n]]
        if not (mapping.get("amount") or mapping.get("debit") or mapping.get("credit")):
            missing.append("amount")
        if missing:
            self.notify(f"Choose a column for: {', '.join(missing)}.", severity="warning")
            return
        profile = self.query_one("#map-profile", Input).value.strip() or None
        self.dismiss((json.dumps(mapping, sort_keys=True), profile))

    @on(Button.Pressed, "#map-use")
    def _use(self) -> None:
        self._answer()

    @on(Input.Submitted, "#map-profile")
    def _submitted(self) -> None:
        self._answer()

    def action_cancel(self) -> None:
        self.dismiss(None)
