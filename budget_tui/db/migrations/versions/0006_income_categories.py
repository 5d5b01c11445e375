"""Income categories: a category is "spending" or "income".

Revision ID: 0006
Revises: 0005

Every existing category becomes a spending category (the server default fills the column, one
statement; no row of ``expenses`` is read, so a book of a million expenses upgrades at once).
Refunds need no schema change: they are expenses with a negative amount (integer cents, signed
already), and the roll-up sums them as they are.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "categories",
        sa.Column("kind", sa.String(10), nullable=False, server_default="spending"),
    )


def downgrade() -> None:
    with op.batch_alter_table("categories") as batch:
        batch.drop_column("kind")
