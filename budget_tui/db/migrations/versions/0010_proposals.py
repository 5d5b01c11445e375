"""Proposals: an assistant's writes that wait for the person's OK.

Revision ID: 0010
Revises: 0009

``proposals``: what an MCP client asked to change (tool and arguments as JSON, a one-line
summary), pending until the person accepts or rejects it in the app's Inbox; once accepted it
names the change it became. One new table: no existing row is read or changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("tool", sa.String(50), nullable=False),
        sa.Column("arguments", sa.Text(), nullable=False),
        sa.Column("summary", sa.String(400), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["change_id"], ["changes.id"], name="fk_proposals_change_id_changes"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_proposals"),
    )
    op.create_index("ix_proposals_status_id", "proposals", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_proposals_status_id", table_name="proposals")
    op.drop_table("proposals")
