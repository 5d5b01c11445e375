"""Make the SVG screenshots in ``screenshots/`` from the real app on demo data.

    python scripts/make_screenshots.py [--out screenshots] [--size 120x40] [--theme textual-dark]

A throwaway SQLite book is filled with the demo data (fixed seed, fixed date 2026-03-15), the real
``BudgetApp`` is run headless on it (with a few schedules), and keys are pressed as a person
would (1, 2, 3, a, F1, 5); each screen is saved as an SVG, and Expenses and Reports once more at
80x24 (NAME-80x24.svg). The same data, date, size and theme give the same files every run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

TODAY = dt.date(2026, 3, 15)
DEMO_EXPENSES = 2000
DEMO_SEED = 42

# (file name, keys pressed before the shot). Each step starts where the previous one left off.
SHOTS: list[tuple[str, tuple[str, ...]]] = [
    ("expenses", ("1",)),
    ("categories", ("2",)),
    ("reports", ("3",)),
    ("reports-by-month", ("p", "p", "p", "tab")),
    ("expense-form", ("escape", "1", "a")),
    # Enter on the empty form: every field's error at once.
    ("expense-form-errors", ("enter",)),
    # A few letters of a category: the names they match, to choose with the arrows.
    (
        "expense-form-category",
        ("escape", "a", *"Bus", "tab", *"2.80", "tab", "tab", "t", "r", "down"),
    ),
    # A search of every month (Esc closes the list, Esc asks, y drops the form).
    ("search", ("escape", "escape", "y", "slash", *"market", "enter")),
    ("help", ("escape", "f1")),
    # Every change with who made it (here the demo fill), each undoable.
    ("history", ("escape", "4")),
    # Rent, a salary, a reminder due and a subscription: next dates, amounts, cadences, states.
    ("schedules", ("5",)),
]
# The same app in a small terminal (80x24, as over SSH): saved as NAME-80x24.svg.
SMALL_SHOTS: list[tuple[str, tuple[str, ...]]] = [
    ("expenses", ("1",)),
    ("categories", ("2",)),
    ("reports", ("3",)),
]
SMALL_SIZE = (80, 24)


def _fix_environment(data_dir: Path) -> None:
    """Fixed date and money settings; nothing read from the developer's own configuration."""
    os.environ["BUDGET_TUI_TODAY"] = TODAY.isoformat()
    os.environ["BUDGET_TUI_DATA_DIR"] = str(data_dir)
    os.environ["BUDGET_CURRENCY"] = "USD"
    os.environ["BUDGET_LOCALE"] = "en_US"
    os.environ.pop("DATABASE_URL", None)


def _make_demo_book(url: str) -> None:
    from budget_tui.controller import categories, schedules
    from budget_tui.controller.book import open_book
    from budget_tui.controller.demo import fill_demo

    book = open_book(url)
    try:
        fill_demo(book.sessions, DEMO_EXPENSES, seed=DEMO_SEED, today=TODAY)
        salary = categories.create_category(book.sessions, "Salary", kind="income")
        for description, amount, category, day, start, remind in (
            ("Rent", "1800", "Rent", 1, "2026-04-01", False),
            ("Pay", "4200", salary.id, 25, "2026-03-25", False),
            ("Electricity", "60", "Utilities", 12, "2026-03-12", True),
            ("Streaming", "15.99", "Subscriptions", 31, "2026-03-31", False),
        ):
            schedules.create_schedule(
                book.sessions,
                description=description,
                amount=amount,
                category=category,
                day=day,
                start=start,
                remind=remind,
            )
    finally:
        book.close()


async def _settle(pilot: Pilot) -> None:
    """Wait for the database work, not for the workers that wait for a dialog's answer nor for
    the live watcher (it runs as long as the app)."""
    from budget_tui.tui.app import LIVE
    from budget_tui.tui.runner import DIALOG

    for _ in range(3):
        await pilot.pause()
        busy = [w for w in pilot.app.workers if w.is_running and w.group not in (DIALOG, LIVE)]
        if busy:  # (an empty list would mean every worker)
            await pilot.app.workers.wait_for_complete(busy)
    await pilot.pause()


async def _take(
    url: str,
    out: Path,
    size: tuple[int, int],
    theme: str,
    shots: list[tuple[str, tuple[str, ...]]],
    suffix: str = "",
) -> list[Path]:
    from budget_tui.tui.app import BudgetApp

    app = BudgetApp(url)
    saved: list[Path] = []
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        for _ in range(500):
            if app.book is not None:
                break
            await pilot.pause(0.02)
        else:
            raise SystemExit("The demo book did not open.")
        await _settle(pilot)
        for name, keys in shots:
            for key in keys:
                await pilot.press(key)
                await _settle(pilot)
            saved.append(Path(app.save_screenshot(f"{name}{suffix}.svg", str(out))))
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="output directory")
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--theme", default="textual-dark", help="Textual theme name")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    home = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="budget-tui-shots-") as tmp:
        _fix_environment(Path(tmp) / "data")
        # A relative URL, so the header shows "budget.db" and not a temporary path.
        os.chdir(tmp)
        try:
            url = "sqlite:///budget.db"
            _make_demo_book(url)
            saved = asyncio.run(_take(url, out, (width, height), args.theme, SHOTS))
            small = "-{}x{}".format(*SMALL_SIZE)
            saved += asyncio.run(_take(url, out, SMALL_SIZE, args.theme, SMALL_SHOTS, small))
        finally:
            os.chdir(home)
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
