"""Per-month roll-up of spend, filled from the expenses already there.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monthly_totals",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("count", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name="fk_monthly_totals_category_id_categories",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("category_id", "month", name="pk_monthly_totals"),
    )
    op.create_index("ix_monthly_totals_month", "monthly_totals", ["month"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        month = "date_trunc('month', occurred_on)::date"
    else:
        month = "date(occurred_on, 'start of month')"
    op.execute(
        "INSERT INTO monthly_totals (category_id, month, total_cents, count) "
        f"SELECT category_id, {month}, SUM(amount), COUNT(*) FROM expenses "
        f"GROUP BY category_id, {month}"
    )


def downgrade() -> None:
    op.drop_table("monthly_totals")
