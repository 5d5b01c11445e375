"""BudgetApp: opens the book in the background, then shows Expenses, Categories and Reports."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from budget_tui.controller.book import Book
from budget_tui.errors import BudgetError

log = logging.getLogger("budget_tui.tui")


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
        yield Header()
        with Vertical(id="connecting"):
            yield Static(f"Connecting to {self.location}…", id="connecting-message")
            yield LoadingIndicator(id="connecting-spinner")
        yield Footer()

    def show_failure(self, error: BudgetError) -> None:
        self.query_one("#connecting-spinner").display = False
        self.query_one("#connecting-message", Static).update(
            f"Could not open {self.location}.\n\n{error}\n\nPress r to try again, q to quit."
        )

    def show_connecting(self) -> None:
        self.query_one("#connecting-spinner").display = True
        self.query_one("#connecting-message", Static).update(f"Connecting to {self.location}…")


class BudgetApp(App[None]):
    """The budget-tui application. ``url`` is opened in a worker; the screen never waits for it."""

    TITLE = "budget-tui"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit budget-tui"),
    ]

    def __init__(self, url: str, *, echo_sql: bool = False) -> None:
        super().__init__()
        from budget_tui.db.engine import describe

        self.url = url
        self.echo_sql = echo_sql
        self.location = describe(url)
        self.book: Book | None = None
        self._in_flight = 0

    # -- the book -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.sub_title = self.location
        self.push_screen(ConnectingScreen(self.location))
        self.open_book()

    @work(thread=True, exclusive=True, group="open-book", exit_on_error=False)
    def open_book(self) -> None:
        from budget_tui.controller.book import open_book

        try:
            # SQL echo goes to the log file (setup_logging), never to the terminal under the app.
            book = open_book(self.url)
        except BudgetError as error:
            self.call_from_thread(self._open_failed, error)
        except Exception:
            log.exception("Opening the book failed")
            self.call_from_thread(
                self._open_failed,
                BudgetError("The database could not be opened; see the log file."),
            )
        else:
            self.call_from_thread(self._opened, book)

    def _open_failed(self, error: BudgetError) -> None:
        if isinstance(self.screen, ConnectingScreen):
            self.screen.show_failure(error)

    def _opened(self, book: Book) -> None:
        self.book = book
        self.book_opened()

    def book_opened(self) -> None:
        """Called on the UI thread once the book is open: show the home screen."""

    def action_retry_connect(self) -> None:
        if isinstance(self.screen, ConnectingScreen):
            self.screen.show_connecting()
        self.open_book()

    # -- the "working" indicator ----------------------------------------------------------------

    def action_started(self) -> None:
        self._in_flight += 1

    def action_finished(self) -> None:
        self._in_flight = max(0, self._in_flight - 1)

    def on_unmount(self) -> None:
        if self.book is not None:
            self.book.close()


def setup_logging(echo_sql: bool) -> Path:
    """Log to a file (never over the screen); SQL echo goes there too, without bound parameters."""
    from budget_tui.config import log_dir

    directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "budget-tui.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if echo_sql:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    return path
