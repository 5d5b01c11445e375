"""Categories and their budgets."""

from __future__ import annotations

import click

from budget_tui.cli._base import common, main, open_book_for


@main.group()
def category() -> None:
    """Categories: spending (with an optional monthly budget) or income."""


@category.command("add")
@common
@click.argument("name")
@click.option("--income", is_flag=True, help="An income category (salary, interest, gifts).")
@click.option("--budget", metavar="AMOUNT", help="A monthly budget (spending categories only).")
@click.pass_context
def category_add(ctx: click.Context, name: str, income: bool, budget: str | None) -> None:
    """Add a category NAME (unique in any case). Prints the saved category."""
    from budget_tui.controller.categories import create_category
    from budget_tui.money import format_money

    book = open_book_for(ctx)
    made = create_category(book.sessions, name, budget, kind="income" if income else "spending")
    what = "income category" if made.is_income else "category"
    budget_text = (
        f" with a budget of {format_money(made.monthly_budget)} a month"
        if made.monthly_budget is not None
        else ""
    )
    click.echo(f"Added {what} {made.name!r}{budget_text}.")
