"""Importing a bank's statement (CSV of any common layout, OFX/QFX, QIF, CAMT.053) or our own
export: detect, preview, import. Each public function is one transaction.

Safe by construction:

- **Every problem at once.** The whole file is read and checked before anything stays written:
  every bad row is listed (row, column, reason; the first :data:`MAX_LISTED`, and a count of
  the rest), and so is every category name the book lacks (with a "did you mean" for near
  misses). Nothing is written unless the file is clean, or the person chose to skip the bad
  rows (``skip_bad``) and to create the new categories (``create_categories``).
- **Duplicates never get in.** Each row gets an import key: the bank's own id where it has one
  (OFX FITID, CAMT AcctSvcrRef), else the stable key of its date, amount, description (for our
  own export: and category) and its number among the identical rows of its file. A key already
  in the book is skipped and counted, in the same transaction and under the same lock as
  the ledger's bulk import (a staging table, then only the new rows), so a retried import
  after a lost connection, the same file twice, or an overlapping statement add nothing twice.
- **One change.** An import is one change in the history: undo takes it back whole.
- **Flat memory.** Rows stream from the file into a staging table; the whole file is never in
  memory (OFX and QIF files are parsed whole by their libraries: statements, not archives).

A row's category comes, in this order, from: the person's choice on the preview; the file's own
category column; the first matching rule; a learned suggestion sure enough
(:data:`budget_tui.controller.rules.SUGGEST_THRESHOLD`); else the "Uncategorised" category.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget_tui.controller import ledger, validate
from budget_tui.controller._tx import Sessions, action, read_action
from budget_tui.controller.bulk import copy_escape
from budget_tui.controller.import_views import (
    BadRowView,
    ImportFormat,
    ImportPreview,
    ImportReport,
    PreviewRow,
    UnknownCategory,
)
from budget_tui.controller.imports import row_key
from budget_tui.controller.queries import expenses_t
from budget_tui.controller.rules import Categoriser, sure_enough
from budget_tui.db.models import Category, utcnow
from budget_tui.db.money import from_cents, to_cents
from budget_tui.errors import InvalidInput, NotFound
from budget_tui.importers import BadRow, FileProblem, Row, csvfile, statements
from budget_tui.importers.values import DATE_NAMES, date_format

UNCATEGORISED = "Uncategorised"
MAX_LISTED = 50
PREVIEW_MAX = 5000
CHUNK = 20_000
MAX_CENTS = to_cents(validate.MAX_AMOUNT)
FORMATS = ("csv", "ofx", "qif", "camt")


@dataclass(frozen=True)
class ImportOptions:
    """What the person chose: a saved profile (by name), or a CSV mapping (JSON, from the
    screen) and/or a date format; what to do with bad rows and new categories; a dry run; a
    category per row (by its row number) chosen on the preview; a name to save the CSV mapping
    under."""

    profile: str | None = None
    mapping_json: str | None = None
    date_format: str | None = None
    skip_bad: bool = False
    create_categories: bool = False
    dry_run: bool = False
    # By the row's place among the file's rows (0 first, bad rows counted): a QIF split shares
    # its transaction's line, so the line can't tell its rows apart.
    choices: Mapping[int, str] = field(default_factory=dict)
    save_profile: str | None = None
    # Columns named by the person (role -> header name: date, description, amount, debit,
    # credit, type, category; money_out -> negative | positive), over what was detected.
    columns: Mapping[str, str] = field(default_factory=dict)


# -- reading the file ------------------------------------------------------------------------


@dataclass
class _Source:
    format: ImportFormat
    path: Path
    mapping: csvfile.CsvMapping | None = None
    day_first: bool = False

    @property
    def own(self) -> bool:
        return self.mapping is not None and self.mapping.own_format

    def rows(self) -> Iterator[Row | BadRow]:
        kind = self.format.kind
        try:
            if kind == "csv":
                assert self.mapping is not None
                yield from csvfile.read_csv(self.path, self.mapping)
            elif kind == "ofx":
                yield from statements.read_ofx(self.path)
            elif kind == "qif":
                yield from statements.read_qif(self.path, day_first=self.day_first)
            else:
                yield from statements.read_camt(self.path)
        except FileProblem as exc:
            raise InvalidInput("file", str(exc)) from None


def _fmt(text: str | None) -> str | None:
    if text is None:
        return None
    found = date_format(text)
    if found is None:
        names = ", ".join(DATE_NAMES.values())
        raise InvalidInput("date_format", f"{text!r} is not a date format we know ({names}).")
    return found


def _profile(
    session: Session, *, name: str | None, signature: str | None
) -> tuple[str, str] | None:
    p = ledger.profiles_t.c
    if name is not None:
        found = session.execute(
            select(p.name, p.settings).where(p.name_key == validate.name_key(name.strip()))
        ).first()
    else:
        found = session.execute(
            select(p.name, p.settings).where(p.signature == signature).order_by(p.id.desc())
        ).first()
    return None if found is None else (found[0], found[1])


def _open(session: Session, path: str | Path, options: ImportOptions) -> _Source:
    path = Path(path)
    try:
        kind = statements.sniff_format(path)
    except OSError as exc:
        raise InvalidInput("file", f"The file could not be read: {exc.strerror or exc}.") from None
    chosen = _fmt(options.date_format)
    if kind == "qif":
        day_first = statements.qif_day_first(path)
        if chosen is not None:
            day_first = chosen.startswith("%d")
        if day_first is None:
            raise InvalidInput(
                "date_format",
                "The file's dates fit both DD/MM/YYYY and MM/DD/YYYY; say which.",
            )
        shown = "DD/MM/YYYY" if day_first else "MM/DD/YYYY"
        return _Source(ImportFormat("qif", date_format=shown), path, day_first=day_first)
    if kind != "csv":
        return _Source(ImportFormat(kind), path)
    try:
        detection = csvfile.detect(path, date_format=chosen)
    except FileProblem as exc:
        raise InvalidInput("file", str(exc)) from None
    mapping, profile_name = detection.mapping, None
    if options.mapping_json:
        mapping = csvfile.CsvMapping.from_json(options.mapping_json)
    elif options.profile or not mapping.own_format:
        saved = _profile(session, name=options.profile, signature=detection.signature)
        if saved is not None:
            profile_name, settings = saved
            # The columns are the profile's; where the header starts and how the file is
            # written (encoding, delimiter) are this file's own.
            here = detection.mapping
            mapping = csvfile.CsvMapping.from_json(settings).with_changes(
                header_line=here.header_line, encoding=here.encoding, delimiter=here.delimiter
            )
        elif options.profile and options.save_profile is None:
            raise NotFound(
                f"There is no import profile named {options.profile!r}.",
            )
    if chosen is not None:
        mapping = mapping.with_changes(date_format=chosen)
    if options.columns:
        mapping = _with_columns(mapping, detection.header, options.columns)
    confirmed = bool(chosen or profile_name or options.mapping_json or mapping.own_format)
    choices = detection.date_choices if not confirmed else (mapping.date_format,)
    missing = tuple(m for m in detection.missing if not confirmed or m != "date format")
    if options.mapping_json or profile_name or options.columns:
        missing = tuple(c for c in ("date", "description") if not getattr(mapping, c))
        if not (mapping.amount or mapping.debit or mapping.credit):
            missing += ("amount",)
    fmt = ImportFormat(
        "csv",
        profile=profile_name,
        header=detection.header,
        mapping_json=mapping.to_json(),
        date_format=DATE_NAMES.get(mapping.date_format, mapping.date_format),
        date_choices=tuple(DATE_NAMES.get(c, c) for c in choices),
        missing=missing,
        own_format=mapping.own_format,
    )
    return _Source(fmt, path, mapping=mapping)


ROLES = ("date", "description", "amount", "debit", "credit", "type", "category")


def _with_columns(
    mapping: csvfile.CsvMapping, header: tuple[str, ...], columns: Mapping[str, str]
) -> csvfile.CsvMapping:
    """``mapping`` with the roles the person named; raises InvalidInput for an unknown role or
    a column the header lacks."""
    changes: dict[str, object] = {}
    by_name = {csvfile.normal(h): h for h in header}
    for role, column in columns.items():
        role = role.strip().casefold().replace("-", "_")
        if role == "money_out":
            if column not in ("negative", "positive"):
                raise InvalidInput("columns", "money_out is negative or positive.")
            changes[role] = column
            continue
        if role not in ROLES:
            raise InvalidInput("columns", f"{role!r} is not a column role ({', '.join(ROLES)}).")
        if column.strip() in ("", "-", "none"):
            changes[role] = None if role not in ("date", "description") else ""
            continue
        found = by_name.get(csvfile.normal(column))
        if found is None:
            raise InvalidInput(
                "columns", f"The header has no column {column!r}; it has {', '.join(header)}."
            )
        changes[role] = found
    if changes.get("amount"):
        changes.setdefault("debit", None)
        changes.setdefault("credit", None)
    elif changes.get("debit") or changes.get("credit"):
        changes.setdefault("amount", None)
        changes.setdefault("type", None)
    return mapping.with_changes(**changes)


def _check_readable(source: _Source) -> None:
    fmt = source.format
    if fmt.missing:
        raise InvalidInput(
            "mapping",
            f"No column for the {', '.join(fmt.missing)} was found in the header "
            f"({', '.join(fmt.header)}).",
        )
    if fmt.ambiguous_dates:
        raise InvalidInput(
            "date_format",
            f"The file's dates fit {' and '.join(fmt.date_choices)}; say which "
            "(--date-format, or on the import screen).",
        )


@read_action
def detect_file(
    session: Session, path: str | Path, options: ImportOptions | None = None
) -> ImportFormat:
    """What the file is and how it would be read (a saved profile found by its header, or the
    detected CSV mapping). Raises InvalidInput for a file that can't be read at all."""
    return _open(session, path, options or ImportOptions()).format


