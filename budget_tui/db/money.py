"""Money in the database: integer cents in a BIGINT, ``Decimal`` in Python.

Cents are exact on every backend; SQLite's NUMERIC is a float underneath and loses cents in
large values and in SUMs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

from budget_tui.db.cents import CENT, from_cents, to_cents

__all__ = ["CENT", "Money", "from_cents", "to_cents"]


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
