"""How the screens write amounts (babel is imported on first use, not at start-up)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from budget_tui.controller.periods import Period
    from budget_tui.controller.views import Flows


# Amounts the start-up child has already written (:mod:`budget_tui.tui.prefetch`), with the same
# settings: the first rows are painted before babel is imported in this process.
_WRITTEN: dict[Decimal, str] = {}


def remember(written: Mapping[Decimal, str]) -> None:
    _WRITTEN.update(written)


def forget() -> None:
    """Drop what :func:`remember` was given (the money settings changed: tests do)."""
    _WRITTEN.clear()


def money(amount: Decimal) -> str:
    if (text := _WRITTEN.get(amount)) is not None:
        return text
    from budget_tui.money import format_money

    return format_money(amount)


def amount_width(label: str, amounts: Iterable[Decimal | None]) -> int:
    """The width of a column of amounts: the widest written amount (or its label), so no
    amount is ever cut, however large."""
    return max([len(label), *(len(money(a)) for a in amounts if a is not None)])


def period_label(period: Period) -> str:
    """The period's name, with "so far" when it holds today (its totals are not final)."""
    from budget_tui.clock import today

    return period.label + (" (so far)" if period.start <= today() < period.end else "")


def spent_parts(flows: Flows) -> list[str | tuple[str, str]]:
    """`` · spent X``: a period's spending (refunds taken off), for a status line."""
    return [" · spent ", (money(flows.spending), "bold")]


def income_parts(flows: Flows) -> list[str | tuple[str, str]]:
    """`` · income Y · net Z · saved N%``: what came in and what was left of it, for a status
    line (``Content.assemble`` parts)."""
    net = flows.net
    parts: list[str | tuple[str, str]] = [
        " · income ",
        (money(flows.income), "bold"),
        " · net ",
        (money(net), "bold $text-error" if net < 0 else "bold $text-success"),
    ]
    rate = flows.savings_rate
    if rate is not None:
        parts.append(f" · saved {rate * 100:.0f}%")
    return parts
