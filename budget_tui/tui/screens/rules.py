"""Import rules: the list in the order they are tried; ``a`` adds one (pattern, how it matches,
category, an optional cleaner description), ``d`` deletes the selected one (``u`` brings it
back: rule changes are changes in the history). Opened with ``r`` on the import screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Select, Static

from budget_tui.errors import BudgetError
from budget_tui.tui import runner
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.app_header import AppHeader
from budget_tui.tui.widgets.form_guard import FIELD_KEYS

if TYPE_CHECKING:
    from budget_tui.controller.import_views import RuleView

MATCH_CHOICES = [("contains", "contains"), ("starts with", "starts"), ("matches regex", "regex")]


@dataclass(frozen=True)
class RuleDraft:
    pattern: str
    match: str
    category: str
    rename: str | None


class RuleForm(ModalScreen[RuleDraft | None]):
    """Answers the rule typed, or None when cancelled. Enter in any field saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close without adding"),
        *FIELD_KEYS,
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="rule-form", classes="dialog"):
            yield Label(Content("Add a rule"), classes="dialog-title")
            yield Input(placeholder="Pattern, e.g. tesco", id="rule-pattern")
            yield Select(MATCH_CHOICES, value="contains", allow_blank=False, id="rule-match")
            yield Input(placeholder="Category, e.g. Groceries", id="rule-category")
            yield Input(placeholder="Save as (optional cleaner description)", id="rule-rename")
            yield Static("Enter saves · Esc cancels", classes="dialog-hint")
        yield AppFooter()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        pattern = self.query_one("#rule-pattern", Input).value
        category = self.query_one("#rule-category", Input).value
        if not pattern.strip() or not category.strip():
            self.notify("A rule needs a pattern and a category.", severity="warning")
            return
        match = self.query_one("#rule-match", Select).value
        rename = self.query_one("#rule-rename", Input).value.strip() or None
        self.dismiss(RuleDraft(pattern, str(match), category, rename))

    def action_cancel(self) -> None:
        self.dismiss(None)


class RulesScreen(runner.DatabaseWork, Screen[None]):
    TITLE = "Rules"
    AUTO_FOCUS = "#rules"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close", tooltip="Back"),
        Binding("a", "add", "Add", id="add-rule", tooltip="Add a rule (tried after the others)"),
        Binding("d", "delete", "Delete", id="delete-rule", tooltip="Delete the selected rule"),
    ]

    @dataclass
    class Loaded(Message):
        rules: tuple[RuleView, ...]

    @dataclass
    class Failed(Message):
        error: BudgetError

    def __init__(self) -> None:
        super().__init__()
        self.rules: tuple[RuleView, ...] = ()

    def compose(self) -> ComposeResult:
        yield AppHeader(None)
        yield DataTable(id="rules", cursor_type="row", zebra_stripes=True)
        yield Static("", id="rules-status", markup=False)
        yield AppFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#rules", DataTable)
        for label in ("#", "Match", "Pattern", "Category", "Save as"):
            table.add_column(label)
        self.load()

    def book_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="rules-load", exit_on_error=False)
    def load(self) -> None:
        from budget_tui.controller.rules import list_rules

        try:
            rules = runner.call(self.app, list_rules)
        except BudgetError as error:
            runner.deliver(self, self.Failed(error))
        else:
            runner.deliver(self, self.Loaded(rules))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.rules = message.rules
        table = self.query_one("#rules", DataTable)
        row = table.cursor_row
        table.clear()
        words = {"contains": "contains", "starts": "starts with", "regex": "regex"}
        for rule in self.rules:
            table.add_row(
                str(rule.position),
                words[rule.match],
                Text(rule.pattern),
                Text(rule.category),
                Text(rule.rename or ""),
            )
        if self.rules:
            table.move_cursor(row=min(row, len(self.rules) - 1), animate=False)
        count = len(self.rules)
        self.query_one("#rules-status", Static).update(
            f"{count} rule{'s' if count != 1 else ''}, tried in this order; the first that "
            "matches a row's description gives its category · a: add · d: delete · u: undo"
            if count
            else "No rules yet: a adds one (e.g. contains 'tesco' -> Groceries)."
        )
        self.refresh_bindings()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        runner.report_error(self, message.error)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete" and not self.rules:
            return None
        return True

    @work(group=runner.DIALOG)
    async def action_add(self) -> None:
        draft = await self.app.push_screen_wait(RuleForm())
        if draft is not None:
            self._add(draft)

    @work(thread=True, group="rules-write", exit_on_error=False)
    def _add(self, draft: RuleDraft) -> None:
        from budget_tui.controller.rules import add_rule

        try:
            runner.call(
                self.app,
                add_rule,
                draft.pattern,
                draft.category,
                match=draft.match,
                rename=draft.rename,
            )
        except BudgetError as error:
            runner.deliver(self, self.Failed(error))
            return
        self.load()

    def action_delete(self) -> None:
        table = self.query_one("#rules", DataTable)
        if self.rules and 0 <= table.cursor_row < len(self.rules):
            self._delete(self.rules[table.cursor_row].id)

    @work(thread=True, group="rules-write", exit_on_error=False)
    def _delete(self, rule_id: int) -> None:
        from budget_tui.controller.rules import delete_rule

        try:
            runner.call(self.app, delete_rule, rule_id)
        except BudgetError as error:
            runner.deliver(self, self.Failed(error))
            return
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
