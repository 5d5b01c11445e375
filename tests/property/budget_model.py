"""A plain model of budgets by month for property tests: one (budget, rollover) per month, the
carry worked out month by month from the first (what a person means by "the budget of
December"; the book keeps rows "from this month on" and reads the carry from the roll-up)."""

from __future__ import annotations

Plan = list[tuple[int | None, bool]]  # per month: budget in cents (None: none), rollover


def set_budget(plan: Plan, amount: int | None, at: int, rollover: bool | None, only: bool) -> None:
    """What ``categories.set_budget`` means: from month ``at`` on, or for that month only;
    rollover None keeps the one in effect."""
    carry = plan[at][1] if rollover is None else rollover
    carry = carry and amount is not None
    for m in [at] if only else range(at, len(plan)):
        plan[m] = (amount, carry)


def month_budget(plan: Plan, spent: list[int], m: int) -> tuple[int | None, int, int | None]:
    """(budget, carried, available) of month ``m``, in cents."""
    carried = 0
    for i in range(1, m + 1):
        before, rolls = plan[i - 1]
        carried = before + carried - spent[i - 1] if rolls and before is not None else 0
        if plan[i][0] is None:
            carried = 0
    amount = plan[m][0]
    if amount is None:
        return None, 0, None
    return amount, carried, amount + carried - spent[m]
