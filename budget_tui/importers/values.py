"""Dates and amounts as banks write them: one date format and one decimal mark per file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

# strptime formats we try, in the order of preference when a file fits several (a file whose
# days are all 12 or less fits both day/month and month/day: the person confirms which).
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d-%b-%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d.%m.%y",
)
# How a person reads each format (shown on screen and in messages).
DATE_NAMES = {
    "%Y-%m-%d": "YYYY-MM-DD",
    "%d/%m/%Y": "DD/MM/YYYY",
    "%m/%d/%Y": "MM/DD/YYYY",
    "%d.%m.%Y": "DD.MM.YYYY",
    "%d-%m-%Y": "DD-MM-YYYY",
    "%Y/%m/%d": "YYYY/MM/DD",
    "%Y%m%d": "YYYYMMDD",
    "%d %b %Y": "1 Dec 2026",
    "%d %B %Y": "1 December 2026",
    "%b %d, %Y": "Dec 1, 2026",
    "%B %d, %Y": "December 1, 2026",
    "%d-%b-%Y": "01-Dec-2026",
    "%d/%m/%y": "DD/MM/YY",
    "%m/%d/%y": "MM/DD/YY",
    "%d.%m.%y": "DD.MM.YY",
}
_FORMAT_BY_NAME = {name.casefold(): fmt for fmt, name in DATE_NAMES.items()}


def date_format(text: str) -> str | None:
    """A date format given by a person: its name (``DD/MM/YYYY``) or strptime form."""
    clean = text.strip()
    if clean in DATE_NAMES:
        return clean
    return _FORMAT_BY_NAME.get(clean.casefold())


def parse_date(text: str, fmt: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(" ".join(text.split()), fmt).date()
    except ValueError:
        return None


def date_formats_for(cells: Iterable[str]) -> list[str]:
    """The formats that read every one of ``cells`` (empty cells aside), best first."""
    left = list(DATE_FORMATS)
    seen = False
    for cell in cells:
        if not cell.strip():
            continue
        seen = True
        left = [fmt for fmt in left if parse_date(cell, fmt) is not None]
        if not left:
            break
    return left if seen else []


_CURRENCY = re.compile(r"[^\d,.\-+()\u2212]")  # anything but digits, marks and signs


def decimal_mark_for(cells: Iterable[str]) -> str:
    """``","`` when the amounts are written with a decimal comma (``12,50``, ``1.234,56``),
    else ``"."``."""
    comma = dot = 0
    for cell in cells:
        clean = _CURRENCY.sub("", cell)
        if re.search(r",\d{1,2}$", clean) and not re.search(r"\.\d{1,2}$", clean):
            comma += 1
        elif re.search(r"\.\d{1,2}$", clean):
            dot += 1
    return "," if comma > dot else "."


# A currency sign or ISO code before or after the number ("€12.50", "12,50 EUR").
_CODE = re.compile(r"^(?:[A-Z]{3}|[$€£¥₹])\s*|\s*(?:[A-Z]{3}|[$€£¥₹])$")
_PLAIN = re.compile(r"^-?\d+(\.\d{1,2})?$")


def plain_cents(text: str) -> int:
    """Cents of an amount as our own export writes it: ``-45.00``, ``1234.5``; nothing else."""
    clean = text.strip()
    if not _PLAIN.match(clean):
        raise AmountError(f"{clean[:30]!r} is not an amount like 12.50")
    negative = clean.startswith("-")
    whole, _, fraction = clean.lstrip("-").partition(".")
    cents = int(whole) * 100 + int((fraction + "00")[:2])
    return -cents if negative else cents


class AmountError(ValueError):
    pass


def parse_cents(text: str, decimal: str = ".") -> int:
    """Signed cents of an amount as a bank writes it: ``-1,234.56``, ``1.234,56`` (with a
    decimal comma), ``(12.00)``, ``12.00-``, ``12.00 CR``/``DR``, a currency sign or code.

    Raises AmountError with the reason (more than two decimals, not a number)."""
    clean = text.strip()
    if not clean:
        raise AmountError("the amount is empty")
    negative = False
    upper = clean.upper()
    if upper.endswith(("CR", "DR")):
        negative = upper.endswith("DR")
        clean = clean[:-2].strip()
    if clean.startswith("(") and clean.endswith(")"):
        negative, clean = not negative, clean[1:-1].strip()
    clean = _CODE.sub("", clean).strip()
    clean = clean.replace("\u2212", "-")
    if clean.endswith("-"):
        negative, clean = not negative, clean[:-1]
    elif clean.startswith("-"):
        negative, clean = not negative, clean[1:]
    elif clean.startswith("+"):
        clean = clean[1:]
    clean = clean.replace(" ", "").replace("\u00a0", "").replace("'", "").replace("\u202f", "")
    if decimal == ",":
        whole, _, fraction = clean.rpartition(",") if "," in clean else (clean, "", "")
        whole = whole.replace(".", "")
    else:
        whole, _, fraction = clean.rpartition(".") if "." in clean else (clean, "", "")
        whole = whole.replace(",", "")
    if not whole and fraction:
        whole = "0"
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise AmountError(f"{text.strip()[:30]!r} is not an amount")
    if len(fraction) > 2:
        if fraction.rstrip("0") and len(fraction.rstrip("0")) > 2:
            raise AmountError(f"{text.strip()[:30]!r} has more than two decimals")
        fraction = fraction[:2]
    cents = int(whole) * 100 + int((fraction + "00")[:2])
    return -cents if negative else cents
