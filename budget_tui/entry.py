"""``budget-tui``, the command. A plain ``budget-tui`` opens the app straight away, without click:
importing click and the command group costs some 60 ms, a sixth of the launch. Anything else on
the command line (a command, ``--help``, ``--version``, a mistake) goes to click
(:mod:`budget_tui.cli`), which also opens the app when it finds no command.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class AppOptions:
    db: str | None = None
    demo: bool = False
    echo_sql: bool = False


def app_options(args: list[str]) -> AppOptions | None:
    """The options of a plain launch (``--db URL`` or ``--db=URL``, ``--demo``, ``--echo-sql``,
    in any order; a later ``--db`` or ``--demo`` wins, as in click); None when ``args`` hold
    anything else, for click to read."""
    db: str | None = None
    demo = echo_sql = False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--echo-sql":
            echo_sql = True
        elif arg == "--demo":
            from budget_tui.config import demo_url

            demo, db = True, demo_url()
        elif arg == "--db" and rest:
            db = rest.pop(0)
        elif arg.startswith("--db="):
            db = arg.removeprefix("--db=")
        else:
            return None
    return AppOptions(db, demo, echo_sql)


def main() -> None:
    options = app_options(sys.argv[1:])
    if options is None:
        from budget_tui.cli import main as command_line

        command_line()
        return
    import logging

    from budget_tui.errors import BudgetError, exit_code, render
    from budget_tui.tui.start import run_app

    # The controller logs each failure; without a handler, Python's last resort would print it
    # under the one-line message. The app logs to its file once it starts.
    logging.getLogger("budget_tui").addHandler(logging.NullHandler())
    try:
        status = run_app(options.db, demo=options.demo, echo_sql=options.echo_sql)
    except BudgetError as error:
        print(f"Error: {render(error).line()}", file=sys.stderr)
        sys.exit(exit_code(error))
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(status)
