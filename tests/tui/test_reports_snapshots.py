"""Snapshots of the Reports screen on fixed demo data, a fixed date (2026-03-15) and a fixed theme,
at 80x24 (one column of panels, scrolled) and at 120x40 (all four panels in a grid).
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from budget_tui.tui.screens.reports import ReportsScreen
from tests.tui.helpers import make_app, ready, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def reports_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _templates: dict[str, Path]
) -> str:
    """The shared demo book at a relative path, so the header (it shows the database) never
    changes from run to run."""
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(_templates["demo"], tmp_path / "budget.db")
    return "sqlite:///budget.db"


def show_reports(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """A ``run_before`` that opens Reports with 3, presses ``keys`` and waits for every figure."""

    async def run_before(pilot: Pilot) -> None:
        await ready(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportsScreen)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_this_month(snap_compare, reports_url: str, size: tuple[int, int]) -> None:
    """March 2026: the summary line, spend by category with bars (largest first), the month chart
    with March highlighted at its right end; at 120x40 also budget vs actual (over-budget bars in
    the error colour) and the ten largest expenses of March."""
    assert snap_compare(make_app(reports_url), terminal_size=size, run_before=show_reports())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_last_twelve_months_with_the_chart_focused(
    snap_compare,
    reports_url: str,
    size: tuple[int, int],
) -> None:
    """April 2025 to March 2026 ("Last 12 months" in the picker): every month bar highlighted,
    the chart focused (its border brighter) with the cursor on January 2026 and its figures in
    the chart's subtitle; the budget panel shows March 2026."""
    assert snap_compare(
        make_app(reports_url),
        terminal_size=size,
        run_before=show_reports("p", "p", "p", "tab", "left", "left"),
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_this_month_with_income(snap_compare, reports_url: str, size: tuple[int, int]) -> None:
    """The summary's second line: March's income, net and savings rate."""
    from tests.tui.test_snapshots import _with_income

    _with_income(reports_url)
    assert snap_compare(make_app(reports_url), terminal_size=size, run_before=show_reports())
