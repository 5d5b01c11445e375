"""Checks at the boundary: every value a person or a file gives is cleaned here or refused.

Each function returns the clean value or raises :class:`InvalidInput` naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from budget_tui.clock import today as _today
from budget_tui.errors import InvalidInput

MAX_AMOUNT = Decimal("99999999.99")
NAME_MAX = 50
# The width of categories.name_key (db/models.py). Case folding can make a name longer ("ß" is
# "ss", "ﬃ" is "ffi": up to 3 characters each), so a key is never cut to fit: two different
# names would then share it. A name whose key does not fit is refused instead.
NAME_KEY_MAX = 50
DESCRIPTION_MAX = 200
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)

# Control characters, unpaired surrogates and line/paragraph separators can't be shown on one line
# (and PostgreSQL refuses NUL outright).
_BAD_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
# Bidirectional embeddings, overrides and isolates reorder what follows them on screen, so text
# could show something other than what it holds ("Trojan Source"); marks (U+200E/F) stay allowed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Whitespace and invisible characters at either end: "\u200bFood" must not be a second "Food".
_EDGES = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]+|[\s\u200b\u200c\u200d\u2060\ufeff]+$")
_PLAIN_AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")


def clean_text(value: object, field: str, *, max_length: int, what: str) -> str:
    """Stripped, NFC-normalised, single-line text of 1..max_length characters."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"{what} must be text.")
    text = unicodedata.normalize("NFC", _EDGES.sub("", value))
    if not text:
        raise InvalidInput(field, f"{what} can't be empty.")
    for ch in text:
        if unicodedata.category(ch) in _BAD_CATEGORIES or ch in _BIDI_CONTROLS:
            raise InvalidInput(
                field, f"{what} contains a control character (U+{ord(ch):04X}); remove it."
            )
    if len(text) > max_length:
        raise InvalidInput(
            field, f"{what} is {len(text)} characters long; the limit is {max_length}."
        )
    return text


def category_name(value: object, field: str = "name") -> str:
    """A clean category name whose key (:func:`name_key`) fits the database's column."""
    name = clean_text(value, field, max_length=NAME_MAX, what="The category name")
    if len(name_key(name)) > NAME_KEY_MAX:
        raise InvalidInput(
            field,
            f"The category name is too long: compared in any case (ß counts as ss) it has "
            f"{len(name_key(name))} characters; the limit is {NAME_KEY_MAX}. Shorten it.",
        )
    return name


def name_taken(existing: str) -> str:
    """What a person is told when a category of the name (in any case) exists already: the
    database's refusal and the form's own check say it alike."""
    return f"A category named {existing!r} already exists."


def name_key(name: str) -> str:
    """The form in which two names are compared: "Food", "FOOD" and "food" are one name.

    Never cut: a key longer than NAME_KEY_MAX matches no stored category (category_name()
    refuses such a name before it is saved)."""
    return name.casefold()


def kind(value: object, field: str = "kind") -> str:
    """A category's kind: "spending" or "income"."""
    if isinstance(value, str) and value.strip().casefold() in ("spending", "income"):
        return value.strip().casefold()
    raise InvalidInput(field, "A category is either spending or income.")


def description(value: object, field: str = "description") -> str:
    return clean_text(value, field, max_length=DESCRIPTION_MAX, what="The description")


def _check_amount(amount: Decimal, field: str) -> Decimal:
    if not amount.is_finite():
        raise InvalidInput(field, "The amount must be a number, like 12.50.")
    if amount == 0:
        raise InvalidInput(field, "The amount can't be zero.")
    if amount < 0:
        raise InvalidInput(field, "The amount must be more than zero.")
    # The cap comes first: quantize() raises InvalidOperation past 28 digits ("1" * 40).
    if amount > MAX_AMOUNT:
        raise InvalidInput(field, f"The amount can be at most {MAX_AMOUNT:,}.")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(field, "The amount can have at most two decimal places.")
    return amount.quantize(Decimal("0.01"))


