"""The expense list and search: keyset pages, their totals and the window the Expenses screen
shows. Each public function is one transaction.

Every read takes an :class:`~budget_tui.controller.views.ExpenseFilter` and narrows the rows the
same way (:func:`filtered`). Pages are read by keyset on (date, id) or (amount, id), never by
offset; a search of every month picks its path by how many rows match (:data:`FEW_MATCHES`).
Saving, editing, moving and deleting an expense are :mod:`budget_tui.controller.expenses`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal, cast

from sqlalchemy import Select, func, literal, select, tuple_
from sqlalchemy.orm import Session

from budget_tui.clock import today
from budget_tui.controller import validate
from budget_tui.controller._tx import read_action
from budget_tui.controller.budgets import budget_month
from budget_tui.controller.categories import category_list
from budget_tui.controller.periods import Period
from budget_tui.controller.queries import (
    SEARCH_FROM,
    ascii_ilike,
    cents,
    expenses_t,
    has_search_index,
    indexed_matches,
    spend_by_category,
    unicode_lower,
    view_of,
    view_rows,
)
from budget_tui.controller.views import (
    Cursor,
    ExpenseFilter,
    ExpenseListing,
    ExpensePage,
    ExpenseView,
    Totals,
    flows_of,
)
from budget_tui.db.money import from_cents
from budget_tui.errors import InvalidInput

Sort = Literal["date", "amount"]
MAX_PAGE = 1000


def filtered(session: Session, stmt: Select, flt: ExpenseFilter, *, index: bool = True) -> Select:
    """``stmt`` narrowed to the expenses ``flt`` selects. With ``index``, a search of every month
    on SQLite starts from the trigram index of descriptions where the book has it: the same
    rows, found without reading every row. (A list of a common word's matches in date order is
    quicker to read from the date index, which stops at the end of the page; a search of one
    period reads that period's rows through the date index, which beats fetching every month's
    matches from the trigram index: 4 ms against 50 ms for "pizza" in a month at 1M.)"""
    c = expenses_t.c
    if flt.period is not None:
        stmt = stmt.where(c.occurred_on >= flt.period.start, c.occurred_on < flt.period.end)
    if flt.category_id is not None:
        stmt = stmt.where(c.category_id == flt.category_id)
    if flt.text:
        typed = flt.text.strip()
        needle = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        if typed.isascii():
            stmt = stmt.where(ascii_ilike(c.description, literal(f"%{needle}%")))
            if (
                index
                and flt.period is None
                and len(typed) >= SEARCH_FROM
                and has_search_index(session)
            ):
                stmt = stmt.where(c.id.in_(indexed_matches(typed)))
        else:
            # SQLite's ILIKE folds only ASCII letters ("CAFÉ" would miss "café"); the Unicode
            # lower() costs a Python call per row there, so only non-ASCII searches pay for it.
            # Both sides are lowered by the database: Python's lower() differs from PostgreSQL's
            # for some letters ("İ"), and then a search would miss the very text it shows.
            pattern = unicode_lower(literal(f"%{needle}%"))
            stmt = stmt.where(unicode_lower(c.description).like(pattern, escape="\\"))
    if flt.min_amount is not None:
        stmt = stmt.where(c.amount >= flt.min_amount)
    if flt.max_amount is not None:
        stmt = stmt.where(c.amount <= flt.max_amount)
    return stmt


def _check_filter(flt: ExpenseFilter) -> None:
    if flt.text is not None and len(flt.text) > validate.DESCRIPTION_MAX:
        raise InvalidInput("text", "The search text is too long.")
    for field, value in (("min_amount", flt.min_amount), ("max_amount", flt.max_amount)):
        if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
            raise InvalidInput(field, "The amount limit must be a number.")
        # Limits are bound as cents: more places can't be stored, and a value past the cap
        # would overflow the driver's integer.
        if value is not None and abs(value) > validate.MAX_AMOUNT:
            raise InvalidInput(field, f"The amount limit can be at most {validate.MAX_AMOUNT:,}.")
        if value is not None and value != value.quantize(Decimal("0.01")):
            raise InvalidInput(field, "The amount limit can have at most two decimal places.")
    if (
        flt.min_amount is not None
        and flt.max_amount is not None
        and flt.min_amount > flt.max_amount
    ):
        raise InvalidInput("max_amount", "The largest amount is below the smallest.")


@read_action
def list_expenses(
    session: Session,
    flt: ExpenseFilter | None = None,
    *,
    sort: Sort = "date",
    descending: bool = True,
    after: Cursor | None = None,
    before: Cursor | None = None,
    limit: int = 100,
) -> ExpensePage:
    """One page of expenses, by keyset on (date, id) or (amount, id): no OFFSET, so any page
    costs the same. ``after`` continues past a page's ``next_cursor``; ``before`` goes back
    from a page's ``prev_cursor``. Raises InvalidInput (filter, sort, limit)."""
    flt = flt or ExpenseFilter()
    _check_filter(flt)
    return _page(session, flt, sort, descending, after=after, before=before, limit=limit)


