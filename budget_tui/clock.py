"""Today's date, in one place, so tests and screenshots can fix it (``BUDGET_TUI_TODAY=2026-03-15``)."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    fixed = os.environ.get("BUDGET_TUI_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
