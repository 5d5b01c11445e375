"""Money in the database: integer cents in a BIGINT, ``Decimal`` in Python.

Cents are exact on every backend; SQLite's NUMERIC is a float underneath and loses cents in
large values and in SUMs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> int:
    """Whole cents of a Decimal that already has at most two decimal places."""
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} has more than two decimal places")
    return int(cents)


def from_cents(cents: int | None) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)


class Money(TypeDecorator[Decimal]):
    """A column of money: stored as integer cents, read back as a two-place Decimal."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, int):
            raise TypeError("Money columns take Decimal, not int (is it cents or units?)")
        return to_cents(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else from_cents(value)
