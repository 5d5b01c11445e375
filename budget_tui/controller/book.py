"""Opening a book: the engine, its schema and the one sessionmaker every action uses.

Only the app, ``db upgrade`` and commands that write create a book (``create=True``); every
other opening needs one that exists. A file that is not a budget book (another program's SQLite
database, or not SQLite at all) is refused by every opening, before anything connects to it, so
nothing in it is ever changed. Opening reads the schema's revision without the write lock, so it
never waits for a writer; it writes only when the schema needs an upgrade.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from budget_tui.controller._tx import Sessions, read_action, translate
from budget_tui.controller.ledger import clean_source
from budget_tui.controller.views import BookInfo
from budget_tui.db import engine as db_engine
from budget_tui.db.files import SQLITE_SIDE_FILES, check_sqlite_book, no_book
from budget_tui.db.models import Category, Expense
from budget_tui.errors import ConfigError


@dataclass
class Book:
    """An open database: what the TUI, the CLI and the MCP server hand to controller actions."""

    engine: Engine
    sessions: Sessions
    location: str  # the SQLite path or the redacted URL: safe to show
    backend: str
    read_only: bool = False
    # For a Neon -pooler host: the URL of the direct host beside it, where migrations run. It
    # carries the password, so it stays out of repr() (tracebacks and test reports print the Book).
    migration_url: str | None = field(default=None, repr=False)
    path: Path | None = None  # the SQLite file; None on a server

    def files(self) -> tuple[Path, ...]:
        """The files that hold an SQLite book (nothing may be written over them); none on a server."""
        if self.path is None:
            return ()
        return (self.path, *(Path(f"{self.path}{suffix}") for suffix in SQLITE_SIDE_FILES))

    def close(self) -> None:
        self.engine.dispose()

    def wrote(self, change_id: int) -> bool:
        """True when change ``change_id`` was made through this book (this process)."""
        return change_id in self.sessions.kw["info"]["written"]


def open_book(
    url: str,
    *,
    echo: bool = False,
    read_only: bool = False,
    migrate: bool = True,
    create: bool = True,
    source: str = "cli",
) -> Book:
    """Make the engine and (unless ``migrate`` is False) bring the schema to head.

    ``create=False`` (always so when ``read_only``) opens only a book that exists: a missing
    SQLite file or a database without our schema is a ConfigError ("There is no budget book at
    ..."), and no file, folder or table is made. ``source`` is who the book's changes are
    recorded as made by (``tui``, ``cli``, ``import``, ``mcp:<client>``; see the ledger).

    Raises ConfigError for an unusable URL, a missing book (see ``create``) and a file that is
    not a budget book; DatabaseUnavailable when the database can't be reached. Nothing here puts
    the URL's password into a message.
    """
    parsed = db_engine.parse_url(url)
    create = create and not read_only
    path = None
    if parsed.get_backend_name() == "sqlite":
        path = check_sqlite_book(parsed, create=create)
    engine = db_engine.make_engine(url, echo=echo, read_only=read_only, create_dir=create)
    book = Book(
        engine=engine,
        sessions=sessionmaker(
            engine,
            expire_on_commit=False,
            # "written": the ids of the changes this book wrote (see ledger.write_change).
            info={"source": clean_source(source), "written": deque(maxlen=10_000)},
        ),
        location=db_engine.describe(url),
        backend=engine.dialect.name,
        read_only=read_only,
        migration_url=direct_url(url),
        path=path,
    )
    if migrate:
        try:
            prepare(book, create=create)
        except BaseException:
            book.close()
            raise
    return book


def direct_url(url: str) -> str | None:
    """For a Neon ``-pooler`` host, the same URL on the direct host; otherwise None."""
    parsed = db_engine.parse_url(url)
    if not db_engine.is_pgbouncer_pooler(parsed):
        return None
    host = parsed.host.replace("-pooler.", ".", 1)  # type: ignore[union-attr]
    return parsed.set(host=host).render_as_string(hide_password=False)


def prepare(book: Book, *, create: bool = True) -> None:
    """Connect once, read the schema's revision and, when it is behind, bring it to head.

    The read takes no write lock (a writer elsewhere never delays it). Without ``create`` (and
    on a read-only book) a database without our schema is refused; a read-only book must be at
    head already. Raises DatabaseUnavailable/ConfigError.
    """
    from budget_tui.db.migrate import HEAD, current_revision, ensure_schema, refuse_unknown

    # Connecting and reading the revision only read: a command that only reads is told so when
    # the database can't be reached (no word of saving); an upgrade below is a write.
    upgrading = False
    try:
        current = current_revision(book.engine)
        if current == HEAD:
            return
        if current is None and (book.read_only or not create):
            raise no_book(book.location)
        refuse_unknown(current)
        upgrading = True
        if book.read_only:
            raise ConfigError(
                "This book has an older budget-tui schema, and a read-only opening can't upgrade it.",
                hint="Open it once with budget-tui (or run `budget-tui db upgrade`).",
            )
        if book.migration_url is not None:
            # Neon's -pooler: migrate on the direct host beside it, as Neon advises for schema
            # changes. Any other PgBouncer migrates through itself: the upgrade is one
            # transaction with no session state, which transaction pooling carries.
            direct = db_engine.make_engine(book.migration_url)
            try:
                ensure_schema(direct)
            finally:
                direct.dispose()
        else:
            ensure_schema(book.engine)
    except SQLAlchemyError as exc:
        reading = not upgrading and (book.read_only or not create)
        raise translate(exc, committing=False, reading=reading) from None


@read_action
def info(session: Session) -> BookInfo:
    """Backend, location, schema revision and row counts for ``budget-tui db info``."""
    from budget_tui.db.migrate import current_revision

    engine = session.get_bind().engine
    return BookInfo(
        backend=engine.dialect.name,
        location=db_engine.describe(engine.url),
        revision=current_revision(engine),
        categories=session.scalar(select(func.count()).select_from(Category)) or 0,
        expenses=session.scalar(select(func.count()).select_from(Expense)) or 0,
    )
