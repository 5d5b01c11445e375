"""A trigram index on expense descriptions (SQLite): a search of every month finds its rows in
the index instead of reading every row (what 0005 gave PostgreSQL).

Revision ID: 0011
Revises: 0010

``expenses_search`` is an FTS5 table with the trigram tokenizer over ``expenses.description``
(external content: it holds the index only; the text stays in ``expenses``). Three triggers
keep it in step with every insert, delete and change of a description, in the same
transaction. The search reads it as a first cut (``expenses_search MATCH '"pizza"'``, any case)
and then applies its own LIKE to what it found, so the rows found are exactly those a full read
would find. Needles under three characters (or with letters beyond ASCII) still read every row.

Where SQLite lacks FTS5 or the trigram tokenizer (older than 3.34) nothing is created and the
search reads every row, as before. PostgreSQL gets nothing here: it has its GIN index (0005).
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

log = logging.getLogger("budget_tui.migrate")

TRIGGERS = (
    # Named in budget_tui.controller.bulk (SEARCH_INSERT_TRIGGER): a large load drops the insert
    # trigger and indexes its rows in one statement instead.
    """CREATE TRIGGER expenses_search_insert AFTER INSERT ON expenses BEGIN
        INSERT INTO expenses_search (rowid, description) VALUES (new.id, new.description);
    END""",
    """CREATE TRIGGER expenses_search_delete AFTER DELETE ON expenses BEGIN
        INSERT INTO expenses_search (expenses_search, rowid, description)
        VALUES ('delete', old.id, old.description);
    END""",
    """CREATE TRIGGER expenses_search_update AFTER UPDATE OF description ON expenses BEGIN
        INSERT INTO expenses_search (expenses_search, rowid, description)
        VALUES ('delete', old.id, old.description);
        INSERT INTO expenses_search (rowid, description) VALUES (new.id, new.description);
    END""",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    try:
        with bind.begin_nested():
            bind.execute(
                sa.text(
                    "CREATE VIRTUAL TABLE expenses_search USING fts5(description, "
                    "content='expenses', content_rowid='id', tokenize='trigram')"
                )
            )
    except sa.exc.OperationalError:
        log.warning("SQLite has no FTS5 trigram tokenizer; text search will read every row")
        return
    for trigger in TRIGGERS:
        bind.execute(sa.text(trigger))
    # The rows already there (a million take a few seconds).
    bind.execute(sa.text("INSERT INTO expenses_search (expenses_search) VALUES ('rebuild')"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS expenses_search_{name}")
    op.execute("DROP TABLE IF EXISTS expenses_search")
