"""Statement formats: OFX/QFX (ofxtools), QIF (quiffen), CAMT.053 (the standard library's XML
parser, reading a subset of the ISO 20022 schema: booked entries with their amount, sign, dates,
parties, remittance text and the bank's reference).

Each reader yields :class:`Row` (amounts are money out as positive cents, the bank's view of a
statement turned round) or :class:`BadRow`, and raises FileProblem for a file it can't read.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from budget_tui.importers import BadRow, FileProblem, Row


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


# -- OFX / QFX -------------------------------------------------------------------------------


def read_ofx(path: str | Path) -> Iterator[Row | BadRow]:
    """Every transaction of every statement in an OFX or QFX file (versions 1.x SGML and 2.x
    XML). ``ref`` is the account and the bank's FITID, so a transaction met again (in an
    overlapping statement) is known whatever its other fields say."""
    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    try:
        with open(path, "rb") as fh:
            tree.parse(fh)
        ofx = tree.convert()
    except Exception as exc:  # ofxtools raises a dozen kinds for a file it does not understand
        # Banks' files often break the spec somewhere (a missing sign-on field, a bad header):
        # the transactions themselves are still read, by their tags.
        rows = list(_read_ofx_loosely(Path(path).read_bytes().decode("latin-1")))
        if not rows:
            raise FileProblem(f"This OFX file could not be read ({type(exc).__name__}).") from None
        yield from rows
        return
    number = 0
    for statement in ofx.statements:
        account = getattr(statement, "account", None)
        acct = str(getattr(account, "acctid", "") or "")
        for tx in statement.transactions:
            number += 1
            fitid = str(getattr(tx, "fitid", "") or "")
            if tx.dtposted is None or tx.trnamt is None:
                yield BadRow(number, "STMTTRN", "a transaction without a date or an amount")
                continue
            name = (getattr(tx, "name", None) or "").strip()
            memo = (getattr(tx, "memo", None) or "").strip()
            description = name or memo or (getattr(tx, "payee", None) or "")
            if name and memo and memo.casefold() not in name.casefold():
                description = f"{name} {memo}"
            yield Row(
                number,
                tx.dtposted.date(),
                -_cents(tx.trnamt),
                str(description),
                None,
                f"{acct}\x1f{fitid}" if fitid else None,
            )


_TAG = re.compile(r"<(\w+)>([^<\r\n]*)")
_BLOCK = re.compile(r"<STMTTRN>(.*?)(?:</STMTTRN>|(?=<STMTTRN>)|(?=</BANKTRANLIST>))", re.S | re.I)
_ACCOUNT = re.compile(r"<ACCTID>([^<\r\n]*)", re.I)


def _read_ofx_loosely(text: str) -> Iterator[Row | BadRow]:
    """The transactions of an OFX file that the strict parser refused, read tag by tag."""
    account = _ACCOUNT.search(text)
    acct = account.group(1).strip() if account else ""
    for number, block in enumerate(_BLOCK.findall(text), start=1):
        tags = {k.upper(): v.strip() for k, v in _TAG.findall(block)}
        posted, amount = tags.get("DTPOSTED", ""), tags.get("TRNAMT", "")
        try:
            day = dt.date(int(posted[:4]), int(posted[4:6]), int(posted[6:8]))
            cents = _cents(Decimal(amount.replace(",", ".")))
        except (ValueError, InvalidOperation):
            yield BadRow(number, "STMTTRN", "a transaction without a readable date or amount")
            continue
        name, memo = tags.get("NAME", ""), tags.get("MEMO", "")
        description = name or memo or tags.get("PAYEE", "")
        if name and memo and memo.casefold() not in name.casefold():
            description = f"{name} {memo}"
        fitid = tags.get("FITID")
        yield Row(number, day, -cents, description, None, f"{acct}\x1f{fitid}" if fitid else None)


# -- QIF ---------------------------------------------------------------------------------------

_QIF_DATE = re.compile(r"^D\s*(\d{1,2})[/.-](\d{1,2})['/.-]\s*(\d{2,4})", re.MULTILINE)


def qif_day_first(path: str | Path, encoding: str = "utf-8") -> bool | None:
    """True when the file's dates are day/month, False when month/day, None when every date
    fits both (the person says which; Quicken writes month/day)."""
    text = Path(path).read_text(encoding=encoding, errors="replace")
    first = second = False
    for a, b, _ in _QIF_DATE.findall(text):
        first |= int(a) > 12
        second |= int(b) > 12
    if first and not second:
        return True
    if second and not first:
        return False
    return None


def _leaf(category: object) -> str | None:
    name = getattr(category, "name", None)
    return str(name).strip() or None if name else None


def read_qif(path: str | Path, *, day_first: bool = False) -> Iterator[Row | BadRow]:
    """Every transaction of a QIF file; a transaction split between categories gives one row
    per split (its amount and category; the payee, and the split's memo, as description)."""
    import quiffen

    try:
        qif = quiffen.Qif.parse(str(path), day_first=day_first)
    except Exception as exc:  # quiffen raises ValueError, pydantic errors and more
        raise FileProblem(f"This QIF file could not be read ({type(exc).__name__}).") from None
    number = 0
    for account in qif.accounts.values():
        for transactions in account.transactions.values():
            for tx in transactions:
                number += 1
                line = getattr(tx, "line_number", None) or number
                payee = (tx.payee or tx.memo or "").strip()
                if tx.date is None or tx.amount is None:
                    yield BadRow(line, "D/T", "a transaction without a date or an amount")
                    continue
                day = tx.date.date() if isinstance(tx.date, dt.datetime) else tx.date
                if tx.splits:
                    for split in tx.splits:
                        if split.amount is None:
                            yield BadRow(line, "$", "a split without an amount")
                            continue
                        memo = (split.memo or "").strip()
                        text = f"{payee} ({memo})" if payee and memo else payee or memo
                        yield Row(line, day, -_cents(split.amount), text, _leaf(split.category))
                    continue
                yield Row(line, day, -_cents(tx.amount), payee, _leaf(tx.category))


# -- CAMT.053 ----------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, *path: str) -> ET.Element | None:
    node: ET.Element | None = element
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if _local(c.tag) == name), None)
    return node


