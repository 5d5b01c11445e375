"""Helpers for driving BudgetApp with Pilot: wait until the database work has come back."""

from __future__ import annotations

import contextlib

from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

THEME = "textual-dark"


def make_app(url: str):
    """A BudgetApp on ``url`` with the fixed theme snapshots are taken in."""
    from budget_tui.tui.app import BudgetApp

    app = BudgetApp(url=url)
    app.theme = THEME
    return app


def _busy(app) -> list:
    """The workers still running, but for those waiting for a dialog's answer (runner.DIALOG):
    they wait for the person, who is the test; and the live watcher, which runs as long as the app."""
    from budget_tui.tui.app import LIVE
    from budget_tui.tui.runner import DIALOG

    return [w for w in app.workers if w.is_running and w.group not in (DIALOG, LIVE)]


async def settle(pilot: Pilot) -> None:
    """Wait until no worker runs and every result has been shown (results may start more work),
    until what moves on the screen (a field scrolled into view) has come to rest, and until the
    screen is laid out again after a change of mode (Textual holds it back for 50 ms)."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        if not _busy(app):
            await app.animator.wait_until_complete()
            for _ in range(100):
                if not app._batch_count:
                    break
                await pilot.pause(0.01)
            await pilot.pause()
            if not _busy(app):
                return
        # A worker that fails (a lost connection) or is superseded ends too: what the app made
        # of it is on the screen, for the test to check.
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await app.workers.wait_for_complete(_busy(app))
    raise AssertionError("the app kept starting workers")


async def ready(pilot: Pilot, mode: str = "expenses") -> None:
    """Wait for the book to open and ``mode`` (the home screen by default) to show its data."""
    app = pilot.app
    for _ in range(300):
        await settle(pilot)
        if getattr(app, "book", None) is not None and app.current_mode == "expenses":
            break
        await pilot.pause(0.02)
    else:
        raise AssertionError("the book did not open")
    if mode != "expenses":
        await app.switch_mode(mode)
    await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*text)


async def clear_and_type(pilot: Pilot, text: str) -> None:
    """Replace the focused input's value, as select-all then typing does."""
    pilot.app.focused.value = ""  # type: ignore[union-attr]
    await pilot.press(*text)


def notifications(app) -> list[str]:
    """The messages of the toasts on screen."""
    return [n.message for n in app._notifications]


async def steady_cursor(pilot: Pilot) -> None:
    """Stop the text cursor blinking, so a snapshot doesn't depend on when it was taken."""
    from textual.widgets import Input

    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def burst(app, keys: str) -> None:
    """Keys as a paste or a typist on a slow link sends them: all read at once, none waiting
    for the one before to be handled (Pilot's press waits after every key)."""
    from textual import events

    for key in keys:
        if key == "\t":
            app.post_message(events.Key("tab", None))
        elif key == "\x19":
            app.post_message(events.Key("shift+tab", None))
        else:
            app.post_message(events.Key(key, key))
