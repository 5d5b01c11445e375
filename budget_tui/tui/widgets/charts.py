"""Charts drawn with plain terminal characters (block elements), coloured from the Textual theme.

* :class:`BarTable` is a ``DataTable`` whose cells may hold horizontal bars (:meth:`BarTable.bar`):
  a table and a bar chart in one, so each bar sits on the row it belongs to.
* :class:`MonthBars` is a vertical bar chart of spend per month with a cursor (left/right), and
  of income beside it (in the success colour) when the months hold any.

Colours are component classes (``$primary``, ``$accent``, ``$warning``, ``$error`` ...), looked up when
a bar is drawn, so dark, light and 16-colour themes all work and a theme change repaints them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

    from budget_tui.controller.periods import Period
    from budget_tui.controller.views import MonthSpend

# Left-aligned eighths of a cell for horizontal bars, bottom-aligned eighths for vertical ones.
H_EIGHTHS = " ▏▎▍▌▋▊▉"
V_EIGHTHS = " ▁▂▃▄▅▆▇"
FULL = "█"
TRACK = "─"

Level = Literal["fill", "warning", "error"]


def format_money(amount: Decimal) -> str:
    """The amount as the person's locale writes it (babel is imported on first use)."""
    from budget_tui.money import format_money as _format

    return _format(amount)


def hbar(fraction: float, width: int) -> str:
    """A left-aligned bar ``fraction`` (0..1, clamped) of ``width`` cells long, to an eighth of a cell.

    Any non-zero fraction shows at least an eighth, so a small amount never looks like nothing.
    """
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    if fraction > 0 and eighths == 0:
        eighths = 1
    full, rest = divmod(eighths, 8)
    return FULL * full + (H_EIGHTHS[rest] if rest else "")


def budget_level(used: float | None) -> Level:
    """The colour of a budget bar: normal, warning from 85% of the budget, error above it."""
    if used is None or used < 0.85:
        return "fill"
    return "warning" if used <= 1.0 else "error"


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) at or above ``value``."""
    if value <= 0:
        return 1.0
    scale = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * scale * (1 + 1e-9):
            return step * scale
    return 10 * scale  # pragma: no cover - the loop always returns


def compact_money(value: float) -> str:
    """``4321.5`` -> ``$4.3K`` in the person's currency and locale (for chart axes)."""
    from babel.numbers import format_compact_currency

    from budget_tui.money import currency_code, locale_name

    return format_compact_currency(value, currency_code(), locale=locale_name(), fraction_digits=1)


class BarCell:
    """A Rich renderable for one table cell: a horizontal bar, optionally on a visible track.

    The style is read from ``owner``'s component classes when the cell is drawn, not when it is made.
    """

    def __init__(
        self, owner: Widget, fraction: float, *, width: int, level: Level = "fill", track: bool
    ) -> None:
        self.owner = owner
        self.fraction = fraction
        self.width = width
        self.level = level
        self.track = track

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, min(self.width, options.max_width))
        bar = hbar(self.fraction, width)
        style = self.owner.get_component_rich_style(f"bar--{self.level}", partial=True)
        yield Segment(bar, style)
        rest = width - len(bar)
        if rest > 0:
            if self.track:
                yield Segment(
                    TRACK * rest, self.owner.get_component_rich_style("bar--track", partial=True)
                )
            else:
                yield Segment(" " * rest)


class BarTable(DataTable):
    """A DataTable that can draw bars in its cells (see :meth:`bar`)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bar--fill",
        "bar--warning",
        "bar--error",
        "bar--track",
    }

    DEFAULT_CSS = """
    BarTable > .bar--fill { color: $primary; }
    BarTable > .bar--warning { color: $warning; }
    BarTable > .bar--error { color: $error; }
    BarTable > .bar--track { color: $foreground-muted; }
    """

    class Resized(Message):
        """The table changed size: bars may be redrawn to fit its new width."""

        def __init__(self, table: BarTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> BarTable:
            return self.table

    def on_resize(self) -> None:
        self.post_message(self.Resized(self))

    def show_message(self, message: str) -> None:
        """Replace the table's columns and rows with one line of text (e.g. "No expenses")."""
        self.clear(columns=True)
        self.add_column("", key="message")
        self.add_row(Text(message, style="italic"), key="message")

    def bar(
        self, fraction: float, *, width: int, level: Level = "fill", track: bool = False
    ) -> BarCell:
        """A cell showing ``fraction`` (0..1) of ``width`` cells, coloured by ``level``."""
        return BarCell(self, fraction, width=width, level=level, track=track)


