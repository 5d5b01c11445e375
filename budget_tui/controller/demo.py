"""Realistic demo data: categories with budgets, monthly bills and everyday spending over the last
two years.

The bulk path skips the ORM: rows go in through the driver (COPY on PostgreSQL, executemany on
SQLite) in one transaction. Rows are made in date order, so ids rise with the date and every index
grows at its end, and the roll-up gets the new totals as deltas (computed while the rows are made)
instead of a scan of the table. The same seed and date give the same expenses.
"""

from __future__ import annotations

import datetime as dt
import queue
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import repeat

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget_tui.clock import today as _today
from budget_tui.controller import ledger, validate
from budget_tui.controller._tx import action, read_action
from budget_tui.controller.periods import add_months
from budget_tui.controller.queries import expenses_t
from budget_tui.db.models import Category, utcnow
from budget_tui.db.money import to_cents
from budget_tui.errors import Conflict
from budget_tui.words import plural

# name, monthly budget, (typical amount, spread), share of everyday expenses, descriptions.
# A share of 0 means the category only has monthly bills (BILLS below).
CATEGORIES: list[tuple[str, str | None, tuple[float, float], int, list[str]]] = [
    (
        "Groceries",
        "600",
        (45, 0.6),
        30,
        ["Supermarket", "Farmers market", "Bakery", "Butcher", "Corner shop"],
    ),
    (
        "Dining out",
        "250",
        (28, 0.5),
        14,
        ["Pizza", "Sushi", "Lunch with colleagues", "Thai takeaway", "Burger"],
    ),
    ("Coffee", "40", (4.5, 0.3), 14, ["Flat white", "Espresso", "Coffee beans", "Cappuccino"]),
    ("Transport", "150", (12, 0.8), 12, ["Bus ticket", "Train fare", "Fuel", "Taxi", "Parking"]),
    ("Rent", "1800", (1800, 0.0), 0, ["Rent"]),
    ("Utilities", "200", (70, 0.4), 0, ["Electricity", "Water", "Internet", "Phone bill", "Gas"]),
    ("Health", "120", (35, 0.7), 3, ["Pharmacy", "Dentist", "Gym membership", "Physiotherapy"]),
    (
        "Entertainment",
        "100",
        (18, 0.6),
        6,
        ["Cinema", "Concert tickets", "Books", "Board game", "Museum"],
    ),
    (
        "Shopping",
        "300",
        (55, 0.9),
        8,
        ["Clothes", "Shoes", "Hardware store", "Electronics", "Homeware"],
    ),
    ("Subscriptions", "60", (11, 0.4), 4, ["Streaming", "Music", "Cloud storage", "News"]),
    ("Gifts", "40", (40, 0.7), 3, ["Birthday present", "Flowers", "Wedding gift"]),
    ("Travel", None, (180, 0.9), 2, ["Hotel", "Flights", "Car rental", "Museum pass"]),
    ("Salary", None, (4200, 0.0), 0, ["Salary"]),
]
INCOME = frozenset({"Salary"})  # income categories; the others are spending ones
# Bills only, so the same every month whatever the size of the demo: what a cheap month
# leaves over pays for a dear one (gas in winter).
ROLLOVER = frozenset({"Utilities"})
DECEMBER = {"Gifts": "300"}  # a December budget for one month only, every year

# Monthly bills: category, description, day of the month, typical amount, spread, months (None: all).
BILLS: list[tuple[str, str, int, float, float, frozenset[int] | None]] = [
    ("Rent", "Rent", 1, 1800, 0.0, None),
    ("Utilities", "Internet", 8, 45, 0.0, None),
    ("Utilities", "Phone bill", 12, 25, 0.0, None),
    ("Utilities", "Electricity", 18, 60, 0.25, None),
    ("Utilities", "Water", 22, 30, 0.15, None),
    ("Utilities", "Gas", 25, 70, 0.3, frozenset({1, 2, 3, 10, 11, 12})),
    ("Salary", "Salary", 25, 4200, 0.0, None),
]

# Everyday expenses are drawn from a pool of this many (category, description, amount) picks,
# so a million rows cost a million list look-ups rather than a million lognormal draws.
POOL = 1 << 16
CHUNK = 50_000
# The insert order of the columns: uid and date vary per row, the rest comes from the pool.
COLUMNS = (
    "uid",
    "occurred_on",
    "description",
    "amount",
    "category_id",
    "created_at",
    "updated_at",
    "version",
)

Item = tuple[str, int, int, str, str, int]  # description, cents, category_id, created, updated, v


def _cents(rng: random.Random, typical: float, spread: float) -> int:
    amount = typical * rng.lognormvariate(0, spread) if spread else typical
    return max(1, round(amount * 100))


