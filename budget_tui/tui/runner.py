"""Controller calls from the screen: each runs in a thread worker, results come back on the UI thread.

This is the one place where failures are turned into what a person sees:

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
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from budget_tui.errors import BudgetError, InvalidInput, render

if TYPE_CHECKING:
    from budget_tui.controller.book import Book

R = TypeVar("R")
log = logging.getLogger("budget_tui.tui")

# A call slower than this shows the "working" indicator (a waking Neon database, a slow link).
SLOW_AFTER_S = 0.3


class HasBook(Protocol):
    book: Book | None

    def action_started(self) -> None: ...
    def action_finished(self) -> None: ...


class FieldErrors(Protocol):
    def show_field_error(self, field: str, message: str) -> bool: ...


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
    node: DOMNode,
    fn: Callable[..., R],
    /,
    *args: Any,
    done: Callable[[R], object] | None = None,
    failed: Callable[[BudgetError], object] | None = None,
    group: str = "db",
    exclusive: bool = False,
    **kwargs: Any,
) -> Worker[None]:
    """Run ``fn(book.sessions, *args, **kwargs)`` in a thread; then ``done(result)`` on the UI thread.

    On a BudgetError, ``failed(error)`` runs if given (it may show the error itself and should
    then return True), otherwise :func:`report_error` shows it. ``exclusive`` cancels the
    previous call of the same ``group`` from this node (for reloads that supersede each other).
    """
    app = node.app
    book = app.book  # type: ignore[attr-defined]
    if book is None:
        raise RuntimeError("The book is not open yet.")

    def finish_ok(result: R) -> None:
        if done is not None and node.is_attached:
            done(result)

    def finish_error(error: BudgetError) -> None:
        if failed is not None and failed(error):
            return
        report_error(node if node.is_attached else app, error)

    def work() -> None:
        started = time.monotonic()
        app.call_from_thread(app.action_started)  # type: ignore[attr-defined]
        try:
            result = fn(book.sessions, *args, **kwargs)
        except BudgetError as error:
            app.call_from_thread(finish_error, error)
        except Exception:
            log.exception("Unexpected error in %s", getattr(fn, "__name__", fn))
            app.call_from_thread(
                finish_error,
                BudgetError("Something unexpected went wrong; the details are in the log file."),
            )
        else:
            if get_current_worker().is_cancelled:
                return  # a newer call of the same group superseded this one
            log.debug(
                "%s took %.1f ms", getattr(fn, "__name__", fn), (time.monotonic() - started) * 1e3
            )
            app.call_from_thread(finish_ok, result)
        finally:
            app.call_from_thread(app.action_finished)  # type: ignore[attr-defined]

    return node.run_worker(
        work,
        name=getattr(fn, "__name__", "action"),
        group=group,
        exclusive=exclusive,
        thread=True,
        exit_on_error=False,
    )
