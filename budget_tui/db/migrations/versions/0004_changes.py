"""The change log (every change, its source and its rows before and after) and the archive of
undone imports.

Revision ID: 0004
Revises: 0003

On PostgreSQL a trigger NOTIFYs ``budget_tui_changes`` with the new change's id, so an open app
hears of a change made anywhere (another terminal, the CLI, MCP) without polling.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION budget_tui_notify_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('budget_tui_changes', NEW.id::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
_NOTIFY_TRIGGER = """
CREATE TRIGGER changes_notify AFTER INSERT ON changes
FOR EACH ROW EXECUTE FUNCTION budget_tui_notify_change()
"""


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("group_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("summary", sa.String(400), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("reverts", sa.Integer(), nullable=True),
        sa.Column("undone", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["reverts"], ["changes.id"], name="fk_changes_reverts_changes"),
        sa.PrimaryKeyConstraint("id", name="pk_changes"),
    )
    op.create_index("ix_changes_source_id", "changes", ["source", "id"])
    op.create_index("ix_changes_reverts", "changes", ["reverts"])
    op.create_table(
        "archived_expenses",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("import_key", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(
            ["change_id"], ["changes.id"], name="fk_archived_expenses_change_id_changes"
        ),
        sa.PrimaryKeyConstraint("change_id", "id", name="pk_archived_expenses"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_NOTIFY_FUNCTION)
        op.execute(_NOTIFY_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS changes_notify ON changes")
        op.execute("DROP FUNCTION IF EXISTS budget_tui_notify_change()")
    op.drop_table("archived_expenses")
    op.drop_index("ix_changes_reverts", table_name="changes")
    op.drop_index("ix_changes_source_id", table_name="changes")
    op.drop_table("changes")
