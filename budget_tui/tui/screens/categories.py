"""Categories: each with the month's spend, its budget, what is left and a bar of the budget used."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from budget_tui.controller.periods import Period
from budget_tui.controller.views import ZERO, CategoryView
from budget_tui.tui import runner
from budget_tui.tui.format import money
from budget_tui.tui.screens._month import MONTH_BINDINGS, MonthSteps
from budget_tui.tui.widgets.budget_bar import budget_bar

if TYPE_CHECKING:
    from budget_tui.controller._tx import Sessions


@dataclass(frozen=True)
class Usage:
    category: CategoryView
    expenses: int  # over all time


def usage(sessions: Sessions, category: CategoryView) -> Usage:
    """How many expenses (in any month) use ``category``."""
    from budget_tui.controller.expenses import expense_totals
    from budget_tui.controller.views import ExpenseFilter

    return Usage(category, expense_totals(sessions, ExpenseFilter(category_id=category.id)).count)


class CategoriesScreen(MonthSteps, Screen[None]):
    """Follows ``app.month``; reloads whenever it is shown again."""

    TITLE = "Categories"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="add", tooltip="Create a category"),
        Binding("r", "rename", "Rename", id="rename", tooltip="Rename the selected category"),
        Binding("b", "budget", "Budget", id="budget", tooltip="Set or clear the monthly budget"),
        Binding("d", "delete", "Delete", id="delete", tooltip="Delete the selected category"),
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

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CategoryView] = []
        self.period: Period | None = None
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="categories", cursor_type="row", zebra_stripes=True)
        yield Static("Loading…", id="categories-empty")
        yield Static("", id="categories-status")
        # The palette (ctrl+p) is listed by F1; its footer label would push F1 off 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#categories").display = False
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._render_rows())

    @property
    def table(self) -> DataTable:
        return self.query_one("#categories", DataTable)

    @property
    def current(self) -> CategoryView | None:
        index = self.table.cursor_row
        if self.rows and 0 <= index < len(self.rows):
            return self.rows[index]
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Shown dimmed in the footer while there is no category to act on.
        if action in ("rename", "budget", "delete") and self.current is None:
            return None
        return True

    def on_screen_resume(self) -> None:
        self.reload()
        self.table.focus()

    def reload(self, select_id: int | None = None) -> None:
        from budget_tui.controller.categories import list_categories

        self.period = self.app.month  # type: ignore[attr-defined]
        current = self.current
        keep = select_id if select_id is not None else (current.id if current else None)
        runner.call(
            self,
            list_categories,
            self.period,
            done=lambda rows: self._loaded(rows, keep),
            group="reload",
            exclusive=True,
        )

    def _loaded(self, rows: tuple[CategoryView, ...], select_id: int | None) -> None:
        self.rows = list(rows)
        index = next((i for i, c in enumerate(self.rows) if c.id == select_id), 0)
        self._render_rows(index)
        self.refresh_bindings()

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
        width = max(60, table.size.width or self.size.width)
        self._width = width
        # three amounts of 11, cell padding 2 x 5 columns, scrollbar 2; the rest is name and bar
        rest = width - 3 * 11 - 10 - 2
        name_width = max(12, min(30, rest // 2 - 2))
        bar_width = max(10, min(40, rest - name_width))
        theme = self.app.theme_variables
        table.clear(columns=True)
        table.add_column("Category", width=name_width, key="name")
        for label, key in (("Spent", "spent"), ("Budget", "budget"), ("Left", "left")):
            table.add_column(Text(label, justify="right"), width=11, key=key)
        table.add_column("Used", width=bar_width, key="bar")
        for c in self.rows:
            left = c.remaining
            left_style = theme.get("text-error", "") if left is not None and left < 0 else ""
            table.add_row(
                Text(c.name, no_wrap=True, overflow="ellipsis"),
                Text(money(c.spent), justify="right"),
                Text(
                    money(c.monthly_budget) if c.monthly_budget is not None else "—",
                    justify="right",
                ),
                Text(money(left) if left is not None else "—", justify="right", style=left_style),
                budget_bar(c.used, bar_width, theme),
                key=str(c.id),
            )
        if self.rows:
            table.move_cursor(row=min(index, len(self.rows) - 1))
        self._render_status()

    def on_resize(self) -> None:
        if self.rows and self.table.size.width != self._width:
            self._render_rows()

    def _render_status(self) -> None:
        if self.period is None:
            return
        spent = sum((c.spent for c in self.rows), ZERO)
        budgeted = [c for c in self.rows if c.monthly_budget is not None]
        budget = sum((c.monthly_budget or ZERO for c in budgeted), ZERO)
        count = f"{len(self.rows)} categor{'ies' if len(self.rows) != 1 else 'y'}"
        parts: list[str | tuple[str, str]] = [
            (self.period.label, "bold"),
            f" · {count} · spent ",
            (money(spent), "bold"),
        ]
        if budgeted:
            over = [c for c in budgeted if (c.used or 0) > 1]
            parts.append(f" of {money(budget)} budgeted")
            if over:
                parts.append((f" · {len(over)} over", "$text-error"))
        self.query_one("#categories-status", Static).update(Content.assemble(*parts))

    # -- actions -----------------------------------------------------------------------------

    def _form(self, mode: str, category: CategoryView | None = None) -> None:
        from budget_tui.tui.widgets.category_form import CategoryForm

        def saved(view: object | None) -> None:
            if isinstance(view, CategoryView):
                self.reload(view.id)

        self.app.push_screen(CategoryForm(mode, category), saved)

    def action_add(self) -> None:
        self._form("add")

    def action_rename(self) -> None:
        if (c := self.current) is not None:
            self._form("rename", c)

    def action_budget(self) -> None:
        if (c := self.current) is not None:
            self._form("budget", c)

    def action_delete(self) -> None:
        if (c := self.current) is not None:
            runner.call(self, usage, c, done=self._ask_delete)

    def _ask_delete(self, use: Usage) -> None:
        from budget_tui.tui.screens.confirm import ConfirmScreen
        from budget_tui.tui.widgets.category_picker import CategoryPicker

        c = use.category
        if use.expenses == 0:
            self.app.push_screen(
                ConfirmScreen(
                    "Delete this category?",
                    f"{c.name}\nNo expense uses it.",
                    confirm="Delete",
                    cancel="Keep",
                ),
                lambda yes: self._delete(c, None) if yes else None,
            )
            return
        others = [(o.id, o.name) for o in self.rows if o.id != c.id]
        n = f"{use.expenses:,} expense{'s' if use.expenses != 1 else ''}"
        if not others:
            self.app.push_screen(
                ConfirmScreen(
                    "This category can't be deleted",
                    f"{c.name} has {n}, and there is no other category to move them to.\n"
                    "Add another category first (a), or delete its expenses.",
                    confirm="OK",
                    cancel="Close",
                )
            )
            return
        self.app.push_screen(
            CategoryPicker(f"{c.name} has {n}. Move them to… (then it is deleted)", others),
            lambda target: self._delete(c, target) if target else None,
        )

    def _delete(self, category: CategoryView, move_to: int | None) -> None:
        from budget_tui.controller.categories import delete_category

        def deleted(result: object) -> None:
            moved = getattr(result, "moved", 0)
            extra = f"; {moved:,} expense{'s' if moved != 1 else ''} moved" if moved else ""
            self.notify(f"Deleted {category.name!r}{extra}.", timeout=3)
            self.reload()

        runner.call(
            self,
            delete_category,
            category.id,
            move_to=move_to,
            version=category.version,
            done=deleted,
        )

    def _go_to(self, period: Period) -> None:
        self.app.month = period  # type: ignore[attr-defined]
        self.reload()

    def shown_month(self) -> Period | None:
        return self.period

    def action_reload(self) -> None:
        self.reload()
