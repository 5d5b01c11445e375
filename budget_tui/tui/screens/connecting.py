"""The screen shown while the book opens (a sleeping Neon database can take seconds), or when it
can't: what failed, in plain words, and the keys to try again or quit."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

from budget_tui.errors import BudgetError, render
from budget_tui.tui.widgets.app_footer import AppFooter
from budget_tui.tui.widgets.app_header import AppHeader


class ConnectingScreen(Screen[None]):
    """Shown while the book opens (a sleeping Neon database can take seconds), or when it can't."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r", "app.retry_connect", "Retry", id="retry", tooltip="Try to open the database again"
        ),
        Binding("q", "app.quit", "Quit", id="quit", tooltip="Quit budget-tui"),
    ]

    def __init__(self, location: str) -> None:
        super().__init__()
        self.location = location

    def compose(self) -> ComposeResult:
        yield AppHeader(None)
        with Vertical(id="connecting"):
            yield Static(f"Connecting to {self.location}…", id="connecting-message", markup=False)
            yield LoadingIndicator(id="connecting-spinner")
        yield AppFooter()

    SPIN = 1 / 16  # LoadingIndicator's own rate

    def on_screen_suspend(self) -> None:
        # The book opened and the app went on (this screen stays under it, for a lost
        # connection): the spinner stops ticking, sixteen wake-ups a second for no one.
        self.query_one(LoadingIndicator).auto_refresh = None

    def on_screen_resume(self) -> None:
        self.query_one(LoadingIndicator).auto_refresh = self.SPIN

    def show_failure(self, error: BudgetError) -> None:
        self.query_one("#connecting-spinner").display = False
        self.query_one("#connecting-message", Static).update(
            f"Could not open {self.location}.\n\n{render(error).text}\n\n"
            "Press r to try again, q to quit."
        )

    def show_connecting(self) -> None:
        self.query_one("#connecting-spinner").display = True
        self.query_one("#connecting-message", Static).update(f"Connecting to {self.location}…")
