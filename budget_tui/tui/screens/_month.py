"""Month stepping shared by the screens that show one month (Expenses, Categories)."""

from __future__ import annotations

from textual.binding import Binding

from budget_tui.clock import today
from budget_tui.controller.periods import Period

MONTH_BINDINGS = [
    Binding(
        "left_square_bracket",
        "previous_month",
        "Prev",
        id="previous-month",
        tooltip="Go back a month",
    ),
    Binding(
        "right_square_bracket",
        "next_month",
        "Next",
        id="next-month",
        tooltip="Go forward a month",
    ),
    Binding(
        "t",
        "this_month",
        "This month",
        id="this-month",
        tooltip="Back to the current month",
        show=False,
    ),
]


class MonthSteps:
    """The actions behind MONTH_BINDINGS; the screen says which month it shows and how to go to one."""

    def shown_month(self) -> Period | None:
        raise NotImplementedError

    def _go_to(self, period: Period) -> None:
        raise NotImplementedError

    def action_previous_month(self) -> None:
        if (month := self.shown_month()) is not None:
            self._go_to(month.shift(-1))

    def action_next_month(self) -> None:
        if (month := self.shown_month()) is not None:
            self._go_to(month.shift(1))

    def action_this_month(self) -> None:
        self._go_to(Period.month(today()))
