"""What the import and rule actions hand out: frozen dataclasses, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

MATCHES = ("contains", "starts", "regex")
MATCH_WORDS = {"contains": "contains", "starts": "starts with", "regex": "matches"}


@dataclass(frozen=True)
class RuleView:
    id: int
    position: int  # 1 is tried first
    match: str  # contains | starts | regex
    pattern: str
    category: str
    rename: str | None = None

    def describe(self) -> str:
        renamed = f" as {self.rename!r}" if self.rename else ""
        return f"{MATCH_WORDS[self.match]} {self.pattern!r} -> {self.category!r}{renamed}"


@dataclass(frozen=True)
class BadRowView:
    line: int
    column: str
    reason: str

    def text(self) -> str:
        return f"row {self.line}, {self.column}: {self.reason}"


@dataclass(frozen=True)
class UnknownCategory:
    """A category name the file gives that the book lacks: how many rows name it, and the
    nearest name the book has, when one is near."""

    name: str
    rows: int
    did_you_mean: str | None = None


@dataclass(frozen=True)
class ImportFormat:
    """What was detected in a file: ``csv`` (with its mapping), ``ofx``, ``qif`` or ``camt``."""

    kind: str
    profile: str | None = None  # the saved profile used, if any
    header: tuple[str, ...] = ()
    mapping_json: str | None = None  # a CsvMapping as JSON (CSV only)
    date_format: str | None = None
    date_choices: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    own_format: bool = False

    @property
    def ambiguous_dates(self) -> bool:
        return len(self.date_choices) > 1


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import (or a dry run): rows new, already in the book, bad (the first 50
    listed; ``bad_total`` counts them all), category names the book lacks, and whether anything
    was written."""

    format: ImportFormat
    new: int
    duplicates: int
    bad: tuple[BadRowView, ...]
    bad_total: int
    unknown: tuple[UnknownCategory, ...] = ()
    categories_created: tuple[str, ...] = ()
    imported: bool = False
    dry_run: bool = False
    by_rule: int = 0
    by_suggestion: int = 0
    uncategorised: int = 0
    change_id: int | None = None

    @property
    def problems(self) -> bool:
        return bool(self.bad_total or self.unknown)


@dataclass(frozen=True)
class PreviewRow:
    """One row of a file as it would be imported: ``status`` new / duplicate / bad; ``how`` the
    category came: file, rule, suggested, choice (the person's), none (Uncategorised)."""

    line: int
    day: dt.date | None
    amount: Decimal | None
    description: str
    category: str | None
    how: str
    status: str
    reason: str = ""
    suggestion: str | None = None  # a suggestion below the threshold, shown, never applied
    sureness: float = 0.0  # the suggestion's share of earlier uses (0..1)
    index: int = 0  # its place among the file's rows: what ImportOptions.choices are keyed by


@dataclass(frozen=True)
class ImportPreview:
    format: ImportFormat
    rows: tuple[PreviewRow, ...]
    more: int = 0  # rows past the preview's limit, not shown
    categories: tuple[str, ...] = field(default=())  # every category of the book, by name
    unknown: tuple[UnknownCategory, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)
