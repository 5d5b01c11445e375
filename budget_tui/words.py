"""Counted nouns, as a sentence says them: "1 expense", "2,000 expenses"."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """``plural(1, "expense")`` -> ``1 expense``; ``plural(2000, "expense")`` -> ``2,000 expenses``."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"
