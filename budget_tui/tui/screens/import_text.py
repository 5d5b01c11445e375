"""What the import screen writes of a statement: how the file was read (the line over the table),
the table's columns and each preview row's cells (the category it would get and how, duplicates
dimmed, bad rows red with their reason), the status line under the table, and what the import
did."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.text import Text

from budget_tui.words import plural

if TYPE_CHECKING:
    from budget_tui.controller.file_import import ImportOptions
    from budget_tui.controller.import_views import ImportPreview, ImportReport, PreviewRow

COLUMNS = (
    ("Row", "line"),
    ("Date", "date"),
    ("Description", "description"),
    ("Amount", "amount"),
    ("Category", "category"),
    ("How", "how"),
    ("Status", "status"),
)

# How a row got its category, as the How column says it.
HOW = {
    "file": "file",
    "rule": "rule",
    "suggested": "suggested",
    "choice": "your choice",
    "none": "none",
}


def describe_format(preview: ImportPreview) -> str:
    """The line over the table: how the file was read, and the key that reads it another way."""
    fmt = preview.format
    if fmt.kind != "csv":
        kind = {"ofx": "OFX/QFX", "qif": "QIF", "camt": "CAMT.053"}[fmt.kind]
        dates = f", dates {fmt.date_format} (f: the other way)" if fmt.date_format else ""
        return f"Read as {kind}{dates}."
    if fmt.own_format:
        return "Read as budget-tui's own export: date, description, amount, category."
    mapping = json.loads(fmt.mapping_json or "{}")
    money = (
        f"amount={mapping.get('amount')}"
        + (f" (type: {mapping['type']})" if mapping.get("type") else "")
        if mapping.get("amount")
        else f"out={mapping.get('debit')}, in={mapping.get('credit')}"
    )
    sign = (
        ""
        if not mapping.get("amount") or mapping.get("type")
        else f"; money out is {mapping.get('money_out', 'negative')} (-: other way)"
    )
    profile = f" Profile {fmt.profile!r}." if fmt.profile else ""
    return (
        f"Read as CSV: dates {fmt.date_format} (f: change), date={mapping.get('date')}, "
        f"description={mapping.get('description')}, {money}{sign}.{profile}"
    )


def row_cells(row: PreviewRow) -> tuple[Text, ...]:
    """The row's cells, in the order of ``COLUMNS``."""
    style = ""
    if row.status == "duplicate":
        style = "dim"
    elif row.status == "bad":
        style = "red"
    category = row.category or ""
    how = HOW.get(row.how, row.how)
    if row.how == "suggested" or (row.how == "none" and row.suggestion):
        how = f"suggested {row.sureness:.0%}"
    if row.how == "none" and row.suggestion:
        category = f"{category} (a: {row.suggestion}?)"
    status = {
        "new": "new",
        "duplicate": "already in the book",
        "bad": f"bad: {row.reason}",
    }[row.status]
    amount = "" if row.amount is None else f"{row.amount:,.2f}"
    cells = (
        str(row.line),
        row.day.isoformat() if row.day else "",
        row.description,
        amount,
        category,
        how,
        status,
    )
    return tuple(
        Text(c, style=style, justify="right" if i == 3 else "left") for i, c in enumerate(cells)
    )


def status_line(preview: ImportPreview, options: ImportOptions) -> str:
    """The line under the table: the rows new, already in the book and bad, the categories the
    file names that the book lacks, and what Ctrl+S will do with the person's ``options``."""
    new, dup, bad = preview.count("new"), preview.count("duplicate"), preview.count("bad")
    parts = [f"{new:,} new, {dup:,} already in the book"]
    if bad:
        parts.append(f"{bad:,} bad ({'skipped' if options.skip_bad else 'press s to skip them'})")
    if preview.more:
        parts.append(f"{preview.more:,} more rows not shown")
    if preview.unknown:
        names = ", ".join(
            f"{u.name!r}" + (f" (did you mean {u.did_you_mean!r}?)" if u.did_you_mean else "")
            for u in preview.unknown
        )
        action = "will be created" if options.create_categories else "press n to create"
        parts.append(f"new categories {names}: {action}")
    if options.save_profile:
        parts.append(f"saves profile {options.save_profile!r}")
    parts.append("Ctrl+S imports")
    return " · ".join(parts)


def nothing_imported(report: ImportReport) -> str:
    """Why an import added nothing, and the keys that would let it."""
    why = []
    if report.bad_total:
        why.append(f"{plural(report.bad_total, 'bad row')} (s skips them)")
    if report.unknown:
        why.append("new categories (n creates them)")
    return "Nothing was imported: " + "; ".join(why) + "."


def imported_note(report: ImportReport) -> str:
    """What an import added and skipped, and that ``u`` undoes it."""
    return (
        f"Imported {report.new:,} new; {report.duplicates:,} already in the book."
        + (f" Skipped {plural(report.bad_total, 'bad row')}." if report.bad_total else "")
        + " u undoes it."
    )
