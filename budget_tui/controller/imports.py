"""CSV import of our own columns ``date,description,amount,category``, for programs and tests.

People import through :mod:`budget_tui.controller.file_import` (the ``import`` command and the
import screen): any bank's layout, every problem reported at once, no category created unasked.
This module keeps :func:`row_key` (the import key both share, so a file imported by either is
known to the other) and the line-length guards.

An import is one transaction: every new row is saved, or (at the first bad row) none is, and the
message names the row and the problem. Files are read in bounded pieces and streamed, so memory
stays flat at any size; a line longer than :data:`MAX_LINE` (or a file without line breaks, such
as ``/dev/zero``) is refused by its row number.

Importing the same rows again adds nothing: each imported row is stored with an import key, its
date and a hash of its date, amount, description and category (see :func:`row_key`) plus its
number among the identical rows of its file (two real coffees on one day stay two rows). A row whose key is
already in the book is skipped and counted as already imported, so a file imported twice adds
nothing the second time, and a statement that overlaps an earlier one adds only its new rows.

Text cells that a CSV export neutralised for spreadsheets (``'=SUM(A1)``) are read back to the
text they came from (:func:`unquote`), so export and import round-trip exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget_tui.controller import ledger, validate
from budget_tui.controller._tx import action
from budget_tui.controller.bulk import copy_escape
from budget_tui.controller.views import ImportResult
from budget_tui.db.models import Category, utcnow
from budget_tui.db.money import to_cents
from budget_tui.errors import InvalidInput

COLUMNS = ("date", "description", "amount", "category")
CHUNK = 20_000
# A row of a budget or bank CSV takes well under a kilobyte: a longer line is not such a file.
MAX_LINE = 65_536  # characters in one line
# A quoted value may span lines; a record (and so any one value) stops here.
MAX_RECORD = 2 * MAX_LINE  # below the csv module's own field limit (131,072), so ours speaks first
# Text a spreadsheet would run as a formula; a CSV export puts a ``'`` in front of it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unquote(cell: str) -> str:
    """A text cell as it was before an export neutralised it: ``'=SUM(A1)`` -> ``=SUM(A1)``.

    The export puts one ``'`` in front of a text that, after its own leading quotes, starts
    like a formula (so ``'=x`` is written ``''=x``); exactly that quote is removed here. Any
    other text, ``'quoted`` included, is kept as it is.
    """
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


def row_key(day: str, cents: int, description: str, category_key: str) -> str:
    """The stable part of a row's import key: its ISO date, then a hash of the date, amount in
    cents, cleaned description and category name key (80 bits: rows of one day never clash).

    The stored key adds ``:n``, the row's number among the identical rows of its file (counted
    in SQL, so memory stays flat). Keys begin with the date so that a statement's keys go into
    the index side by side, not scattered over all of it.
    """
    data = f"{day}\x1f{cents}\x1f{description}\x1f{category_key}".encode()
    return f"{day}:{hashlib.blake2b(data, digest_size=10).hexdigest()}"


class _BoundedLines:
    """The lines of a file, read at most :data:`MAX_LINE` characters at a time.

    A file object is read with ``readline(limit)``, so a line without end (``/dev/zero``)
    never fills memory; it is refused by its number. ``record`` counts the characters since
    the last record ended, which the reader resets, so a quote that never closes is refused too.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        readline = getattr(lines, "readline", None)
        self._readline: Callable[[int], str] | None = readline if callable(readline) else None
        self._lines = None if self._readline else iter(lines)
        self.number = 0
        self.record = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        if self._readline is not None:
            line = self._readline(MAX_LINE + 2)  # room for the line's own CR LF
            if not line:
                raise StopIteration
        else:
            assert self._lines is not None
            line = next(self._lines)
        self.number += 1
        if len(line) > MAX_LINE and len(line.rstrip("\r\n")) > MAX_LINE:
            raise InvalidInput(
                "file",
                f"Row {self.number}: the line is longer than {MAX_LINE:,} characters; "
                "this does not look like a CSV file of expenses.",
            )
        self.record += len(line)
        if self.record > MAX_RECORD:
            raise InvalidInput(
                "file",
                f"Row {self.number}: the row runs on for more than {MAX_RECORD:,} characters "
                "(a quote that is never closed?).",
            )
        return line


def _rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    source = _BoundedLines(lines)
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(
            "file", "The file is empty; it needs a header: date,description,amount,category."
        ) from None
    except UnicodeDecodeError as exc:
        # The first chunk failed to decode; the bad byte may lie well below the header.
        row = 1 + _newlines_before(exc)
        message = f"Row {row}: the file is not UTF-8 text there." if row > 1 else ""
        raise InvalidInput("file", message or "The file is not UTF-8 text.") from None
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InvalidInput(
            "file",
            f"The header lacks {', '.join(missing)}; it must name date,description,amount,category.",
        )
    index = {c: names.index(c) for c in COLUMNS}
    width = len(names)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            row = reader.line_num + 1 + _newlines_before(exc)
            raise InvalidInput("file", f"Row {row}: the file is not UTF-8 text there.") from None
        except csv.Error as exc:
            raise InvalidInput("file", f"Row {line + 1}: {exc}.") from None
        source.record = 0
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise InvalidInput("file", f"Row {line}: expected {width} columns, found {len(cells)}.")
        yield line, {c: cells[i] for c, i in index.items()}


