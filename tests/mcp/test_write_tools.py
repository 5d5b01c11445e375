"""The write tools (``--allow-write``): each goes through the controller's validation and says
what changed, and the database afterwards holds exactly that."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budget_tui.controller import categories, expense_list, expenses, reports
from budget_tui.controller.book import info
from budget_tui.controller.periods import Period
from budget_tui.controller.views import ExpenseFilter
from tests.mcp.conftest import Seeded, tools_for

UID = "0b9f5d3e-8a6b-4a57-9c1e-2f0d6c1b7a44"


def groceries_in_march(seeded: Seeded) -> tuple[Decimal, int]:
    totals = expense_list.expense_totals(
        seeded.book.sessions,
        ExpenseFilter(
            period=Period.month(dt.date(2026, 3, 1)),
            category_id=categories.get_category(seeded.book.sessions, "Groceries").id,
        ),
    )
    return totals.total, totals.count


async def test_add_expense_saves_it_and_returns_it(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        result = await t.ok(
            "add_expense",
            description="  Cheese shop ",
            amount="23.5",
            category="GROCERIES",
            date="2026-03-12",
        )
    saved = result["expense"]
    assert result["action"] == "created" and result["currency"] == "USD"
    assert saved["description"] == "Cheese shop"
    assert (saved["amount"], saved["date"], saved["category"]) == (
        "23.50",
        "2026-03-12",
        "Groceries",
    )
    stored = expenses.get_expense(seeded.book.sessions, saved["id"])
    assert (stored.description, stored.amount) == ("Cheese shop", Decimal("23.50"))
    assert groceries_in_march(seeded) == (Decimal("468.50"), 3)


async def test_add_expense_defaults_to_today_and_takes_a_number(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        result = await t.ok("add_expense", description="Latte", amount=4.2, category="Coffee")
    assert (result["expense"]["date"], result["expense"]["amount"]) == ("2026-03-15", "4.20")


async def test_add_expense_retried_with_its_uid_saves_once(seeded: Seeded) -> None:
    arguments = {"description": "Bakery", "amount": "7.00", "category": "Groceries", "uid": UID}
    async with tools_for(seeded.url, allow_write=True) as t:
        first = await t.ok("add_expense", **arguments)
        again = await t.ok("add_expense", **arguments)
        clash = await t.error("add_expense", **{**arguments, "amount": "8.00"})
    assert first["expense"]["id"] == again["expense"]["id"]
    assert "already saved with other values" in clash
    assert info(seeded.book.sessions).expenses == 13


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"amount": "-0"}, "amount: The amount can't be zero."),
        ({"amount": "1.005"}, "amount: The amount can have at most two decimal places."),
        ({"amount": "a lot"}, "amount: 'a lot' is not an amount"),
        ({"description": " "}, "description: The description can't be empty."),
        ({"date": "2026-02-31"}, "date: '2026-02-31' is not a date"),
        ({"category": "Pets"}, "There is no category named 'Pets'."),
        ({"uid": "not-a-uuid"}, "uid: The entry id is not a valid UUID."),
    ],
)
async def test_add_expense_refuses_bad_arguments_and_saves_nothing(
    seeded: Seeded, arguments: dict, expected: str
) -> None:
    valid = {"description": "Bread", "amount": "3.10", "category": "Groceries"}
    async with tools_for(seeded.url, allow_write=True) as t:
        message = await t.error("add_expense", **{**valid, **arguments})
    assert expected in message
    assert info(seeded.book.sessions).expenses == 12


async def test_update_expense_returns_before_after_and_what_changed(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        butcher = (await t.ok("search_expenses", text="Butcher"))["expenses"][0]
        result = await t.ok(
            "update_expense", expense_id=butcher["id"], amount="70", category="rent"
        )
    assert result["action"] == "updated"
    assert result["before"] == butcher
    assert result["changed"] == ["amount", "category"]
    after = result["expense"]
    assert (after["amount"], after["category"], after["description"]) == (
        "70.00",
        "Rent",
        "Butcher",
    )
    assert after["version"] == butcher["version"] + 1
    assert groceries_in_march(seeded) == (Decimal("380.10"), 1)


async def test_update_expense_with_a_stale_version_changes_nothing(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        butcher = (await t.ok("search_expenses", text="Butcher"))["expenses"][0]
        await t.ok("update_expense", expense_id=butcher["id"], description="Butcher (lamb)")
        message = await t.error(
            "update_expense", expense_id=butcher["id"], amount="1.00", version=butcher["version"]
        )
    assert "changed elsewhere" in message
    stored = expenses.get_expense(seeded.book.sessions, butcher["id"])
    assert (stored.description, stored.amount) == ("Butcher (lamb)", Decimal("64.90"))


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"expense_id": 99999}, "That expense no longer exists"),
        ({"expense_id": 2**63}, "less than or equal to 9223372036854775807"),
        ({"expense_id": 0}, "greater than or equal to 1"),
        ({"version": 10**30}, "less than or equal to 9223372036854775807"),
        ({"amount": "0"}, "amount: The amount can't be zero."),
        ({"category": "Nowhere"}, "There is no category named 'Nowhere'."),
        ({"date": "soon"}, "date: 'soon' is not a date"),
    ],
)
async def test_update_expense_refuses_bad_arguments(
    seeded: Seeded, arguments: dict, expected: str
) -> None:
    before = reports.spend_by_category_report(seeded.book.sessions, Period.year(2026))
    async with tools_for(seeded.url, allow_write=True) as t:
        butcher = (await t.ok("search_expenses", text="Butcher"))["expenses"][0]
        message = await t.error("update_expense", **{"expense_id": butcher["id"], **arguments})
    assert expected in message
    assert reports.spend_by_category_report(seeded.book.sessions, Period.year(2026)) == before


async def test_delete_expense_returns_what_was_deleted(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        butcher = (await t.ok("search_expenses", text="Butcher"))["expenses"][0]
        result = await t.ok("delete_expense", expense_id=butcher["id"])
        again = await t.error("delete_expense", expense_id=butcher["id"])
    assert result["action"] == "deleted" and result["expense"] == butcher
    assert "That expense no longer exists" in again
    assert groceries_in_march(seeded) == (Decimal("380.10"), 1)


async def test_delete_expense_refuses_an_id_beyond_64_bits(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        message = await t.error("delete_expense", expense_id=10**30)
    assert "expense_id" in message and "less than or equal to" in message
    assert info(seeded.book.sessions).expenses == 12


async def test_delete_expense_with_a_stale_version_keeps_it(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        butcher = (await t.ok("search_expenses", text="Butcher"))["expenses"][0]
        message = await t.error(
            "delete_expense", expense_id=butcher["id"], version=butcher["version"] + 1
        )
    assert "changed elsewhere" in message
    assert expenses.get_expense(seeded.book.sessions, butcher["id"]).description == "Butcher"


async def test_create_category_with_and_without_a_budget(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        pets = await t.ok("create_category", name=" Pets ", monthly_budget="80")
        gifts = await t.ok("create_category", name="Gifts")
        listed = await t.ok("list_categories")
    assert pets["action"] == "created"
    assert pets["category"] == {
        "id": pets["category"]["id"],
        "name": "Pets",
        "monthly_budget": "80.00",
        "carried": "0.00",
        "available": "80.00",
        "rollover": False,
        "spent": "0.00",
        "count": 0,
        "kind": "spending",
    }
    assert gifts["category"]["monthly_budget"] is None
    assert [c["name"] for c in listed["categories"]] == [
        "Coffee",
        "Gifts",
        "Groceries",
        "Pets",
        "Rent",
    ]
    assert categories.get_category(seeded.book.sessions, "pets").monthly_budget == Decimal("80.00")


async def test_income_a_refund_and_the_summary_through_the_tools(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        salary = await t.ok("create_category", name="Salary", kind="income")
        await t.ok("add_expense", description="Pay", amount="2500", category="salary")
        refund = await t.ok(
            "add_expense", description="Returned kettle", amount="-19.99", category="groceries"
        )
        summary = await t.ok("summarize_spending", start="2026-03-01", end="2026-03-31")
        listed = await t.ok("list_categories")
        refused = await t.error("create_category", name="Odd", kind="savings")
    assert salary["category"]["kind"] == "income"
    assert refund["expense"]["amount"] == "-19.99"
    assert summary["in_progress"] is True
    assert Decimal(summary["income"]) == Decimal("2500.00")
    assert Decimal(summary["net"]) == Decimal(summary["income"]) - Decimal(summary["spending"])
    assert summary["spending"] == summary["total"]
    assert "Salary" not in [c["category"] for c in summary["by_category"]]
    assert {c["name"]: c["kind"] for c in listed["categories"]}["Salary"] == "income"
    assert "kind" in refused


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"name": "groceries"}, "A category named 'Groceries' already exists."),
        ({"name": ""}, "name: The category name can't be empty."),
        ({"name": "x" * 51}, "name: The category name is 51 characters long; the limit is 50."),
        (
            {"name": "Pets", "monthly_budget": "-1"},
            "monthly_budget: A budget can't be negative; leave it empty (or 0) for none.",
        ),
    ],
)
async def test_create_category_refuses_bad_arguments(
    seeded: Seeded, arguments: dict, expected: str
) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        message = await t.error("create_category", **arguments)
    assert expected in message
    assert info(seeded.book.sessions).categories == 3


async def test_set_budget_from_a_month_on_and_for_one_month_with_rollover(seeded: Seeded) -> None:
    async with tools_for(seeded.url, allow_write=True) as t:
        made = await t.ok(
            "set_budget", category="groceries", amount="400", month="2026-02", rollover=True
        )
        december = await t.ok(
            "set_budget", category="Groceries", amount="900", month="2026-12", only_month=True
        )
        january = await t.ok("budget_status", month="2026-01")
        march = await t.ok("budget_status", month="2026-03")
        income = await t.error("set_budget", category="Nope", amount="1")
    assert made["action"] == "budget set"
    assert (made["category"]["monthly_budget"], made["category"]["rollover"]) == ("400.00", True)
    assert december["category"]["monthly_budget"] == "900.00"
    groceries = next(x for x in january["lines"] if x["category"] == "Groceries")
    assert groceries["budget"] == "600.00"  # before February: as it was
    line = next(x for x in march["lines"] if x["category"] == "Groceries")
    # February: 400 budgeted, 445.00 spent -> -45.00 carried into March.
    assert line["budget"] == "400.00"
    assert Decimal(line["carried"]) == Decimal("400.00") - _spent(seeded, "2026-02")
    assert Decimal(line["available"]) == (
        Decimal("400.00") + Decimal(line["carried"]) - Decimal(line["spent"])
    )
    assert "There is no category named 'Nope'" in income


def _spent(seeded: Seeded, month: str) -> Decimal:
    from budget_tui.controller.categories import budget_status

    status = budget_status(seeded.book.sessions, month)
    return next(c.spent for c in status.categories if c.name == "Groceries")
