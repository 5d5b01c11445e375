"""A child process for the killed-mid-posting test: posts what the schedules have due, and
stops (asleep, its transaction open) right after the first entry is written; it prints
"posting" then, so the test can SIGKILL it in the middle of the posting. Run as
``python -m tests.faults.post_killed URL``."""

from __future__ import annotations

import sys
import time

from sqlalchemy import event

from budget_tui.controller import schedules
from budget_tui.controller.book import open_book


def main(url: str) -> None:
    book = open_book(url)

    def stop_after_the_first_entry(conn, cursor, statement, parameters, context, many) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO EXPENSES"):
            print("posting", flush=True)
            time.sleep(120)

    event.listen(book.engine, "after_cursor_execute", stop_after_the_first_entry)
    schedules.post_due(book.sessions)
    print("finished", flush=True)  # never reached: the test kills it first


if __name__ == "__main__":
    main(sys.argv[1])
