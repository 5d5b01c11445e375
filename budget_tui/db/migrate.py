"""Schema migrations with Alembic, shipped inside the package and applied on start.

:func:`ensure_schema` costs one small query when the schema is already current: Alembic itself is
imported only when there is something to upgrade.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0002"  # kept in step with versions/ by a test


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` in one transaction (data is kept)."""
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_config(conn), revision)


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema if it is not at head. Raises through the caller's translation."""
    try:
        if current_revision(engine) == HEAD:
            return
    except SQLAlchemyError:
        raise
    upgrade(engine)
