"""Snapshots of the Reports screen on fixed demo data, a fixed date (2026-03-15) and a fixed theme,
at 80x24 (one column of panels, scrolled) and at 120x40 (all four panels in a grid).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from budget_tui.controller.book import open_book
from budget_tui.controller.demo import fill_demo
from budget_tui.tui.app import BudgetApp
from budget_tui.tui.screens.reports import ReportsScreen

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # A relative path, so the header (which shows the database) is the same on every run.
    monkeypatch.chdir(tmp_path)
    book = open_book("sqlite:///budget.db")
    fill_demo(book.sessions, 1500, seed=5, today=dt.date(2026, 3, 15))
    book.close()
    yield "sqlite:///budget.db"


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def show_reports(*keys: str):
    """A ``run_before`` that opens Reports, presses ``keys`` and waits until every figure is in."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        app.theme = "textual-dark"
        for _ in range(200):
            if app.book is not None:  # type: ignore[attr-defined]
                break
            await pilot.pause(0.02)
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_this_month(snap_compare, demo_url: str, size: tuple[int, int]) -> None:
    """March 2026: the summary line, spend by category with bars (Rent largest), the month chart
    with March highlighted at its right end; at 120x40 also budget vs actual (over-budget bars in
    the error colour) and the ten largest expenses of March."""
    assert snap_compare(BudgetApp(demo_url), terminal_size=size, run_before=show_reports())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_last_twelve_months_with_the_chart_focused(
    snap_compare,
    demo_url: str,
    size: tuple[int, int],
) -> None:
    """April 2025 to March 2026 ("Last 12 months" in the picker): every month bar highlighted,
    the chart focused (its border brighter) with the cursor on January 2026 and its figures in
    the chart's subtitle; the budget panel shows March 2026."""
    assert snap_compare(
        BudgetApp(demo_url),
        terminal_size=size,
        run_before=show_reports("p", "p", "p", "tab", "left", "left"),
    )
