"""Budgets by month, with rollover: a category's budget is no longer one number for all time.

Revision ID: 0007
Revises: 0006

``budgets`` holds a spending category's budget from a month on (until its next row), and whether
what is left at the end of a month carries into the next. Each existing budget becomes one row
from the book's first month (the earliest month of the roll-up; this month in an empty book), so
every month already in the book keeps the budget it showed. Then ``categories.monthly_budget``
goes. Nothing reads ``expenses``: a book of a million expenses upgrades in a few statements.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budgets",
        sa.Column(
            "category_id",
            sa.Integer(),
            sa.ForeignKey(
                "categories.id",
                ondelete="CASCADE",
                name="fk_budgets_category_id_categories",
            ),
            nullable=False,
        ),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("rollover", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("category_id", "month", name="pk_budgets"),
    )
    bind = op.get_bind()
    first = bind.execute(sa.text("SELECT MIN(month) FROM monthly_totals")).scalar()
    if first is None:
        first = dt.date.today().replace(day=1)
    elif not isinstance(first, dt.date):
        first = dt.date.fromisoformat(str(first)[:10])
    bind.execute(
        sa.text(
            "INSERT INTO budgets (category_id, month, amount, rollover) "
            "SELECT id, :first, monthly_budget, :no FROM categories "
            "WHERE monthly_budget IS NOT NULL"
        ).bindparams(sa.bindparam("first", first, sa.Date()), no=False)
    )
    # Both backends drop a plain column in place (SQLite since 3.35): no copy of the table, which
    # the expenses' foreign key would refuse.
    op.execute("ALTER TABLE categories DROP COLUMN monthly_budget")


def downgrade() -> None:
    op.add_column("categories", sa.Column("monthly_budget", sa.BigInteger(), nullable=True))
    # The budget of this month (a downgraded book has one budget for all time).
    bind = op.get_bind()
    this_month = dt.date.today().replace(day=1)
    bind.execute(
        sa.text(
            "UPDATE categories SET monthly_budget = (SELECT b.amount FROM budgets b "
            "WHERE b.category_id = categories.id AND b.month <= :m "
            "ORDER BY b.month DESC LIMIT 1)"
        ).bindparams(sa.bindparam("m", this_month, sa.Date()))
    )
    op.drop_table("budgets")
