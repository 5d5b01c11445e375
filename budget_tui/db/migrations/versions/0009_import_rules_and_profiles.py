"""Import rules and CSV profiles.

Revision ID: 0009
Revises: 0008

``rules``: ordered patterns (contains / starts / regex) that give an imported row its category
and, optionally, a cleaner description. ``import_profiles``: how to read a bank's CSV, found
again by a hash of its header. Two new tables: no existing row is read or changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("match", sa.String(10), nullable=False),
        sa.Column("pattern", sa.String(200), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("rename", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name="fk_rules_category_id_categories",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rules"),
    )
    op.create_index("ix_rules_category_id", "rules", ["category_id"])
    op.create_index("ix_rules_position", "rules", ["position"])
    op.create_table(
        "import_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("name_key", sa.String(50), nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_profiles"),
        sa.UniqueConstraint("name_key", name="uq_import_profiles_name_key"),
    )
    op.create_index("ix_import_profiles_signature", "import_profiles", ["signature"])


def downgrade() -> None:
    op.drop_index("ix_import_profiles_signature", table_name="import_profiles")
    op.drop_table("import_profiles")
    op.drop_index("ix_rules_position", table_name="rules")
    op.drop_index("ix_rules_category_id", table_name="rules")
    op.drop_table("rules")
