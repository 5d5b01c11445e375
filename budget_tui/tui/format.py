"""How the screens write amounts (babel is imported on first use, not at start-up)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


def money(amount: Decimal) -> str:
    from budget_tui.money import format_money

    return format_money(amount)


def amount_width(label: str, amounts: Iterable[Decimal | None]) -> int:
    """The width of a column of amounts: the widest written amount (or its label), so no
    amount is ever cut, however large."""
    return max([len(label), *(len(money(a)) for a in amounts if a is not None)])
