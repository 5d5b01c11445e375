"""Importing statements (``import``) and the rules that categorise them (``rule``)."""

from __future__ import annotations

import json
import sys

import click

from budget_tui.cli._base import common, main, open_book_for
from budget_tui.errors import EXIT_USER_ERROR


@main.command("import")
@common
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--profile",
    metavar="NAME",
    help="Read the CSV with this saved profile (a new name: save the mapping under it).",
)
@click.option(
    "--date-format",
    metavar="FORMAT",
    help="The file's date format when its dates fit several: DD/MM/YYYY, MM/DD/YYYY, ...",
)
@click.option(
    "--map",
    "columns",
    metavar="ROLE=COLUMN",
    multiple=True,
    help="Which CSV column is what, over what was detected: date, description, amount, debit, "
    "credit, type, category (and money_out=negative|positive). Repeat it.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check the file and count new and duplicate rows; write nothing.",
)
@click.option(
    "--skip-bad", is_flag=True, help="Import the good rows and skip the bad ones (listed)."
)
@click.option(
    "--create-categories",
    is_flag=True,
    help="Create the categories the file names that the book lacks.",
)
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def import_(
    ctx: click.Context,
    file: str,
    profile: str | None,
    date_format: str | None,
    columns: tuple[str, ...],
    dry_run: bool,
    skip_bad: bool,
    create_categories: bool,
    output: str,
) -> None:
    """Import a bank statement: CSV (any common layout, or our own export), OFX/QFX, QIF or
    CAMT.053.

    The whole file is checked first; nothing is written while a row is bad (unless
    --skip-bad) or a category it names is missing (unless --create-categories). Rows already in
    the book are skipped, so the same file twice, or an overlapping statement, adds nothing
    twice. Exit 0 when it imported (or a dry run found no problem), 1 otherwise.
    """
    from budget_tui.controller.file_import import ImportOptions, import_file

    mapped: dict[str, str] = {}
    for pair in columns:
        role, sep, column = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r} is not ROLE=COLUMN", param_hint="--map")
        mapped[role.strip()] = column.strip()
    book = open_book_for(ctx, source="import")
    options = ImportOptions(
        columns=mapped,
        profile=profile,
        date_format=date_format,
        skip_bad=skip_bad,
        create_categories=create_categories,
        dry_run=dry_run,
        save_profile=profile,
    )
    report = import_file(book.sessions, file, options)
    if output == "json":
        click.echo(json.dumps(_as_json(report), indent=2))
    else:
        _print(report, skip_bad=skip_bad)
    ok = report.imported or (report.dry_run and not report.problems)
    if not ok:
        ctx.exit(EXIT_USER_ERROR)


def _as_json(report) -> dict:
    return {
        "new": report.new,
        "duplicates": report.duplicates,
        "bad": [{"row": b.line, "column": b.column, "reason": b.reason} for b in report.bad],
        "bad_total": report.bad_total,
        "unknown_categories": [
            {"name": u.name, "rows": u.rows, "did_you_mean": u.did_you_mean} for u in report.unknown
        ],
        "categories_created": list(report.categories_created),
        "imported": report.imported,
        "dry_run": report.dry_run,
        "format": report.format.kind,
        "profile": report.format.profile,
        "date_format": report.format.date_format,
        "by_rule": report.by_rule,
        "by_suggestion": report.by_suggestion,
        "uncategorised": report.uncategorised,
    }


