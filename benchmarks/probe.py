"""In-process probes that ``run.py`` starts in a fresh process and reads back as one JSON line.

``probe.py keys URL``  key -> screen updated, driven through Textual's pilot: each figure is the
time from the key press until every worker the key started has finished and the screen has
refreshed. A screen or key the app doesn't have (yet) gives ``null`` ("n/a" in the table). Then
PageDown held through 10,000 rows of the month, and whether the cursor landed where the presses
put it.

``probe.py floor-keys``  the same keys on ``floor_keys.py``, a bare Textual app doing the same
visible work: the floor each key is compared with.

``probe.py save URL``  one expense saved through the controller, 1,000 times (then deleted again);
then the same with commits that don't wait for the disk's flush, to show the software's share.

``probe.py queries URL``  the controller calls behind each screen, timed alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

REPEAT = 5
PRESETS = (
    4  # Reports' period presets that ``p`` cycles: this month, last month, this year, 12 months
)
SIZE = (120, 40)
SCROLL_ROWS = 1000
HELD_ROWS = 10_000  # PageDown held down (no wait between presses) through this many rows
STEP_TIMEOUT_S = 90


def log(message: str) -> None:
    print(f"probe: {message}", file=sys.stderr, flush=True)


def _summary(samples: list[float]) -> dict[str, Any] | None:
    if not samples:
        return None
    ms = sorted(s * 1000 for s in samples)
    return {
        "median_ms": statistics.median(ms),
        "min_ms": ms[0],
        "max_ms": ms[-1],
        "p95_ms": ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))],
        "n": len(ms),
    }


async def _settle(app: Any, pilot: Any, timeout: float = 30.0) -> None:
    """Wait until no worker runs (a key may start a worker whose result starts another, such as
    a page fetch), then for one refresh of the screen."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        await pilot.pause()
        # The live watcher runs as long as the app does: it is never "done".
        busy = [w for w in app.workers if not w.is_finished and w.group != "live"]
        if not busy and not getattr(app, "_in_flight", 0):
            break
        # A worker superseded by a newer one (exclusive) ends cancelled.
        with contextlib.suppress(Exception):
            await app.workers.wait_for_complete(busy)
    await pilot.pause()


def _rows_shown(app: Any) -> bool:
    from textual.widgets import DataTable

    try:
        table = app.screen.query_one(DataTable)
    except Exception:
        return False
    return table.display and table.row_count > 0


async def _timed(
    app: Any, pilot: Any, press: Callable[[], Awaitable[None]], changed: Callable[[], bool]
) -> float | None:
    start = time.perf_counter()
    await press()
    await _settle(app, pilot)
    elapsed = time.perf_counter() - start
    return elapsed if changed() else None


async def keys(url: str) -> dict[str, Any]:
    from budget_tui.tui.app import BudgetApp

    return await keys_on(BudgetApp(url=url))


async def floor_keys() -> dict[str, Any]:
    """The same keys on ``floor_keys.py``: what Textual costs for the same visible work."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from floor_keys import FloorKeys

    return await keys_on(FloorKeys())


async def keys_on(app: Any) -> dict[str, Any]:
    """Each key's time on ``app`` (budget-tui, or the floor that has the same keys)."""
    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        while not _rows_shown(app):
            await _settle(app, pilot)
            if time.perf_counter() - started > 60:
                return {"error": "the expenses screen showed no rows within 60 s"}
        out["first_rows_in_pilot_ms"] = (time.perf_counter() - started) * 1000

        def mode() -> str:
            return str(getattr(app, "current_mode", type(app.screen).__name__))

        async def step(name: str, keys: tuple[str, ...], back: tuple[str, ...], check) -> None:
            try:
                await asyncio.wait_for(_step(name, keys, back, check), STEP_TIMEOUT_S)
            except TimeoutError:
                out[name] = None
                out.setdefault("timeouts", []).append(name)
            log(f"{name}: {out.get(name)}")

        async def _step(name: str, keys: tuple[str, ...], back: tuple[str, ...], check) -> None:
            samples = []
            for _ in range(REPEAT):
                before = (mode(), str(getattr(app, "month", "")))
                t = await _timed(app, pilot, lambda: pilot.press(*keys), lambda b=before: check(b))
                if t is None:
                    break
                samples.append(t)
                if back:
                    await pilot.press(*back)
                    await _settle(app, pilot)
            out[name] = _summary(samples)

        try:
            await step(
                "next_month",
                ("right_square_bracket",),
                ("left_square_bracket",),
                lambda b: str(getattr(app, "month", "")) != b[1],
            )
            await step("open_categories", ("2",), ("1",), lambda b: mode() != b[0])
            await step("open_reports", ("3",), ("1",), lambda b: mode() != b[0])
            # Reports' period presets cycle this month -> last month -> this year.
            await pilot.press("3")
            await _settle(app, pilot)
            if mode() == "reports":
                await pilot.press("p")
                await _settle(app, pilot)
                t = await _timed(app, pilot, lambda: pilot.press("p"), lambda: True)
                out["reports_this_year"] = _summary([t] if t else [])
                samples = []
                for _ in range(REPEAT - 1):
                    # Round the four presets to the one before this year (three presses), then
                    # time the key that brings this year back. (Four presses had timed the key
                    # from this year to the last 12 months, a different report, every other time.)
                    for _ in range(PRESETS - 1):
                        await pilot.press("p")
                        await _settle(app, pilot)
                    t = await _timed(app, pilot, lambda: pilot.press("p"), lambda: True)
                    if t:
                        samples.append(t)
                if samples:
                    out["reports_this_year"] = _summary(
                        [out["reports_this_year"]["median_ms"] / 1000, *samples]
                    )
            log(f"reports_this_year: {out.get('reports_this_year')}")
            await pilot.press("1")
            await _settle(app, pilot)
            for name, probe in (("scroll", _scroll), ("filter", _filter), ("held", _held)):
                try:
                    out.update(await asyncio.wait_for(probe(app, pilot), STEP_TIMEOUT_S))
                except TimeoutError:
                    out.setdefault("timeouts", []).append(name)
                log(f"{name}: done")
        except Exception as exc:  # a screen still being built must not stop the run
            out["error"] = f"{type(exc).__name__}: {exc}"
    return out


