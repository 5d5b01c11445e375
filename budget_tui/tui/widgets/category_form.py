"""The category form (a modal): add a category, rename one, or set its budget for the month on
screen: from that month on or for that month only, rolling over or not, with the category's
budget history below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from budget_tui.controller import validate
from budget_tui.errors import BudgetError, Conflict, InvalidInput
from budget_tui.tui import runner
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.field import Field
from budget_tui.tui.widgets.form_guard import FIELD_KEYS, FormGuard

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.worker import Worker

    from budget_tui.controller.periods import Period
    from budget_tui.controller.views import BudgetChange, CategoryView


class Tick(Checkbox, inherit_bindings=False):
    """A checkbox that Space ticks; Enter is left to the form (it saves, as in every field)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Tick", show=False),
    ]


class CategoryForm(FormGuard, runner.DatabaseWork, ModalScreen["CategoryView | None"]):
    """Add a category (name and budget), an income category (name), rename one, or set its
    budget.

    ``mode`` is ``"add"``, ``"income"``, ``"rename"`` or ``"budget"``; answers the saved
    CategoryView or None. ``month`` is the month on screen: a budget is set from it on.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", id="save", tooltip="Save the category"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="cancel",
            tooltip="Close without saving (asks first if something was typed)",
        ),
        Binding("ctrl+s", "save", "Save", id="save-ctrl", tooltip="Save the category", show=False),
        *FIELD_KEYS,
    ]

    TITLES: ClassVar[dict[str, str]] = {
        "add": "New category",
        "income": "New income category",
        "rename": "Rename category",
        "budget": "Monthly budget",
    }

    def __init__(
        self,
        mode: str,
        category: CategoryView | None = None,
        month: Period | None = None,
        others: Iterable[CategoryView] = (),
    ) -> None:
        super().__init__()
        self.mode = mode
        self.category = category
        self.month = month
        self.saving = False
        # The other categories' names as the screen lists them, so a name already taken is
        # shown with the other fields' errors, at once (the database still has the last word).
        own = None if category is None else category.id
        self.taken = {validate.name_key(c.name): c.name for c in others if c.id != own}

    @dataclass
    class HistoryRead(Message):
        """The category's budget history came back."""

        changes: tuple[BudgetChange, ...]

    def compose(self) -> ComposeResult:
        c = self.category
        title = self.TITLES[self.mode]
        if self.mode == "budget" and self.month is not None:
            title = f"Budget for {self.month.start:%B %Y}"
        if c is not None:
            title = f"{title}: {c.name}"
        with VerticalScroll(id="category-form", classes="dialog", can_focus=False):
            yield Label(Content(title), classes="dialog-title")
            if self.mode in ("add", "income", "rename"):
                yield Field(
                    "name",
                    "Name",
                    value=c.name if c is not None else "",
                    placeholder="e.g. Groceries",
                )
            if self.mode in ("add", "budget"):
                budget = getattr(c, "monthly_budget", None)
                when = f"from {self.month.start:%B %Y}" if self.month is not None else ""
                yield Field(
                    "budget",
                    "Budget",
                    value=f"{budget:.2f}" if budget is not None else "",
                    placeholder="per month, e.g. 400 (empty or 0: no budget)",
                    hint=f"{when} on; earlier months keep theirs" if when else "",
                )
                rollover = c.rollover if c is not None else False
                yield Tick(
                    "Roll over: carry what is left into the next month",
                    rollover,
                    id="rollover",
                )
            if self.mode == "budget" and self.month is not None:
                yield Tick(f"{self.month.start:%B %Y} only", False, id="only-month")
                yield Static("", id="budget-history")
            yield Static(
                "Enter saves · Esc cancels · Tab moves to the next field"
                + (" · Space ticks" if self.mode in ("add", "budget") else ""),
                classes="dialog-hint",
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.form_opened()
        self.query(Input).first().focus()
        if self.mode == "budget" and self.category is not None and self.month is not None:
            self.read_history(self.category.id)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def read_history(self, category_id: int) -> None:
        from budget_tui.controller.categories import budget_history

        runner.deliver(self, self.HistoryRead(runner.call(self.app, budget_history, category_id)))

    @on(HistoryRead)
    def _history_read(self, message: HistoryRead) -> None:
        from budget_tui.tui.format import money

        lines = [
            f"  from {c.month:%b %Y}: "
            + ("no budget" if c.amount is None else money(c.amount))
            + (", rolling over" if c.rollover else "")
            for c in message.changes[-6:]
        ]
        text = "Budget history:\n" + "\n".join(lines) if lines else "No budget before."
        self.query_one("#budget-history", Static).update(Content(text))

    def show_field_error(self, field: str, message: str) -> bool:
        # The controller names the budget "monthly_budget"; a rollover refusal is the budget's.
        if field in ("monthly_budget", "rollover"):
            field = "budget"
        return super().show_field_error(field, message)

    def action_save(self) -> None:
        if self.saving:
            return
        fields = {f.key: f.value for f in self.query(Field)}
        # Every field is checked first, so all their errors show at once.
        errors: dict[str, str] = {}
        for key, check in (("name", validate.category_name), ("budget", validate.budget)):
            if key in fields:
                try:
                    check(fields[key])
                except InvalidInput as error:
                    errors[key] = error.message
        if "name" in fields and "name" not in errors:
            key = validate.name_key(validate.category_name(fields["name"]))
            if (taken := self.taken.get(key)) is not None:
                errors["name"] = validate.name_taken(taken)
        if self.show_errors(("name", "budget"), errors):
            return
        ticked = {box.id: box.value for box in self.query(Checkbox)}
        rollover = bool(ticked.get("rollover"))
        only = bool(ticked.get("only-month"))
        if rollover and "budget" in fields and validate.budget(fields["budget"]) is None:
            self.show_field_error("budget", "Give a budget to roll over (or untick Roll over).")
            return
        self.saving = True
        self.save(fields.get("name", ""), fields.get("budget", ""), rollover, only)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, name: str, budget: str, rollover: bool, only_month: bool) -> None:
        from budget_tui.controller import categories as cats

        c = self.category
        month = None if self.month is None else self.month.start
        if self.mode == "income":
            view = runner.call(self.app, cats.create_category, name, kind="income")
        elif self.mode == "add" or c is None:
            view = runner.call(
                self.app, cats.create_category, name, budget, rollover=rollover, month=month
            )
        elif self.mode == "rename":
            view = runner.call(self.app, cats.rename_category, c.id, name, version=c.version)
        else:
            view = runner.call(
                self.app,
                cats.set_budget,
                c.id,
                budget,
                month=month,
                rollover=rollover if validate.budget(budget) is not None else False,
                only_month=only_month,
                version=c.version,
            )
        runner.deliver(self, self.Saved(view))

    @dataclass
    class Saved(Message):
        """The category was saved: the form answers it."""

        view: CategoryView

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.dismiss(message.view)

    def worker_failed(self, worker: Worker[Any], error: BudgetError) -> bool:
        self.saving = False
        # A taken name belongs next to the name, like any other input problem.
        if (
            isinstance(error, Conflict)
            and self.mode in ("add", "income", "rename")
            and "already exists" in error.message
        ):
            return self.show_field_error("name", error.message)
        return False

    def action_cancel(self) -> None:
        adding = self.mode in ("add", "income")
        self.leave("Discard this category?" if adding else "Discard this change?")
