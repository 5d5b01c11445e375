"""The ``budget-tui`` command.

``--db URL`` and ``--echo-sql`` go before the subcommand and are accepted after it too.

Every error is one line on stderr: the same sentence, outcome and hint the app shows
(:func:`budget_tui.errors.render`). Logs never reach the terminal; ``--echo-sql`` prints SQL
(without parameters) to stderr. Exit codes:

- 0 ok.
- 1 a user error: bad input, not found, a conflict (e.g. an export over an existing file
  without ``--force``), a setting that can't be used, no budget book at the path, a file that
  is not a budget book; or the app quit while its book could not be opened.
- 2 usage: an unknown command or option (click).
- 3 the database failed and nothing was saved (or the command only reads): safe to run it again.
- 4 the database failed after the change was saved (the reply to COMMIT was lost): don't run
  it again.
- 5 the database failed while saving and it is not known whether the change was saved: look
  (``report``, ``export``) before running it again.

Read-only commands (``report``, ``export``, ``history``, ``upcoming``, ``schedule list``,
``db info``) never create a book; only the app, ``db upgrade``, ``import``, ``demo``, ``add``
and the other commands that write do, and they post what the schedules have due when they open
it (``post-due`` posts and prints it itself).

Every change a command makes is recorded in the book's history with the source ``cli``
(``import`` for an import); ``undo`` and ``redo`` take changes back and forth.
"""

from budget_tui.cli import (  # noqa: F401  (registers them)
    books,
    categories,
    entries,
    imports,
    mcp,
    proposals,
    reports,
    schedules,
)
from budget_tui.cli._base import exit_code, main

__all__ = ["exit_code", "main"]
