"""The schedule form (a modal): new, edit, or new from an expense (filled from its row); saves
in a worker, posts what fell due already, and answers the saved schedule.

A reminder's entry is posted with :class:`PostForm` (one field: the amount, which may differ
from the schedule's: a bill that came in higher).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from budget_tui.clock import today
from budget_tui.controller import cadence, validate
from budget_tui.errors import BudgetError, InvalidInput
from budget_tui.tui import runner
from budget_tui.tui.format import money
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.category_choice import CategoryChoice, resolve_category
from budget_tui.tui.widgets.field import Field
from budget_tui.tui.widgets.form_guard import FIELD_KEYS, FormGuard

if TYPE_CHECKING:
    from textual.worker import Worker

    from budget_tui.controller.views import ExpenseView, ScheduleView, UpcomingEntry

FIELDS = ("description", "amount", "category", "every", "day", "start", "end")
_SAVE_KEYS: list[BindingType] = [
    Binding("enter", "save", "Save", id="save", tooltip="Save"),
    Binding(
        "escape",
        "cancel",
        "Cancel",
        id="cancel",
        tooltip="Close without saving (asks first if something was typed)",
    ),
    Binding("ctrl+s", "save", "Save", id="save-ctrl", tooltip="Save", show=False),
    *FIELD_KEYS,
]


@dataclass(frozen=True)
class Draft:
    """What the form opens with."""

    description: str = ""
    amount: str = ""
    category: str = ""
    every: str = "month"
    day: str = ""
    start: str = ""
    end: str = ""
    remind: bool = False


def day_text(unit: str, day: int | None) -> str:
    if day is None:
        return ""
    if unit == "week":
        return cadence.WEEKDAYS[day][:3].lower()
    return "last" if day == cadence.LAST_DAY else str(day)


def draft_of(schedule: ScheduleView) -> Draft:
    every = schedule.unit if schedule.interval == 1 else f"{schedule.interval} {schedule.unit}s"
    return Draft(
        description=schedule.description,
        amount=f"{schedule.amount:.2f}",
        category=schedule.category_name,
        every=every,
        day=day_text(schedule.unit, schedule.day),
        start=schedule.start_on.isoformat(),
        end="" if schedule.end_on is None else schedule.end_on.isoformat(),
        remind=schedule.remind,
    )


def draft_from_expense(expense: ExpenseView) -> Draft:
    """Monthly on the expense's day, starting with the next one after it (the expense itself is
    the one already entered)."""
    day = expense.occurred_on.day
    following = cadence.Cadence("month", 1, day, expense.occurred_on).next_after(
        expense.occurred_on
    )
    return Draft(
        description=expense.description,
        amount=f"{expense.amount:.2f}",
        category=expense.category_name,
        every="month",
        day=str(day),
        start=(following or today()).isoformat(),
    )


class ScheduleForm(FormGuard, runner.DatabaseWork, ModalScreen["ScheduleView | None"]):
    """Answers the saved :class:`ScheduleView`, or None if cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = _SAVE_KEYS

    def __init__(
        self,
        categories: Sequence[tuple[int, str]],
        schedule: ScheduleView | None = None,
        *,
        draft: Draft | None = None,
    ) -> None:
        super().__init__()
        self.categories = list(categories)
        self.schedule = schedule
        self.draft = draft or (draft_of(schedule) if schedule else Draft(start=today().isoformat()))
        self.saving = False

    def compose(self) -> ComposeResult:
        d = self.draft
        title = "Edit schedule" if self.schedule else "New schedule"
        with VerticalScroll(id="schedule-form", classes="dialog", can_focus=False):
            yield Label(title, classes="dialog-title")
            yield Field("description", "Description", value=d.description, placeholder="e.g. Rent")
            yield Field("amount", "Amount", value=d.amount, placeholder="e.g. 1200.00")
            yield CategoryChoice(self.categories, value=d.category)
            yield Field(
                "every", "Every", value=d.every, placeholder="day, week, month, year, 2 weeks…"
            )
            yield Field(
                "day",
                "On",
                value=d.day,
                placeholder="month: 1-31 or last · week: mon…sun · empty: the start's",
            )
            yield Field("start", "Start", value=d.start, placeholder="2026-04-01, today…")
            yield Field("end", "End", value=d.end, placeholder="empty: no end")
            yield Checkbox("Remind me instead of posting it", d.remind, id="remind")
            yield Static(
                "Enter saves · Esc cancels · Tab moves to the next field", classes="dialog-hint"
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.form_opened()
        self.query_one("#description-input", Input).focus()

    def _check(self) -> tuple[dict[str, str], dict[str, Any]]:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}

        def check(key: str, fn: Any) -> None:
            try:
                values[key] = fn(self.field(key).value)
            except InvalidInput as error:
                errors[key] = error.message

        check("description", validate.description)
        check("amount", validate.entry_amount)
        check("every", cadence.parse_every)
        unit = values["every"][1] if "every" in values else "month"
        check("day", partial(cadence.parse_day, unit))
        check("start", partial(validate.date, local=True))
        end = self.field("end").value.strip()
        if end:
            check("end", partial(validate.date, local=True))
        picked = resolve_category(self.field("category").value, self.categories)
        if isinstance(picked, str):
            errors["category"] = picked
        else:
            values["category"] = picked
        return errors, values

    def action_save(self) -> None:
        if self.saving:
            return
        errors, values = self._check()
        if self.show_errors(FIELDS, errors):
            return
        category_id, category_name = values["category"]
        choice = self.query_one(CategoryChoice)
        with choice.input.prevent(Input.Changed):
            choice.input.value = category_name
        choice.close_list()
        interval, unit = values["every"]
        self.saving = True
        self.save(
            description=values["description"],
            amount=values["amount"],
            category=category_id,
            every=f"{interval} {unit}",
            day=values["day"],
            start=values["start"],
            end=values.get("end"),
            remind=self.query_one("#remind", Checkbox).value,
        )

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(
        self,
        *,
        description: str,
        amount: Decimal,
        category: int,
        every: str,
        day: int | None,
        start: dt.date,
        end: dt.date | None,
        remind: bool,
    ) -> None:
        from budget_tui.controller import schedules

        if self.schedule is None:
            view = runner.call(
                self.app,
                schedules.create_schedule,
                description=description,
                amount=amount,
                category=category,
                every=every,
                day=day,
                start=start,
                end=end,
                remind=remind,
            )
        else:
            view = runner.call(
                self.app,
                schedules.update_schedule,
                self.schedule.id,
                version=self.schedule.version,
                description=description,
                amount=amount,
                category=category,
                every=every,
                day=day if day is not None else "",
                start=start,
                end=end,
                clear_end=end is None,
                remind=remind,
            )
        # A start in the past: what fell due is posted now, each date once.
        runner.call(self.app, schedules.post_due)
        view = runner.call(self.app, schedules.get_schedule, view.id)
        runner.deliver(self, self.Saved(view))

    @dataclass
    class Saved(Message):
        view: ScheduleView

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        self.dismiss(message.view)

    def worker_failed(self, worker: Worker[Any], error: BudgetError) -> bool:
        self.saving = False
        return False

    def action_cancel(self) -> None:
        if not self.query_one(CategoryChoice).close_list():
            self.leave("Discard this schedule?")