async def _scroll(app: Any, pilot: Any) -> dict[str, Any]:
    from textual.widgets import DataTable

    table = app.screen.query_one(DataTable)
    table.focus()
    await _settle(app, pilot)
    page = max(1, table.scrollable_content_region.height - 1)
    presses = -(-SCROLL_ROWS // page)
    per_key = []
    start = time.perf_counter()
    first = table.cursor_row
    for _ in range(presses):
        t = await _timed(app, pilot, lambda: pilot.press("pagedown"), lambda: True)
        per_key.append(t or 0.0)
    total = time.perf_counter() - start
    moved = table.cursor_row - first
    return {
        "scroll_1000_rows": {
            "total_ms": total * 1000,
            "presses": presses,
            "rows_per_press": page,
            "cursor_moved_rows": moved,
        },
        "scroll_page_key": _summary(per_key),
    }


async def _filter(app: Any, pilot: Any) -> dict[str, Any]:
    from textual.widgets import DataTable, Input

    samples = []
    for word in ("pizza", "coffee", "rent", "fuel", "books")[:REPEAT]:
        await pilot.press("slash")
        await _settle(app, pilot)
        try:
            field = app.screen.query_one("#search", Input)
        except Exception:
            return {"filter": None}
        if not field.display:
            return {"filter": None}
        await pilot.press(*word)
        table = app.screen.query_one(DataTable)
        t = await _timed(app, pilot, lambda: pilot.press("enter"), lambda: True)
        if t is None:
            break
        samples.append(t)
        table.focus()
        await pilot.press("escape")
        await _settle(app, pilot)
    return {"filter": _summary(samples)}


async def _held(app: Any, pilot: Any) -> dict[str, Any]:
    """PageDown held through ``HELD_ROWS`` rows of the month: every press made without waiting
    for the pages it needs, then where the cursor landed compared with the row the presses put
    it on (read from the controller). Only budget-tui has a book to read that row from."""
    if getattr(app, "book", None) is None:
        return {}
    from budget_tui.controller.expense_list import list_expenses
    from budget_tui.controller.views import ExpenseFilter

    screen = app.screen
    table = screen.table
    table.focus()
    await _settle(app, pilot)
    start = screen.current
    step = table._page_rows()
    presses = -(-HELD_ROWS // step)
    ids: list[int] = []
    after = None
    listing = ExpenseFilter(period=app.month)
    while True:
        page = list_expenses(app.book.sessions, listing, after=after, limit=1000)
        ids += [e.id for e in page.items]
        if page.next_cursor is None or len(ids) > ids.index(start.id) + presses * step:
            break
        after = page.next_cursor
    expected = ids[min(len(ids) - 1, ids.index(start.id) + presses * step)]
    started = time.perf_counter()
    for _ in range(presses):
        await pilot.press("pagedown")
    await _settle(app, pilot)
    total = time.perf_counter() - started
    landed = screen.current
    return {
        "held_pagedown": {
            "rows": presses * step,
            "presses": presses,
            "total_ms": total * 1000,
            "landed_on_expected_row": landed is not None and landed.id == expected,
        }
    }


def _no_flush(book: Any) -> None:
    """Commits that don't wait for the disk (this process's connections only): what a save costs
    in software, apart from the flush to disk."""
    from sqlalchemy import event

    statement = (
        "PRAGMA synchronous=NORMAL" if book.backend == "sqlite" else "SET synchronous_commit=off"
    )

    @event.listens_for(book.engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute(statement)
        cursor.close()
        if book.backend != "sqlite":
            dbapi_conn.commit()

    book.engine.dispose()


def save(url: str, count: int = 1000, *, flush: bool = True) -> dict[str, Any]:
    import datetime as dt
    from decimal import Decimal

    from budget_tui.controller.book import open_book
    from budget_tui.controller.categories import list_categories
    from budget_tui.controller.expenses import create_expense, delete_expense

    book = open_book(url)
    if not flush:
        _no_flush(book)
    try:
        category = list_categories(book.sessions)[0].id
        day = dt.date(2026, 3, 10)
        samples, ids = [], []
        for i in range(count):
            start = time.perf_counter()
            view = create_expense(
                book.sessions,
                description=f"Benchmark {i}",
                amount=Decimal("12.34") + i,
                occurred_on=day,
                category=category,
            )
            samples.append(time.perf_counter() - start)
            ids.append(view.id)
        for expense_id in ids:
            delete_expense(book.sessions, expense_id)
    finally:
        book.close()
    return {"save" if flush else "save_without_disk_flush": _summary(samples)}


def queries(url: str) -> dict[str, Any]:
    """The controller calls behind each screen, timed alone (median of REPEAT): the database's
    share of a key's time."""
    import datetime as dt

    from budget_tui.controller import categories, expense_list, reports
    from budget_tui.controller.book import open_book
    from budget_tui.controller.periods import Period
    from budget_tui.controller.views import ExpenseFilter

    today = dt.date.fromisoformat(os.environ.get("BUDGET_TUI_TODAY", "2026-03-15"))
    month = Period.month(today)
    year = Period.year(today.year)
    book = open_book(url)
    s = book.sessions
    deep = expense_list.list_expenses(s, ExpenseFilter(period=month), limit=1000).next_cursor
    calls: dict[str, Callable[[], object]] = {
        "list_expenses_month": lambda: expense_list.list_expenses(s, ExpenseFilter(period=month)),
        "expense_totals_month": lambda: expense_list.expense_totals(s, ExpenseFilter(period=month)),
        "list_expenses_page_1000_rows_on": lambda: expense_list.list_expenses(
            s, ExpenseFilter(period=month), after=deep
        ),
        "filter_text_month": lambda: expense_list.list_expenses(
            s, ExpenseFilter(period=month, text="pizza")
        ),
        "filter_text_totals_month": lambda: expense_list.expense_totals(
            s, ExpenseFilter(period=month, text="pizza")
        ),
        # `/`: a search of every month, as the Expenses screen loads it (page, totals,
        # categories); a rare word reads the most rows, a common one counts the most.
        "search_all_months_rare": lambda: expense_list.browse_expenses(
            s, ExpenseFilter(text="plumber")
        ),
        "search_all_months_common": lambda: expense_list.browse_expenses(
            s, ExpenseFilter(text="market")
        ),
        "list_categories_month": lambda: categories.list_categories(s, month),
        "report_by_category_year": lambda: reports.spend_by_category_report(s, year),
        "report_by_month_12": lambda: reports.spend_by_month(s, Period.last_months(today, 12)),
        "budget_vs_actual": lambda: reports.budget_vs_actual(s, today),
        "largest_year": lambda: reports.largest_expenses(s, year),
        "summary_all_time": lambda: reports.summary(s, dt.date(1900, 1, 1), today),
        "expense_totals_all": lambda: expense_list.expense_totals(s, ExpenseFilter()),
    }
    out: dict[str, Any] = {}
    try:
        for name, fn in calls.items():
            samples = []
            for _ in range(REPEAT):
                start = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - start)
            out[name] = _summary(samples)
    finally:
        book.close()
    return out


def main() -> None:
    what, url = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    if what == "floor-keys":
        result = asyncio.run(floor_keys())
    elif what == "keys":
        result = asyncio.run(keys(url))
    elif what == "queries":
        result = queries(url)
    else:
        result = save(url)
        result.update(save(url, flush=False))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