def _print(report, *, skip_bad: bool) -> None:
    from budget_tui.words import plural

    err = sys.stderr
    fmt = report.format
    how = fmt.kind.upper()
    if fmt.kind == "csv":
        how = "our own CSV export" if fmt.own_format else f"CSV, dates {fmt.date_format}"
        if fmt.profile:
            how += f", profile {fmt.profile!r}"
    click.echo(f"Read as {how}.", file=err)
    for bad in report.bad:
        click.echo(f"  {bad.text()[0].upper()}{bad.text()[1:]}", file=err)
    if report.bad_total > len(report.bad):
        click.echo(
            f"  ... and {plural(report.bad_total - len(report.bad), 'more bad row')}.", file=err
        )
    for unknown in () if report.imported else report.unknown:
        near = f" (did you mean {unknown.did_you_mean!r}?)" if unknown.did_you_mean else ""
        click.echo(
            f"  No category {unknown.name!r} in the book ({plural(unknown.rows, 'row')}){near}.",
            file=err,
        )
    verb = "would be new" if not report.imported else "new"
    bad = f", {plural(report.bad_total, 'bad row')}" if report.bad_total else ""
    if report.imported and report.bad_total:
        bad += " skipped"
    click.echo(f"{report.new:,} {verb}, {report.duplicates:,} already in the book{bad}.", file=err)
    if report.by_rule or report.by_suggestion or report.uncategorised:
        click.echo(
            f"Categorised: {report.by_rule:,} by rules, {report.by_suggestion:,} by earlier "
            f"choices, {report.uncategorised:,} to 'Uncategorised'.",
            file=err,
        )
    if report.categories_created and report.imported:
        click.echo(f"New categories: {', '.join(report.categories_created)}.", file=err)
    if report.imported:
        return
    if report.dry_run and not report.problems:
        click.echo("Dry run: nothing was written.", file=err)
        return
    fixes = []
    if report.bad_total and not skip_bad:
        fixes.append("fix the bad rows, or add --skip-bad")
    if report.unknown:
        fixes.append("add the categories, or --create-categories")
    click.echo(f"Nothing was imported: {'; '.join(fixes)}.", file=err)


@main.group()
def rule() -> None:
    """Import rules: a description that matches goes to a category (tried in order)."""


@rule.command("add")
@common
@click.argument("pattern")
@click.argument("category")
@click.option(
    "--match",
    "match",
    type=click.Choice(["contains", "starts", "regex"]),
    default="contains",
    show_default=True,
)
@click.option("--rename", metavar="TEXT", help="Save matching rows with this description instead.")
@click.option(
    "--position",
    type=click.IntRange(1),
    help="Where in the order (1 is tried first; default last).",
)
@click.pass_context
def rule_add(
    ctx: click.Context,
    pattern: str,
    category: str,
    match: str,
    rename: str | None,
    position: int | None,
) -> None:
    """Add a rule: descriptions matching PATTERN go to CATEGORY."""
    from budget_tui.controller.rules import add_rule

    book = open_book_for(ctx)
    made = add_rule(book.sessions, pattern, category, match=match, rename=rename, position=position)
    click.echo(f"Added rule #{made.id} at {made.position}: {made.describe()}.")


@rule.command("list")
@common
@click.option(
    "--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def rule_list(ctx: click.Context, output: str) -> None:
    """The rules in the order they are tried."""
    from budget_tui.controller.rules import list_rules

    book = open_book_for(ctx, create=False)
    rules = list_rules(book.sessions)
    if output == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "position": r.position,
                        "match": r.match,
                        "pattern": r.pattern,
                        "category": r.category,
                        "rename": r.rename,
                    }
                    for r in rules
                ],
                indent=2,
            )
        )
        return
    if not rules:
        click.echo("No rules yet: budget-tui rule add PATTERN CATEGORY", err=True)
    for r in rules:
        click.echo(f"{r.position:>3}  #{r.id:<4} {r.describe()}")


@rule.command("delete")
@common
@click.argument("rule_id", type=int)
@click.pass_context
def rule_delete(ctx: click.Context, rule_id: int) -> None:
    """Delete rule RULE_ID (its #number in `rule list`); `undo` brings it back."""
    from budget_tui.controller.rules import delete_rule

    book = open_book_for(ctx)
    gone = delete_rule(book.sessions, rule_id)
    click.echo(f"Deleted rule #{gone.id}: {gone.describe()}.")
