"""BudgetApp: opens the book in the background (posting what the schedules have due), then
shows Expenses, Categories, Reports, History, Schedules and the Inbox (what an assistant proposed); undo and redo work from every screen, and changes made elsewhere show by themselves."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from budget_tui.clock import today
from budget_tui.controller.periods import Period
from budget_tui.controller.views import UndoResult
from budget_tui.errors import BudgetError, render
from budget_tui.tui.commands import BudgetCommands
from budget_tui.tui.keys import APP_BINDINGS
from budget_tui.tui.screens.connecting import ConnectingScreen

if TYPE_CHECKING:
    from rich.console import RenderableType

    from budget_tui.controller.book import Book
    from budget_tui.controller.first_rows import FirstRows
    from budget_tui.controller.views import ExpenseListing, ExpensePage
    from budget_tui.controller.watch import ChangeWatcher
    from budget_tui.tui.prefetch import Prefetch

log = logging.getLogger("budget_tui.tui")
# The worker group of the live watcher: it runs as long as the app (tests don't wait for it).
LIVE = "live"

# How long a screen's call waits for the book to open before it says the database is not open.
OPEN_WAIT_S = 120.0
# How long opening the app's own book waits for the prefetched rows to be painted first.
FIRST_PAINT_WAIT_S = 2.0


def _reports_screen() -> Screen:
    # Imported on first use: the reports module (and its charts) costs nothing at start-up.
    from budget_tui.tui.screens.reports import ReportsScreen

    return ReportsScreen()


def _expenses_screen() -> Screen:
    from budget_tui.tui.screens.expenses import ExpensesScreen

    return ExpensesScreen()


def _categories_screen() -> Screen:
    from budget_tui.tui.screens.categories import CategoriesScreen

    return CategoriesScreen()


def _history_screen() -> Screen:
    from budget_tui.tui.screens.history import HistoryScreen

    return HistoryScreen()


def _inbox_screen() -> Screen:
    from budget_tui.tui.screens.inbox import InboxScreen

    return InboxScreen()


def _schedules_screen() -> Screen:
    from budget_tui.tui.screens.schedules import SchedulesScreen

    return SchedulesScreen()


class BudgetApp(App[None]):
    """The budget-tui application. ``url`` is opened in a worker; the screen never waits for it.

    ``month`` is the month the Expenses and Categories screens show; both follow it.
    ``report_period`` is the period the Reports screen shows; it follows ``month`` when that changes.
    """

    TITLE = "budget-tui"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {BudgetCommands}
    MODES: ClassVar = {
        "expenses": _expenses_screen,
        "categories": _categories_screen,
        "reports": _reports_screen,
        "history": _history_screen,
        "schedules": _schedules_screen,
        "inbox": _inbox_screen,
    }
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    # State the screens share. The screens that show it watch it and redraw what changed; the
    # app itself draws none of it, so a change repaints nothing (an app reactive's default
    # repaints the whole screen, at the key, before the figures for it have come).
    month: reactive[Period] = reactive(Period.month(dt.date(2000, 1, 1)), init=False, repaint=False)
    report_period: reactive[Period] = reactive(
        Period.month(dt.date(2000, 1, 1)), init=False, repaint=False
    )
    # Proposals waiting for the person's OK (an assistant in propose mode): the Inbox tab's count.
    inbox_count: reactive[int] = reactive(0, init=False, repaint=False)

    @dataclass
    class BookChanged(Message):
        """Changes were committed elsewhere (another terminal, the CLI, an MCP client)."""

        ids: tuple[int, ...]

    @dataclass
    class Undone(Message):
        """An undo or redo was made."""

        result: UndoResult

    @dataclass
    class UndoFailed(Message):
        error: BudgetError

    def __init__(
        self,
        url: str,
        *,
        echo_sql: bool = False,
        location: str | None = None,
        prefetch: Prefetch | None = None,
        first: FirstRows | None = None,
        live_interval: float = 0.5,
    ) -> None:
        """``location`` is the redacted place shown in the header (worked out from ``url`` when
        not given; "" while a server's is still on its way from the start-up child). ``prefetch`` is a child process reading the first screen's data
        (:mod:`budget_tui.tui.prefetch`): the list is painted from it while this process
        imports SQLAlchemy and opens its own book; ``first`` is the first rows it read before that
        (:mod:`budget_tui.controller.first_rows`), painted until the whole list is there.
        ``live_interval`` is how often the live watcher looks for changes made elsewhere, in
        seconds."""
        super().__init__()
        self.live_interval = live_interval
        self._stale = False
        if location is None:
            from budget_tui.db.engine import describe

            location = describe(url)
        self.url = url
        self.echo_sql = echo_sql
        self.location = location
        self.book: Book | None = None
        # Why the book could not be opened, while it is not open (a retry may open it yet).
        self.open_error: BudgetError | None = None
        self._watcher: ChangeWatcher | None = None  # the live watcher, once it runs
        self.first_listing: ExpenseListing | None = None
        self.first_rows: FirstRows | None = first
        self._prefetch = prefetch
        self._book_settled = threading.Event()  # set when the book is open, or failed to open
        self._first_rows_painted = threading.Event()
        self.set_reactive(BudgetApp.month, Period.month(today()))
        self.set_reactive(BudgetApp.report_period, self.month)
        self._in_flight = 0
        self._busy_timer: Timer | None = None

    # -- the book -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.sub_title = self.location
        if self.first_rows is not None:
            # The first rows are here: no connecting screen. Switched to once the app's start
            # is done: Textual holds back every frame drawn during it, and this one would then
            # wait for the next full repaint.
            self.call_later(self.switch_mode, "expenses")
        else:
            self.push_screen(ConnectingScreen(self.location))
        self.open_book()

    @work(thread=True, exclusive=True, group="open-book", exit_on_error=False)
    def open_book(self) -> None:
        self._book_settled.clear()
        early, self._prefetch = self._prefetch, None
        if early is not None:
            # Until the child's answers end; without "data" or "error" (the child died), this
            # process opens the book itself.
            for kind, value in early.answers():
                if kind == "first":
                    self.call_from_thread(self._first_rows_came, value)
                elif kind == "location":
                    # After the first rows are painted: a header changed while they are being
                    # laid out holds them back a frame.
                    self._first_rows_painted.wait(FIRST_PAINT_WAIT_S)
                    self.call_from_thread(self._located, value)
                elif kind == "error":
                    self._book_settled.set()
                    self.call_from_thread(self._open_failed, value)
                    return
                elif kind == "data":
                    self._first_rows_painted.clear()
                    self.call_from_thread(self._prefetched, value)
                    # Importing SQLAlchemy holds the GIL for a few hundred milliseconds: not
                    # before the list is on the screen.
                    self._first_rows_painted.wait(FIRST_PAINT_WAIT_S)
        from budget_tui.controller.book import open_book

        try:
            # SQL echo goes to the log file (setup_logging), never to the terminal under the app.
            book = open_book(self.url, source="tui")
        except BudgetError as error:
            self._book_settled.set()
            self.call_from_thread(self._open_failed, error)
        except Exception:
            log.exception("Opening the book failed")
            self._book_settled.set()
            self.call_from_thread(
                self._open_failed,
                BudgetError("The database could not be opened; see the log file."),
            )
        else:
            self.book = book
            posted = self._post_due(book)
            self._book_settled.set()
            self.call_from_thread(self._opened, book)
            if posted:
                self.call_from_thread(self._posted, posted)

    def _post_due(self, book: Book) -> int:
        """Post what the schedules have due (from the worker, before the screens read the book);
        returns how many entries were posted. A failure is shown, and the app opens anyway."""
        from budget_tui.controller.schedules import post_on_open

        try:
            return len(post_on_open(book.sessions).posted)
        except BudgetError as error:
            self.call_from_thread(
                self.notify,
                f"Scheduled entries were not posted: {render(error).text}",
                severity="warning",
                timeout=8,
            )
            return 0

    def _posted(self, count: int) -> None:
        self.notify(f"Posted {count} scheduled {'entry' if count == 1 else 'entries'}.", timeout=5)
        self.refresh_screen()

    def wait_for_book(self) -> Book:
        """The open book, waiting for it while it opens; from a worker thread only. Screens shown
        from the prefetched list call the controller before this process has its own book."""
        self._book_settled.wait(OPEN_WAIT_S)
        if self.book is None:
            raise BudgetError("The database is not open yet.", hint="Try again in a moment.")
        return self.book

    def _open_failed(self, error: BudgetError) -> None:
        self.open_error = error
        # The key list (F1) may cover the connecting screen when the failure comes.
        shown = False
        for screen in self.screen_stack:
            if isinstance(screen, ConnectingScreen):
                screen.show_failure(error)
                shown = True
        if not shown:  # the list came from the prefetch; this process could not open the book
            self.notify(render(error).text, title=error.title, severity="error", timeout=10)

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Quit. Quitting while the book could not be opened (its failure on the screen) ends
        with return code 1, not 0: the book never opened, and a script that started the app
        should know."""
        if return_code == 0 and self.book is None and self.open_error is not None:
            return_code = 1
        super().exit(result, return_code, message)

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual holds the screen back a moment when the mode changes, to mask the change; the
        first screen has nothing before it to mask, and its rows are painted at once."""
        if self.current_mode == self.DEFAULT_MODE:
            return
        super().delay_update(delay)

    def _located(self, location: str) -> None:
        """The header's location, when it came after the first rows (a server's does)."""
        if location != self.location:
            self.location = location
            self.sub_title = location

    def _first_rows_came(self, rows: FirstRows) -> None:
        if self.first_listing is None and self.first_rows is None:
            self.first_rows = rows
            if self.current_mode == self.DEFAULT_MODE:  # still connecting: they open the app
                self.switch_mode("expenses")

    def _prefetched(self, listing: ExpenseListing) -> None:
        self.first_listing = listing
        self.first_rows = None
        if self.current_mode == self.DEFAULT_MODE:  # still connecting: the list opens the app
            self.switch_mode("expenses")
            return
        # The first rows are on show: the whole list takes their place, unless a key moved on
        # meanwhile (another month, another screen, a dialog). Then nothing is painted from it,
        # and the load that key started waits for the app's own book: it opens now.
        hook = getattr(self.screen, "first_listing_came", None)
        if hook is None or not hook():
            self.first_rows_painted()

    def first_rows_painted(self) -> None:
        """Called by the Expenses screen once its first rows are on the screen."""
        self._first_rows_painted.set()

    def take_first_listing(self, month: Period) -> ExpenseListing | None:
        """The prefetched list for the Expenses screen's first load (once, and only for the
        month it was read for); None otherwise."""
        listing, self.first_listing = self.first_listing, None
        if listing is None or month != self.month:
            return None
        return listing

    def take_first_rows(self, month: Period) -> ExpensePage | None:
        """The first rows read before SQLAlchemy, for the Expenses screen to paint until the
        whole list comes (once, and only for the month they were read for); None otherwise."""
        rows, self.first_rows = self.first_rows, None
        if rows is None or rows.month != month or month != self.month:
            return None
        return rows.page

    def _opened(self, book: Book) -> None:
        # SQLAlchemy and the controller were imported to open the book. Like what the launch
        # imported (tui/start.py), they live as long as the app: a full collection need not walk
        # them again (one that fell on a key's repaint cost it 50-100 ms at 1M).
        gc.freeze()
        self.book = book
        self.open_error = None
        if not self.location:  # first rows came, their location never did (the child died)
            from budget_tui.db.engine import describe

            self._located(describe(self.url))
        self.book_opened()

    def book_opened(self) -> None:
        """Called on the UI thread once the book is open: show the home screen (unless the
        prefetched list already shows it), start listening."""
        if self.current_mode != "expenses":
            self.switch_mode("expenses")
        for screen in self.screen_stack:  # first rows shown, and the whole list never came
            hook = getattr(screen, "settle_first_rows", None)
            if hook is not None:
                hook()
        self.watch_book()

    # -- live: changes made elsewhere show by themselves ------------------------------------------

    @work(thread=True, exclusive=True, group=LIVE, exit_on_error=False)
    def watch_book(self) -> None:
        """Wait for changes committed elsewhere (see controller.watch) until the app ends."""
        from budget_tui.controller.watch import ChangeWatcher

        book = self.book
        assert book is not None
        worker = get_current_worker()
        watcher = ChangeWatcher(book, interval=self.live_interval)
        self._watcher = watcher
        posted_on = today()
        pending: int | None = None
        try:
            while not worker.is_cancelled:
                # A proposal is not a change (the watcher doesn't hear of it): the pending count
                # is read on each round instead, one COUNT on an index about once a second.
                count = watcher.pending_proposals()
                if count is not None and count != pending and not worker.is_cancelled:
                    pending = count
                    self.call_from_thread(self._proposals_changed, count)
                ids = watcher.wait(1.0)
                if today() != posted_on:
                    # Left open past midnight: what falls due on the new day is posted now,
                    # as if the app had been opened today.
                    posted_on = today()
                    if count := self._post_due(book):
                        self.call_from_thread(self._posted, count)
                others = tuple(i for i in ids if not book.wrote(i))
                if (others or self._stale) and not worker.is_cancelled:
                    self.post_message(self.BookChanged(others))
        finally:
            watcher.release()

    def _proposals_changed(self, count: int) -> None:
        self.inbox_count = count
        hook = getattr(self.screen, "proposals_changed", None)
        if hook is not None and not isinstance(self.screen, ModalScreen):
            hook()

    @on(BookChanged)
    def _book_changed(self, _message: BookChanged) -> None:
        self._stale = True
        self.refresh_screen()

    def refresh_screen(self) -> None:
        """Have the screen on show read the book again, unless a form or dialog is open over it
        (then it is done when the dialog closes: the watcher asks again every second)."""
        if isinstance(self.screen, ModalScreen):
            return
        hook = getattr(self.screen, "book_changed", None)
        self._stale = False
        if hook is not None:
            hook()

    # -- undo and redo ----------------------------------------------------------------------------

    def action_undo(self) -> None:
        self.undo_change(None, redo=False)

    def action_redo(self) -> None:
        self.undo_change(None, redo=True)

    @work(thread=True, group="undo", exit_on_error=False)
    def undo_change(self, change_id: int | None, *, redo: bool) -> None:
        """Undo ``change_id``, or (None) the last change made in the app, in this terminal or
        another, before a restart or after; or redo the change the app's last undo took back.
        Changes made by the CLI or an assistant are undone from History, by their id."""
        from budget_tui.controller import history
        from budget_tui.tui import runner

        try:
            if redo:
                result = runner.call(self, history.redo, source="tui")
            elif change_id is None:
                result = runner.call(self, history.undo, source="tui")
            else:
                result = runner.call(self, history.undo, change_id)
        except BudgetError as error:
            self.post_message(self.UndoFailed(error))
        else:
            self.post_message(self.Undone(result))

    @on(Undone)
    def _undone(self, message: Undone) -> None:
        self.notify(message.result.message, timeout=5)
        self.refresh_screen()

    @on(UndoFailed)
    def _undo_failed(self, message: UndoFailed) -> None:
        from budget_tui.tui.runner import report_error

        report_error(self.screen, message.error)

    def action_retry_connect(self) -> None:
        if isinstance(self.screen, ConnectingScreen):
            self.screen.show_connecting()
        self.open_book()

    # -- switching and help ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("undo", "redo"):
            # Not while a form or dialog is open (its keys are its own), nor before the book is.
            return self.book is not None and not isinstance(self.screen, ModalScreen)
        if action == "show":
            # Nothing to show before the book (or the prefetched list) is there; the screen
            # already shown is dimmed.
            if self.book is None and self.current_mode != "expenses":
                return False
            return None if self.current_mode == parameters[0] else True
        return True

    async def action_show(self, mode: str) -> None:
        if (self.book is None and self.current_mode != "expenses") or self.current_mode == mode:
            return
        await self.switch_mode(mode)

    def action_help(self) -> None:
        from budget_tui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    def watch_month(self, month: Period) -> None:
        self.report_period = month

    # -- the "working" indicator: runner.CallStarted / CallEnded from the worker threads -------

    def on_call_started(self) -> None:
        self._in_flight += 1
        if self._in_flight == 1:
            from budget_tui.tui.runner import SLOW_AFTER_S

            self._busy_timer = self.set_timer(SLOW_AFTER_S, self._show_busy)

    def on_call_ended(self) -> None:
        self._in_flight = max(0, self._in_flight - 1)
        if self._in_flight == 0:
            if self._busy_timer is not None:
                self._busy_timer.stop()
                self._busy_timer = None
            self.sub_title = self.location

    def _show_busy(self) -> None:
        # A slow call (a waking Neon database, a slow link) shows in the header; the screen
        # itself stays usable.
        if self._in_flight:
            self.sub_title = f"{self.location} · working…"

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()  # its thread ends now, not at the end of its round
        if self.book is not None:
            self.book.close()