def _text(element: ET.Element, *path: str) -> str:
    node = _child(element, *path)
    return (node.text or "").strip() if node is not None else ""


def _camt_day(entry: ET.Element) -> dt.date | None:
    for where in ("BookgDt", "ValDt"):
        value = _text(entry, where, "Dt") or _text(entry, where, "DtTm")[:10]
        if value:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
    return None


def _camt_description(entry: ET.Element, credit: bool) -> str:
    details = _child(entry, "NtryDtls", "TxDtls")
    parts: list[str] = []
    if details is not None:
        party = "Dbtr" if credit else "Cdtr"
        name = _text(details, "RltdPties", party, "Nm") or _text(
            details, "RltdPties", party, "Pty", "Nm"
        )
        if name:
            parts.append(name)
        remittance = _child(details, "RmtInf")
        if remittance is not None:
            parts.extend(
                (c.text or "").strip() for c in remittance if _local(c.tag) == "Ustrd" and c.text
            )
    if not parts:
        parts.append(_text(entry, "AddtlNtryInf"))
    return " ".join(p for p in parts if p)


def read_camt(path: str | Path) -> Iterator[Row | BadRow]:
    """Booked entries (``Sts`` BOOK, or no status) of every statement in a CAMT.053 file,
    streamed: each entry is dropped from memory once read. ``ref`` is the bank's reference
    (AcctSvcrRef) when the entry has one."""
    number = 0
    try:
        for _event, element in ET.iterparse(str(path), events=("end",)):
            if _local(element.tag) != "Ntry":
                continue
            number += 1
            status = _text(element, "Sts", "Cd") or _text(element, "Sts")
            if status and status.upper() not in ("BOOK", ""):
                element.clear()
                continue
            amount_text = _text(element, "Amt")
            sign = _text(element, "CdtDbtInd").upper()
            day = _camt_day(element)
            credit = sign == "CRDT"
            if day is None:
                yield BadRow(number, "BookgDt", "the entry has no booking date")
            elif sign not in ("CRDT", "DBIT"):
                yield BadRow(number, "CdtDbtInd", "neither CRDT nor DBIT")
            else:
                try:
                    cents = _cents(Decimal(amount_text))
                except InvalidOperation:
                    yield BadRow(number, "Amt", f"{amount_text[:30]!r} is not an amount")
                else:
                    ref = _text(element, "AcctSvcrRef") or None
                    yield Row(
                        number,
                        day,
                        -abs(cents) if credit else abs(cents),
                        _camt_description(element, credit),
                        None,
                        ref,
                    )
            element.clear()
    except ET.ParseError as exc:
        raise FileProblem(f"This CAMT.053 file is not well-formed XML ({exc}).") from None


# -- which format ------------------------------------------------------------------------------


def sniff_format(path: str | Path) -> str:
    """``ofx``, ``qif``, ``camt`` or ``csv``, from the file's first bytes (and its name)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \r\n\t")
    upper = text.upper()
    if upper.startswith("OFXHEADER") or "<OFX>" in upper:
        return "ofx"
    if text.startswith("!"):
        return "qif"
    if text.startswith("<") and ("camt.053" in text or "BkToCstmrStmt" in text):
        return "camt"
    suffix = Path(path).suffix.casefold()
    return {".ofx": "ofx", ".qfx": "ofx", ".qif": "qif"}.get(suffix, "csv")
