"""How the screens write amounts (babel is imported on first use, not at start-up)."""

from __future__ import annotations

from decimal import Decimal


def money(amount: Decimal) -> str:
    from budget_tui.money import format_money

    return format_money(amount)
