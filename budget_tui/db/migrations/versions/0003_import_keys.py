"""An import key on expenses: the same imported row is never added twice.

Revision ID: 0003
Revises: 0002

Rows entered by hand (and every row already there) keep NULL, which never clashes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without a default: no table rewrite on either backend.
    op.add_column("expenses", sa.Column("import_key", sa.String(64), nullable=True))
    # Partial: rows entered by hand (NULL) take no entry in it.
    op.create_index(
        "uq_expenses_import_key",
        "expenses",
        ["import_key"],
        unique=True,
        postgresql_where=sa.text("import_key IS NOT NULL"),
        sqlite_where=sa.text("import_key IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_expenses_import_key", table_name="expenses")
    with op.batch_alter_table("expenses") as batch:
        batch.drop_column("import_key")
