"""Money as the database stores it: whole cents. No SQLAlchemy here: the start-up's first read
(:mod:`budget_tui.controller.first_rows`) turns cents into amounts before SQLAlchemy is imported."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> int:
    """Whole cents of a Decimal that already has at most two decimal places."""
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} has more than two decimal places")
    return int(cents)


def from_cents(cents: int | None) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)
