"""What the live view costs when nothing changes: CPU seconds its watcher uses per minute.

    python benchmarks/idle_cpu.py SQLITE_URL [POSTGRES_URL] [--seconds 60]

For each book it runs :class:`budget_tui.controller.watch.ChangeWatcher` the way the app does
(``wait(1.0)`` in a loop, 0.5 s polling interval) for ``--seconds`` in this process, and reports
the process CPU time (user + system) used by it, as a share of one core. On PostgreSQL it is run
twice: LISTEN (straight to the server) and polling (as through a transaction-mode pooler).
"""

from __future__ import annotations

import argparse
import json
import resource
import time


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(url: str, seconds: float, *, force_poll: bool = False) -> dict[str, float | str]:
    from budget_tui.controller.book import open_book
    from budget_tui.controller.watch import ChangeWatcher

    book = open_book(url)
    watcher = ChangeWatcher(book, interval=0.5)
    if force_poll:
        watcher.mode = "poll-pooler"  # what a pooler makes it do
    try:
        watcher.wait(1.0)  # connects (and LISTENs) before the clock starts
        start_cpu, start = cpu(), time.monotonic()
        heard = 0
        while time.monotonic() - start < seconds:
            heard += len(watcher.wait(1.0))
        used = cpu() - start_cpu
        wall = time.monotonic() - start
    finally:
        watcher.close()
        book.close()
    return {
        "mode": watcher.mode,
        "seconds": round(wall, 1),
        "cpu_seconds": round(used, 4),
        "cpu_percent_of_a_core": round(100 * used / wall, 4),
        "changes_heard": heard,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    results = {}
    for url in args.urls:
        kind = url.split(":", 1)[0]
        results[kind] = measure(url, args.seconds)
        if kind.startswith("postgresql"):
            results[f"{kind} (polling)"] = measure(url, args.seconds, force_poll=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