# -- planning each row -----------------------------------------------------------------------


@dataclass(slots=True)
class _Planned:
    line: int
    day: str  # ISO
    cents: int  # as the book holds it
    description: str
    category_id: int  # negative: a stand-in for a category made at the end
    base_key: str
    how: str
    suggestion: tuple[int, float, int] | None = None


class _Planner:
    """Turns a file's rows into the book's rows: checks, category, sign, import key."""

    def __init__(self, session: Session, source: _Source, options: ImportOptions) -> None:
        self.session = session
        self.source = source
        self.options = options
        self.known: dict[str, tuple[int, str, str]] = {
            key: (cid, name, kind)
            for cid, key, name, kind in session.execute(
                select(Category.id, Category.name_key, Category.name, Category.kind)
            )
        }
        self.kinds = {cid: kind for cid, _name, kind in self.known.values()}
        self.names = {cid: name for cid, name, _kind in self.known.values()}
        uncategorised = self.known.get(validate.name_key(UNCATEGORISED))
        self.categoriser = Categoriser(
            session, unlearned=uncategorised[0] if uncategorised else None
        )
        self.stand_ins: dict[str, int] = {}  # name key -> negative id
        self.stand_in_names: dict[int, str] = {}
        self.unknown: Counter[str] = Counter()
        self.unknown_names: dict[str, str] = {}
        self.refs: set[str] = set()
        self.repeated_refs = 0
        self.bad: list[BadRowView] = []
        self.bad_total = 0
        self.by_rule = self.by_suggestion = self.uncategorised = 0
        self._descriptions: dict[str, str] = {}
        self._by_text: dict[str, int] = {}  # a category cell as written -> its id or stand-in
        self._unknown_key: dict[int, str] = {}  # stand-in -> the unknown name's key

    def note_bad(self, line: int, column: str, reason: str) -> None:
        self.bad_total += 1
        if len(self.bad) < MAX_LISTED:
            self.bad.append(BadRowView(line, column, reason))

    def _stand_in(self, name: str) -> int:
        key = validate.name_key(name)
        if key not in self.stand_ins:
            stand_in = -(len(self.stand_ins) + 1)
            self.stand_ins[key] = stand_in
            self.stand_in_names[stand_in] = name
        return self.stand_ins[key]

    def _category(self, name: str, line: int) -> int | None:
        cached = self._by_text.get(name)
        if cached is not None:
            if cached < 0:
                self.unknown[self._unknown_key[cached]] += 1
            return cached
        found = self._resolve(name, line)
        if found is not None and len(self._by_text) < 10_000:
            self._by_text[name] = found
        return found

    def _resolve(self, name: str, line: int) -> int | None:
        try:
            clean = validate.category_name(name, "category")
        except InvalidInput as exc:
            self.note_bad(line, "category", exc.message)
            return None
        key = validate.name_key(clean)
        found = self.known.get(key)
        if found is not None:
            return found[0]
        self.unknown[key] += 1
        self.unknown_names.setdefault(key, clean)
        stand_in = self._stand_in(clean)
        self._unknown_key[stand_in] = key
        return stand_in

    def _description(self, text: str, line: int) -> str | None:
        found = self._descriptions.get(text)
        if found is not None:
            return found
        clean = " ".join(text.split())
        if not (clean and len(clean) <= validate.DESCRIPTION_MAX and clean.isprintable()):
            try:
                clean = validate.description(clean or text)
            except InvalidInput as exc:
                self.note_bad(line, "description", exc.message)
                return None
        if len(self._descriptions) < 50_000:
            self._descriptions[text] = clean
        return clean

    def plan(self, row: Row | BadRow, index: int = -1) -> _Planned | None:
        if isinstance(row, BadRow):
            self.note_bad(row.line, row.column, row.reason)
            return None
        description = self._description(row.description, row.line)
        if description is None:
            return None
        if row.cents == 0:
            self.note_bad(row.line, "amount", "the amount is zero")
            return None
        if abs(row.cents) > MAX_CENTS:
            self.note_bad(row.line, "amount", f"the amount is over {validate.MAX_AMOUNT:,}")
            return None
        if not validate.EARLIEST <= row.day <= validate.LATEST:
            self.note_bad(row.line, "date", f"the date {row.day} is out of range")
            return None
        if row.ref is not None:
            if row.ref in self.refs:
                self.repeated_refs += 1  # the same transaction in two statements of one file
                return None
            self.refs.add(row.ref)
        day = row.day.isoformat()
        how, suggestion, rename = "file", None, None
        chosen = self.options.choices.get(index)
        category_id: int | None
        if chosen is not None:
            category_id, how = self._category(chosen, row.line), "choice"
        elif row.category:
            category_id = self._category(row.category, row.line)
        else:
            category_id = None
            ruled = self.categoriser.by_rule(description)
            if ruled is not None:
                category_id, rename = ruled
                how = "rule"
                self.by_rule += 1
            else:
                suggestion = self.categoriser.suggestion(description)
                if sure_enough(suggestion):
                    assert suggestion is not None
                    category_id, how = suggestion[0], "suggested"
                    self.by_suggestion += 1
                else:
                    how = "none"
                    self.uncategorised += 1
                    found = self.known.get(validate.name_key(UNCATEGORISED))
                    category_id = found[0] if found else self._stand_in(UNCATEGORISED)
        if category_id is None:
            return None
        cents = row.cents
        if not self.source.own and self.kinds.get(category_id) == "income":
            cents = -cents  # money in is income's positive amount
        if row.ref is not None:
            digest = hashlib.blake2b(row.ref.encode(), digest_size=12).hexdigest()
            base = f"ref:{self.source.format.kind}:{digest}"
        elif self.source.own:
            name = self.names.get(category_id) or self.stand_in_names[category_id]
            base = row_key(day, cents, description, validate.name_key(name))
        else:
            base = row_key(day, row.cents, description, "")
        return _Planned(
            row.line, day, cents, rename or description, category_id, base, how, suggestion
        )

    def unknown_categories(self) -> tuple[UnknownCategory, ...]:
        from rapidfuzz import fuzz, process, utils

        names = [name for _cid, name, _kind in self.known.values()]
        out = []
        for key, rows in sorted(self.unknown.items()):
            name = self.unknown_names[key]
            # Likeness of the whole names: WRatio also scores a short name found inside a long
            # one, and offered 'Rent' for 'Nonexistent' or 'Entertainment'.
            near = process.extractOne(
                name, names, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=72
            )
            out.append(UnknownCategory(name, rows, near[0] if near else None))
        return tuple(out)


