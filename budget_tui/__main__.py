"""``python -m budget_tui``: the same as the ``budget-tui`` command."""

from budget_tui.entry import main

main()
