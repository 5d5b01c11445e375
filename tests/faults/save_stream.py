"""A child process for the SIGKILL test: saves expenses in a loop on an SQLite file and prints each
uid on stdout once ``create_expense`` has returned (the save is acknowledged). Run as
``python -m tests.faults.save_stream sqlite:///path``; it runs until it is killed."""

from __future__ import annotations

import sys

from budget_tui.controller import categories, expenses
from budget_tui.controller.book import open_book
from budget_tui.errors import Conflict


def main(url: str) -> None:
    book = open_book(url)
    try:
        category = categories.create_category(book.sessions, "Stream").id
    except Conflict:
        category = categories.get_category(book.sessions, "Stream").id
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        uid = expenses.new_uid()
        expenses.create_expense(
            book.sessions,
            description=f"Save {n}",
            amount=f"{n % 997 + 1}.{n % 100:02d}",
            occurred_on=f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            category=category,
            uid=uid,
        )
        print(uid, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
