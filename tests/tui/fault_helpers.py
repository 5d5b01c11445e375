"""Helpers for TUI fault tests: run a whole Pilot scenario under a deadline, wait on the screen.

A Pilot scenario runs in its own thread and event loop (:func:`run_scenario`), so an app that
blocks its UI thread (a database call on the event loop, a hang while connecting) fails the
test after the deadline instead of stalling the run: ``asyncio.wait_for`` alone could not fire
on a blocked loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from tests.faults.conftest import bounded

# Generous: a scenario takes a few seconds; this only catches a hang.
SCENARIO_S = 90.0


def run_scenario(scenario: Callable[[], Awaitable[None]], *, within: float = SCENARIO_S) -> None:
    """Run ``scenario()`` to the end in a fresh event loop in a thread; re-raise what it raised.

    Fails the test if it is still running after ``within`` seconds."""
    _, error, _ = bounded(lambda: asyncio.run(scenario()), within=within)
    if error is not None:
        raise error


async def wait_for(
    pilot: Pilot, predicate: Callable[[], bool], *, within: float = 20.0, what: str = "it"
) -> float:
    """Let the app run until ``predicate()`` holds; answer how long that took.

    Fails with ``what`` in the message if it does not hold within ``within`` seconds."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > within:
            raise AssertionError(f"{what} did not happen within {within:.0f} s")
        await pilot.pause(0.05)
    return time.monotonic() - started


def toasts(app) -> list[tuple[str, str, str]]:
    """(title, message, severity) of every toast the app has shown and not yet cleared."""
    return [(n.title, n.message, n.severity) for n in app._notifications]