def _pool(rng: random.Random, size: int, cat_ids: dict[str, int], now: str) -> list[Item]:
    everyday = [c for c in CATEGORIES if c[3]]
    picks = rng.choices(everyday, weights=[c[3] for c in everyday], k=size)
    return [
        (rng.choice(descriptions), _cents(rng, typical, spread), cat_ids[name], now, now, 1)
        for name, _budget, (typical, spread), _share, descriptions in picks
    ]


def _days(rng: random.Random, first: dt.date, last: dt.date, count: int) -> list[int]:
    """How many everyday expenses fall on each day: more at weekends, some noise, ``count`` in all."""
    span = (last - first).days + 1
    weights = []
    for i in range(span):
        weekend = (first + dt.timedelta(days=i)).weekday() >= 5
        weights.append((1.4 if weekend else 1.0) * rng.uniform(0.6, 1.4))
    scale = count / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    # Largest remainders take the rows lost to rounding down.
    short = count - sum(counts)
    for i in sorted(range(span), key=lambda i: counts[i] - exact[i])[:short]:
        counts[i] += 1
    return counts


def _bills(
    rng: random.Random, first: dt.date, last: dt.date, cat_ids: dict[str, int], now: str
) -> dict[dt.date, list[Item]]:
    out: dict[dt.date, list[Item]] = {}
    month = first.replace(day=1)
    while month <= last:
        for name, description, day, typical, spread, months in BILLS:
            when = month.replace(day=day)
            if first <= when <= last and (months is None or month.month in months):
                item = (description, _cents(rng, typical, spread), cat_ids[name], now, now, 1)
                out.setdefault(when, []).append(item)
        month = add_months(month, 1)
    return out


