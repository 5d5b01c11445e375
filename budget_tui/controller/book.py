"""Opening a book: the engine, its schema and the one sessionmaker every action uses."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from budget_tui.controller._tx import Sessions, read_action, translate
from budget_tui.controller.views import BookInfo
from budget_tui.db import engine as db_engine
from budget_tui.db.models import Category, Expense


@dataclass
class Book:
    """An open database: what the TUI, the CLI and the MCP server hand to controller actions."""

    engine: Engine
    sessions: Sessions
    location: str  # the SQLite path or the redacted URL: safe to show
    backend: str
    read_only: bool = False
    # For a Neon -pooler host: the direct host, used for migrations. It carries the password,
    # so it stays out of repr() (tracebacks and test reports print the Book).
    pooled_url: str | None = field(default=None, repr=False)

    def close(self) -> None:
        self.engine.dispose()


def open_book(
    url: str,
    *,
    echo: bool = False,
    read_only: bool = False,
    migrate: bool = True,
) -> Book:
    """Make the engine and (unless ``migrate`` is False) bring the schema to head.

    Raises ConfigError for an unusable URL and DatabaseUnavailable when the database can't be
    reached; nothing here puts the URL's password into a message.
    """
    engine = db_engine.make_engine(url, echo=echo, read_only=read_only)
    book = Book(
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        location=db_engine.describe(url),
        backend=engine.dialect.name,
        read_only=read_only,
        pooled_url=direct_url(url),
    )
    if migrate:
        prepare(book)
    return book


def direct_url(url: str) -> str | None:
    """For a Neon ``-pooler`` host, the same URL on the direct host; otherwise None."""
    parsed = db_engine.parse_url(url)
    if not db_engine.is_pgbouncer_pooler(parsed):
        return None
    host = parsed.host.replace("-pooler.", ".", 1)  # type: ignore[union-attr]
    return parsed.set(host=host).render_as_string(hide_password=False)


def prepare(book: Book) -> None:
    """Connect once and bring the schema to head. Raises DatabaseUnavailable/ConfigError."""
    from budget_tui.db.migrate import HEAD, current_revision, ensure_schema

    try:
        if book.read_only:
            if current_revision(book.engine) != HEAD:
                from budget_tui.errors import ConfigError

                raise ConfigError(
                    "This database has no budget-tui schema yet (or an older one).",
                    hint="Open it once with budget-tui (or run `budget-tui db upgrade`).",
                )
        elif book.pooled_url is not None:
            # PgBouncer in transaction mode can't hold Alembic's session state: migrate directly.
            direct = db_engine.make_engine(book.pooled_url)
            try:
                ensure_schema(direct)
            finally:
                direct.dispose()
        else:
            ensure_schema(book.engine)
    except SQLAlchemyError as exc:
        raise translate(exc, committing=False) from None


@read_action
def info(session: Session) -> BookInfo:
    """Backend, location, schema revision and row counts for ``budget-tui db info``."""
    from budget_tui.db.migrate import current_revision

    bind = session.get_bind()
    return BookInfo(
        backend=bind.dialect.name,
        location=db_engine.describe(bind.url),
        revision=current_revision(bind),  # type: ignore[arg-type]
        categories=session.scalar(select(func.count()).select_from(Category)) or 0,
        expenses=session.scalar(select(func.count()).select_from(Expense)) or 0,
    )
