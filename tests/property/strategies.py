"""Hostile input for property tests: what a person could type, paste or put in a file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

# Any code point, surrogates and control characters included: the database must never see them.
any_char = st.characters(codec=None, exclude_categories=())
nasty_pieces = st.sampled_from(
    [
        "\x00",
        "\n",
        "\r",
        "\t",
        "\x1b",
        "\u2028",
        "\u2029",
        "\ufeff",
        "\u200b",
        "\ud800",
        "\x7f",
        "e\u0301",
        "\u00e9",
        "ß",
        "İ",
        "🙂",
        "👩‍👩‍👧",
        "Σ",
        "ς",
        " ",
        "\u00a0",
        "'",
        '"',
        "\\",
        "%",
        "_",
    ]
)

text_input = st.one_of(
    st.text(any_char, max_size=30),
    st.lists(st.one_of(any_char, nasty_pieces), min_size=1, max_size=60).map("".join),
    st.text(
        st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
        min_size=1,
        max_size=260,
    ),
    st.sampled_from(["", " ", "   x   ", "a" * 50, "a" * 51, "b" * 200, "b" * 201, "x" * 10_000]),
)

amount_text = st.one_of(
    st.sampled_from(
        [
            "0",
            "0.00",
            "-1",
            "-0.01",
            "0.01",
            "1e5",
            "1E5",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "Infinity",
            "1,234.56",
            "1.234,56",
            "12,50",
            "12,5",
            "1 234.56",
            "1\u00a0234.56",
            "$3.50",
            "€3.50",
            "3.5.5",
            "..",
            ".5",
            "5.",
            "99999999.99",
            "100000000.00",
            "99999999.999",
            "0.001",
            "12.345",
            "  7.25  ",
            "+3",
            "3-",
            "0x10",
            "١٢٣",
            "１２３",
            "",
            " ",
            "12.50 USD",
        ]
    ),
    st.decimals(
        allow_nan=False,
        allow_infinity=False,
        places=2,
        min_value=Decimal("-10"),
        max_value=Decimal("1000000000"),
    ).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.text(st.sampled_from("0123456789.,- "), max_size=14),
)

amount_input = st.one_of(
    amount_text,
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(places=2, min_value=Decimal("0.01"), max_value=Decimal("99999999.99")),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)

date_input = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.dates(min_value=dt.date(1899, 12, 1), max_value=dt.date(2200, 1, 31)).map(dt.date.isoformat),
    st.sampled_from(
        [
            "today",
            "yesterday",
            "tomorrow",
            "t",
            "y",
            "-3",
            "+3",
            "-99999",
            "+99999",
            "2026-02-29",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "26-03-15",
            "15/03/2026",
            "2026-3-5",
            "0001-01-01",
            "9999-12-31",
            "1900-01-01",
            "2199-12-31",
            "1899-12-31",
            "2200-01-01",
            "",
            " ",
            "now",
            "2026-03-15T10:00",
        ]
    ),
    st.text(max_size=12),
    st.integers(),
    st.none(),
)

# Valid values, for the stateful test where bad input is the exception rather than the rule.
plain_description = st.text(
    st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=20
)
plain_amount = st.decimals(places=2, min_value=Decimal("0.01"), max_value=Decimal("5000"))
nearby_date = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31))
