"""Reading and writing amounts of money the way a person's locale does (babel)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency, format_decimal, get_currency_symbol

from budget_tui.config import load_settings


@lru_cache(maxsize=1)
def _defaults() -> tuple[str, str]:
    settings = load_settings()
    return settings.currency, settings.locale


def currency_code() -> str:
    return _defaults()[0]


def locale_name() -> str:
    return _defaults()[1]


def currency_symbol() -> str:
    currency, locale = _defaults()
    return get_currency_symbol(currency, locale=locale)


def format_money(amount: Decimal, *, symbol: bool = True) -> str:
    """``1234.5`` -> ``$1,234.50`` (en_US, USD); without symbol -> ``1,234.50``."""
    currency, locale = _defaults()
    # By its text, not its value: -0 and 0 are equal Decimals, written differently.
    return _written(str(amount), symbol, currency, locale)


@lru_cache(maxsize=4096)
def _written(amount: str, symbol: bool, currency: str, locale: str) -> str:
    # A screen writes the same amounts again and again (each one twice: for its column's width,
    # then in its cell; and again at the next key), at about 30 microseconds each in babel.
    if symbol:
        return format_currency(Decimal(amount), currency, locale=locale)
    return format_decimal(Decimal(amount), format="#,##0.00", locale=locale)


def plain(amount: Decimal) -> str:
    """Machine form for CSV, JSON and MCP: ``1234.50``."""
    return f"{amount:.2f}"