def _page(
    session: Session,
    flt: ExpenseFilter,
    sort: Sort,
    descending: bool,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    limit: int,
    scan: bool = False,
) -> ExpensePage:
    """``scan``: on SQLite, take the matches from the trigram index of descriptions (or, in a
    book without it, from one plain pass over the table), then sort them (see
    :data:`FEW_MATCHES`), instead of walking the table in the list's order through an index."""
    if sort not in ("date", "amount"):
        raise InvalidInput("sort", "Sort by date or by amount.")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("limit", f"A page holds 1 to {MAX_PAGE} rows.")
    c = expenses_t.c
    key = c.occurred_on if sort == "date" else c.amount
    stmt = filtered(session, view_rows(), flt, index=scan)
    backwards = before is not None
    # Reading backwards walks the same order in reverse, then flips the page.
    walk_desc = descending != backwards
    boundary = before if backwards else after
    if boundary is not None:
        # Typed binds: a bare Decimal in a tuple is bound as Numeric, not as the Money column's
        # cents, and the amount sort would compare 10.00 with 1000.
        edge = tuple_(literal(boundary.value, key.type), literal(boundary.id, c.id.type))
        row = tuple_(key, c.id)
        stmt = stmt.where(row < edge if walk_desc else row > edge)
    # As an expression, the key can't be read in order from an index: the table is read once.
    ordered = func.coalesce(key, key) if scan else key
    order = (ordered.desc(), c.id.desc()) if walk_desc else (ordered.asc(), c.id.asc())
    rows = list(session.execute(stmt.order_by(*order).limit(limit + 1)))
    more = len(rows) > limit
    del rows[limit:]
    if backwards:
        rows.reverse()
    items = tuple(view_of(r) for r in rows)

    def cursor(item: ExpenseView) -> Cursor:
        return Cursor(item.occurred_on if sort == "date" else item.amount, item.id)

    if not items:
        return ExpensePage((), None, None)
    has_next = more if not backwards else True
    has_prev = (boundary is not None) if not backwards else more
    return ExpensePage(
        items,
        next_cursor=cursor(items[-1]) if has_next else None,
        prev_cursor=cursor(items[0]) if has_prev else None,
    )


@read_action
def expense_totals(session: Session, flt: ExpenseFilter | None = None) -> Totals:
    """Sum and count of the expenses a filter selects (a SQL aggregate, never rows in Python)."""
    flt = flt or ExpenseFilter()
    _check_filter(flt)
    return _totals(session, flt)


def _totals(
    session: Session, flt: ExpenseFilter, spend: dict[int, tuple[int, int]] | None = None
) -> Totals:
    """``spend``, when given, is :func:`spend_by_category` of ``flt.period``, already read."""
    simple = flt.text is None and flt.min_amount is None and flt.max_amount is None
    if simple:
        # Whole months (all time included) come from the roll-up; only part-months read rows.
        everything = Period(validate.EARLIEST, validate.LATEST + dt.timedelta(days=1))
        if spend is None or flt.period is None:
            spend = spend_by_category(session, flt.period or everything)
        if flt.category_id is not None:
            spend = {k: v for k, v in spend.items() if k == flt.category_id}
        return Totals(
            from_cents(sum(v[0] for v in spend.values())), sum(v[1] for v in spend.values())
        )
    stmt = filtered(session, select(cents(func.sum(expenses_t.c.amount)), func.count()), flt)
    total, count = cast("tuple[int | None, int | None]", session.execute(stmt).one())
    return Totals(from_cents(total), int(count or 0))


