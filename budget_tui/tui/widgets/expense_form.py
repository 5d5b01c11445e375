"""The expense form (a modal): new or edit; saves in a worker and answers the saved row.

The form keeps one uid for its whole life, so a save retried after a lost connection finds the
row it already wrote instead of adding a second one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from budget_tui.clock import today
from budget_tui.controller import validate
from budget_tui.errors import BudgetError, InvalidInput
from budget_tui.tui import runner
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.category_choice import CategoryChoice, resolve_category
from budget_tui.tui.widgets.field import Field
from budget_tui.tui.widgets.form_guard import FIELD_KEYS, FormGuard

if TYPE_CHECKING:
    from textual.worker import Worker

    from budget_tui.controller.views import ExpenseView

FIELDS = ("description", "amount", "date", "category")
__all__ = ["ExpenseForm", "resolve_category"]


class ExpenseForm(FormGuard, runner.DatabaseWork, ModalScreen["ExpenseView | None"]):
    """Answers the saved :class:`ExpenseView`, or None if cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", id="save", tooltip="Save the expense"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="cancel",
            tooltip="Close without saving (asks first if something was typed)",
        ),
        Binding("ctrl+s", "save", "Save", id="save-ctrl", tooltip="Save the expense", show=False),
        *FIELD_KEYS,
    ]

    def __init__(
        self,
        categories: Sequence[tuple[int, str]],
        expense: ExpenseView | None = None,
        *,
        default_category: str = "",
    ) -> None:
        super().__init__()
        self.categories = list(categories)
        self.expense = expense
        self.uid = expense.uid if expense else str(uuid.uuid4())
        self.default_category = default_category
        self.saving = False

    def compose(self) -> ComposeResult:
        e = self.expense
        with VerticalScroll(id="expense-form", classes="dialog", can_focus=False):
            yield Label("Edit expense" if e else "New expense", classes="dialog-title")
            yield Field(
                "description",
                "Description",
                value=e.description if e else "",
                placeholder="What was it? e.g. Groceries at the market",
            )
            yield Field(
                "amount",
                "Amount",
                value=f"{e.amount:.2f}" if e else "",
                placeholder="e.g. 12.50",
            )
            yield Field(
                "date",
                "Date",
                value=(e.occurred_on if e else today()).isoformat(),
                placeholder="2026-03-15, today, yesterday or -3",
                hint="" if e else "today, yesterday, -3 (days ago), 2026-03-15 or Mar 15",
            )
            yield CategoryChoice(
                self.categories, value=e.category_name if e else self.default_category
            )
            yield Static(
                "Enter saves · Esc cancels · Tab moves to the next field", classes="dialog-hint"
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.form_opened()
        self.query_one("#description-input", Input).focus()

    def action_save(self) -> None:
        if self.saving:
            return
        description = self.field("description").value
        amount = self.field("amount").value
        occurred_on = self.field("date").value
        # Every field is checked before saving, so all their errors show at once (the
        # controller checks again: the same rules, in validate).
        errors: dict[str, str] = {}
        for key, check in (
            ("description", validate.description),
            ("amount", validate.entry_amount),
            ("date", partial(validate.date, local=True)),
        ):
            try:
                check(self.field(key).value)
            except InvalidInput as error:
                errors[key] = error.message
        picked = resolve_category(self.field("category").value, self.categories)
        if isinstance(picked, str):
            errors["category"] = picked
        if self.show_errors(FIELDS, errors):
            return
        assert not isinstance(picked, str)
        # The date as the locale reads it ("12/01/2026", "Dec 1"), handed on unambiguous.
        occurred_on = validate.date(occurred_on, local=True).isoformat()
        category_id, category_name = picked
        # Show the whole name the letters stood for (what will be saved).
        choice = self.query_one(CategoryChoice)
        with choice.input.prevent(Input.Changed):
            choice.input.value = category_name
        choice.close_list()
        self.saving = True
        self.save(description, amount, occurred_on, category_id)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, description: str, amount: str, occurred_on: str, category_id: int) -> None:
        from budget_tui.controller.expenses import create_expense, update_expense

        if self.expense is None:
            view = runner.call(
                self.app,
                create_expense,
                description=description,
                amount=amount,
                occurred_on=occurred_on,
                category=category_id,
                uid=self.uid,
            )
        else:
            view = runner.call(
                self.app,
                update_expense,
                self.expense.id,
                version=self.expense.version,
                description=description,
                amount=amount,
                occurred_on=occurred_on,
                category=category_id,
            )
        runner.deliver(self, self.Saved(view))

    @dataclass
    class Saved(Message):
        """The expense was saved: the form answers it."""

        view: ExpenseView

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.dismiss(message.view)

    def worker_failed(self, worker: Worker[Any], error: BudgetError) -> bool:
        # The form stays open with what was typed; the runner shows the error.
        self.saving = False
        return False

    def action_cancel(self) -> None:
        if not self.query_one(CategoryChoice).close_list():
            self.leave("Discard this expense?")