def _newlines_before(exc: UnicodeDecodeError) -> int:
    """Lines that end inside the failed chunk before the bad byte.

    A text file decodes in chunks of several kilobytes, so the error surfaces at the first line
    of the chunk, not at the line that holds the bad byte; counting forward finds that line.
    """
    data = exc.object
    if not isinstance(data, bytes | bytearray | memoryview):
        return 0
    return bytes(data[: exc.start]).count(b"\n")


def _date(text: str, line: int) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "file", f"Row {line}: {text.strip()[:30]!r} is not a date like 2026-03-15."
        ) from None
    if not validate.EARLIEST <= day <= validate.LATEST:
        raise InvalidInput("file", f"Row {line}: the date {day} is out of range.")
    return day


_AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")
MAX_CENTS = to_cents(validate.MAX_AMOUNT)


def _description(text: str, line: int) -> str:
    clean = text.strip()
    # Printable ASCII is already clean (NFC changes nothing, no control characters): the common
    # case skips the per-character checks.
    if clean and len(clean) <= validate.DESCRIPTION_MAX and clean.isascii() and clean.isprintable():
        return clean
    try:
        return validate.description(text)
    except InvalidInput as exc:
        raise InvalidInput("file", f"Row {line}: {exc.message}") from None


def _cents(text: str, line: int) -> int:
    clean = text.strip()
    if _AMOUNT.match(clean):
        whole, _, fraction = clean.partition(".")
        cents = int(whole) * 100 + int((fraction + "00")[:2])
        if 0 < cents <= MAX_CENTS:
            return cents
    try:
        return to_cents(validate.plain_amount(text, "amount"))
    except InvalidInput as exc:
        raise InvalidInput("file", f"Row {line}: {exc.message}") from None


@action
def import_csv(
    session: Session, lines: Iterable[str], *, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Import expenses from CSV text lines (open the file with ``newline=""``, UTF-8).

    Rows already imported (by this or an earlier file) are skipped and counted. Unknown
    categories are created (and only kept when a new row uses them). Raises InvalidInput naming
    the row on the first bad one; then nothing is imported. The file is streamed in chunks
    (memory stays flat at any size) into a staging table, and ``progress(rows)`` follows each
    chunk read; the new rows then go into the book in a few large statements.
    """
    known = {key: cid for key, cid in session.execute(select(Category.name_key, Category.id))}
    by_text: dict[str, tuple[int, str]] = {}  # category cell as written -> (id, name key)
    days: dict[str, str] = {}  # date cell as written -> ISO text
    batch: list = []
    count = 0
    # uids: one random prefix per import plus the row's number (unique, and rising like the ids).
    bits = secrets.token_hex(9)
    prefix = f"{bits[:8]}-{bits[8:12]}-4{bits[12:15]}-a{bits[15:18]}-"
    change = ledger.BulkChange(session, "import", prefix)
    with change.stage() as stage:

        def flush() -> None:
            if batch:
                if stage.copy:
                    stage.copy_text("".join(batch), len(batch))
                else:
                    stage.add(batch)
                batch.clear()
                if progress:
                    progress(count)

        for line, row in _rows(lines):
            description = _description(unquote(row["description"].strip()), line)
            cents = _cents(row["amount"], line)
            cat_text = row["category"]
            category = by_text.get(cat_text)
            if category is None:
                try:
                    name = validate.category_name(unquote(cat_text.strip()), "category")
                except InvalidInput as exc:
                    raise InvalidInput("file", f"Row {line}: {exc.message}") from None
                key = validate.name_key(name)
                cat_id = known.get(key)
                if cat_id is None:
                    cat_id = known[key] = change.add_category(name).id
                category = by_text[cat_text] = (cat_id, key)
            date_text = row["date"]
            day = days.get(date_text)
            if day is None:
                day = days[date_text] = _date(date_text, line).isoformat()
            count += 1
            base = row_key(day, cents, description, category[1])
            if stage.copy:
                batch.append(
                    f"{count}\t{day}\t{copy_escape(description)}\t{cents}\t{category[0]}\t{base}\n"
                )
            else:
                batch.append((count, day, description, cents, category[0], base))
            if len(batch) >= CHUNK:
                flush()
        flush()
        added = stage.finish(uid_prefix=prefix, now=utcnow())
    if added < count:
        # Every row that named them was already in the book: the new categories are not kept.
        change.drop_unused_categories()
    skipped = count - added
    change.finish(
        added,
        f"import {added:,} expense{'s' if added != 1 else ''}"
        + (f" ({skipped:,} already there)" if skipped else ""),
    )
    return ImportResult(
        rows=added, skipped=skipped, categories_created=tuple(change.created.values())
    )
