"""CSV files of any common layout: detection of encoding, delimiter, header, columns, date
format and decimal mark; then a streaming reader that yields every row as a Row or a BadRow.

Detection reads only the start of the file (:data:`SAMPLE_BYTES`); the reader streams the rest,
so memory stays flat at any size. The date format is chosen once per file, never per row: a
file whose dates fit several formats (every day 12 or less) is *ambiguous*, and the person
confirms which one (``--date-format``, or on screen).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from budget_tui.importers import BadRow, FileProblem, Row
from budget_tui.importers.values import (
    DATE_NAMES,
    AmountError,
    date_formats_for,
    decimal_mark_for,
    parse_cents,
    parse_date,
    plain_cents,
)

SAMPLE_BYTES = 256 * 1024
SAMPLE_ROWS = 2000
MAX_LINE = 65_536  # characters in one line: longer is not a statement
MAX_RECORD = 2 * MAX_LINE  # a quoted value may span lines; a record stops here
DELIMITERS = ",;\t|"
# Our own export's header: amounts as the book holds them, ISO dates, a category per row.
OWN_COLUMNS = ("date", "description", "amount", "category")

# Header names banks use, by what the column holds (compared in lower case, punctuation as spaces).
_NAMES: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "transaction date",
        "booking date",
        "posted date",
        "posting date",
        "trans date",
        "buchungstag",
        "buchungsdatum",
        "datum",
        "date operation",
        "fecha",
        "data",
        "value date",
        "valuta",
        "valutadatum",
        "completed date",
        "started date",
    ),
    "description": (
        "description",
        "payee",
        "details",
        "narrative",
        "merchant",
        "name",
        "memo",
        "transaction description",
        "transaction details",
        "verwendungszweck",
        "beschreibung",
        "buchungstext",
        "libelle",
        "concepto",
        "reference",
        "particulars",
        "text",
        "beguenstigter zahlungspflichtiger",
        "counterparty",
    ),
    "amount": (
        "amount",
        "value",
        "betrag",
        "montant",
        "importe",
        "transaction amount",
        "amount eur",
        "amount gbp",
        "amount usd",
        "betrag eur",
        "umsatz",
    ),
    "debit": (
        "debit",
        "debit amount",
        "paid out",
        "money out",
        "withdrawal",
        "withdrawals",
        "out",
        "soll",
        "ausgang",
        "debits",
        "charge",
    ),
    "credit": (
        "credit",
        "credit amount",
        "paid in",
        "money in",
        "deposit",
        "deposits",
        "in",
        "haben",
        "eingang",
        "credits",
        "payment",
    ),
    "type": ("type", "transaction type", "debit credit", "dr cr", "cr dr", "soll haben", "d c"),
    "category": ("category", "kategorie", "categorie", "categoria"),
}
DEBIT_WORDS = frozenset({"debit", "dr", "d", "db", "withdrawal", "out", "s", "soll", "payment"})
CREDIT_WORDS = frozenset({"credit", "cr", "c", "deposit", "in", "h", "haben", "refund"})


def normal(name: str) -> str:
    """A header cell as compared: lower case without accents ("Libellé" is "libelle"),
    punctuation and spaces as single spaces."""
    plain = unicodedata.normalize("NFKD", name.lstrip("\ufeff").casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def _header_cell(cell: str) -> str:
    """A header cell as read, and as every screen and message shows it: trimmed, without a
    byte-order mark, and with a character that can't be shown written as its escape (``\\x1b``):
    a file's header went to the terminal as it was, and an escape sequence in it cleared the
    screen or set the terminal's title. Detection and reading both name columns this way, so a
    mapping made from one is found by the other."""
    cell = cell.strip().lstrip("\ufeff")
    if cell.isprintable():
        return cell
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in cell)


def header_signature(header: list[str] | tuple[str, ...]) -> str:
    """What finds a saved profile again: a hash of the header's normalised cells."""
    text = "\x1f".join(normal(cell) for cell in header)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class CsvMapping:
    """How to read one bank's CSV: where each value is and how it is written.

    Amounts come from ``amount`` (signed), or ``debit``/``credit`` (two columns, either may be
    empty), or ``amount`` with ``type`` (a column saying debit or credit). ``money_out`` says
    which sign a signed amount gives money going out (banks: "negative"; card statements often
    "positive"). Columns are named as in the header.
    """

    delimiter: str = ","
    encoding: str = "utf-8"
    header_line: int = 1  # lines before it (an account's details) are skipped
    date: str = ""
    date_format: str = "%Y-%m-%d"
    description: str = ""
    amount: str | None = None
    debit: str | None = None
    credit: str | None = None
    type: str | None = None
    category: str | None = None
    decimal: str = "."
    money_out: str = "negative"
    own_format: bool = False  # our own export: amounts as the book holds them

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CsvMapping:
        data = json.loads(text)
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    def columns(self) -> list[str]:
        used = [self.date, self.description, self.amount, self.debit, self.credit, self.type]
        return [c for c in [*used, self.category] if c]

    def with_changes(self, **changes: object) -> CsvMapping:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CsvDetection:
    """What :func:`detect` found: the header, a mapping (as good as the header allows), the date
    formats that fit every sampled date (more than one: the person must choose) and what is
    missing for an import (an empty tuple: the mapping is complete)."""

    header: tuple[str, ...]
    mapping: CsvMapping
    date_choices: tuple[str, ...]
    missing: tuple[str, ...] = ()
    sample: tuple[tuple[str, ...], ...] = field(default=(), repr=False)

    @property
    def signature(self) -> str:
        return header_signature(self.header)

    @property
    def ambiguous_dates(self) -> bool:
        return len(self.date_choices) > 1