class MonthBars(Widget, can_focus=True):
    """Spend per month as vertical bars, months inside ``period`` in the accent colour.

    Left/Right move a cursor over the months; the border subtitle shows the month under it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left",
            "move(-1)",
            "Earlier month",
            show=False,
            id="month-bars.left",
            tooltip="Show the month before",
        ),
        Binding(
            "right",
            "move(1)",
            "Later month",
            show=False,
            id="month-bars.right",
            tooltip="Show the month after",
        ),
        Binding(
            "home",
            "move_to(0)",
            "First month",
            show=False,
            id="month-bars.home",
            tooltip="Show the first month",
        ),
        Binding(
            "end",
            "move_to(-1)",
            "Last month",
            show=False,
            id="month-bars.end",
            tooltip="Show the last month",
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "month-bars--bar",
        "month-bars--in-period",
        "month-bars--axis",
        "month-bars--label",
        "month-bars--cursor",
        "month-bars--income",
    }

    DEFAULT_CSS = """
    MonthBars {
        height: 12;
        padding: 0 1;
    }
    MonthBars > .month-bars--bar { color: $primary; }
    MonthBars > .month-bars--in-period { color: $accent; }
    MonthBars > .month-bars--axis { color: $foreground-muted; }
    MonthBars > .month-bars--label { color: $foreground-muted; }
    MonthBars > .month-bars--income { color: $success; }
    MonthBars > .month-bars--cursor { color: $foreground; text-style: bold underline; }
    MonthBars:focus > .month-bars--cursor { text-style: bold reverse; }
    """

    cursor: reactive[int] = reactive(-1)

    class CursorMoved(Message):
        """The cursor moved to another month."""

        def __init__(self, chart: MonthBars, month: MonthSpend) -> None:
            super().__init__()
            self.chart = chart
            self.month = month

        @property
        def control(self) -> MonthBars:
            return self.chart

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.months: tuple[MonthSpend, ...] = ()
        self.period: Period | None = None
        self._drawn: tuple[object, list[Strip]] | None = None  # (what it was drawn for, lines)

    def set_months(self, months: Sequence[MonthSpend], period: Period | None = None) -> None:
        """Show ``months`` (oldest first); those inside ``period`` are highlighted.

        The cursor goes to the last highlighted month (or the last month).
        """
        self.months = tuple(months)
        self.period = period
        inside = [i for i, m in enumerate(self.months) if self._in_period(m.month)]
        self.cursor = inside[-1] if inside else len(self.months) - 1
        self._describe_cursor()
        self._drawn = None
        self.refresh()

    def _in_period(self, month: dt.date) -> bool:
        """Whether the month starting on ``month`` overlaps the highlighted period."""
        return (
            self.period is not None
            and month < self.period.end
            and _next_month(month) > self.period.start
        )

    def action_move(self, step: int) -> None:
        if self.months:
            self.cursor = min(max(self.cursor + step, 0), len(self.months) - 1)

    def action_move_to(self, index: int) -> None:
        if self.months:
            self.cursor = index % len(self.months)

    def watch_cursor(self, old: int, new: int) -> None:
        if old != new and 0 <= new < len(self.months):
            self._describe_cursor()
            self.post_message(self.CursorMoved(self, self.months[new]))
        self.refresh()

    def _describe_cursor(self) -> None:
        if not 0 <= self.cursor < len(self.months):
            self.border_subtitle = ""
            return
        m = self.months[self.cursor]
        noun = "expense" if m.count == 1 else "expenses"
        income = f" · income {format_money(m.income)}" if self.has_income else ""
        self.border_subtitle = (
            f"{m.month:%b %Y}: {format_money(m.total)} spent{income} · {m.count} {noun}"
        )

    @property
    def has_income(self) -> bool:
        return any(m.income > 0 for m in self.months)

    # -- drawing ---------------------------------------------------------------------------------
    # Line by line (Textual's line API), each line a strip of segments cached until the months,
    # the cursor, the size or the theme change: a chart drawn as one Rich Text (some 360 styled
    # spans) cost 9 ms a paint at 120x40, about as much as a whole table of the screen.

    def render_line(self, y: int) -> Strip:
        strips = self._strips()
        return strips[y] if y < len(strips) else Strip.blank(self.size.width, self.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None  # a new theme: new colours

    def _strips(self) -> list[Strip]:
        key = (self.size, self.cursor, self.rich_style)
        if self._drawn is None or self._drawn[0] != key:
            base = self.rich_style
            width = self.size.width
            strips = [
                Strip(
                    [
                        Segment(piece, base if style is None else base + style)
                        for piece, style in row
                    ]
                ).crop_extend(0, width, base)
                for row in self._rows(width, self.size.height)
            ]
            self._drawn = (key, strips)
        return self._drawn[1]

    def _rows(self, width: int, height: int) -> list[list[tuple[str, Style | None]]]:
        """The chart's lines, each a list of (text, component style) pieces."""
        if not self.months or width < 4 or height < 2:
            return [[("No months to show.", self.get_component_rich_style("month-bars--label"))]]
        values = [float(m.total) for m in self.months]
        incomes = [float(m.income) for m in self.months] if self.has_income else []
        if not any(values) and not any(incomes):
            return [
                [
                    (
                        "Nothing spent in these months.",
                        self.get_component_rich_style("month-bars--label"),
                    )
                ]
            ]
        top = nice_ceiling(max(values + incomes))
        label_rows = 2 if height >= 6 else 1
        chart_h = max(1, height - label_rows)
        count = len(self.months)

        axis_labels = {0: compact_money(top), chart_h - 1: compact_money(0)}
        if chart_h >= 5 and chart_h % 2 == 0:
            axis_labels[chart_h // 2] = compact_money(top / 2)
        axis_w = max(len(s) for s in axis_labels.values()) + 1
        if width - axis_w < count * 2:
            axis_labels, axis_w = {}, 0
        column = max(1, (width - axis_w) // count)
        bar_w = max(1, column - max(1, column // 3)) if column > 1 else 1
        # Income stands beside the month's spending, when there is room for two bars.
        income_w = 0
        if incomes and column >= 3:
            income_w = max(1, bar_w // 2)
            bar_w = max(1, bar_w - income_w)
        income_style = self.get_component_rich_style("month-bars--income")
        axis_style = self.get_component_rich_style("month-bars--axis")
        label_style = self.get_component_rich_style("month-bars--label")
        cursor_style = self.get_component_rich_style("month-bars--cursor")
        styles = [
            self.get_component_rich_style(
                "month-bars--in-period" if self._in_period(m.month) else "month-bars--bar"
            )
            for m in self.months
        ]

        def eighths(v: float) -> int:
            return max(1, round(v / top * chart_h * 8)) if v > 0 else 0

        heights = [eighths(v) for v in values]  # in eighths of a row
        income_heights = [eighths(v) for v in incomes]
        gap = " " * (column - bar_w - income_w)

        rows: list[list[tuple[str, Style | None]]] = []
        for row in range(chart_h):
            line: list[tuple[str, Style | None]] = []
            if axis_w:
                line.append((axis_labels.get(row, "").rjust(axis_w - 1) + " ", axis_style))
            floor = (chart_h - 1 - row) * 8
            for i, h in enumerate(heights):
                line.append((_glyph(h - floor) * bar_w, styles[i]))
                if income_w:
                    line.append((_glyph(income_heights[i] - floor) * income_w, income_style))
                if gap:
                    line.append((gap, None))
            rows.append(line)

        names: list[tuple[str, Style | None]] = [(" " * axis_w, None)] if axis_w else []
        for i, m in enumerate(self.months):
            name = f"{m.month:%b}" if column >= 3 else f"{m.month:%b}"[0]
            label = name[:column].ljust(column)
            names.append((label[: len(name)], cursor_style if i == self.cursor else label_style))
            names.append((label[len(name) :], None))
        rows.append(names)
        if label_rows == 2:
            rows.append([(self._year_row(axis_w, column, width), label_style)])
        return rows

    def _year_row(self, axis_w: int, column: int, width: int) -> str:
        """The year under the first month and under each January, where there is room."""
        cells = [" "] * width
        free_from = 0
        for i, m in enumerate(self.months):
            if i == 0 or m.month.month == 1:
                start = axis_w + i * column
                if start >= free_from:
                    year = str(m.month.year)
                    for k, ch in enumerate(year):
                        if start + k < width:
                            cells[start + k] = ch
                    free_from = start + len(year) + 1
        return "".join(cells).rstrip()


def _glyph(part: int) -> str:
    """The cell of a vertical bar ``part`` eighths above the cell's floor."""
    return FULL if part >= 8 else (V_EIGHTHS[part] if part > 0 else " ")


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
