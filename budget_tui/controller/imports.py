"""CSV import: columns ``date,description,amount,category``.

An import is one transaction: every row is saved, or (at the first bad row) none is, and the
message names the row and the problem. Files are streamed, so memory stays flat at any size.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Sized

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget_tui.controller import validate
from budget_tui.controller._tx import action
from budget_tui.controller.bulk import BulkWriter, copy_escape
from budget_tui.controller.categories import insert_category
from budget_tui.controller.queries import bump
from budget_tui.controller.views import ImportResult
from budget_tui.db.models import Category, utcnow
from budget_tui.db.money import to_cents
from budget_tui.errors import InvalidInput

COLUMNS = ("date", "description", "amount", "category")
CHUNK = 20_000
BULK_COLUMNS = (
    "uid",
    "occurred_on",
    "description",
    "amount",
    "category_id",
    "created_at",
    "updated_at",
    "version",
)


def _rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(lines)
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
# A CSV row of this file format takes about this many bytes (to guess a file's rows from its size).
BYTES_PER_ROW = 40


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


def _expected_rows(lines: Iterable[str]) -> int:
    """A guess at how many rows ``lines`` holds, without reading it: from the size of an open
    file, or the length of a list; 0 when it can't be told."""
    try:
        return os.fstat(lines.fileno()).st_size // BYTES_PER_ROW  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        pass
    return len(lines) if isinstance(lines, Sized) else 0


@action
def import_csv(
    session: Session, lines: Iterable[str], *, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Import expenses from CSV text lines (open the file with ``newline=""``, UTF-8).

    Unknown categories are created. Raises InvalidInput naming the row on the first bad one;
    then nothing is imported. The file is streamed in chunks (memory stays flat at any size) and
    written with COPY (PostgreSQL) or executemany (SQLite); ``progress(rows)`` follows each chunk.
    """
    known = {key: cid for key, cid in session.execute(select(Category.name_key, Category.id))}
    by_text: dict[str, int] = {}  # category cell as written -> id
    days: dict[str, tuple[str, dt.date]] = {}  # date cell as written -> (ISO text, month)
    created: list[str] = []
    deltas: dict[tuple[int, dt.date], tuple[int, int]] = {}
    batch: list = []
    count = 0
    # uids: one random prefix per import plus a counter (unique, and rising like the ids).
    bits = secrets.token_hex(9)
    prefix = f"{bits[:8]}-{bits[8:12]}-4{bits[12:15]}-a{bits[15:18]}-"
    with BulkWriter(session, BULK_COLUMNS, expected=_expected_rows(lines)) as writer:
        stamp = utcnow()
        now = stamp.isoformat() if writer.copy else str(stamp.replace(tzinfo=None))

        def flush() -> None:
            if batch:
                if writer.copy:
                    writer.copy_text("".join(batch))
                else:
                    writer.insert(batch)
                batch.clear()
                if progress:
                    progress(count)

        for line, row in _rows(lines):
            description = _description(row["description"], line)
            cents = _cents(row["amount"], line)
            cat_text = row["category"]
            cat_id = by_text.get(cat_text)
            if cat_id is None:
                try:
                    name = validate.category_name(cat_text, "category")
                except InvalidInput as exc:
                    raise InvalidInput("file", f"Row {line}: {exc.message}") from None
                key = validate.name_key(name)
                cat_id = known.get(key)
                if cat_id is None:
                    cat_id = known[key] = insert_category(session, name).id
                    created.append(name)
                by_text[cat_text] = cat_id
            date_text = row["date"]
            day = days.get(date_text)
            if day is None:
                parsed = _date(date_text, line)
                day = days[date_text] = (parsed.isoformat(), parsed.replace(day=1))
            count += 1
            uid = f"{prefix}{count:012x}"
            if writer.copy:
                batch.append(
                    f"{uid}\t{day[0]}\t{copy_escape(description)}\t{cents}\t{cat_id}"
                    f"\t{now}\t{now}\t1\n"
                )
            else:
                batch.append((uid, day[0], description, cents, cat_id, now, now, 1))
            c, n = deltas.get((cat_id, day[1]), (0, 0))
            deltas[(cat_id, day[1])] = (c + cents, n + 1)
            if len(batch) >= CHUNK:
                flush()
        flush()
    bump(session, deltas)
    return ImportResult(rows=count, categories_created=tuple(created))