# -- import ----------------------------------------------------------------------------------


class _Outcome(Exception):
    """Leaves the action with a report after rolling the transaction back."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("import rolled back")
        self.report = report


def import_file(
    sessions: Sessions, path: str | Path, options: ImportOptions | None = None
) -> ImportReport:
    """Import a statement file: every row checked before anything stays written, rows already
    in the book skipped, one change in the history.

    Returns the report; ``imported`` says whether rows were written (False for a dry run, and
    for a file with bad rows or unknown categories the options did not allow: then nothing is
    written). Raises InvalidInput for a file that can't be read at all (not a format we know, a
    header without the needed columns, dates that fit two formats) and the database errors of
    any action.
    """
    try:
        return _import(sessions, path, options or ImportOptions())
    except _Outcome as outcome:
        return outcome.report


@action
def _import(session: Session, path: str | Path, options: ImportOptions) -> ImportReport:
    source = _open(session, path, options)
    _check_readable(source)
    planner = _Planner(session, source, options)
    bits = secrets.token_hex(9)
    prefix = f"{bits[:8]}-{bits[8:12]}-4{bits[12:15]}-a{bits[15:18]}-"
    change = ledger.BulkChange(session, "import", prefix)
    count = 0
    with change.stage() as stage:
        batch: list = []

        def flush() -> None:
            if batch:
                if stage.copy:
                    stage.copy_text("".join(batch), len(batch))
                else:
                    stage.add(batch)
                batch.clear()

        for index, row in enumerate(source.rows()):
            planned = planner.plan(row, index)
            if planned is None:
                continue
            count += 1
            p = planned
            if stage.copy:
                batch.append(
                    f"{count}\t{p.day}\t{copy_escape(p.description)}\t{p.cents}\t"
                    f"{p.category_id}\t{p.base_key}\n"
                )
            else:
                batch.append((count, p.day, p.description, p.cents, p.category_id, p.base_key))
            if len(batch) >= CHUNK:
                flush()
        flush()
        real: dict[int, int] = {}
        for key, stand_in in planner.stand_ins.items():
            name = planner.stand_in_names[stand_in]
            real[stand_in] = change.add_category(name).id
            del key
        if real:
            stage.relabel(real)
        added = stage.finish(uid_prefix=prefix, now=utcnow())
    if added < count:
        change.drop_unused_categories()
    duplicates = count - added + planner.repeated_refs
    change_id = change.finish(
        added,
        f"import {added:,} expense{'s' if added != 1 else ''} from {Path(path).name}"
        + (f" ({duplicates:,} already there)" if duplicates else ""),
    )
    unknown = planner.unknown_categories()
    blocked = (planner.bad_total and not options.skip_bad) or (
        unknown and not options.create_categories
    )
    report = ImportReport(
        format=source.format,
        new=added,
        duplicates=duplicates,
        bad=tuple(planner.bad),
        bad_total=planner.bad_total,
        unknown=unknown,
        categories_created=tuple(change.created.values()),
        imported=not (blocked or options.dry_run),
        dry_run=options.dry_run,
        by_rule=planner.by_rule,
        by_suggestion=planner.by_suggestion,
        uncategorised=planner.uncategorised,
        change_id=None if (blocked or options.dry_run) else change_id,
    )
    if blocked or options.dry_run:
        raise _Outcome(report)
    if options.save_profile and source.mapping is not None:
        _save_profile(session, options.save_profile, source)
    return report


def _save_profile(session: Session, name: str, source: _Source) -> None:
    assert source.mapping is not None
    clean = validate.clean_text(name, "profile", max_length=50, what="The profile name")
    ledger.save_profile(
        session,
        name=clean,
        signature=csvfile.header_signature(source.format.header),
        settings=source.mapping.to_json(),
    )


@action
def save_profile(session: Session, path: str | Path, name: str, mapping_json: str) -> str:
    """Save a CSV mapping under ``name`` (replacing one of that name), found again by the
    file's header. Returns the name. Raises InvalidInput."""
    source = _open(session, path, ImportOptions(mapping_json=mapping_json))
    _save_profile(session, name, source)
    return name


