"""The command palette (Ctrl+P): every action of every screen, by name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    mode: str | None  # the screen the action belongs to (switched to first); None = the app
    action: str


COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("Show expenses", "The month's expenses (1)", "expenses", ""),
    PaletteCommand("Show categories", "Categories and budgets (2)", "categories", ""),
    PaletteCommand("Show reports", "Spend by category and month (3)", "reports", ""),
    PaletteCommand("Add expense", "Enter a new expense (a)", "expenses", "add"),
    PaletteCommand("Edit expense", "Change the selected expense (e)", "expenses", "edit"),
    PaletteCommand("Delete expense", "Delete the selected expense (d)", "expenses", "delete"),
    PaletteCommand(
        "Move expense", "Move the selected expense to another category (m)", "expenses", "move"
    ),
    PaletteCommand("Filter expenses by text", "Search descriptions (/)", "expenses", "search"),
    PaletteCommand(
        "Filter expenses by category", "Show one category's expenses (c)", "expenses", "category"
    ),
    PaletteCommand(
        "Clear filters", "Show all of the month's expenses", "expenses", "clear_filters"
    ),
    PaletteCommand("Change sort", "Cycle the order: date, amount (s)", "expenses", "sort"),
    PaletteCommand("Previous month", "Go back a month ([)", "expenses", "previous_month"),
    PaletteCommand("Next month", "Go forward a month (])", "expenses", "next_month"),
    PaletteCommand("This month", "Go back to the current month (t)", "expenses", "this_month"),
    PaletteCommand("Add category", "Create a category (a)", "categories", "add"),
    PaletteCommand("Rename category", "Rename the selected category (r)", "categories", "rename"),
    PaletteCommand(
        "Set category budget", "Set or clear the monthly budget (b)", "categories", "budget"
    ),
    PaletteCommand("Delete category", "Delete the selected category (d)", "categories", "delete"),
    PaletteCommand(
        "Next report period", "This month, last month, this year... (p)", "reports", "next_preset"
    ),
    PaletteCommand("Earlier report period", "Step the period back ([)", "reports", "step(-1)"),
    PaletteCommand("Later report period", "Step the period forward (])", "reports", "step(1)"),
    PaletteCommand("Report this month", "Back to the current month (t)", "reports", "this_month"),
    PaletteCommand(
        "Report a custom range", "Choose the first and last day (c)", "reports", "custom_range"
    ),
    PaletteCommand("Reload reports", "Read the figures again (r)", "reports", "reload"),
    PaletteCommand("Show keys", "Every key of this screen (F1)", None, "help"),
)


class BudgetCommands(Provider):
    """Offers each :data:`COMMANDS` entry; running one switches screen if needed, then acts."""

    async def _run(self, command: PaletteCommand) -> None:
        app = self.app
        if getattr(app, "book", None) is None:
            app.notify("The database is not open yet.", severity="warning")
            return
        if command.mode is not None and app.current_mode != command.mode:
            await app.switch_mode(command.mode)
        if command.action:
            target = app if command.mode is None else app.screen
            await app.run_action(command.action, target)

    async def discover(self) -> Hits:
        for command in COMMANDS:
            yield DiscoveryHit(command.title, partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in COMMANDS:
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(self._run, command),
                    help=command.help,
                )
