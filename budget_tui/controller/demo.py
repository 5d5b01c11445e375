"""Realistic demo data: categories with budgets and expenses over the last two years.

The bulk path skips the ORM: rows go in through the driver (COPY on PostgreSQL, executemany on
SQLite) in one transaction, and the roll-up is rebuilt once at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget_tui.clock import today as _today
from budget_tui.controller import validate
from budget_tui.controller._tx import action
from budget_tui.controller.categories import insert_category
from budget_tui.controller.queries import rebuild_rollup
from budget_tui.db.models import Category, utcnow

# name, monthly budget, (typical amount, spread), share of expenses, descriptions
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
    ("Rent", "1800", (1800, 0.0), 1, ["Rent"]),
    ("Utilities", "200", (70, 0.4), 3, ["Electricity", "Water", "Internet", "Phone bill", "Gas"]),
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
    ("Gifts", None, (40, 0.7), 3, ["Birthday present", "Flowers", "Wedding gift"]),
    ("Travel", None, (180, 0.9), 2, ["Hotel", "Flights", "Car rental", "Museum pass"]),
]

COLUMNS = (
    "uid",
    "description",
    "amount",
    "occurred_on",
    "category_id",
    "created_at",
    "updated_at",
    "version",
)


def _rows(
    count: int, seed: int, today: dt.date, cat_ids: dict[str, int]
) -> Iterator[tuple[str, str, int, str, int, str, str, int]]:
    rng = random.Random(seed)
    start = today - dt.timedelta(days=730)
    span = (today - start).days + 1
    weights = [c[3] for c in CATEGORIES]
    now = utcnow().isoformat()
    days = [(start + dt.timedelta(days=i)).isoformat() for i in range(span)]
    picks = rng.choices(range(len(CATEGORIES)), weights=weights, k=count)
    for i in picks:
        name, _budget, (typical, spread), _w, descriptions = CATEGORIES[i]
        amount = typical * rng.lognormvariate(0, spread) if spread else typical
        cents = max(1, round(amount * 100))
        yield (
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            rng.choice(descriptions),
            cents,
            days[rng.randrange(span)],
            cat_ids[name],
            now,
            now,
            1,
        )


@action
def fill_demo(
    session: Session,
    expenses: int = 2000,
    *,
    seed: int = 42,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add the demo categories (those not there yet) and ``expenses`` random expenses over the last
    two years. Returns how many expenses were added."""
    if expenses < 0 or expenses > 50_000_000:
        raise validate.InvalidInput("expenses", "Ask for 0 to 50,000,000 demo expenses.")
    day = today or _today()
    existing = {k: i for k, i in session.execute(select(Category.name_key, Category.id))}
    cat_ids: dict[str, int] = {}
    for name, budget, *_ in CATEGORIES:
        key = validate.name_key(name)
        if key in existing:
            cat_ids[name] = existing[key]
        else:
            cat_ids[name] = insert_category(session, name, Decimal(budget) if budget else None).id
    raw = session.connection().connection.dbapi_connection
    dialect = session.get_bind().dialect.name
    rows = _rows(expenses, seed, day, cat_ids)
    chunk = 50_000
    done = 0
    cursor = raw.cursor()  # type: ignore[union-attr]
    try:
        while done < expenses:
            batch = [next(rows) for _ in range(min(chunk, expenses - done))]
            if dialect == "postgresql":
                buffer = io.StringIO()
                csv.writer(buffer).writerows(batch)
                buffer.seek(0)
                cursor.copy_expert(
                    f"COPY expenses ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buffer
                )
            else:
                cursor.executemany(
                    f"INSERT INTO expenses ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    batch,
                )
            done += len(batch)
            if progress:
                progress(done)
    finally:
        cursor.close()
    rebuild_rollup(session)
    return done