@read_action
def list_profiles(session: Session) -> tuple[str, ...]:
    """The saved CSV profiles' names."""
    p = ledger.profiles_t.c
    return tuple(session.scalars(select(p.name).order_by(p.name_key)))


# -- preview ---------------------------------------------------------------------------------


@read_action
def preview_import(
    session: Session, path: str | Path, options: ImportOptions | None = None
) -> ImportPreview:
    """Every row of the file (up to :data:`PREVIEW_MAX`) as it would be imported: its category
    and how it came, and whether it is new, already in the book (a duplicate) or bad (with the
    reason). Only reads. Raises InvalidInput as :func:`import_file`."""
    options = options or ImportOptions()
    source = _open(session, path, options)
    _check_readable(source)
    planner = _Planner(session, source, options)
    shown: list[PreviewRow] = []
    keys: list[tuple[int, str]] = []  # (index in shown, import key)
    seen: Counter[str] = Counter()
    more = 0
    for index, row in enumerate(source.rows()):
        if len(shown) >= PREVIEW_MAX:
            more += 1
            continue
        bad_before = planner.bad_total
        refs_before = planner.repeated_refs
        planned = planner.plan(row, index)
        if planned is None:
            if planner.repeated_refs > refs_before:
                assert isinstance(row, Row)
                shown.append(_shown(row, None, planner, "duplicate", "twice in this file", index))
            elif planner.bad_total > bad_before:
                reason = planner.bad_total and _last_reason(planner, row)
                shown.append(_shown(row, None, planner, "bad", reason or "", index))
            continue
        seen[planned.base_key] += 1
        keys.append((len(shown), f"{planned.base_key}:{seen[planned.base_key]}"))
        assert isinstance(row, Row)
        shown.append(_shown(row, planned, planner, "new", "", index))
    taken = _existing_keys(session, [k for _i, k in keys])
    for index, key in keys:
        if key in taken:
            old = shown[index]
            shown[index] = PreviewRow(**{**old.__dict__, "status": "duplicate"})
    names = tuple(
        name for _cid, name, _kind in sorted(planner.known.values(), key=lambda v: v[1].casefold())
    )
    return ImportPreview(source.format, tuple(shown), more, names, planner.unknown_categories())


