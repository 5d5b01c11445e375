"""The schema: categories, their budgets by month, expenses, a per-month roll-up of spend, the
change log, and schedules.

Money columns hold integer cents (:class:`~budget_tui.db.money.Money`). The editable tables carry a
version counter, so two terminals editing one row get a Conflict instead of a lost update.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from budget_tui.db.money import Money

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    # casefold(name): makes "Food" and "FOOD" one name on every backend, unicode included.
    name_key: Mapped[str] = mapped_column(String(50), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # "spending" or "income" (migration 0006): income categories hold salary, interest, gifts
    # received; their entries count as income, never as spend.
    kind: Mapped[str] = mapped_column(String(10), default="spending", server_default="spending")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"Category(id={self.id!r}, name={self.name!r})"


class Budget(Base):
    """A spending category's budget from ``month`` on, until the category's next row (migration
    0007). The budget of a month is the row with the latest ``month`` not after it; a NULL
    ``amount`` means no budget from then on. With ``rollover``, what is left at the end of each
    month the row covers (or overspent: negative) is carried into the next month.
    """

    __tablename__ = "budgets"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # first day of the month
    amount: Mapped[Decimal | None] = mapped_column(Money)
    rollover: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Expense(Base):
    __tablename__ = "expenses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Made by the client before the first attempt: a retried save finds its row instead of adding one.
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Imported rows only (NULL for rows entered by hand): a stable key of the row in its file
    # (see budget_tui.controller.imports.row_key), unique, so a row imported again is skipped.
    import_key: Mapped[str | None] = mapped_column(String(64), default=None)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # Keyset pages of the list, newest first.
        Index("ix_expenses_occurred_on_id", "occurred_on", "id"),
        # Covering index: a period's totals by category are read from the index alone.
        Index("ix_expenses_period_totals", "occurred_on", "category_id", "amount"),
        # Unique among imported rows; rows entered by hand (NULL) are not in it at all, so
        # saving them (or a demo fill) costs no index entry.
        Index(
            "uq_expenses_import_key",
            "import_key",
            unique=True,
            postgresql_where=text("import_key IS NOT NULL"),
            sqlite_where=text("import_key IS NOT NULL"),
        ),
        # Text search in every month ("plumber"): a trigram index answers ILIKE '%...%'
        # without reading every row. PostgreSQL only (pg_trgm); see migration 0005.
        Index(
            "ix_expenses_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    def __repr__(self) -> str:
        return f"Expense(id={self.id!r}, {self.occurred_on} {self.description!r} {self.amount})"


class MonthlyTotal(Base):
    """Spend per category per month, kept in step with ``expenses`` inside every write.

    All-time and multi-year figures read this (a few hundred rows) instead of scanning every expense.
    """

    __tablename__ = "monthly_totals"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # first day of the month
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (Index("ix_monthly_totals_month", "month"),)


class Change(Base):
    """One change to the book, written by :mod:`budget_tui.controller.ledger` in the same
    transaction as the change itself.

    ``before``/``after`` are JSON: the rows the change touched as they were and as it left them
    (``{"expenses": {uid: row | null}, "categories": {id: row | null}}``), and for an import or a
    demo fill its ``batch`` (uid prefix and id range) instead of every row. An undo or redo is a
    change too: ``reverts`` names the change it undid or redid; ``undone`` says whether a change
    is undone now.
    """

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(String(100))  # tui | cli | import | mcp:<client> | schedule
    group_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30))  # expense.add, category.delete, import, undo...
    summary: Mapped[str] = mapped_column(String(400))
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    reverts: Mapped[int | None] = mapped_column(ForeignKey("changes.id"), default=None)
    undone: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        # History filtered by source, newest first.
        Index("ix_changes_source_id", "source", "id"),
        Index("ix_changes_reverts", "reverts"),
    )


class ArchivedExpense(Base):
    """The rows of an undone import or demo fill, kept so that a redo can put them back."""

    __tablename__ = "archived_expenses"

    change_id: Mapped[int] = mapped_column(ForeignKey("changes.id"), primary_key=True)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36))
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    category_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)
    import_key: Mapped[str | None] = mapped_column(String(64))


class Schedule(Base):
    """A recurring entry (rent, a subscription, a salary): what, how much, in which category, and
    when (:mod:`budget_tui.controller.cadence` turns the columns into dateutil rrule dates).

    ``unit`` is day, week, month or year, every ``interval`` of them. ``day`` is the weekday
    (0 = Monday) of a weekly schedule, or the day of the month (1-31; -1 for the last day) of a
    monthly one; a day past a month's end falls on its last day. A yearly schedule falls on its
    start's month and day. ``end_on`` and ``count`` (either or neither) end it.

    ``mode`` "post" saves each entry when it falls due; "remind" shows it as due until a person
    posts it. ``posted_through`` is the last due date dealt with (posted or skipped): it only
    moves forward, and is not undone with the schedule's other fields, so an undone posting is
    never posted again. ``next_on`` is the next date still to post (NULL when none is left):
    opening the book asks ``next_on <= today`` of an index, which costs nothing when nothing is
    due. A posted entry's uid is made from (schedule id, date), so the expenses' unique uid
    makes a second posting of one date impossible, whatever runs at the same moment.
    """

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    unit: Mapped[str] = mapped_column(String(5))  # day | week | month | year
    interval: Mapped[int] = mapped_column(Integer, default=1)
    day: Mapped[int | None] = mapped_column(Integer, default=None)
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    count: Mapped[int | None] = mapped_column(Integer, default=None)
    mode: Mapped[str] = mapped_column(String(6), default="post")  # post | remind
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # ISO dates skipped (one occurrence each), comma-separated.
    skipped: Mapped[str] = mapped_column(Text, default="")
    posted_through: Mapped[dt.date | None] = mapped_column(Date, default=None)
    next_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_schedules_next_on", "next_on"),
        # Ids are never reused (SQLite would reuse a deleted last id otherwise): a posted entry's
        # uid is made from its schedule's id, so a new schedule must never take an old one's.
        {"sqlite_autoincrement": True},
    )

    def __repr__(self) -> str:
        return f"Schedule(id={self.id!r}, {self.description!r} every {self.interval} {self.unit})"


class Rule(Base):
    """An import rule: a description that contains / starts with / matches ``pattern`` goes to
    ``category_id`` (and, with ``rename``, is saved as that cleaner description). Rules are tried
    in ``position`` order; the first that matches wins (migration 0009)."""

    __tablename__ = "rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    match: Mapped[str] = mapped_column(String(10))  # contains | starts | regex
    pattern: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    rename: Mapped[str | None] = mapped_column(String(200), default=None)

    __table_args__ = (Index("ix_rules_position", "position"),)


class ImportProfile(Base):
    """How to read one bank's CSV (a :class:`budget_tui.importers.csvfile.CsvMapping` as JSON),
    found again by a hash of the file's header (migration 0009)."""

    __tablename__ = "import_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    name_key: Mapped[str] = mapped_column(String(50), unique=True)
    signature: Mapped[str] = mapped_column(String(64), index=True)
    settings: Mapped[str] = mapped_column(Text)


class Proposal(Base):
    """A change an assistant asked for (an MCP write tool in propose mode) that waits for the
    person's OK in the app's Inbox (migration 0010). ``arguments`` is the tool's call as JSON,
    already checked; ``summary`` says in one line what it would change; ``change_id`` is the
    change it became once accepted. Written only by :mod:`budget_tui.controller.ledger`."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(String(100))  # mcp:<client>
    tool: Mapped[str] = mapped_column(String(50))
    arguments: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|accepted|rejected
    change_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id"), default=None)

    __table_args__ = (Index("ix_proposals_status_id", "status", "id"),)
