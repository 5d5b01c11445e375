"""The Reports period bar: a preset picker and the first and last day, typed or shown.

It shows the period it is given (:meth:`PeriodBar.show`) and says what the person chose with a
:class:`PeriodBar.Chosen` message; a date that can't be read is shown next to its field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from budget_tui.controller.periods import Period
from budget_tui.errors import InvalidInput

PRESETS: tuple[tuple[str, str], ...] = (
    ("This month", "this-month"),
    ("Last month", "last-month"),
    ("This year", "this-year"),
    ("Last 12 months", "last-12-months"),
    ("Custom range", "custom"),
)
LAST_MONTHS = 12  # the "last 12 months" preset


def period_label(period: Period) -> str:
    """``March 2026``, ``2026``, ``Apr 2025 – Mar 2026`` or ``2026-01-10 – 2026-03-12``."""
    months = period.months()
    calendar_year = len(months) == 12 and months[0].month == 1
    if period.is_whole_months and len(months) > 1 and not calendar_year:
        return f"{period.start:%b %Y} – {period.last_day:%b %Y}"
    return period.label


def preset_period(preset: str, today: dt.date) -> Period | None:
    """The period a preset means on ``today``; None for "custom"."""
    if preset == "this-month":
        return Period.month(today)
    if preset == "last-month":
        return Period.month(today).shift(-1)
    if preset == "this-year":
        return Period.year(today.year)
    if preset == "last-12-months":
        return Period.last_months(today, LAST_MONTHS)
    return None


def preset_of(period: Period, today: dt.date, chosen: str | None = None) -> str:
    """The preset that means ``period`` today, or "custom". When two presets mean the same
    period (in December "this year" is "the last 12 months"), ``chosen``, the one the person
    picked, is the one it is."""
    if chosen is not None and chosen != "custom" and preset_period(chosen, today) == period:
        return chosen
    for _, key in PRESETS:
        if preset_period(key, today) == period:
            return key
    return "custom"


def next_preset(period: Period, today: dt.date, chosen: str | None = None) -> str:
    """The preset after the one on show (``p``): every preset is reached in turn, whatever the
    date, even when two of them mean the same period."""
    keys = [key for _, key in PRESETS if key != "custom"]
    current = preset_of(period, today, chosen)
    return keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]


class PeriodBar(Vertical):
    """The preset, ``from`` and ``to`` fields on one line, and under them the line where a date
    error shows (only while there is one: at 80 columns it would not fit beside the fields)."""

    @dataclass
    class Chosen(Message):
        """The person chose ``period``: a preset (``preset`` names it) or a typed range."""

        period: Period
        preset: str = "custom"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.period: Period | None = None
        self.preset: str | None = None
        self.today = dt.date.today()

    def compose(self) -> ComposeResult:
        with Horizontal(id="period-fields"):
            yield Select(
                [(label, key) for label, key in PRESETS],
                value="this-month",
                allow_blank=False,
                compact=True,
                id="preset",
                tooltip="The period the report covers (p: next)",
            )
            yield Label("from")
            yield Input(compact=True, id="from", tooltip="First day: 2026-03-01, yesterday or -3")
            yield Label("to")
            yield Input(compact=True, id="to", tooltip="Last day: 2026-03-31, today or -1")
        yield Static("", id="period-error")

    def show(self, period: Period, today: dt.date, chosen: str | None = None) -> None:
        """Show ``period`` (dropping whatever was typed and not applied); ``chosen`` is the
        preset the person picked, when two mean the same period."""
        preset = preset_of(period, today, chosen)
        self.period, self.today, self.preset = period, today, preset
        self.clear_error()
        self.query_one("#from", Input).value = period.start.isoformat()
        self.query_one("#to", Input).value = period.last_day.isoformat()
        select = self.query_one("#preset", Select)
        if select.value != preset:
            select.value = preset

    def focus_range(self) -> None:
        field = self.query_one("#from", Input)
        field.focus()
        field.select_all()

    def show_field_error(self, field: str, message: str) -> bool:
        """Show an invalid date next to the field it came from."""
        self.clear_error()
        name = "to" if field in ("to", "end") else "from"
        self.query_one(f"#{name}", Input).add_class("-invalid")
        error = self.query_one("#period-error", Static)
        error.update(Text(message))
        error.display = True
        return True

    def clear_error(self) -> None:
        error = self.query_one("#period-error", Static)
        if not error.display:
            return  # nothing shown: no restyle, no layout
        for field in self.query(Input):
            field.remove_class("-invalid")
        error.update("")
        error.display = False

    @on(Select.Changed, "#preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        if self.period is None:
            return
        if event.value == "custom":
            if self.preset != "custom":
                self.focus_range()
            return
        period = preset_period(str(event.value), self.today)
        if period is not None and event.value != self.preset:
            self.post_message(self.Chosen(period, str(event.value)))

    @on(Input.Submitted, "#from, #to")
    def _range_typed(self, event: Input.Submitted) -> None:
        """Enter on the first day goes on to the last day (applying the range if it is already
        sensible); Enter on the last day applies the range or says what is wrong with it."""
        event.stop()
        self._apply_range(on_first=event.input is self.query_one("#from", Input))

    def on_descendant_blur(self) -> None:
        # Leaving the dates (Tab, a click on a panel) applies what was typed in them, as Enter
        # does: the fields never show a range other than the one reported without saying so.
        self.call_after_refresh(self._left)

    def _left(self) -> None:
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
            return  # still in the period bar
        typed = (self.query_one("#from", Input).value, self.query_one("#to", Input).value)
        if self.period is None or typed == (
            self.period.start.isoformat(),
            self.period.last_day.isoformat(),
        ):
            return
        self._apply_range(on_first=False, moving=False)

    def _apply_range(self, *, on_first: bool, moving: bool = True) -> None:
        """Apply the typed range, or say what is wrong with it next to its field. ``on_first``:
        Enter on the first day, which goes on to the last day when that is not right yet;
        ``moving``: the focus may be moved (not when the person has just moved it elsewhere)."""
        from budget_tui.controller import validate

        first_field = self.query_one("#from", Input)
        last_field = self.query_one("#to", Input)
        try:
            first = validate.date(first_field.value, "from", today=self.today, local=True)
        except InvalidInput as error:
            self.show_field_error(error.field, error.message)
            return
        try:
            last = validate.date(last_field.value, "to", today=self.today, local=True)
            if last < first:
                raise InvalidInput("to", "The last day is before the first day.")
        except InvalidInput as error:
            if on_first:
                self.clear_error()
                first_field.value = first.isoformat()
                last_field.focus()
            else:
                self.show_field_error(error.field, error.message)
            return
        if on_first and moving:
            last_field.focus()
        self.post_message(self.Chosen(Period.between(first, last)))