def amount(value: object, field: str = "amount", *, locale: str | None = None) -> Decimal:
    """A positive amount with at most two decimals, up to MAX_AMOUNT.

    Text is read in the person's locale with babel ("1,234.50" in en_US, "1.234,50" in de_DE);
    a leading currency symbol and surrounding spaces are ignored. Exponents, NaN and infinity are refused.
    """
    if isinstance(value, bool) or value is None:
        raise InvalidInput(field, "The amount must be a number, like 12.50.")
    if isinstance(value, Decimal):
        return _check_amount(value, field)
    if isinstance(value, int):
        return _check_amount(Decimal(value), field)
    if isinstance(value, float):
        return _check_amount(Decimal(repr(value)), field)
    if not isinstance(value, str):
        raise InvalidInput(field, "The amount must be a number, like 12.50.")
    text = value.strip()
    if not text:
        raise InvalidInput(field, "Enter an amount, like 12.50.")
    if _PLAIN_AMOUNT.match(text):
        return _check_amount(Decimal(text), field)
    return _check_amount(_parse_localised(text, field, locale), field)


_MINUS = ("-", "\u2212")  # ASCII hyphen-minus and the typographic minus sign


def entry_amount(value: object, field: str = "amount", *, locale: str | None = None) -> Decimal:
    """An expense's amount: like :func:`amount`, but it may be negative (a refund or credit,
    "-45.00"); zero is still refused, and the cap and the two decimals hold either way."""
    if isinstance(value, Decimal) and not value.is_finite():
        return amount(value, field)  # refused there (NaN can't even be compared with 0)
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool) and value < 0:
        return -amount(-value, field, locale=locale)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(_MINUS):
            rest = text[1:].lstrip()
            if not rest or rest.startswith(_MINUS):
                raise InvalidInput(field, f"{text!r} is not an amount; write it like -12.50.")
            return -amount(rest, field, locale=locale)
    return amount(value, field, locale=locale)


