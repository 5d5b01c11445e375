"""Categories: create, rename, budget, delete (with and without moving expenses), list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budget_tui.controller import categories, expense_list, expenses
from budget_tui.controller.periods import Period
from budget_tui.errors import Conflict, InvalidInput, NotFound
from tests.controller.conftest import add, assert_rollup_consistent, rollup

MARCH = Period.month(dt.date(2026, 3, 1))


def names(sessions) -> list[str]:
    return [c.name for c in categories.list_categories(sessions)]


def test_create_with_and_without_budget(sessions) -> None:
    food = categories.create_category(sessions, "  Food  ", "250.50")
    misc = categories.create_category(sessions, "Misc")
    assert (food.name, food.monthly_budget, food.version) == ("Food", Decimal("250.50"), 1)
    assert misc.monthly_budget is None
    assert misc.remaining is None and misc.used is None
    assert names(sessions) == ["Food", "Misc"]


def test_create_budget_given_as_decimal_or_empty_text(sessions) -> None:
    assert categories.create_category(sessions, "A", Decimal("10")).monthly_budget == Decimal(
        "10.00"
    )
    assert categories.create_category(sessions, "B", "  ").monthly_budget is None


@pytest.mark.parametrize("taken", ["Food", "food", "FOOD", " fOoD ", "\u200bFood", "\ufeffFOOD"])
def test_duplicate_name_in_any_case_is_a_conflict(sessions, taken: str) -> None:
    categories.create_category(sessions, "Food")
    with pytest.raises(Conflict, match="already exists"):
        categories.create_category(sessions, taken)
    assert names(sessions) == ["Food"]


def test_unicode_names_compare_by_casefold(sessions) -> None:
    categories.create_category(sessions, "Straße")
    with pytest.raises(Conflict):
        categories.create_category(sessions, "STRASSE")
    categories.create_category(sessions, "Café ☕")
    assert names(sessions) == ["Café ☕", "Straße"]


def test_a_budget_of_zero_is_no_budget(sessions) -> None:
    food = categories.create_category(sessions, "Food", "0")
    assert food.monthly_budget is None
    food = categories.set_budget(sessions, food.id, "40")
    assert categories.set_budget(sessions, food.id, "0.00").monthly_budget is None


@pytest.mark.parametrize(
    ("name", "budget", "field"),
    [
        ("", None, "name"),
        ("   ", None, "name"),
        ("a\tb", None, "name"),
        ("x" * 51, None, "name"),
        (None, None, "name"),
        ("Food", "-5", "budget"),
        ("Food", "1.234", "budget"),
        ("Food", "abc", "budget"),
    ],
)
def test_create_refuses_bad_input(sessions, name, budget, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        categories.create_category(sessions, name, budget)
    assert err.value.field == field
    assert names(sessions) == []


def test_name_of_fifty_characters_is_kept(sessions) -> None:
    name = "é" * 50
    assert categories.create_category(sessions, name).name == name


def test_rename(sessions, food) -> None:
    renamed = categories.rename_category(sessions, food.id, "Groceries", version=food.version)
    assert renamed.name == "Groceries"
    assert renamed.version == food.version + 1
    assert names(sessions) == ["Groceries"]


def test_rename_to_another_case_of_its_own_name(sessions, food) -> None:
    assert categories.rename_category(sessions, food.id, "FOOD").name == "FOOD"


def test_rename_to_its_own_name_changes_and_records_nothing(sessions, food) -> None:
    from budget_tui.controller.history import history_page

    recorded = history_page(sessions).changes
    same = categories.rename_category(sessions, food.id, " Food ", version=food.version)
    assert (same.name, same.version) == ("Food", food.version)
    assert history_page(sessions).changes == recorded


def test_rename_to_a_taken_name_is_a_conflict(sessions, food, travel) -> None:
    with pytest.raises(Conflict, match="already exists"):
        categories.rename_category(sessions, travel.id, "food")
    assert names(sessions) == ["Food", "Travel"]


def test_rename_missing_and_invalid(sessions, food) -> None:
    with pytest.raises(NotFound):
        categories.rename_category(sessions, food.id + 100, "X")
    with pytest.raises(InvalidInput):
        categories.rename_category(sessions, food.id, "")


def test_stale_version_is_a_conflict_and_saves_nothing(sessions, food) -> None:
    categories.rename_category(sessions, food.id, "Groceries", version=food.version)
    with pytest.raises(Conflict, match="changed elsewhere"):
        categories.rename_category(sessions, food.id, "Meals", version=food.version)
    with pytest.raises(Conflict):
        categories.set_budget(sessions, food.id, "1", version=food.version)
    with pytest.raises(Conflict):
        categories.delete_category(sessions, food.id, version=food.version)
    now = categories.get_category(sessions, food.id)
    assert (now.name, now.monthly_budget) == ("Groceries", Decimal("300.00"))


def test_set_and_clear_budget(sessions, food) -> None:
    changed = categories.set_budget(sessions, food.id, "99.99")
    assert changed.monthly_budget == Decimal("99.99")
    assert categories.set_budget(sessions, food.id, None).monthly_budget is None
    assert categories.set_budget(sessions, food.id, "12").monthly_budget == Decimal("12.00")
    assert categories.set_budget(sessions, food.id, "").monthly_budget is None
    with pytest.raises(InvalidInput):
        categories.set_budget(sessions, food.id, "-1")
    with pytest.raises(NotFound):
        categories.set_budget(sessions, food.id + 100, "1")


def test_get_by_id_and_by_name(sessions, food) -> None:
    add(sessions, food.id, "12.34")
    by_name = categories.get_category(sessions, " fOOd ")
    assert by_name.id == food.id
    assert by_name.spent == Decimal("12.34")  # this month: BUDGET_TUI_TODAY is 2026-03-15
    with pytest.raises(NotFound, match="Nope"):
        categories.get_category(sessions, "Nope")
    with pytest.raises(NotFound):
        categories.get_category(sessions, 999)


def test_delete_unused(sessions, food, travel) -> None:
    result = categories.delete_category(sessions, travel.id, version=travel.version)
    assert (result.deleted_id, result.moved) == (travel.id, 0)
    assert names(sessions) == ["Food"]
    with pytest.raises(NotFound):
        categories.delete_category(sessions, travel.id)


def test_delete_used_is_refused_and_changes_nothing(book, sessions, food) -> None:
    add(sessions, food.id, "10")
    add(sessions, food.id, "5", "2026-02-01")
    before = rollup(book)
    with pytest.raises(Conflict, match="2 expenses"):
        categories.delete_category(sessions, food.id)
    assert names(sessions) == ["Food"]
    page = expense_list.list_expenses(sessions)
    assert [e.category_id for e in page.items] == [food.id, food.id]
    assert rollup(book) == before


def test_delete_used_with_move_to_moves_expenses_and_rollup(book, sessions, food, travel) -> None:
    add(sessions, food.id, "10.00", "2026-03-01")
    add(sessions, food.id, "2.50", "2026-01-31")
    add(sessions, travel.id, "100.00", "2026-03-02")
    result = categories.delete_category(sessions, food.id, move_to=travel.id)
    assert result.moved == 2
    items = expense_list.list_expenses(sessions).items
    assert {e.category_id for e in items} == {travel.id}
    assert {e.category_name for e in items} == {"Travel"}
    # A moved row is a changed row: an editor holding the old version must get a Conflict.
    assert all(e.version == 2 for e in items if e.amount != Decimal("100.00"))
    assert rollup(book) == {
        (travel.id, dt.date(2026, 3, 1)): (11000, 2),
        (travel.id, dt.date(2026, 1, 1)): (250, 1),
    }
    assert_rollup_consistent(book)
    assert names(sessions) == ["Travel"]


def test_delete_with_move_to_by_name(book, sessions, food, travel) -> None:
    add(sessions, food.id)
    assert categories.delete_category(sessions, food.id, move_to="travel").moved == 1
    assert_rollup_consistent(book)


def test_delete_with_move_to_itself_or_missing_changes_nothing(book, sessions, food) -> None:
    add(sessions, food.id, "7")
    before = rollup(book)
    for itself in (food.id, "FOOD"):
        with pytest.raises(InvalidInput, match="different category") as err:
            categories.delete_category(sessions, food.id, move_to=itself)
        assert err.value.field == "move_to"
    with pytest.raises(NotFound):
        categories.delete_category(sessions, food.id, move_to=food.id + 100)
    with pytest.raises(NotFound):
        categories.delete_category(sessions, food.id, move_to="Nowhere")
    assert names(sessions) == ["Food"]
    assert [e.category_id for e in expense_list.list_expenses(sessions).items] == [food.id]
    assert rollup(book) == before


def test_list_with_spend_and_remaining_in_a_period(sessions, food, travel) -> None:
    add(sessions, food.id, "100.25", "2026-03-01")
    add(sessions, food.id, "50.00", "2026-03-31")
    add(sessions, food.id, "999.00", "2026-04-01")  # outside March
    add(sessions, food.id, "1.00", "2026-02-28")  # outside March
    add(sessions, travel.id, "20.00", "2026-03-15")
    listed = {c.name: c for c in categories.list_categories(sessions, MARCH)}
    assert listed["Food"].spent == Decimal("150.25")
    assert listed["Food"].count == 2
    assert listed["Food"].remaining == Decimal("149.75")
    assert listed["Food"].used == pytest.approx(150.25 / 300)
    assert listed["Travel"].spent == Decimal("20.00")
    assert listed["Travel"].remaining is None
    # The default period is this month (BUDGET_TUI_TODAY = 2026-03-15).
    assert categories.list_categories(sessions) == tuple(listed[n] for n in ("Food", "Travel"))
    # An arbitrary period (not whole months) is summed from the rows.
    odd = {
        c.name: c
        for c in categories.list_categories(
            sessions, Period.between(dt.date(2026, 2, 28), dt.date(2026, 3, 1))
        )
    }
    assert (odd["Food"].spent, odd["Food"].count) == (Decimal("101.25"), 2)
    assert odd["Travel"].spent == Decimal("0.00")


def test_over_budget_gives_negative_remaining(sessions) -> None:
    coffee = categories.create_category(sessions, "Coffee", "10")
    add(sessions, coffee.id, "12.50", "2026-03-02")
    listed = categories.list_categories(sessions, MARCH)[0]
    assert listed.remaining == Decimal("-2.50")
    assert listed.used == pytest.approx(1.25)


def test_list_is_sorted_by_name_ignoring_case(sessions) -> None:
    for name in ["banana", "Apple", "cherry"]:
        categories.create_category(sessions, name)
    assert names(sessions) == ["Apple", "banana", "cherry"]


def test_a_name_taken_at_the_same_moment_is_a_conflict(sessions, monkeypatch) -> None:
    """Two terminals create "Food" at once: both pass the friendly check, the database's unique
    index stops the second, and the person reads the same sentence."""
    categories.create_category(sessions, "Food")
    monkeypatch.setattr(categories, "_ensure_unique", lambda *a, **k: None)
    with pytest.raises(Conflict) as err:
        categories.create_category(sessions, "FOOD")
    assert err.value.message == "A category with that name already exists."
    assert names(sessions) == ["Food"]


def test_a_name_longer_than_any_category_finds_none(sessions) -> None:
    categories.create_category(sessions, "A" * 50)
    assert categories.get_category(sessions, "a" * 50).name == "A" * 50
    with pytest.raises(NotFound):
        categories.get_category(sessions, "A" * 50 + "ZZZ")
    with pytest.raises(NotFound):
        expenses.create_expense(
            sessions, description="x", amount="1", occurred_on="today", category="A" * 60
        )