def detect_encoding(head: bytes) -> str:
    """The file's encoding from its first bytes: a BOM, else UTF-8 when it decodes, else what
    charset-normalizer finds (latin-1 when it has no better idea)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut at the sample's end
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    encoding = best.encoding if best is not None else "cp1252"
    # Western European text often fits several code pages equally; prefer the common one
    # when it reads the bytes the same way.
    try:
        if head.decode("cp1252") == head.decode(encoding):
            return "cp1252"
    except (UnicodeDecodeError, LookupError):
        pass
    return encoding


def _delimiter(lines: list[str]) -> str:
    sample = "\n".join(lines[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) if lines else 0 for d in DELIMITERS}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _find(header: list[str], what: str, taken: set[int]) -> int | None:
    names = [normal(h) for h in header]
    for i, name in enumerate(names):  # exact names first
        if i not in taken and name in _NAMES[what]:
            return i
    for i, name in enumerate(names):  # then "Amount (EUR)", "Date posted" and the like
        if i not in taken and any(
            name.startswith(n + " ") or name.endswith(" " + n) for n in _NAMES[what] if len(n) > 2
        ):
            return i
    return None


def _header_index(rows: list[list[str]]) -> int:
    """The first row (of the first few) that names a date column and an amount: banks put an
    account's details above the header."""
    for i, row in enumerate(rows[:30]):
        if _find(row, "date", set()) is not None and (
            _find(row, "amount", set()) is not None
            or _find(row, "debit", set()) is not None
            or _find(row, "credit", set()) is not None
        ):
            return i
    return 0


def detect(path: str | Path, *, date_format: str | None = None) -> CsvDetection:
    """Read the start of a CSV file and propose how to read it. Raises FileProblem for a file
    that is empty or not text."""
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if not head.strip():
        raise FileProblem("The file is empty.")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem("This is not a text file (it holds NUL bytes).")
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    if len(head) == SAMPLE_BYTES:  # the last line may be cut: drop it
        text = text[: text.rfind("\n") + 1] or text
    lines = text.splitlines()
    delimiter = _delimiter([ln for ln in lines if ln.strip()])
    rows = list(csv.reader(lines[: SAMPLE_ROWS + 30], delimiter=delimiter))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise FileProblem("The file is empty.")
    first = _header_index(rows)
    header = [_header_cell(h) for h in rows[first]]
    header_line = _line_of(lines, rows[first], delimiter)
    body = [r for r in rows[first + 1 :] if len(r) == len(header)]
    return _propose(header, body, delimiter, encoding, header_line, date_format)


