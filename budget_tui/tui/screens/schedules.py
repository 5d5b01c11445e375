"""Schedules: every recurring entry with its next date and amount; add, edit, pause or resume,
skip the next date, delete, and post a reminder's due entry.

A load is one controller call (``schedules.schedules_page``): the schedules, the entries due
and not posted yet, and what the next 30 days hold. Each change is a ledger change (``u``
undoes it, as anywhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from budget_tui.tui import runner
from budget_tui.tui.format import money
from budget_tui.tui.screens._list import RowListScreen

if TYPE_CHECKING:
    from budget_tui.controller.views import (
        CategoryView,
        SchedulesPage,
        ScheduleView,
        UpcomingEntry,
    )


class SchedulesScreen(RowListScreen["ScheduleView"]):
    """The schedules. Reloads whenever it is shown again and when the book changes."""

    TITLE = "Schedules"
    AUTO_FOCUS = "#schedules"
    LIST = "schedules"
    COLUMNS = (
        ("Next", "next"),
        ("Description", "description"),
        ("Amount", "amount"),
        ("Category", "category"),
        ("", "state"),
        ("Every", "every"),
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="add-schedule", tooltip="Make a new schedule"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="edit-schedule",
            tooltip="Change the selected schedule (or Enter)",
        ),
        Binding(
            "p",
            "pause",
            "Pause",
            id="pause-schedule",
            tooltip="Pause the selected schedule, or resume it",
        ),
        Binding(
            "s",
            "skip",
            "Skip",
            id="skip-schedule",
            tooltip="Skip the selected schedule's next date",
        ),
        Binding(
            "o",
            "post",
            "Post",
            id="post-due",
            tooltip="Post the selected schedule's due entry (the amount can be changed)",
        ),
        Binding("d", "delete", "Delete", id="delete-schedule", tooltip="Delete the schedule"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="reload",
            tooltip="Read the schedules again",
            show=False,
        ),
    ]

    @dataclass
    class Loaded(Message):
        page: SchedulesPage
        categories: tuple[CategoryView, ...]
        select_id: int | None

    @dataclass
    class Changed(Message):
        note: str
        select_id: int | None

    def __init__(self) -> None:
        super().__init__()
        self.due: tuple[UpcomingEntry, ...] = ()
        self.categories: tuple[CategoryView, ...] = ()

    def due_of(self, schedule: ScheduleView | None) -> UpcomingEntry | None:
        if schedule is None:
            return None
        return next((e for e in self.due if e.schedule_id == schedule.id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        current = self.current
        if action in ("edit", "pause", "delete") and current is None:
            return None
        if action == "skip" and (current is None or current.next_on is None):
            return None
        if action == "post" and self.due_of(current) is None:
            return None
        return True

    # -- loading -------------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        if self.shown_again():
            return
        self.action_reload()
        self.table.focus()

    def action_reload(self) -> None:
        current = self.current
        self.load(current.id if current else None)

    book_changed = action_reload

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, select_id: int | None) -> None:
        from budget_tui.controller.categories import list_categories
        from budget_tui.controller.schedules import schedules_page

        page = runner.call(self.app, schedules_page)
        categories = runner.call(self.app, list_categories)
        runner.deliver(self, self.Loaded(page, categories, select_id))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        page = message.page
        self.rows = list(page.schedules)
        self.due = page.due
        self.categories = message.categories
        table, empty = self.table, self.query_one("#schedules-empty", Static)
        table.clear()
        for s in self.rows:
            amount = Text(money(s.amount), justify="right")
            if s.kind == "income" or s.amount < 0:
                amount.stylize("green")
            state = Text(s.state)
            if self.due_of(s) is not None:
                state = Text("due", style="bold yellow")
            cells = [
                Text(s.next_on.isoformat() if s.next_on else "—"),
                Text(s.description),
                amount,
                Text(s.category_name),
                state,
                Text(s.every_short),
            ]
            if s.paused or s.next_on is None:
                for cell in cells:
                    cell.stylize("dim")
            table.add_row(*cells, key=str(s.id))
        table.display = bool(self.rows)
        empty.display = not self.rows
        if not self.rows:
            empty.update(
                "No schedules yet. Press a to make one (rent, a subscription, a salary), "
                "or r on an expense to repeat it."
            )
        index = next((i for i, s in enumerate(self.rows) if s.id == message.select_id), 0)
        if self.rows:
            table.move_cursor(row=index, animate=False)
        coming = page.coming
        due = f" · {len(self.due)} due" if self.due else ""
        self.query_one("#schedules-status", Static).update(
            f"{len(self.rows)} schedule{'s' if len(self.rows) != 1 else ''}{due} · next "
            f"{page.days} days: income {money(coming.income)}, spending "
            f"{money(coming.spending)}, net {money(coming.net)}"
        )
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#schedules")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#schedules")
    def _selected(self) -> None:
        self.action_edit()

    # -- actions -------------------------------------------------------------------------------

    def _choices(self) -> list[tuple[int, str]]:
        return [(c.id, c.name) for c in self.categories]

    @work(group=runner.DIALOG)
    async def action_add(self) -> None:
        from budget_tui.tui.widgets.schedule_form import ScheduleForm

        if not self.categories:
            self.notify("Add a category first: press 2 for Categories, then a.", severity="warning")
            return
        saved = await self.app.push_screen_wait(ScheduleForm(self._choices()))
        if saved is not None:
            self.notify(f"Saved {saved.description!r}; next {_next(saved)}.", timeout=3)
            self.load(saved.id)

    @work(group=runner.DIALOG)
    async def action_edit(self) -> None:
        from budget_tui.tui.widgets.schedule_form import ScheduleForm

        if (row := self.current) is None:
            return
        saved = await self.app.push_screen_wait(ScheduleForm(self._choices(), row))
        if saved is not None:
            self.notify(f"Saved {saved.description!r}; next {_next(saved)}.", timeout=3)
            self.load(saved.id)

    def action_pause(self) -> None:
        if (row := self.current) is not None:
            self.change("resume" if row.paused else "pause", row)

    def action_skip(self) -> None:
        if (row := self.current) is not None and row.next_on is not None:
            self.change("skip", row)

    @work(group=runner.DIALOG)
    async def action_delete(self) -> None:
        from budget_tui.tui.screens.confirm import ConfirmScreen

        if (row := self.current) is None:
            return
        confirm = ConfirmScreen(
            "Delete this schedule?",
            f"{row.description}  {money(row.amount)}  {row.every}\nThe entries it posted stay.",
            confirm="Delete",
            cancel="Keep",
        )
        if await self.app.push_screen_wait(confirm):
            self.change("delete", row)

    @work(thread=True, group="save", exit_on_error=False)
    def change(self, what: str, row: ScheduleView) -> None:
        from budget_tui.controller import schedules

        if what == "delete":
            runner.call(self.app, schedules.delete_schedule, row.id, version=row.version)
            runner.deliver(self, self.Changed(f"Deleted {row.description!r}.", None))
            return
        fn = {
            "pause": schedules.pause_schedule,
            "resume": schedules.resume_schedule,
            "skip": schedules.skip_next,
        }[what]
        done = runner.call(self.app, fn, row.id, version=row.version)
        verb = {"pause": "Paused", "resume": "Resumed", "skip": "Skipped a date of"}[what]
        runner.deliver(
            self, self.Changed(f"{verb} {row.description!r}; next {_next(done)}.", row.id)
        )

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.notify(message.note, timeout=3)
        self.load(message.select_id)

    @work(group=runner.DIALOG)
    async def action_post(self) -> None:
        from budget_tui.tui.widgets.schedule_form import PostForm

        row = self.current
        entry = self.due_of(row)
        if row is None or entry is None:
            return
        saved = await self.app.push_screen_wait(PostForm(entry))
        if saved is not None:
            self.notify(
                f"Posted {saved.description!r} of {saved.occurred_on.isoformat()}: "
                f"{money(saved.amount)}.",
                timeout=3,
            )
            self.load(row.id)


def _next(view: ScheduleView) -> str:
    if view.paused:
        return "none while paused"
    return view.next_on.isoformat() if view.next_on else "none"