def _parse_localised(text: str, field: str, locale: str | None) -> Decimal:
    from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

    from budget_tui.money import currency_symbol, locale_name

    loc = locale or locale_name()
    symbol = currency_symbol()
    if text.startswith(symbol):
        text = text[len(symbol) :].strip()
    if text.startswith("-"):
        raise InvalidInput(field, "The amount must be more than zero.")
    decimal_sym, group_sym = get_decimal_symbol(loc), get_group_symbol(loc)
    allowed = set("0123456789") | set(decimal_sym) | set(group_sym) | {"\u00a0", "\u202f"}
    if not text or any(ch not in allowed for ch in text):
        raise InvalidInput(field, f"{text!r} is not an amount; write it like 1234.50.")
    try:
        return parse_decimal(text, locale=loc, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        raise InvalidInput(field, f"{text!r} is not an amount; write it like 1234.50.") from None


def plain_amount(text: str, field: str) -> Decimal:
    """The machine form used in CSV files: digits, optionally a dot and one or two decimals."""
    text = text.strip()
    if not _PLAIN_AMOUNT.match(text):
        raise InvalidInput(field, f"{text[:30]!r} is not an amount like 12.50.")
    return _check_amount(Decimal(text), field)


_RELATIVE = re.compile(r"^([+-])\s*(\d{1,5})$")
_WORDS = {"today": 0, "t": 0, "yesterday": -1, "y": -1, "tomorrow": 1}


def date(
    value: object, field: str = "date", *, today: dt.date | None = None, local: bool = False
) -> dt.date:
    """A date from ISO ``2026-11-03``, ``today``, ``yesterday``, ``tomorrow``, or ``-3`` (three
    days ago). With ``local`` (what a person types), also the locale's own forms, read in its
    order: ``12/01/2026`` is 1 December in en_US and 12 January in en_GB; ``Dec 1`` or
    ``1 Dec``, and without a year the latest such day up to ``today``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _check_date(value, field)
    if not isinstance(value, str):
        raise InvalidInput(field, "The date must be like 2026-03-15, today, yesterday or -3.")
    text = value.strip().lower()
    base = today or _today()
    if not text:
        raise InvalidInput(field, "Enter a date, like 2026-03-15, today, yesterday or -3.")
    # Words and day counts are one path, held to the same range as an ISO date.
    if text in _WORDS:
        days = _WORDS[text]
    elif m := _RELATIVE.match(text):
        days = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
    else:
        days = None
    if days is not None:
        try:
            moved = base + dt.timedelta(days=days)
        except OverflowError:
            moved = dt.date.max if days > 0 else dt.date.min
        return _check_date(moved, field)
    try:
        parsed = dt.date.fromisoformat(text)
    except ValueError:
        found = _local_date(text, base) if local else None
        if found is None:
            example = "2026-03-15" if not local else f"2026-03-15, {_local_example()}"
            raise InvalidInput(
                field,
                f"{value.strip()[:30]!r} is not a date; use {example}, today, yesterday or -3.",
            ) from None
        parsed = found
    return _check_date(parsed, field)


_PARTS = re.compile(r"[^\W\d_]+\.?|\d+", re.UNICODE)


def _local_example() -> str:
    from babel.dates import format_date

    from budget_tui.money import locale_name

    return str(format_date(dt.date(2026, 3, 15), "short", locale=locale_name()))


def _without_year(day: int, month: int, base: dt.date) -> dt.date | None:
    """The latest ``day``/``month`` on or before ``base`` (expenses are mostly in the past)."""
    for year in (base.year, base.year - 1):
        try:
            found = dt.date(year, month, day)
        except ValueError:
            continue
        if found <= base or year < base.year:
            return found
    return None


def _local_date(text: str, base: dt.date) -> dt.date | None:
    """``text`` read in the person's locale (numbers in its order, month names), or None."""
    from babel.dates import get_date_format, get_month_names

    from budget_tui.money import locale_name

    loc = locale_name()
    parts = _PARTS.findall(text)
    # Only letters, digits and the usual separators: nothing else may be dropped silently.
    if not parts or re.sub(r"[\w\s./,-]", "", text):
        return None
    numbers = [int(p) for p in parts if p.isdigit()]
    words = [p.rstrip(".") for p in parts if not p.isdigit()]
    try:
        if words:
            if len(words) != 1 or not 1 <= len(numbers) <= 2:
                return None
            months: dict[str, int] = {}
            for width in ("wide", "abbreviated"):
                for context in ("format", "stand-alone"):
                    for number, name in get_month_names(width, context, locale=loc).items():
                        months.setdefault(name.casefold().rstrip("."), number)
            month = months.get(words[0].casefold())
            if month is None:
                return None
            day = numbers[0]
            if len(numbers) == 2:
                return dt.date(numbers[1], month, day) if numbers[1] >= 1000 else None
            return _without_year(day, month, base)
        pattern = get_date_format("short", locale=loc).pattern
        order = sorted("dMy", key=lambda f: pattern.find(f) if f in pattern else 99)
        if len(numbers) == 2:
            fields = dict(zip([f for f in order if f != "y"], numbers, strict=True))
            return _without_year(fields["d"], fields["M"], base)
        if len(numbers) != 3:
            return None
        fields = dict(zip(order, numbers, strict=True))
        year = fields["y"]
        if year < 100:  # two digits: this century
            year += base.year // 100 * 100
        return dt.date(year, fields["M"], fields["d"])
    except (ValueError, KeyError):
        return None


def _check_date(value: dt.date, field: str) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise InvalidInput(
            field, f"The date must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}."
        )
    return value


_ZERO = re.compile(r"^(?:0+(?:[.,]0*)?|[.,]0+)?$")  # "", "0", "0.00", ".0": no budget


def budget(value: object, field: str = "budget") -> Decimal | None:
    """A monthly budget, or None for "no budget": empty, None and 0 all mean none.

    Otherwise an amount as :func:`amount` reads it; a refusal speaks of the budget."""
    if value is None or (isinstance(value, str) and _ZERO.match(value.strip())):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return None
    if isinstance(value, Decimal) and value.is_zero():
        return None
    if isinstance(value, str) and value.strip().startswith("-"):
        raise InvalidInput(field, "A budget can't be negative; leave it empty (or 0) for none.")
    try:
        return amount(value, field)
    except InvalidInput as error:
        message = error.message.replace("The amount", "The budget").replace("an amount", "a budget")
        raise InvalidInput(field, message) from None


_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def month(value: object, field: str = "month") -> dt.date:
    """A month as ``YYYY-MM`` (or any ``YYYY-MM-DD`` in it): its first day."""
    found = _MONTH.match(value) if isinstance(value, str) else None
    if found is None:
        raise InvalidInput(field, "Give a month as YYYY-MM, like 2026-12.")
    year, number = int(found.group(1)), int(found.group(2))
    if not 1 <= number <= 12:
        raise InvalidInput(field, f"There is no month {number}; months are 01 to 12.")
    if found.group(3) is not None:
        try:
            dt.date(year, number, int(found.group(3)))
        except ValueError:
            raise InvalidInput(field, "That day is not in the month.") from None
    first = dt.date(year, number, 1)
    if not EARLIEST <= first <= LATEST:
        raise InvalidInput(field, f"The month must be between {EARLIEST:%Y-%m} and {LATEST:%Y-%m}.")
    return first