def _last_reason(planner: _Planner, row: Row | BadRow) -> str:
    if isinstance(row, BadRow):
        return f"{row.column}: {row.reason}"
    if planner.bad and planner.bad[-1].line == row.line:
        return f"{planner.bad[-1].column}: {planner.bad[-1].reason}"
    return "bad row"


def _written_amount(cents: int) -> Decimal | None:
    """A refused row's amount as the preview shows it; None for one of so many digits (26 or
    more) that a Decimal can't hold it at two places: it is refused all the same."""
    try:
        return from_cents(cents)
    except InvalidOperation:
        return None


def _shown(
    row: Row | BadRow,
    planned: _Planned | None,
    planner: _Planner,
    status: str,
    reason: str,
    index: int,
) -> PreviewRow:
    if isinstance(row, BadRow):
        return PreviewRow(row.line, None, None, "", None, "none", "bad", reason, index=index)
    if planned is None:
        return PreviewRow(
            row.line,
            row.day,
            _written_amount(row.cents),
            row.description,
            None,
            "none",
            status,
            reason,
            index=index,
        )
    category = planner.names.get(planned.category_id) or planner.stand_in_names.get(
        planned.category_id
    )
    hint, sureness = None, 0.0
    if planned.suggestion is not None:
        hint = planner.names.get(planned.suggestion[0])
        sureness = planned.suggestion[1]
    return PreviewRow(
        line=row.line,
        day=row.day,
        amount=from_cents(planned.cents),
        description=planned.description,
        category=category,
        how=planned.how,
        status=status,
        reason=reason,
        suggestion=hint if planned.how == "none" else None,
        sureness=sureness,
        index=index,
    )


def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    column = expenses_t.c.import_key
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"
