"""A one-line bar of how much of a budget is used, coloured from the theme."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

NEAR = 0.8  # from this share of the budget on, the bar warns


def level(used: float | None) -> str:
    """``"none"`` (no budget), ``"ok"``, ``"near"`` (>= 80 %) or ``"over"`` (> 100 %)."""
    if used is None:
        return "none"
    if used > 1:
        return "over"
    if used >= NEAR:
        return "near"
    return "ok"


_COLOUR = {"ok": "success", "near": "warning", "over": "error"}


def budget_bar(used: float | None, width: int, theme: Mapping[str, str]) -> Text:
    """``used`` is the share spent (1.0 = all of it). ``theme`` is ``app.theme_variables``,
    so the colours follow the theme (and Textual reduces them for 16-colour terminals)."""
    # Concrete colours only: "text-muted" is "auto 60%", which a Rich style can't hold.
    muted = theme.get("foreground-darken-3", "")
    track = theme.get("panel-lighten-2", muted)
    if used is None:
        return Text("no budget".center(width), style=muted)
    used = max(used, 0.0)  # refunds beyond the month's spend use none of it
    kind = level(used)
    colour = theme.get(_COLOUR[kind], "")
    percent = f"{used * 100:,.0f}%"
    # The percent is always shown whole; the bar takes what is left.
    bar_width = max(1, width - max(5, len(percent) + 1))
    filled = round(min(used, 1.0) * bar_width)
    text = Text()
    text.append("█" * filled, style=colour)
    text.append("░" * (bar_width - filled), style=track)
    text.append(f"{percent:>{width - bar_width}}", style=colour if kind != "ok" else "")
    return text
