"""What recording a change costs a save: the same saves with the change log written and without.

    python benchmarks/change_log_cost.py URL [--rounds 10] [--per-round 100]

On a book (1M expenses in our runs), saves one expense at a time through the controller, in
alternating rounds: the ledger as shipped, then with its change-log INSERT replaced by nothing
(everything else the same), and so on. Alternating rounds in one process cancel the drift of a
shared machine, which is larger than the effect measured. Prints median and p95 of each, and the
difference. Every saved row is deleted again at the end (those deletes are recorded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from decimal import Decimal
from typing import Any


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--per-round", type=int, default=100)
    args = parser.parse_args()

    from budget_tui.controller import ledger
    from budget_tui.controller.book import open_book
    from budget_tui.controller.categories import list_categories
    from budget_tui.controller.expenses import create_expense, delete_expense

    book = open_book(args.url)
    real = ledger.write_change
    category = list_categories(book.sessions)[0].id
    timings: dict[str, list[float]] = {"with change log": [], "without": []}
    ids: list[int] = []

    def save(i: int) -> float:
        start = time.perf_counter()
        view = create_expense(
            book.sessions,
            description=f"Benchmark {i}",
            amount=Decimal("12.34"),
            occurred_on=dt.date(2026, 3, 10),
            category=category,
        )
        took = time.perf_counter() - start
        ids.append(view.id)
        return took * 1000

    def skip(*_args: Any, **_kwargs: Any) -> int:
        return 0

    try:
        n = 0
        for _ in range(args.rounds):
            for label in timings:
                ledger.write_change = real if label == "with change log" else skip  # type: ignore[assignment]
                for _ in range(args.per_round):
                    n += 1
                    timings[label].append(save(n))
    finally:
        ledger.write_change = real  # type: ignore[assignment]
        for expense_id in ids:
            delete_expense(book.sessions, expense_id)
        book.close()
    out = {
        label: {
            "median_ms": round(statistics.median(s), 3),
            "p95_ms": round(p95(s), 3),
            "n": len(s),
        }
        for label, s in timings.items()
    }
    a, b = out["with change log"], out["without"]
    out["change log adds"] = {
        "median_ms": round(a["median_ms"] - b["median_ms"], 3),
        "p95_ms": round(a["p95_ms"] - b["p95_ms"], 3),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