def _line_of(lines: list[str], row: list[str], delimiter: str) -> int:
    for number, line in enumerate(lines, start=1):
        if line.strip() and next(csv.reader([line], delimiter=delimiter), []) == row:
            return number
    return 1


def _propose(
    header: list[str],
    body: list[list[str]],
    delimiter: str,
    encoding: str,
    header_line: int,
    date_format: str | None,
) -> CsvDetection:
    names = tuple(normal(h) for h in header)
    sample = tuple(tuple(r) for r in body[:50])
    if sorted(names) == sorted(OWN_COLUMNS):
        mapping = CsvMapping(
            delimiter=delimiter,
            encoding=encoding,
            header_line=header_line,
            date=header[names.index("date")],
            description=header[names.index("description")],
            amount=header[names.index("amount")],
            category=header[names.index("category")],
            own_format=True,
        )
        return CsvDetection(tuple(header), mapping, ("%Y-%m-%d",), (), sample)
    taken: set[int] = set()
    found: dict[str, int | None] = {}
    for what in ("date", "amount", "debit", "credit", "type", "category", "description"):
        index = _find(header, what, taken)
        found[what] = index
        if index is not None:
            taken.add(index)
    if found["description"] is None:  # the widest text column left
        rest = [i for i in range(len(header)) if i not in taken]
        if rest and body:
            found["description"] = max(rest, key=lambda i: sum(len(r[i]) for r in body[:50]))
    col = {k: (header[v] if v is not None else None) for k, v in found.items()}
    missing = [k for k in ("date", "description") if col[k] is None]
    if col["amount"] is None and not (col["debit"] or col["credit"]):
        missing.append("amount")
    if col["amount"] is not None:
        col["debit"] = col["credit"] = None
        if found["type"] is not None and not _says_debit_or_credit(
            body, found["type"], found["amount"]
        ):
            col["type"] = None  # "Card payment", "Transfer": a kind of payment, not a sign
    else:
        col["type"] = None
    choices: list[str] = []
    if found["date"] is not None:
        choices = date_formats_for(r[found["date"]] for r in body)
    money = [
        r[i]
        for r in body
        for i in (found["amount"], found["debit"], found["credit"])
        if i is not None
    ]
    mapping = CsvMapping(
        delimiter=delimiter,
        encoding=encoding,
        header_line=header_line,
        date=col["date"] or "",
        date_format=date_format or (choices[0] if choices else "%Y-%m-%d"),
        description=col["description"] or "",
        amount=col["amount"],
        debit=col["debit"],
        credit=col["credit"],
        type=col["type"],
        category=col["category"],
        decimal=decimal_mark_for(money),
    )
    if date_format:
        choices = [date_format]
    elif found["date"] is not None and not choices:
        missing.append("date format")
    return CsvDetection(tuple(header), mapping, tuple(choices), tuple(missing), sample)


def _says_debit_or_credit(body: list[list[str]], type_at: int, amount_at: int | None) -> bool:
    """True when a type column gives the sign: its values are debit/credit words and the
    amounts are all written without one."""
    words = [normal(r[type_at]) for r in body[:200] if r[type_at].strip()]
    if not words or any(w not in DEBIT_WORDS | CREDIT_WORDS for w in words):
        return False
    return amount_at is None or not any(
        r[amount_at].strip().startswith(("-", "(", "\u2212")) for r in body[:200]
    )


class _BoundedLines:
    """Lines of a text file read at most :data:`MAX_LINE` characters at a time, so a file
    without line breaks (``/dev/zero``) never fills memory; ``record`` counts the characters of
    the record being read, so a quote that never closes is refused too."""

    def __init__(self, fh) -> None:
        self._readline: Callable[[int], str] = fh.readline
        self.number = 0
        self.record = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self._readline(MAX_LINE + 2)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > MAX_LINE and len(line.rstrip("\r\n")) > MAX_LINE:
            raise FileProblem(
                f"Row {self.number}: the line is longer than {MAX_LINE:,} characters; "
                "this does not look like a CSV statement."
            )
        self.record += len(line)
        if self.record > MAX_RECORD:
            raise FileProblem(
                f"Row {self.number}: the row runs on for more than {MAX_RECORD:,} characters "
                "(a quote that is never closed?)."
            )
        return line


