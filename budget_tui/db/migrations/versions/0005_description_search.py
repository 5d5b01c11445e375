"""A trigram index on expense descriptions (PostgreSQL): a search of every month is an index
look-up, not a read of every row.

Revision ID: 0005
Revises: 0004

pg_trgm is a trusted extension (PostgreSQL 13+), so the database's owner can create it; Neon
offers it too. Where it can't be created (an older server, no privilege) the search still works,
reading every row; nothing else depends on the index. SQLite gets nothing: it has no index for
"contains" (see docs/performance.md for what a search costs there).
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

log = logging.getLogger("budget_tui.migrate")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            # The operator class lives in the extension's schema, which need not be on the
            # search path (a book in its own schema, an extension made earlier in public).
            schema = bind.scalar(
                sa.text(
                    "SELECT extnamespace::regnamespace::text FROM pg_extension "
                    "WHERE extname = 'pg_trgm'"
                )
            )
            op.create_index(
                "ix_expenses_description_trgm",
                "expenses",
                ["description"],
                postgresql_using="gin",
                postgresql_ops={"description": f"{schema}.gin_trgm_ops"},
            )
    except sa.exc.DBAPIError:
        log.warning("pg_trgm is not available; text search will read every row")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_expenses_description_trgm")
