"""Controller calls from the screens: each runs in a thread worker; results come back as messages.

A screen's database work is a method decorated ``@work(thread=True, exclusive=True, group=...,
exit_on_error=False)`` that runs one use case through :func:`call` and ends by posting a typed
message to its screen with :func:`deliver` (which drops the answer of a call that a newer one of
the same group superseded). Failures need no handling at each call: the worker ends in the ERROR
state, and :class:`DatabaseWork`, mixed into every screen that runs such workers, is the one place
where they are turned into what a person sees:

* ``InvalidInput`` goes next to the field: the calling widget's ``show_field_error(field, message)``
  if it has one (forms do), otherwise a warning toast;
* every other ``BudgetError`` becomes an error toast with its title, message and, for a lost
  connection, whether the change was saved;
* anything unexpected is logged (with its traceback, to the log file only) and shown as a plain
  sentence. No traceback ever reaches the screen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState, get_current_worker

from budget_tui.errors import BudgetError, InvalidInput, render

if TYPE_CHECKING:
    from textual.app import App

    from budget_tui.controller._tx import Sessions
    from budget_tui.tui.app import BudgetApp

P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger("budget_tui.tui")

# A call slower than this shows the "working" indicator (a waking Neon database, a slow link).
SLOW_AFTER_S = 0.3

# The group of the async workers that wait for a dialog's answer (``push_screen_wait``).
DIALOG = "dialog"


@dataclass
class CallStarted(Message):
    """Posted to the app when a controller call begins in a worker thread."""


@dataclass
class CallEnded(Message):
    """Posted to the app when that call has returned or raised."""


def describe(error: BudgetError) -> str:
    """The sentence(s) a person reads for an error, outcome included for a lost connection:
    the same words the CLI and MCP show (:func:`budget_tui.errors.render`)."""
    return render(error).text


def report_error(node: DOMNode, error: BudgetError) -> None:
    """Show an error where it belongs. Must run on the UI thread."""
    if isinstance(error, InvalidInput):
        handler = getattr(node, "show_field_error", None)
        if handler is not None and handler(error.field, error.message):
            return
        node.app.notify(error.message, title=error.title, severity="warning")
        return
    node.app.notify(describe(error), title=error.title, severity="error", timeout=8)


def call(
    app: App[Any], fn: Callable[Concatenate[Sessions, P], R], /, *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run the use case ``fn(book.sessions, *args, **kwargs)``; only from a thread worker.

    Raises BudgetError; anything unexpected is logged with its traceback and raised as a plain
    BudgetError. The app hears of the call (:class:`CallStarted`, :class:`CallEnded`) so a slow
    one shows "working…" in the header.
    """
    budget_app = cast("BudgetApp", app)
    book = budget_app.book or budget_app.wait_for_book()
    name = getattr(fn, "__name__", "action")
    app.post_message(CallStarted())
    started = time.monotonic()
    try:
        return fn(book.sessions, *args, **kwargs)
    except BudgetError:
        raise
    except Exception:
        log.exception("Unexpected error in %s", name)
        raise BudgetError(
            "Something unexpected went wrong; the details are in the log file."
        ) from None
    finally:
        log.debug("%s took %.1f ms", name, (time.monotonic() - started) * 1e3)
        app.post_message(CallEnded())


def deliver(node: MessagePump, message: Message) -> None:
    """From a worker: post ``message`` to ``node``, unless the worker was cancelled (a newer call
    of its exclusive group superseded it; the thread itself still ran to its end)."""
    if not get_current_worker().is_cancelled:
        node.post_message(message)


class DatabaseWork:
    """Mixed into every screen whose workers call the controller: where their failures show,
    and when a screen shown again should read its data again."""

    _showing = False

    def on_screen_suspend(self) -> None:
        self._showing = False

    def shown_again(self) -> bool:
        """Call first in ``on_screen_resume``: False the first time a screen comes (back) into
        view, True for a repeat. Textual posts ScreenResume twice when a mode's screen is first
        shown (once as the mode's stack is made, once by ``switch_mode``); reading the data
        twice would double the first load of every screen."""
        if self._showing:
            return True
        self._showing = True
        return False

    def worker_failed(self, worker: Worker[Any], error: BudgetError) -> bool:
        """Called on the UI thread when a worker of this screen failed, before the error is
        shown; answer True when the screen has shown it itself. Screens override it to leave a
        "saving" or "paging" state, or to show an error their own way."""
        return False

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if not isinstance(error, BudgetError):
            log.error("Unexpected error in worker %s: %r", event.worker.name, error)
            error = BudgetError("Something unexpected went wrong; the details are in the log file.")
        if not self.worker_failed(event.worker, error):
            report_error(cast("DOMNode", self), error)
