"""The Money column: integer cents in the database, two-place Decimals in Python."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_tui.db.money import Money, from_cents, to_cents


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (Decimal("0.01"), 1),
        (Decimal("12.5"), 1250),
        (Decimal("99999999.99"), 9999999999),
        (Decimal("1234567890123.45"), 123456789012345),
    ],
)
def test_cents_round_trip(amount: Decimal, cents: int) -> None:
    assert to_cents(amount) == cents
    back = from_cents(cents)
    assert back == amount and back.as_tuple().exponent == -2


def test_more_than_two_places_is_refused() -> None:
    with pytest.raises(ValueError, match="two decimal places"):
        to_cents(Decimal("0.001"))


def test_from_nothing_is_zero() -> None:
    assert from_cents(None) == Decimal("0.00")


def test_the_column_binds_and_reads_cents() -> None:
    column = Money()
    assert column.process_bind_param(Decimal("3.10"), None) == 310
    assert column.process_bind_param("3.1", None) == 310
    assert column.process_bind_param(None, None) is None
    assert column.process_result_value(310, None) == Decimal("3.10")
    assert column.process_result_value(None, None) is None
    with pytest.raises(TypeError, match="cents or units"):
        column.process_bind_param(3, None)  # an int is ambiguous: refused
