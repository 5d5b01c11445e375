"""File formats -> rows: CSV of any common layout, OFX/QFX, QIF, CAMT.053. Pure: no database.

A reader yields, in file order, a :class:`Row` for each transaction it understood and a
:class:`BadRow` (row number, column, reason) for each it did not, so the caller can check a
whole file and report every problem at once. Readers stream where the format allows (CSV,
CAMT.053), so memory stays flat at any size.

Amounts come as signed cents. ``book_signed`` says how to read the sign: True for our own
export format (the amount is the book's: positive is spending, or income in an income
category); False for a bank's statement, where the amount is money *out* (positive) or *in*
(negative), and the book's sign then depends on the category's kind (a credit is a refund in a
spending category, income in an income category).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    """A transaction as a file states it."""

    line: int  # where it is in the file (CSV: the row number, header = 1), for messages
    day: dt.date
    cents: int  # see the module docstring for its sign
    description: str  # as written (the controller cleans and checks it)
    category: str | None = None  # a category name the file gives, if any
    ref: str | None = None  # the bank's own id for it (OFX FITID, CAMT AcctSvcrRef)


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that could not be read: its number, the column and why."""

    line: int
    column: str
    reason: str

    def text(self) -> str:
        return f"Row {self.line}, {self.column}: {self.reason}"


class FileProblem(ValueError):
    """The file as a whole cannot be read (not this format, empty, no header we understand)."""