def _anchor(session: Session, flt: ExpenseFilter, sort: Sort, expense_id: int) -> Cursor | None:
    """The cursor of expense ``expense_id`` as it is now, or None if the filter doesn't show it."""
    c = expenses_t.c
    key = c.occurred_on if sort == "date" else c.amount
    stmt = filtered(session, select(key).select_from(expenses_t), flt).where(c.id == expense_id)
    value = session.execute(stmt).scalar_one_or_none()
    return None if value is None else Cursor(value, expense_id)


@read_action
def browse_expenses(
    session: Session,
    flt: ExpenseFilter,
    *,
    sort: Sort = "date",
    descending: bool = True,
    around: int | None = None,
    limit: int = 100,
) -> ExpenseListing:
    """What the expense list shows, from one snapshot: a window of rows, the filter's totals and
    every category with its spend in the filter's period (this month without one).

    With ``around`` (an expense id) the window holds that row, half a page above it and a page
    from it down, so a saved or selected row stays in view; when the filter no longer shows it
    (moved to another month, deleted elsewhere), the window is the first page. Continue with
    :func:`list_expenses` from the page's cursors. Raises InvalidInput (filter, sort, limit).
    """
    return _browse(session, flt, sort=sort, descending=descending, around=around, limit=limit)


# A search of every month's descriptions on SQLite. Walking the date index (row by row, in the
# list's order) stops as soon as a page is found: right for a common word (2 ms at 1,000,000
# rows), slow for a rare one, which it must walk to the end (0.37 s). The trigram index gives a
# rare word's few matches at once (4 ms; a book without it reads the table in one pass, 0.14 s),
# to be sorted. The totals, read first (from the trigram index), say which it is.
FEW_MATCHES = 2_000


def _browse(
    session: Session,
    flt: ExpenseFilter,
    *,
    sort: Sort = "date",
    descending: bool = True,
    around: int | None = None,
    limit: int = 100,
) -> ExpenseListing:
    _check_filter(flt)
    period = flt.period or Period.month(today())
    spend = spend_by_category(session, period)
    anchor = None if around is None else _anchor(session, flt, sort, around)
    totals = _totals(session, flt, spend)
    scan = (
        flt.text is not None
        and flt.period is None
        and totals.count <= FEW_MATCHES
        and session.get_bind().dialect.name == "sqlite"
    )
    if anchor is None:
        page = _page(session, flt, sort, descending, limit=limit, scan=scan)
    else:
        above = _page(session, flt, sort, descending, before=anchor, limit=max(1, limit // 2))
        # Ids are integers: one past the anchor's id makes the page below start with the anchor.
        including = Cursor(anchor.value, anchor.id + (1 if descending else -1))
        below = _page(session, flt, sort, descending, after=including, limit=limit)
        page = ExpensePage(above.items + below.items, below.next_cursor, above.prev_cursor)
    listed = category_list(session, spend, budget_month(period))
    upcoming: tuple = ()
    if flt.text is None and Period.month(period.start) == period:
        from budget_tui.controller.schedules import upcoming_entries

        upcoming = tuple(upcoming_entries(session, period))
    return ExpenseListing(
        page=page,
        totals=totals,
        categories=listed,
        anchor_id=None if anchor is None else anchor.id,
        flows=flows_of(listed),
        upcoming=upcoming,
    )


@read_action
def browse_this_month(session: Session, limit: int = 100) -> ExpenseListing:
    """The Expenses screen as it opens: this month, newest first (``browse_expenses`` with no
    filter but the month). Needs no argument, so the app's start-up process can run it on the
    side (:mod:`budget_tui.tui.prefetch`) while the other paints."""
    return _browse(session, ExpenseFilter(period=Period.month(today())), limit=limit)
