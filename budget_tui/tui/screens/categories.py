"""Categories: each with the month's budget, what rollover carried in, the month's spend, what is
left and a bar of the budget used. ↻ marks a category whose leftover rolls over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from budget_tui.controller.periods import Period
from budget_tui.controller.views import CategoryOverview, CategoryUsage, CategoryView
from budget_tui.tui import runner
from budget_tui.tui.format import income_parts, money, period_label, spent_parts
from budget_tui.tui.screens._month import MONTH_BINDINGS, MonthSteps
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.app_header import AppHeader
from budget_tui.tui.widgets.category_table import CategoryTable


class CategoriesScreen(runner.DatabaseWork, MonthSteps, Screen[None]):
    """Follows ``app.month``; reloads whenever it is shown again. A load is one controller call
    (``categories.category_overview``)."""

    TITLE = "Categories"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="add", tooltip="Create a spending category"),
        Binding(
            "i",
            "add_income",
            "Income",
            id="add-income",
            tooltip="Create an income category (salary, interest, gifts received)",
        ),
        Binding("r", "rename", "Rename", id="rename", tooltip="Rename the selected category"),
        Binding(
            "b",
            "budget",
            "Budget",
            id="budget",
            tooltip="Set the budget from this month on (or this month only), rollover, history",
        ),
        Binding("d", "delete", "Delete", id="delete", tooltip="Delete the selected category"),
        Binding(
            "k",
            "kind",
            "Kind",
            id="kind",
            tooltip="Make the selected category income (or spending) while it has no entries",
            show=False,
        ),
        *MONTH_BINDINGS,
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="reload",
            tooltip="Read the categories again",
            show=False,
        ),
    ]

    @dataclass
    class Loaded(Message):
        """The categories came back; ``select_id`` is the one to select."""

        overview: CategoryOverview
        select_id: int | None

    @dataclass
    class UsageRead(Message):
        """How many expenses the category about to be deleted holds."""

        category: CategoryView
        usage: CategoryUsage

    @dataclass
    class KindChanged(Message):
        """A category became a spending or an income one."""

        view: CategoryView

    @dataclass
    class Deleted(Message):
        """A category was deleted (its ``moved`` expenses moved to another first)."""

        name: str
        moved: int

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CategoryView] = []
        self.overview: CategoryOverview | None = None
        self.answering = False  # a dialog of this screen is open; its answer reloads the list

    def compose(self) -> ComposeResult:
        yield AppHeader("categories")
        yield CategoryTable(id="categories")
        yield Static("Loading…", id="categories-empty")
        yield Static("", id="categories-projected")
        yield Static("", id="categories-status")
        # The palette (ctrl+p) is listed by F1; its footer label would push F1 off 80 columns.
        yield AppFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#categories").display = False
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._render_rows())
        self.watch(self.app, "month", self._month_changed, init=False)

    @property
    def period(self) -> Period | None:
        return None if self.overview is None else self.overview.period

    @property
    def table(self) -> CategoryTable:
        return self.query_one("#categories", CategoryTable)

    @property
    def current(self) -> CategoryView | None:
        index = self.table.cursor_row
        if self.rows and 0 <= index < len(self.rows):
            return self.rows[index]
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Shown dimmed in the footer while there is no category to act on.
        if action in ("rename", "budget", "delete", "kind") and self.current is None:
            return None
        return True

    def on_screen_resume(self) -> None:
        if self.shown_again():
            return
        if self.answering:
            self.answering = False  # the dialog's answer reloads (or leaves the list as it is)
        else:
            self.reload()
        self.table.focus()

    def _month_changed(self, _month: Period) -> None:
        if self.is_current:
            self.reload()

    def reload(self, select_id: int | None = None) -> None:
        current = self.current
        keep = select_id if select_id is not None else (current.id if current else None)
        self.load(self.app.month, keep)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, period: Period, select_id: int | None) -> None:
        from budget_tui.controller.categories import category_overview

        overview = runner.call(self.app, category_overview, period)
        runner.deliver(self, self.Loaded(overview, select_id))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.overview = message.overview
        self.rows = list(message.overview.categories)
        index = next((i for i, c in enumerate(self.rows) if c.id == message.select_id), 0)
        self._render_rows(index)
        self.refresh_bindings()  # the row keys dim while no row is listed

    def _render_rows(self, index: int | None = None) -> None:
        table = self.table
        if index is None:
            index = table.cursor_row
        empty = self.query_one("#categories-empty", Static)
        table.display = bool(self.rows)
        empty.display = not self.rows
        empty.update(
            "No categories yet. Press a to add one (a name like Groceries, and a monthly budget)."
        )
        table.draw(self.rows, index)
        self._render_status()
        self._render_projected()

    def _render_projected(self) -> None:
        """What the schedules still add this month, and what each budget will have left."""
        panel = self.query_one("#categories-projected", Static)
        parts: list[str | tuple[str, str]] = []
        for c in self.rows:
            if not c.upcoming:
                continue
            parts += [" · " if parts else "Still scheduled: ", f"{c.name} {money(c.upcoming)}"]
            if (left := c.projected) is not None:
                parts.append((f" (left {money(left)})", "$text-error" if left < 0 else ""))
        panel.display = bool(parts)
        if parts:
            panel.update(Content.assemble(*parts))

    def on_resize(self) -> None:
        if self.rows and self.table.size.width != self.table.drawn_width:
            self._render_rows()

    def _render_status(self) -> None:
        o = self.overview
        if o is None:
            return
        n = len(o.categories)
        parts: list[str | tuple[str, str]] = [
            (period_label(o.period), "bold"),
            f" · {n} categor{'ies' if n != 1 else 'y'}",
            *spent_parts(o.flows),
        ]
        if o.budgeted:
            parts.append(f" of {money(o.budget)} budgeted")
            if o.carried:
                parts.append(f" ({money(o.carried)} carried in)")
            left = o.available
            parts += [" · left ", (money(left), "bold $text-error" if left < 0 else "bold")]
            if o.over_budget:
                parts.append((f" · {o.over_budget} over", "$text-error"))
        if any(c.is_income for c in o.categories):
            parts.append("\n")
            parts += ["income ", *income_parts(o.flows)[1:]]
        self.query_one("#categories-status", Static).update(Content.assemble(*parts))

    # -- actions -----------------------------------------------------------------------------

    @work(group=runner.DIALOG)
    async def _form(self, mode: str, category: CategoryView | None = None) -> None:
        from budget_tui.tui.widgets.category_form import CategoryForm

        self.answering = True
        form = CategoryForm(mode, category, self.period, others=self.rows)
        if (view := await self.app.push_screen_wait(form)) is not None:
            self.reload(view.id)

    def action_add(self) -> None:
        self._form("add")

    def action_add_income(self) -> None:
        self._form("income")

    def action_rename(self) -> None:
        if (c := self.current) is not None:
            self._form("rename", c)

    def action_budget(self) -> None:
        if (c := self.current) is not None:
            self._form("budget", c)

    def action_kind(self) -> None:
        if (c := self.current) is not None:
            self.change_kind(c, "spending" if c.is_income else "income")

    @work(thread=True, group="save", exit_on_error=False)
    def change_kind(self, category: CategoryView, kind: str) -> None:
        from budget_tui.controller.categories import set_kind

        view = runner.call(self.app, set_kind, category.id, kind, version=category.version)
        runner.deliver(self, self.KindChanged(view))

    @on(KindChanged)
    def _kind_changed(self, message: KindChanged) -> None:
        view = message.view
        self.notify(
            f"{view.name!r} is now {'an income' if view.is_income else 'a spending'} category.",
            timeout=3,
        )
        self.reload(view.id)

    def action_delete(self) -> None:
        if (c := self.current) is not None:
            self.read_usage(c)

    @work(thread=True, exclusive=True, group="usage", exit_on_error=False)
    def read_usage(self, category: CategoryView) -> None:
        from budget_tui.controller.categories import category_usage

        usage = runner.call(self.app, category_usage, category.id)
        runner.deliver(self, self.UsageRead(category, usage))

    @on(UsageRead)
    def _usage_read(self, message: UsageRead) -> None:
        self._ask_delete(message.category, message.usage.expenses)

    @work(group=runner.DIALOG)
    async def _ask_delete(self, c: CategoryView, expenses: int) -> None:
        from budget_tui.tui.screens.confirm import ConfirmScreen
        from budget_tui.tui.widgets.category_picker import CategoryPicker

        self.answering = True
        if expenses == 0:
            question = ConfirmScreen(
                "Delete this category?",
                f"{c.name}\nNo expense uses it.",
                confirm="Delete",
                cancel="Keep",
            )
            if await self.app.push_screen_wait(question):
                self.delete(c, None)
            return
        others = [(o.id, o.name) for o in self.rows if o.id != c.id]
        n = f"{expenses:,} expense{'s' if expenses != 1 else ''}"
        if not others:
            await self.app.push_screen_wait(
                ConfirmScreen(
                    "This category can't be deleted",
                    f"{c.name} has {n}, and there is no other category to move them to.\n"
                    "Add another category first (a), or delete its expenses.",
                    confirm="OK",
                    cancel="Close",
                )
            )
            return
        picker = CategoryPicker(f"{c.name} has {n}. Move them to… (then it is deleted)", others)
        if target := await self.app.push_screen_wait(picker):
            self.delete(c, target)

    @work(thread=True, group="save", exit_on_error=False)
    def delete(self, category: CategoryView, move_to: int | None) -> None:
        from budget_tui.controller.categories import delete_category

        result = runner.call(
            self.app, delete_category, category.id, move_to=move_to, version=category.version
        )
        runner.deliver(self, self.Deleted(category.name, result.moved))

    @on(Deleted)
    def _deleted(self, message: Deleted) -> None:
        moved = message.moved
        extra = f"; {moved:,} expense{'s' if moved != 1 else ''} moved" if moved else ""
        self.notify(f"Deleted {message.name!r}{extra}.", timeout=3)
        self.reload()

    def _go_to(self, period: Period) -> None:
        self.app.month = period  # type: ignore[attr-defined]

    def shown_month(self) -> Period | None:
        return self.period

    def action_reload(self) -> None:
        self.reload()

    # Changes made elsewhere (the app hears of them) or undone: read again, the cursor kept.
    book_changed = action_reload