def _plan(
    count: int, seed: int, today: dt.date, cat_ids: dict[str, int], now: str
) -> Iterator[tuple[dt.date, list[Item]]]:
    """``(day, items)`` in date order: that day's bills, then its everyday expenses."""
    rng = random.Random(seed)
    first = today - dt.timedelta(days=730)
    bills = _bills(rng, first, today, cat_ids, now)
    # With few expenses asked for, only the latest bills are kept (at most a quarter of them).
    keep = min(sum(map(len, bills.values())), count // 4)
    dropped = sum(map(len, bills.values())) - keep
    for day in sorted(bills):
        if dropped <= 0:
            break
        cut = min(dropped, len(bills[day]))
        bills[day] = bills[day][cut:]
        dropped -= cut
    everyday = count - keep
    pool = _pool(rng, min(POOL, max(everyday, 1)), cat_ids, now)
    per_day = _days(rng, first, today, everyday)
    for i, n in enumerate(per_day):
        day = first + dt.timedelta(days=i)
        todays = bills.get(day, [])
        if n:
            todays = todays + rng.choices(pool, k=n)
        if todays:
            yield day, todays


def _chunks(plan: Iterator[tuple[dt.date, list[Item]]]) -> Iterator[list[tuple[str, Item]]]:
    """Rows as ``(date text, item)`` in chunks of about CHUNK."""
    chunk: list[tuple[str, Item]] = []
    for day, items in plan:
        chunk.extend(zip(repeat(day.isoformat()), items, strict=False))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _uid_prefix(seed: int, after_id: int) -> str:
    # A uid is a prefix (from the seed and the rows already there) plus a counter, so uids rise
    # with the id (their unique index grows at its end too) and a second fill never repeats one.
    bits = random.Random(f"demo-uid:{seed}:{after_id}").getrandbits(80)
    t = f"{bits:020x}"
    return f"{t[:8]}-{t[8:12]}-4{t[12:15]}-8{t[15:18]}-{t[18:20]}"


def _produce(
    chunks: Iterator[list[tuple[str, Item]]], out: queue.Queue, stop: threading.Event
) -> None:
    try:
        for chunk in chunks:
            while not stop.is_set():
                try:
                    out.put(chunk, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if stop.is_set():
                return
    except BaseException as exc:  # handed to the consumer, which raises it
        out.put(exc)
    else:
        out.put(None)


def _background(chunks: Iterator[list[tuple[str, Item]]]) -> Iterator[list[tuple[str, Item]]]:
    """The chunks, made in a thread while the database takes the previous ones: the driver
    releases the GIL while it writes, so making and writing rows overlap."""
    handoff: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    worker = threading.Thread(target=_produce, args=(chunks, handoff, stop), daemon=True)
    worker.start()
    try:
        while (chunk := handoff.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        # Also when the load stops half-way (an error, Ctrl+C): the maker must not wait forever.
        stop.set()
        worker.join()


def _refuse_a_used_book(session: Session) -> None:
    categories = session.scalar(select(func.count()).select_from(Category)) or 0
    expenses = session.scalar(select(func.count()).select_from(expenses_t)) or 0
    if categories or expenses:
        raise Conflict(
            f"This book already holds {plural(categories, 'category', 'categories')} and "
            f"{plural(expenses, 'expense')}; demo data goes only into an empty book, so nothing "
            "was added.",
            hint="Run `budget-tui demo` without --db to fill the separate demo book.",
        )


@read_action
def check_empty(session: Session) -> None:
    """Raises Conflict if the book holds any category or expense (what :func:`fill_demo` refuses)."""
    _refuse_a_used_book(session)


@action
def fill_demo(
    session: Session,
    expenses: int = 2000,
    *,
    seed: int = 42,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    into_existing: bool = False,
) -> int:
    """Fill an empty book with the demo categories and ``expenses`` expenses over the two years
    up to ``today``: monthly bills (Rent, Utilities) and random everyday spending. Returns how
    many expenses were added. ``progress(done)`` is called after each chunk.

    Raises Conflict, changing nothing, when the book holds any category or expense: invented
    rows must never mix with a person's own. ``into_existing=True`` (tests and benchmarks that
    grow a demo book) adds to what is there.
    """
    if expenses < 0 or expenses > 50_000_000:
        raise validate.InvalidInput("expenses", "Ask for 0 to 50,000,000 demo expenses.")
    if not into_existing:
        _refuse_a_used_book(session)
    day = today or _today()
    prefix = _uid_prefix(seed, session.scalar(select(func.max(expenses_t.c.id))) or 0)
    change = ledger.BulkChange(session, "demo", prefix)
    existing = {k: i for k, i in session.execute(select(Category.name_key, Category.id))}
    cat_ids: dict[str, int] = {}
    first = add_months(day, -24)  # the month the demo's two years start in
    for name, budget, *_ in CATEGORIES:
        key = validate.name_key(name)
        if key in existing:
            cat_ids[name] = existing[key]
            continue
        cents = to_cents(Decimal(budget)) if budget else None
        rows: dict[dt.date, int] = {}  # the budget's rows: from each month on
        if cents is not None:
            rows[first] = cents
            month = first
            while name in DECEMBER and month <= day:
                if month.month == 12:
                    rows[month] = to_cents(Decimal(DECEMBER[name]))
                    rows[add_months(month, 1)] = cents
                month = add_months(month, 1)
        ordered = sorted(rows.items())
        made = change.add_category(
            name,
            (ordered[0][0], ordered[0][1], name in ROLLOVER) if ordered else None,
            kind="income" if name in INCOME else "spending",
        )
        cat_ids[name] = made.id
        for month, amount in ordered[1:]:
            change.budget(made.id, month, amount, name in ROLLOVER)
    if not expenses:
        change.finish(0, "demo: categories")
        return 0
    totals: Counter[tuple[int, str]] = Counter()
    counts: Counter[tuple[int, str]] = Counter()
    done = 0
    with change.writer(COLUMNS, expenses) as writer:
        # Stamps as each backend's own writes store them (SQLite: naive UTC text, like the ORM).
        stamp = utcnow()
        now = stamp.isoformat() if writer.copy else str(stamp.replace(tzinfo=None))
        chunks = _chunks(_plan(expenses, seed, day, cat_ids, now))
        for chunk in _background(chunks) if expenses > CHUNK else chunks:
            uids = [f"{prefix}{n:010x}" for n in range(done + 1, done + 1 + len(chunk))]
            if writer.copy:
                # Demo descriptions hold no backslash, so they need no COPY escaping.
                writer.copy_text(
                    "".join(
                        f"{u}\t{d}\t{i[0]}\t{i[1]}\t{i[2]}\t{i[3]}\t{i[4]}\t1\n"
                        for u, (d, i) in zip(uids, chunk, strict=True)
                    )
                )
            else:
                writer.insert([(u, d, *i) for u, (d, i) in zip(uids, chunk, strict=True)])
            # Counter's C loop tallies the picks; the sums then cost one step per distinct pick.
            for (d, item), n in Counter(chunk).items():
                cat_month = (item[2], d[:7])
                totals[cat_month] += item[1] * n
                counts[cat_month] += n
            done += len(chunk)
            if progress:
                progress(done)
    change.bump(
        {
            (cat, dt.date.fromisoformat(f"{month}-01")): (
                totals[(cat, month)],
                counts[(cat, month)],
            )
            for cat, month in totals
        },
    )
    change.finish(done, f"demo: {done:,} expenses")
    return done
