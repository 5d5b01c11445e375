"""Validation at the boundary: amounts, text and dates a person types."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from budget_tui.controller import validate
from budget_tui.errors import InvalidInput

TODAY = dt.date(2026, 3, 15)  # the autouse fixture fixes BUDGET_TUI_TODAY to this


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", "12.00"),
        ("12.5", "12.50"),
        ("0.01", "0.01"),
        (" 7.25 ", "7.25"),
        ("1,234.50", "1234.50"),  # en_US grouping
        ("1,234,567.89", "1234567.89"),
        ("$12", "12.00"),
        ("$ 12.30", "12.30"),
        ("99999999.99", "99999999.99"),
        (Decimal("3.1"), "3.10"),
        (5, "5.00"),
        (2.5, "2.50"),
    ],
)
def test_amounts_accepted(typed, expected: str) -> None:
    value = validate.amount(typed)
    assert value == Decimal(expected)
    assert str(value) == expected  # always two places


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("-5", "more than zero"),
        ("-$5", "more than zero"),
        ("$-5", "more than zero"),
        ("0", "can't be zero"),
        ("0.00", "can't be zero"),
        (Decimal("-0.01"), "more than zero"),
        ("1.234", "two decimal places"),
        (Decimal("0.001"), "two decimal places"),
        ("100000000", "at most 99,999,999.99"),
        ("1" * 40, "at most"),
        (Decimal("1e30"), "at most"),
        (1e300, "at most"),
        ("1e5", "not an amount"),
        ("NaN", "not an amount"),
        (Decimal("NaN"), "must be a number"),
        (float("inf"), "must be a number"),
        ("Infinity", "not an amount"),
        ("12 apples", "not an amount"),
        ("1.234,50", "not an amount"),  # German style is not en_US
        ("€12", "not an amount"),
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        (None, "must be a number"),
        (True, "must be a number"),
        ([12], "must be a number"),
    ],
)
def test_amounts_refused(typed, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as err:
        validate.amount(typed, "price")
    assert err.value.field == "price"


def test_amounts_in_another_locale() -> None:
    assert validate.amount("1.234,50", locale="de_DE") == Decimal("1234.50")
    with pytest.raises(InvalidInput):
        validate.amount("1,234.50", locale="de_DE")


def test_plain_amount_is_the_strict_machine_form() -> None:
    assert validate.plain_amount(" 12.50 ", "amount") == Decimal("12.50")
    for bad in ["1,234.50", "$12", "1e5", "-1", "12.", ".5", "0", "1.234", ""]:
        with pytest.raises(InvalidInput):
            validate.plain_amount(bad, "amount")


def test_a_budget_of_zero_or_nothing_means_no_budget() -> None:
    for none in (None, "  ", "0", "0.00", "0,0", 0, Decimal("0.00")):
        assert validate.budget(none) is None, none
    assert validate.budget("40") == Decimal("40.00")
    with pytest.raises(InvalidInput, match="can't be negative") as negative:
        validate.budget("-5")
    assert negative.value.field == "budget"
    with pytest.raises(InvalidInput, match="The budget can have at most two decimal places"):
        validate.budget("1.234")
    with pytest.raises(InvalidInput, match="is not a budget"):
        validate.budget("lots")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Lunch  ", "Lunch"),
        ("Café ☕ 寿司", "Café ☕ 寿司"),
        ("e\u0301", "\u00e9"),  # combining accent folded into one character (NFC)
        ("שלום", "שלום"),
        ("a  b", "a  b"),  # inner spaces are the person's own
        ("🧾" * 200, "🧾" * 200),
        ("\u200bFood\ufeff", "Food"),  # invisible characters at the ends go with the spaces
        ("\u3000Tea\u00a0", "Tea"),
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # a joiner inside an emoji is kept
        ("שלום\u200f", "שלום\u200f"),  # a right-to-left mark is kept
    ],
)
def test_text_kept(typed: str, kept: str) -> None:
    assert validate.description(typed) == kept


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "can't be empty"),
        ("   \t\n ", "can't be empty"),
        ("a\x00b", "U+0000"),
        ("a\tb", "U+0009"),
        ("a\nb", "U+000A"),
        ("a\x1bb", "U+001B"),
        ("a\x7fb", "U+007F"),
        ("a\u2028b", "U+2028"),
        ("a\ud800b", "U+D800"),
        ("pay\u202eusd", "U+202E"),  # a right-to-left override would show the text reversed
        ("a\u2066b", "U+2066"),
        ("\u200b\ufeff", "can't be empty"),
        ("x" * 201, "201 characters long; the limit is 200"),
        (42, "must be text"),
        (None, "must be text"),
    ],
)
def test_text_refused(typed, words: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(words)) as err:
        validate.description(typed)
    assert err.value.field == "description"


def test_category_names_limit_and_key() -> None:
    assert validate.category_name("x" * 50) == "x" * 50
    with pytest.raises(InvalidInput, match="limit is 50"):
        validate.category_name("x" * 51)
    assert validate.name_key("Food") == validate.name_key("FOOD") == validate.name_key("food")
    assert validate.name_key("Straße") == validate.name_key("STRASSE")


def test_long_names_never_share_a_key() -> None:
    """ß folds to "ss": the key of 'ß'*25 is 50 characters, and a key cut to the column's 50
    made 'ß'*50 (and any longer fold) the same name as 'ß'*25."""
    assert validate.category_name("ß" * 25) == "ß" * 25
    assert validate.name_key("ß" * 25) == "ss" * 25
    assert validate.name_key("ß" * 26) != validate.name_key("ß" * 25)
    for name in ("ß" * 50, "ß" * 26, "ﬃ" * 17, "Straße " + "ß" * 22):
        with pytest.raises(InvalidInput, match="ß counts as ss") as err:
            validate.category_name(name, "new_name")
        assert err.value.field == "new_name"
    assert validate.category_name("ﬃ" * 16) == "ﬃ" * 16


def test_the_name_key_limit_is_the_columns_width() -> None:
    from budget_tui.db.models import Category

    assert Category.__table__.c.name_key.type.length == validate.NAME_KEY_MAX


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", TODAY),
        ("TODAY", TODAY),
        (" t ", TODAY),
        ("yesterday", TODAY - dt.timedelta(days=1)),
        ("y", TODAY - dt.timedelta(days=1)),
        ("tomorrow", TODAY + dt.timedelta(days=1)),
        ("-3", dt.date(2026, 3, 12)),
        ("- 3", dt.date(2026, 3, 12)),
        ("-15", dt.date(2026, 2, 28)),
        ("+2", dt.date(2026, 3, 17)),
        ("-0", TODAY),
        ("2026-02-28", dt.date(2026, 2, 28)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("1900-01-01", dt.date(1900, 1, 1)),
        ("2199-12-31", dt.date(2199, 12, 31)),
        (dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
        (dt.datetime(2020, 1, 2, 23, 59), dt.date(2020, 1, 2)),
    ],
)
def test_dates_accepted(typed, expected: dt.date) -> None:
    assert validate.date(typed) == expected


def test_relative_dates_count_from_the_given_today() -> None:
    assert validate.date("-1", today=dt.date(2026, 1, 1)) == dt.date(2025, 12, 31)
    assert validate.date("yesterday", today=dt.date(2024, 3, 1)) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("typed", "today"),
    [
        ("tomorrow", dt.date(2199, 12, 31)),
        ("+1", dt.date(2199, 12, 31)),
        ("yesterday", dt.date(1900, 1, 1)),
        ("y", dt.date(1900, 1, 1)),
        ("-1", dt.date(1900, 1, 1)),
        ("today", dt.date(2200, 1, 1)),
        ("tomorrow", dt.date.max),
        ("yesterday", dt.date.min),
    ],
)
def test_words_are_held_to_the_same_range_as_numbers(typed: str, today: dt.date) -> None:
    with pytest.raises(InvalidInput, match="between 1900-01-01 and 2199-12-31") as err:
        validate.date(typed, "when", today=today)
    assert err.value.field == "when"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Enter a date"),
        ("someday", "is not a date"),
        ("2026-02-30", "is not a date"),
        ("2026-13-01", "is not a date"),
        ("15/03/2026", "is not a date"),
        ("-3 days", "is not a date"),
        ("1899-12-31", "between 1900-01-01 and 2199-12-31"),
        ("2200-01-01", "between"),
        (dt.date(1, 1, 1), "between"),
        ("-99999", "between"),
        ("+99999", "between"),
        ("-999999", "is not a date"),
        (20260315, "must be like"),
        (None, "must be like"),
    ],
)
def test_dates_refused(typed, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as err:
        validate.date(typed, "when")
    assert err.value.field == "when"


@pytest.mark.parametrize(
    ("locale", "typed", "day"),
    [
        ("en_US", "12/01/2026", dt.date(2026, 12, 1)),
        ("en_GB", "12/01/2026", dt.date(2026, 1, 12)),
        ("de_DE", "12.01.2026", dt.date(2026, 1, 12)),
        ("en_US", "3/1/26", dt.date(2026, 3, 1)),
        ("en_US", "Dec 1", dt.date(2025, 12, 1)),  # no year: the latest one up to today
        ("en_GB", "1 Dec", dt.date(2025, 12, 1)),
        ("en_US", "March 14", dt.date(2026, 3, 14)),
        ("en_US", "March 14, 2026", dt.date(2026, 3, 14)),
        ("de_DE", "1. Dezember", dt.date(2025, 12, 1)),
        ("fr_FR", "14 mars 2026", dt.date(2026, 3, 14)),
    ],
)
def test_a_person_may_type_dates_in_the_locales_order(
    monkeypatch: pytest.MonkeyPatch, locale: str, typed: str, day: dt.date
) -> None:
    from budget_tui import money

    monkeypatch.setenv("BUDGET_LOCALE", locale)
    money._defaults.cache_clear()
    today = dt.date(2026, 3, 15)
    assert validate.date(typed, today=today, local=True) == day
    # Machine paths (CSV, MCP, the controller) stay ISO and words only.
    with pytest.raises(InvalidInput, match="is not a date"):
        validate.date(typed, today=today)


@pytest.mark.parametrize("typed", ["13/13/2026", "Smarch 3", "2/30/2026", "1/2/3/4", "Dec 1 2"])
def test_a_local_date_that_is_not_one_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="is not a date"):
        validate.date(typed, today=dt.date(2026, 3, 15), local=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "There is no month 13; months are 01 to 12."),
        ("1899-12", "The month must be between 1900-01 and 2199-12."),
        ("December", "Give a month as YYYY-MM, like 2026-12."),
        ("2026-02-30", "That day is not in the month."),
    ],
)
def test_a_month_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        validate.month(text)
    assert (error.value.field, error.value.message) == ("month", message)


def test_a_month_is_its_first_day() -> None:
    assert validate.month(" 2026-12 ") == dt.date(2026, 12, 1)
    assert validate.month("2026-02-14") == dt.date(2026, 2, 1)
