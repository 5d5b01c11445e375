"""Any file we export imports back to the same book: export, empty the book, import the file
(creating its categories), export again: the two files are the same, byte for byte. Importing
the file once more adds nothing. SQLite and PostgreSQL.

(Rows typed by hand carry no import key, so importing a book's own export into that same book,
not emptied, would add them again: the key is what a file's rows are known by.)"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.controller import categories, expenses
from budget_tui.controller.export import export_csv
from budget_tui.controller.file_import import ImportOptions, import_file
from tests.property.conftest import empty

description = st.one_of(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(
        ["=SUM(A1)", "'=x", "-3 coffees", "+1", "@home", 'say "hi", twice', "a,b;c\tx", "ß"]
    ),
)
amount = st.decimals(
    places=2, min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99")
).filter(lambda d: d != 0)
row = st.tuples(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    description,
    amount,
    st.sampled_from(["Food", "Rent", "=Odd", "Salary", "Café"]),
)


def export_text(book) -> str:
    out = io.StringIO()
    export_csv(book.sessions, out)
    return out.getvalue()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(row, max_size=12))
def test_an_exported_file_imports_back_to_the_same_book(shared_book, rows) -> None:
    book = shared_book
    empty(book)
    made: set[str] = set()
    for day, text, money, category in rows:
        clean = text.strip()
        if not clean or not clean.isprintable():
            continue
        if category not in made:
            kind = "income" if category == "Salary" else "spending"
            categories.create_category(book.sessions, category, kind=kind)
            made.add(category)
        expenses.create_expense(
            book.sessions, description=clean, amount=money, occurred_on=day, category=category
        )
    exported = export_text(book)
    with tempfile.TemporaryDirectory(prefix="h14-") as folder:
        path = Path(folder) / "export.csv"
        path.write_text(exported, encoding="utf-8", newline="")
        empty(book)
        report = import_file(book.sessions, path, ImportOptions(create_categories=True))
        assert report.bad_total == 0, report.bad
        assert export_text(book) == exported
        assert import_file(book.sessions, path).new == 0
