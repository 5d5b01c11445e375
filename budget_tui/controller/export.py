"""CSV export: columns ``date,description,amount,category``, oldest first, the format the
import reads.

Text cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) are written with a leading ``'``, as OWASP recommends; so that the import can
read every text back exactly, a cell whose first character after its leading quotes is one of
those gets one more quote too (``'=x`` is written ``''=x``). The import removes one leading quote
from a cell that matches the same rule. Amounts are plain numbers we write ourselves and are
never changed (a refund's ``-12.50`` stays a number).

A file export is written to a temporary file in the same folder and renamed into place, so a
failed export leaves the old file (or none) and never half a file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget_tui.controller._tx import Sessions, read_action
from budget_tui.controller.expense_list import filtered
from budget_tui.controller.imports import COLUMNS
from budget_tui.controller.queries import expenses_t
from budget_tui.controller.views import ExpenseFilter
from budget_tui.db.files import not_a_folder
from budget_tui.db.models import Category
from budget_tui.errors import BudgetError, Conflict, InvalidInput

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it, never runs it: ``=1+2`` -> ``'=1+2``."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


def _cells(row: tuple[dt.date, str, Decimal, str]) -> tuple[str, str, str, str]:
    day, description, amount, category = row
    return day.isoformat(), neutralise(description), f"{amount:.2f}", neutralise(category)


@read_action
def export_csv(session: Session, out: IO[str], flt: ExpenseFilter | None = None) -> int:
    """Write expenses (oldest first) as CSV to ``out``; returns how many rows were written.

    Raises BudgetError when ``out`` can't be written, DatabaseUnavailable when the database fails.
    """
    c = expenses_t.c
    stmt = filtered(
        session,
        select(c.occurred_on, c.description, c.amount, Category.name).join(
            Category, Category.id == c.category_id
        ),
        flt or ExpenseFilter(),
    ).order_by(c.occurred_on, c.id)
    writer = csv.writer(out, lineterminator="\n")
    count = 0
    try:
        writer.writerow(COLUMNS)
        for partition in session.execute(stmt.execution_options(yield_per=5000)).partitions():
            rows = cast("list[tuple[dt.date, str, Decimal, str]]", partition)
            writer.writerows(_cells(row) for row in rows)
            count += len(partition)
    except OSError as exc:
        # The output failed (disk full, a closed pipe), not the database: the action wrapper
        # would otherwise report any OSError as a lost database connection.
        reason = exc.strerror or type(exc).__name__
        raise BudgetError(f"The CSV could not be written: {reason}.") from None
    return count


def export_csv_file(
    sessions: Sessions,
    path: str | os.PathLike[str],
    flt: ExpenseFilter | None = None,
    *,
    replace: bool = False,
    protected: Iterable[Path] = (),
) -> int:
    """Export to the file ``path``, all or nothing; returns how many rows were written.

    ``protected`` are files that must never be written over, whatever ``replace`` says (the
    open book, its WAL and shared-memory files). Raises InvalidInput (field ``output``) for a
    protected path, a missing folder or a path through a file, Conflict when ``path`` exists
    and ``replace`` is False, BudgetError when the file can't be written, and what
    :func:`export_csv` raises. On any failure the file at ``path`` is as it was.
    """
    target = Path(os.path.abspath(path))
    _refuse_protected(target, protected)
    folder = target.parent
    if not folder.is_dir():
        if (words := not_a_folder(folder)) is not None:
            raise InvalidInput(
                "output", f"{words}; the export was not written.", hint="Check the path."
            )
        raise InvalidInput(
            "output", f"The folder {folder} does not exist; the export was not written."
        )
    if not replace and os.path.lexists(target):
        raise _exists(target)
    try:
        tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, renamed or removed)
            "w",
            encoding="utf-8",
            newline="",
            dir=folder,
            prefix=f".{target.name}.",
            suffix=".part",
            delete=False,
        )
    except OSError as exc:
        raise BudgetError(
            f"The export could not be written in {folder}: {exc.strerror or type(exc).__name__}.",
            hint="Check that the folder exists and that you may write there.",
        ) from None
    written = Path(tmp.name)
    try:
        with tmp:
            count = export_csv(sessions, tmp, flt)
            try:
                tmp.flush()
                os.fsync(tmp.fileno())
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                raise BudgetError(f"The CSV could not be written: {reason}.") from None
        _move_into_place(written, target, replace=replace)
    finally:
        with contextlib.suppress(FileNotFoundError):
            written.unlink()
    return count


def _refuse_protected(target: Path, protected: Iterable[Path]) -> None:
    real = os.path.realpath(target)
    for guarded in protected:
        same = os.path.realpath(guarded) == real
        if not same and target.exists() and guarded.exists():
            same = os.path.samefile(target, guarded)  # a hard link to the book
        if same:
            raise InvalidInput(
                "output",
                f"{target} is the budget book itself (or one of its files); "
                "the export was not written.",
                hint="Choose another file name for the export.",
            )


def _exists(target: Path) -> Conflict:
    return Conflict(
        f"{target} exists already; the export was not written.",
        hint="Choose another name, or add --force to replace it.",
    )


def _move_into_place(written: Path, target: Path, *, replace: bool) -> None:
    try:
        if replace:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(written, target.stat().st_mode & 0o7777)  # keep a replaced file's mode
            os.replace(written, target)
            return
        try:
            # A hard link never replaces a file that appeared since the check above.
            os.link(written, target)
        except FileExistsError:
            raise _exists(target) from None
        except OSError:  # a file system without hard links
            if os.path.lexists(target):
                raise _exists(target) from None
            os.replace(written, target)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BudgetError(f"The export could not be saved as {target}: {reason}.") from None
