"""budget-tui's benchmark: what a person feels at 10k, 100k and 1M expenses, on SQLite and PostgreSQL.

    python benchmarks/run.py --sizes 10000,100000,1000000 --backends sqlite,postgresql

For each backend and size it builds the dataset with ``budget-tui demo``, then measures:

1. launch -> expenses screen painted with rows, as a whole process in a pseudo-terminal (the
   rows are detected in what the app writes to the terminal), and the app's peak RSS;
2. the floor: a bare Textual app with a 50-row DataTable (``floor.py``), launched the same way in
   the same run; every launch is also given as a ratio to it;
3. key -> screen updated (``probe.py keys``: next month, open Categories, open Reports, Reports
   "this year", scroll 1,000 rows, a text filter), median and p95, and the same keys on the keys
   floor (``floor_keys.py``: a bare Textual app doing the same visible work, no database), each
   key given as a ratio to it;
4. one expense saved through the controller, median and p95 over 1,000 (``probe.py save``);
5. ``budget-tui demo`` (the dataset build itself) and a CSV import of the same number of rows
   into an empty database (``budget-tui import``): wall time and peak RSS.

Launch figures are the median of ``--runs`` launches (min and max kept). The table is printed and
everything is written to ``benchmarks/results/<time>.json`` so two runs can be compared.
PostgreSQL uses ``--pg-url`` (default ``postgresql://postgres@127.0.0.1:5432/budget_bench``) and a
second database named ``<that>_import`` for the import; both are emptied first.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import json
import os
import platform
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
TODAY = "2026-03-15"  # demo data and the app agree on "this month"
SEED = 7
COLUMNS, LINES = 120, 40
ROWS_PAINTED = 15  # description cells seen on the terminal before the rows count as painted
ANSI = re.compile(r"\x1b(\[[0-9;?<>=!]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)")


def _descriptions() -> re.Pattern[str]:
    from budget_tui.controller.demo import BILLS, CATEGORIES

    words = {d for c in CATEGORIES for d in c[4]} | {b[1] for b in BILLS}
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BUDGET_TUI_TODAY=TODAY,
        BUDGET_TUI_DATA_DIR=str(data_dir),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        COLUMNS=str(COLUMNS),
        LINES=str(LINES),
    )
    env.pop("DATABASE_URL", None)
    env.pop("TEXTUAL", None)
    return env


# -- measuring processes ------------------------------------------------------------------------


def timed_process(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a command to its end: wall time, peak RSS (from the kernel's rusage), exit status."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": wall,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "exit": code,
        "stderr_tail": err.strip().splitlines()[-1][-300:] if code and err.strip() else "",
        "stdout": out[-100_000:],  # the probes print one long JSON line last
    }


def _hwm_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def launch(cmd: list[str], env: dict[str, str], pattern: re.Pattern[str], timeout: float = 120):
    """Start ``cmd`` on a pseudo-terminal; the time until its output shows ROWS_PAINTED
    description cells, and its peak RSS half a second later."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of COLUMNS x LINES, then the app
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        os.execvpe(cmd[0], cmd, env)
    painted: float | None = None
    seen = 0
    tail = ""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break  # the child exited
            if not chunk:
                break
            text = ANSI.sub("", tail + chunk.decode(errors="replace"))
            seen += len(pattern.findall(text[len(ANSI.sub("", tail)) :]))
            tail = chunk.decode(errors="replace")[-64:]
            if seen >= ROWS_PAINTED:
                painted = time.perf_counter() - start
                break
        settle = time.perf_counter() + 0.5
        while time.perf_counter() < settle:  # keep reading: a blocked terminal stalls the app
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    os.read(fd, 1 << 16)
                except OSError:
                    break
        rss = _hwm_mib(pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _pid, _status, usage = os.wait4(pid, 0)
        os.close(fd)
    return painted, rss if rss is not None else usage.ru_maxrss / 1024


def stats(values: list[float]) -> dict[str, Any] | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


# -- databases ----------------------------------------------------------------------------------


def pg_reset(url: str) -> None:
    """An empty database at ``url`` (created when missing); the app's migrations make the schema."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url).set(drivername="postgresql+psycopg2")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        ).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = create_engine(target, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database(backend: str, name: str, work: Path, pg_url: str) -> str:
    if backend == "sqlite":
        path = work / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = pg_url if name == "main" else f"{pg_url}_{name}"
    pg_reset(url)
    return url


# -- one backend and size ----------------------------------------------------------------------


def measure(backend: str, size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    env = _env(work / "data")
    cli = str(BIN / "budget-tui")
    out: dict[str, Any] = {"backend": backend, "size": size}
    url = database(backend, "main", work, args.pg_url)

    log(f"{backend} {size:,}: demo")
    demo = timed_process(
        [cli, "--db", url, "demo", "--expenses", str(size), "--seed", str(SEED)], env
    )
    out["demo"] = demo
    if demo["exit"] != 0:
        out["error"] = f"demo failed: {demo['stderr_tail']}"
        return out

    log(f"{backend} {size:,}: launch x{args.runs} (with the floor)")
    pattern = _descriptions()
    floor_t, floor_rss, app_t, app_rss = [], [], [], []
    for _ in range(args.runs):
        t, rss = launch([sys.executable, str(HERE / "floor.py")], env, pattern)
        floor_t.append(t)
        floor_rss.append(rss)
        t, rss = launch([cli, "--db", url], env, pattern)
        app_t.append(t)
        app_rss.append(rss)
    out["floor_launch_s"] = stats(floor_t)
    out["floor_rss_mib"] = stats(floor_rss)
    out["launch_s"] = stats(app_t)
    out["rss_mib"] = stats(app_rss)
    if out["launch_s"] and out["floor_launch_s"]:
        out["launch_ratio"] = out["launch_s"]["median"] / out["floor_launch_s"]["median"]
        pairs = [a / f for a, f in zip(app_t, floor_t, strict=True) if a and f]
        out["launch_ratio_per_run"] = stats(pairs)

    if not args.no_keys:
        log(f"{backend} {size:,}: keys")
        keys = timed_process([sys.executable, str(HERE / "probe.py"), "keys", url], env)
        out["keys"] = _json_line(keys)
        log(f"{backend} {size:,}: the same keys on the floor")
        floor = timed_process([sys.executable, str(HERE / "probe.py"), "floor-keys"], env)
        out["floor_keys"] = _json_line(floor)
    log(f"{backend} {size:,}: controller calls")
    out["queries"] = _json_line(
        timed_process([sys.executable, str(HERE / "probe.py"), "queries", url], env)
    )
    log(f"{backend} {size:,}: save x1000")
    out["save"] = _json_line(
        timed_process([sys.executable, str(HERE / "probe.py"), "save", url], env)
    )

    if not args.no_import:
        log(f"{backend} {size:,}: export + import")
        csv_path = work / f"import-{size}.csv"
        out["export"] = timed_process([cli, "--db", url, "export", "-o", str(csv_path)], env)
        target = database(backend, "import", work, args.pg_url)
        # Into an empty book: its categories are made by the import, as a person would ask.
        out["import"] = timed_process(
            [cli, "--db", target, "import", str(csv_path), "--create-categories"], env
        )
        csv_path.unlink(missing_ok=True)
        if backend == "sqlite":
            database(backend, "import", work, args.pg_url)
    for step in ("demo", "export", "import"):
        if step in out:
            out[step].pop("stdout", None)
    return out


def _json_line(result: dict[str, Any]) -> dict[str, Any]:
    for line in reversed(result.get("stdout", "").splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {"error": result.get("stderr_tail") or f"exit {result['exit']}"}


# -- the table ----------------------------------------------------------------------------------


def _ms(entry: dict[str, Any] | None, key: str = "median_ms") -> str:
    if not entry or entry.get(key) is None:
        return "n/a"
    if "min_ms" in entry and key == "median_ms":
        return f"{entry['median_ms']:.0f} ({entry['min_ms']:.0f}–{entry['max_ms']:.0f})"
    return f"{entry[key]:.1f}"


def _s(entry: dict[str, Any] | None, scale: float = 1.0, fmt: str = "{:.2f}") -> str:
    if not entry:
        return "n/a"
    return (
        f"{fmt.format(entry['median'] * scale)} "
        f"({fmt.format(entry['min'] * scale)}–{fmt.format(entry['max'] * scale)})"
    )


KEYS = (
    ("next_month", "next month"),
    ("open_categories", "open Categories"),
    ("open_reports", "open Reports"),
    ("reports_this_year", "Reports: this year"),
    ("scroll_page_key", "page down (list)"),
    ("filter", "text filter"),
)


def _key(entry: dict[str, Any] | None) -> str:
    if not entry or entry.get("median_ms") is None:
        return "n/a"
    return f"{entry['median_ms']:.0f} / {entry['p95_ms']:.0f}"


def _key_ratio(result: dict[str, Any], key: str) -> str:
    app, floor = result["keys"].get(key), result["floor_keys"].get(key)
    if not app or not floor:
        return "n/a"
    return f"{app['median_ms'] / floor['median_ms']:.2f}x / {app['p95_ms'] / floor['p95_ms']:.2f}x"


def table(results: list[dict[str, Any]]) -> str:
    cols = [f"{r['backend']} {r['size']:,}" for r in results]
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, fn) -> None:
        cells = []
        for r in results:
            try:
                cells.append(fn(r))
            except (KeyError, TypeError):
                cells.append("n/a")
        rows.append((label, cells))

    add("floor launch, s", lambda r: _s(r.get("floor_launch_s")))
    add("launch -> rows painted, s", lambda r: _s(r.get("launch_s")))
    add("  ratio to the floor", lambda r: f"{r['launch_ratio']:.2f}x")
    add(
        "peak RSS app / floor, MiB",
        lambda r: f"{r['rss_mib']['max']:.0f} / {r['floor_rss_mib']['max']:.0f}",
    )
    for key, label in KEYS:
        add(f"{label}, ms median / p95", lambda r, k=key: _key(r["keys"].get(k)))
        add("  floor, ms median / p95", lambda r, k=key: _key(r["floor_keys"].get(k)))
        add("  ratio to the floor (median / p95)", lambda r, k=key: _key_ratio(r, k))
    add(
        "scroll 1,000 rows, ms",
        lambda r: (
            f"{r['keys']['scroll_1000_rows']['total_ms']:.0f}"
            if r["keys"].get("scroll_1000_rows")
            else "n/a"
        ),
    )
    add(
        "PageDown held through 10,000 rows: landed right, s",
        lambda r: (
            f"{'yes' if r['keys']['held_pagedown']['landed_on_expected_row'] else 'NO'}, "
            f"{r['keys']['held_pagedown']['total_ms'] / 1000:.1f}"
            if r["keys"].get("held_pagedown")
            else "n/a"
        ),
    )
    for key, label in (
        ("list_expenses_month", "  sql: month's first page, ms"),
        ("expense_totals_month", "  sql: month's totals, ms"),
        ("filter_text_totals_month", "  sql: text filter totals, ms"),
        ("search_all_months_rare", "  sql: search every month, rare word, ms"),
        ("search_all_months_common", "  sql: search every month, common word, ms"),
        ("list_categories_month", "  sql: categories + spend, ms"),
        ("report_by_category_year", "  sql: year by category, ms"),
        ("largest_year", "  sql: year's largest, ms"),
        ("summary_all_time", "  sql: all-time summary, ms"),
    ):
        add(label, lambda r, k=key: _ms(r["queries"].get(k)))
    add(
        "save one expense, ms (median / p95)",
        lambda r: f"{r['save']['save']['median_ms']:.2f} / {r['save']['save']['p95_ms']:.2f}",
    )
    add(
        "  the same without the disk flush",
        lambda r: (
            f"{r['save']['save_without_disk_flush']['median_ms']:.2f} / "
            f"{r['save']['save_without_disk_flush']['p95_ms']:.2f}"
        ),
    )
    add(
        "demo: wall s / peak MiB",
        lambda r: f"{r['demo']['wall_s']:.1f} / {r['demo']['peak_rss_mib']:.0f}",
    )
    add(
        "import CSV: wall s / peak MiB",
        lambda r: (
            f"{r['import']['wall_s']:.1f} / {r['import']['peak_rss_mib']:.0f}"
            if r["import"]["exit"] == 0
            else "failed"
        ),
    )
    width = max(len(label) for label, _ in rows)
    col_w = [max(len(c), *(len(cells[i]) for _, cells in rows)) for i, c in enumerate(cols)]
    lines = [
        "| "
        + "what".ljust(width)
        + " | "
        + " | ".join(c.ljust(w) for c, w in zip(cols, col_w, strict=False))
        + " |",
        "|" + "-" * (width + 2) + "|" + "|".join("-" * (w + 2) for w in col_w) + "|",
    ]
    for label, cells in rows:
        lines.append(
            "| "
            + label.ljust(width)
            + " | "
            + " | ".join(c.ljust(w) for c, w in zip(cells, col_w, strict=False))
            + " |"
        )
    return "\n".join(lines)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def compile_bytecode() -> None:
    """Write budget-tui's bytecode, as ``pip install`` does for an installed package. Without it,
    an editable checkout run with PYTHONDONTWRITEBYTECODE set (as on CI machines) compiles every
    module it imports from source on every launch: some 30 ms of each launch that no installed
    copy pays."""
    import compileall

    import budget_tui

    compileall.compile_dir(Path(budget_tui.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=5, help="launches of the app and of the floor")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/budget_bench"
        ),
    )
    parser.add_argument("--no-keys", action="store_true", help="skip the in-app key timings")
    parser.add_argument("--no-import", action="store_true", help="skip export and import")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]

    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="budget-bench-"))
    started = dt.datetime.now(dt.UTC)
    results = []
    try:
        for backend in backends:
            for size in sizes:
                results.append(measure(backend, size, args, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_at_end": os.getloadavg(),
        },
        "results": results,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(table(results))
    print(f"\nWritten to {path}")


if __name__ == "__main__":
    main()
