"""Starting the app: the first screen read on the side while Textual is imported, then the app.

Both ways in come here: a plain ``budget-tui`` (:mod:`budget_tui.entry`, without click) and the
command group when no command is given (:mod:`budget_tui.cli`).
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from budget_tui.config import database_url, demo_path, load_settings
from budget_tui.errors import ConfigError
from budget_tui.tui import prefetch

FIRST_LOAD = "budget_tui.controller.expense_list:browse_this_month"
FIRST_ROWS = "budget_tui.controller.first_rows:first_rows"


def run_app(db: str | None, *, demo: bool = False, echo_sql: bool = False) -> int:
    """Open the app on ``db`` (a URL or an SQLite path; None: the configured book); returns the
    process's exit status once it is quit: 0, or 1 when it was quit without its book (it could
    not be opened; see :meth:`BudgetApp.exit`). A URL that can't be read, a file that is not a
    budget book, or unknown money settings raise their BudgetError before the screen opens, for
    the caller to print as one line."""
    if demo and not demo_path().exists():
        raise ConfigError(
            f"There is no demo book yet ({demo_path()}).",
            hint="Make it with `budget-tui demo`, then run `budget-tui --demo`.",
        )
    # The money settings are checked by the child (an unknown locale or currency is its verdict,
    # a one-line error): babel costs this process nothing before the first rows are painted.
    url, _source = database_url(db)
    # The first screen's data is read by a child process while this one imports Textual; its
    # verdict on the URL comes first, so a URL that can't be read, or a file that is not a budget
    # book, is still a one-line error before the screen opens. The first rows come even sooner,
    # read without SQLAlchemy, and answer for the URL too.
    early = prefetch.start(url, FIRST_LOAD, FIRST_ROWS)
    import budget_tui.tui.screens.expenses  # noqa: F401  (the first screen, while the child works)
    from budget_tui.tui.app import BudgetApp

    verdict = early.verdict() if early is not None else None
    location: str | None
    if verdict is None:  # no child (no fork), or it died: check here, as the app can
        from budget_tui.db.engine import describe, parse_url
        from budget_tui.db.files import check_sqlite_book

        load_settings(db)
        parse_url(url)
        check_sqlite_book(url, create=True)
        early, location = None, describe(url)
    elif verdict.error is not None:
        assert early is not None
        early.close()
        raise verdict.error
    else:
        # None when the first rows came first: the app hears a server's location later.
        location = verdict.location or ""
    setup_logging(echo_sql)
    first = verdict.first if verdict is not None else None
    # What the imports made lives as long as the app: the collector need not walk it again (a
    # full collection during the first paint costs some 20 ms otherwise).
    gc.freeze()
    app = BudgetApp(url=url, echo_sql=echo_sql, location=location, prefetch=early, first=first)
    app.run()
    return app.return_code or 0


def setup_logging(echo_sql: bool) -> Path:
    """Log to a file (never over the screen); SQL echo goes there too, without bound parameters."""
    from budget_tui.config import log_dir

    directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "budget-tui.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if echo_sql:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    return path