class PostForm(FormGuard, runner.DatabaseWork, ModalScreen["ExpenseView | None"]):
    """Posts one due entry of a reminding schedule; answers the saved expense."""

    BINDINGS: ClassVar[list[BindingType]] = _SAVE_KEYS

    def __init__(self, entry: UpcomingEntry) -> None:
        super().__init__()
        self.entry = entry
        self.saving = False

    def compose(self) -> ComposeResult:
        e = self.entry
        with VerticalScroll(id="post-form", classes="dialog", can_focus=False):
            yield Label(f"Post {e.description!r} of {e.on.isoformat()}", classes="dialog-title")
            yield Static(f"Scheduled: {money(e.amount)} in {e.category_name}", markup=False)
            yield Field("amount", "Amount", value=f"{e.amount:.2f}")
            yield Static("Enter posts · Esc cancels", classes="dialog-hint")
        yield AppFooter()

    def on_mount(self) -> None:
        self.form_opened()
        self.query_one("#amount-input", Input).focus()

    def show_field_error(self, field: str, message: str) -> bool:
        self.saving = False
        if field != "amount":
            self.app.notify(message, severity="warning")
            return True
        self.query_one("#field-amount", Field).show_error(message)
        return True

    def action_save(self) -> None:
        if self.saving:
            return
        try:
            amount = validate.entry_amount(self.query_one("#field-amount", Field).value)
        except InvalidInput as error:
            self.show_field_error("amount", error.message)
            return
        self.saving = True
        self.post(amount)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def post(self, amount: Decimal) -> None:
        from budget_tui.controller.schedules import post_reminder

        view = runner.call(
            self.app, post_reminder, self.entry.schedule_id, self.entry.on, amount=amount
        )
        runner.deliver(self, self.Posted(view))

    @dataclass
    class Posted(Message):
        view: ExpenseView

    @on(Posted)
    def _posted(self, message: Posted) -> None:
        self.saving = False
        self.dismiss(message.view)

    def worker_failed(self, worker: Worker[Any], error: BudgetError) -> bool:
        self.saving = False
        return False

    def action_cancel(self) -> None:
        self.leave("Don't post it?")
