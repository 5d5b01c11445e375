"""The category form (a modal): add a category, rename one, or set its budget."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from budget_tui.errors import BudgetError
from budget_tui.tui import runner
from budget_tui.tui.widgets.field import Field

if TYPE_CHECKING:
    from budget_tui.controller.views import CategoryView


class CategoryForm(ModalScreen["CategoryView | None"]):
    """Add a category (name and budget), rename one, or set its budget.

    ``mode`` is ``"add"``, ``"rename"`` or ``"budget"``; answers the saved CategoryView or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", id="save", tooltip="Save the category"),
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="save-ctrl", tooltip="Save the category", show=False),
    ]

    TITLES: ClassVar[dict[str, str]] = {
        "add": "New category",
        "rename": "Rename category",
        "budget": "Monthly budget",
    }

    def __init__(self, mode: str, category: CategoryView | None = None) -> None:
        super().__init__()
        self.mode = mode
        self.category = category
        self.saving = False

    def compose(self) -> ComposeResult:
        c = self.category
        title = self.TITLES[self.mode]
        if c is not None:
            title = f"{title}: {c.name}"
        with Vertical(id="category-form", classes="dialog"):
            yield Label(Content(title), classes="dialog-title")
            if self.mode in ("add", "rename"):
                yield Field(
                    "name",
                    "Name",
                    value=c.name if c is not None else "",
                    placeholder="e.g. Groceries",
                    max_length=50,
                )
            if self.mode in ("add", "budget"):
                budget = getattr(c, "monthly_budget", None)
                yield Field(
                    "budget",
                    "Budget",
                    value=f"{budget:.2f}" if budget is not None else "",
                    placeholder="per month, e.g. 400 (empty: no budget)",
                )
            yield Static(
                "Enter saves · Esc cancels · Tab moves to the next field", classes="dialog-hint"
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def show_field_error(self, field: str, message: str) -> bool:
        self.saving = False
        if field == "monthly_budget":
            field = "budget"
        fields = self.query(Field)
        for f in fields:
            if f.key == field:
                f.show_error(message)
                f.input.focus()
                return True
        return False

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        for f in self.query(Field):
            if f.input is event.input:
                f.clear_error()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _value(self, key: str) -> str:
        return self.query_one(f"#field-{key}", Field).value

    def action_save(self) -> None:
        if self.saving:
            return
        from budget_tui.controller import categories as cats

        self.saving = True
        c = self.category
        if self.mode == "add" or c is None:
            runner.call(
                self,
                cats.create_category,
                self._value("name"),
                self._value("budget"),
                done=self._saved,
                failed=self._failed,
            )
        elif self.mode == "rename":
            runner.call(
                self,
                cats.rename_category,
                c.id,
                self._value("name"),
                version=c.version,
                done=self._saved,
                failed=self._failed,
            )
        else:
            runner.call(
                self,
                cats.set_budget,
                c.id,
                self._value("budget"),
                version=c.version,
                done=self._saved,
                failed=self._failed,
            )

    def _saved(self, view: CategoryView) -> None:
        self.saving = False
        self.dismiss(view)

    def _failed(self, error: BudgetError) -> bool:
        from budget_tui.errors import Conflict

        self.saving = False
        # A taken name belongs next to the name, like any other input problem.
        if (
            isinstance(error, Conflict)
            and self.mode in ("add", "rename")
            and "already exists" in error.message
        ):
            return self.show_field_error("name", error.message)
        return False

    def action_cancel(self) -> None:
        self.dismiss(None)
