"""Amounts are written as the person's locale writes them, and the same amount the same way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_tui import money


def write(amount: str, **kw) -> str:
    return money.format_money(Decimal(amount), **kw)


def test_amounts_are_written_in_the_locale_with_and_without_the_symbol() -> None:
    assert write("1234.5") == "$1,234.50"
    assert write("1234.5", symbol=False) == "1,234.50"
    assert write("-12") == "-$12.00"


def test_equal_amounts_written_differently_are_not_confused() -> None:
    # 0 and -0 are equal (and hash alike) as Decimals; a cache by value would mix them up.
    assert write("-0") == "-$0.00"
    assert write("0") == "$0.00"
    assert write("-0") == "-$0.00"
    assert write("1.5") == write("1.50") == "$1.50"


def test_a_change_of_currency_or_locale_is_seen_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert write("1234.5") == "$1,234.50"
    monkeypatch.setenv("BUDGET_CURRENCY", "EUR")
    monkeypatch.setenv("BUDGET_LOCALE", "de_DE")
    money._defaults.cache_clear()
    assert write("1234.5") == "1.234,50\xa0€"
    assert write("1234.5", symbol=False) == "1.234,50"
