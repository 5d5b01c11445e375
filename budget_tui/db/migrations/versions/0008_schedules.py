"""Schedules: recurring entries that post themselves (or remind) when they fall due.

Revision ID: 0008
Revises: 0007

A new table only; no existing row is read or changed. A posted entry is an ordinary expense
whose uid is derived from (schedule id, due date), so the existing unique index on
``expenses.uid`` already makes a second posting of one date impossible.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(5), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(6), nullable=False),
        sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("skipped", sa.Text(), nullable=False),
        sa.Column("posted_through", sa.Date(), nullable=True),
        sa.Column("next_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name="fk_schedules_category_id_categories",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_schedules"),
        # Ids are never reused: a posted entry's uid is made from its schedule's id.
        sqlite_autoincrement=True,
    )
    op.create_index("ix_schedules_category_id", "schedules", ["category_id"])
    op.create_index("ix_schedules_next_on", "schedules", ["next_on"])


def downgrade() -> None:
    op.drop_index("ix_schedules_next_on", table_name="schedules")
    op.drop_index("ix_schedules_category_id", table_name="schedules")
    op.drop_table("schedules")
