"""The ``report`` command."""

from __future__ import annotations

import json
import sys

import click

from budget_tui.cli._base import common, main, open_book_for, parse_date


@main.command()
@common
@click.option("--from", "start", metavar="DATE", help="First day (default: first of this month).")
@click.option("--to", "end", metavar="DATE", help="Last day, included (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.pass_context
def report(ctx: click.Context, start: str | None, end: str | None, fmt: str) -> None:
    """Spend by category between two dates: category, total, count, share; and the period's
    income, spending (refunds taken off) and net. Income categories are not in the rows."""
    from budget_tui.clock import today
    from budget_tui.controller.periods import Period
    from budget_tui.controller.reports import spend_by_category_report
    from budget_tui.money import currency_code, format_money, plain

    first = parse_date(start, "from") or today().replace(day=1)
    last = parse_date(end, "to") or today()
    period = Period.between(first, last)
    book = open_book_for(ctx, create=False)
    result = spend_by_category_report(book.sessions, period)
    flows = result.flows
    in_progress = period.start <= today() < period.end
    if fmt == "json":
        payload = {
            "from": period.start.isoformat(),
            "to": period.last_day.isoformat(),
            "currency": currency_code(),
            "in_progress": in_progress,
            "income": plain(flows.income),
            "spending": plain(flows.spending),
            "net": plain(flows.net),
            "total": plain(result.total),
            "count": result.count,
            "categories": [
                {
                    "category": r.name,
                    "total": plain(r.total),
                    "count": r.count,
                    "share": f"{r.share:.4f}",
                }
                for r in result.rows
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["category", "total", "count", "share"])
        for r in result.rows:
            writer.writerow([r.name, plain(r.total), r.count, f"{r.share:.4f}"])
    else:
        rows = [
            (r.name, format_money(r.total), f"{r.count:,}", f"{r.share * 100:.1f}%")
            for r in result.rows
        ]
        total = (
            "Total",
            format_money(result.total),
            f"{result.count:,}",
            "100.0%" if result.count else "",
        )
        header = ("Category", "Total", "Count", "Share")
        widths = [max(len(str(x[i])) for x in [header, total, *rows]) for i in range(4)]

        def line(cells: tuple[str, ...]) -> str:
            first_cell = cells[0].ljust(widths[0])
            return "  ".join(
                [first_cell, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]
            )

        so_far = " (so far)" if in_progress else ""
        click.echo(
            f"Spend by category, {period.start.isoformat()} to {period.last_day.isoformat()}"
            + so_far
        )
        rate = flows.savings_rate
        saved = f" (saved {rate * 100:.0f}%)" if rate is not None else ""
        click.echo(
            f"Income {format_money(flows.income)} · spending {format_money(flows.spending)} · "
            f"net {format_money(flows.net)}{saved}"
        )
        click.echo(line(header))
        click.echo("  ".join("-" * w for w in widths))
        for row in rows:
            click.echo(line(row))
        click.echo("  ".join("-" * w for w in widths))
        click.echo(line(total))
