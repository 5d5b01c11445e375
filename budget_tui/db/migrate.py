"""Schema migrations with Alembic, shipped inside the package and applied on start.

:func:`ensure_schema` costs one small query when the schema is already current: Alembic itself is
imported only when there is something to upgrade.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from budget_tui.db.revision import HEAD

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


# The execution option that makes SQLite begin a deferred (reading) transaction instead of taking
# the write lock (see budget_tui.db.engine._sqlite_begin; the controller's READ_ONLY_WORK).
_READ = {"budget_tui_read": True}


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for a database without our schema.

    Only reads: on SQLite it takes no write lock, so a long write elsewhere never delays it.
    """
    with engine.connect() as conn:
        conn.execution_options(**_READ)
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` in one transaction (data is kept)."""
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_config(conn), revision)


def known_revisions() -> set[str]:
    """Every schema revision this version of budget-tui ships."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema if it is not at head. Raises through the caller's translation.

    Raises ConfigError for a schema this version does not know (made by a newer budget-tui):
    Alembic could not upgrade it, and downgrading would lose what the newer version stores.
    """
    current = current_revision(engine)  # a read: the write lock is taken only to upgrade
    if current == HEAD:
        return
    refuse_unknown(current)
    upgrade(engine)


def refuse_unknown(current: str | None) -> None:
    """Raise ConfigError when ``current`` is a revision this version does not ship."""
    if current is not None and current not in known_revisions():
        from budget_tui.errors import ConfigError

        raise ConfigError(
            f"This database was set up by a newer budget-tui (schema {current[:20]!r}); "
            f"this version knows schemas up to {HEAD!r}.",
            hint="Upgrade budget-tui to open it.",
        )