def unquote(cell: str) -> str:
    """A text cell as it was before our export neutralised it: ``'=SUM(A1)`` -> ``=SUM(A1)``."""
    if cell.startswith("'") and cell.lstrip("'").startswith(("=", "+", "-", "@", "\t", "\r")):
        return cell[1:]
    return cell


def read_csv(path: str | Path, mapping: CsvMapping) -> Iterator[Row | BadRow]:
    """Every data row of the file, in order, as a Row or a BadRow. Raises FileProblem when the
    file as a whole can't be read (no header with the mapping's columns, not text)."""
    with open(path, encoding=mapping.encoding, newline="", errors="strict") as fh:
        source = _BoundedLines(fh)
        reader = csv.reader(source, delimiter=mapping.delimiter)
        try:
            for _ in range(mapping.header_line - 1):
                fh.readline()
            source.number = mapping.header_line - 1
            header = next(reader)
        except StopIteration:
            raise FileProblem("The file is empty.") from None
        except UnicodeDecodeError:
            raise FileProblem(f"The file is not {mapping.encoding} text.") from None
        header = [_header_cell(h) for h in header]
        missing = [c for c in mapping.columns() if c not in header]
        if missing:
            raise FileProblem(
                "The header has no column "
                + ", ".join(repr(c) for c in missing)
                + f"; it has {', '.join(repr(h) for h in header)}."
            )
        yield from _rows(reader, source, header, mapping)


def _rows(reader, source: _BoundedLines, header: list[str], mapping: CsvMapping):
    at = {name: header.index(name) for name in mapping.columns()}
    width = len(header)
    own = mapping.own_format
    dates: dict[str, object] = {}
    line = source.number
    while True:
        start = source.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise FileProblem(
                f"Row {source.number}: the file is not {mapping.encoding} text there."
            ) from None
        except csv.Error as exc:
            yield BadRow(start, "row", str(exc))
            source.record = 0
            continue
        source.record = 0
        line = start
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != width:
            yield BadRow(line, "row", f"expected {width} columns, found {len(cells)}")
            continue
        date_text = cells[at[mapping.date]]
        day = dates.get(date_text)
        if day is None:
            day = parse_date(date_text, mapping.date_format) if date_text.strip() else None
            if day is None:
                shown = date_text.strip()[:30]
                yield BadRow(
                    line,
                    mapping.date,
                    f"{shown!r} is not a date like {DATE_NAMES.get(mapping.date_format, 'the others')}"
                    if shown
                    else "the date is empty",
                )
                continue
            if len(dates) < 10_000:
                dates[date_text] = day
        try:
            cents = _cents(cells, at, mapping)
        except AmountError as exc:
            column = mapping.amount or mapping.debit or mapping.credit or "amount"
            yield BadRow(line, column, str(exc))
            continue
        description = cells[at[mapping.description]]
        category = cells[at[mapping.category]].strip() if mapping.category else None
        if own:
            description = unquote(description.strip())
            category = unquote(category) if category else category
        yield Row(line, day, cents, description, category or None)  # type: ignore[arg-type]


def _cents(cells: list[str], at: dict[str, int], mapping: CsvMapping) -> int:
    """Money out as positive cents (our own format: the book's amount)."""
    decimal = mapping.decimal
    if mapping.own_format and mapping.amount:
        return plain_cents(cells[at[mapping.amount]])
    if mapping.amount:
        cents = parse_cents(cells[at[mapping.amount]], decimal)
        if mapping.type:
            word = normal(cells[at[mapping.type]])
            if word in DEBIT_WORDS:
                return abs(cents)
            if word in CREDIT_WORDS:
                return -abs(cents)
            raise AmountError(f"the type {word[:20]!r} is neither a debit nor a credit")
        return -cents if mapping.money_out == "negative" else cents
    out_text = cells[at[mapping.debit]].strip() if mapping.debit else ""
    in_text = cells[at[mapping.credit]].strip() if mapping.credit else ""
    if out_text and in_text:
        raise AmountError("both the debit and the credit column hold an amount")
    if out_text:
        return abs(parse_cents(out_text, decimal))
    if in_text:
        return -abs(parse_cents(in_text, decimal))
    raise AmountError("the amount is empty")
