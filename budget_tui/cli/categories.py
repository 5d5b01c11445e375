"""Categories and their budgets: ``category add``, ``budget set|show|history``."""

from __future__ import annotations

import json
import sys

import click

from budget_tui.cli._base import common, main, open_book_for

MONTH_HELP = "YYYY-MM (default: this month)."


@main.group()
def category() -> None:
    """Categories: spending (with an optional monthly budget) or income."""


@category.command("add")
@common
@click.argument("name")
@click.option("--income", is_flag=True, help="An income category (salary, interest, gifts).")
@click.option("--budget", metavar="AMOUNT", help="A monthly budget (spending categories only).")
@click.option(
    "--rollover", is_flag=True, help="Carry what is left (or overspent) into the next month."
)
@click.option("--from", "start", metavar="YYYY-MM", help="The budget's first month. " + MONTH_HELP)
@click.pass_context
def category_add(
    ctx: click.Context,
    name: str,
    income: bool,
    budget: str | None,
    rollover: bool,
    start: str | None,
) -> None:
    """Add a category NAME (unique in any case). Prints the saved category."""
    from budget_tui.controller.categories import create_category
    from budget_tui.money import format_money

    book = open_book_for(ctx)
    made = create_category(
        book.sessions,
        name,
        budget,
        kind="income" if income else "spending",
        rollover=rollover,
        month=start,
    )
    what = "income category" if made.is_income else "category"
    budget_text = (
        f" with a budget of {format_money(made.monthly_budget)} a month"
        + (", rolling over" if made.rollover else "")
        if made.monthly_budget is not None
        else ""
    )
    click.echo(f"Added {what} {made.name!r}{budget_text}.")


@category.command("kind")
@common
@click.argument("name")
@click.argument("kind", type=click.Choice(["spending", "income"]))
@click.pass_context
def category_kind(ctx: click.Context, name: str, kind: str) -> None:
    """Make category NAME a spending or an income one (only while it has no entries)."""
    from budget_tui.controller.categories import set_kind

    book = open_book_for(ctx)
    view = set_kind(book.sessions, name, kind)
    click.echo(f"{view.name!r} is {'an income' if view.is_income else 'a spending'} category.")


@main.group()
def budget() -> None:
    """Budgets by month: set one from a month on (or for one month), show a month's."""


@budget.command("set")
@common
@click.argument("category_name", metavar="CATEGORY")
@click.argument("amount")
@click.option("--from", "start", metavar="YYYY-MM", help="From this month on. " + MONTH_HELP)
@click.option(
    "--only",
    "only_month",
    is_flag=True,
    help="For that month only; the months after it keep their budget.",
)
@click.option(
    "--rollover/--no-rollover",
    default=None,
    help="Carry what is left (or overspent) into the next month (default: as it was).",
)
@click.pass_context
def budget_set(
    ctx: click.Context,
    category_name: str,
    amount: str,
    start: str | None,
    only_month: bool,
    rollover: bool | None,
) -> None:
    """Set CATEGORY's budget to AMOUNT (0 or "" for none) from a month on.

    Earlier months keep the budget they had."""
    from budget_tui.controller.budgets import month_of
    from budget_tui.controller.categories import set_budget
    from budget_tui.money import format_money

    book = open_book_for(ctx)
    view = set_budget(
        book.sessions,
        category_name,
        amount,
        month=start,
        rollover=rollover,
        only_month=only_month,
    )
    month = month_of(start)
    span = f"for {month:%Y-%m} only" if only_month else f"from {month:%Y-%m} on"
    if view.monthly_budget is None:
        click.echo(f"{view.name}: no budget {span}.")
        return
    rolls = ", rolling over" if view.rollover else ""
    click.echo(f"{view.name}: {format_money(view.monthly_budget)} a month {span}{rolls}.")


@budget.command("show")
@common
@click.option("--month", metavar="YYYY-MM", help=MONTH_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.pass_context
def budget_show(ctx: click.Context, month: str | None, fmt: str) -> None:
    """A month's budget per spending category: budgeted, carried, spent, available; and the
    month's income, spending and net. Amounts are decimal strings in csv and json."""
    from budget_tui.controller.categories import budget_status
    from budget_tui.money import currency_code, format_money, plain

    book = open_book_for(ctx, create=False)
    status = budget_status(book.sessions, month)
    flows = status.flows

    rows = [
        {
            "category": c.name,
            "budgeted": None if c.monthly_budget is None else plain(c.monthly_budget),
            "carried": plain(c.carried),
            "spent": plain(c.spent),
            "available": None if c.available is None else plain(c.available),
        }
        for c in status.spending
    ]
    if fmt == "json":
        payload = {
            "month": f"{status.period.start:%Y-%m}",
            "in_progress": status.in_progress,
            "currency": currency_code(),
            "income": plain(flows.income),
            "spending": plain(flows.spending),
            "net": plain(flows.net),
            "categories": rows,
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["category", "budgeted", "carried", "spent", "available"])
        for row in rows:
            writer.writerow(["" if v is None else v for v in row.values()])
        return
    from rich.console import Console
    from rich.table import Table

    so_far = " (so far)" if status.in_progress else ""
    table = Table(
        title=f"Budget for {status.period.start:%B %Y}{so_far}",
        caption=f"Income {format_money(flows.income)} · spending "
        f"{format_money(flows.spending)} · net {format_money(flows.net)}",
        box=None,
        pad_edge=False,
    )
    table.add_column("Category")
    for name in ("Budgeted", "Carried", "Spent", "Available"):
        table.add_column(name, justify="right")
    for c in status.spending:
        table.add_row(
            c.name + (" ↻" if c.rollover else ""),
            "—" if c.monthly_budget is None else format_money(c.monthly_budget),
            "" if not c.carried else format_money(c.carried),
            format_money(c.spent),
            "—" if c.available is None else format_money(c.available),
        )
    Console(soft_wrap=True, highlight=False).print(table)


@budget.command("history")
@common
@click.argument("category_name", metavar="CATEGORY")
@click.pass_context
def budget_history(ctx: click.Context, category_name: str) -> None:
    """When CATEGORY's budget changed, and to what."""
    from budget_tui.controller.categories import budget_history as history_of
    from budget_tui.money import format_money

    book = open_book_for(ctx, create=False)
    changes = history_of(book.sessions, category_name)
    if not changes:
        click.echo(f"{category_name} has never had a budget.")
    for change in changes:
        amount = "no budget" if change.amount is None else format_money(change.amount)
        rolls = ", rolling over" if change.rollover else ""
        click.echo(f"from {change.month:%Y-%m}: {amount}{rolls}")
