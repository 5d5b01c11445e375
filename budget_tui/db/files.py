"""Is this file a budget book? Answered from the file itself, before any engine connects to it.

Only the standard library's sqlite3, SQLAlchemy's URL parser and where the data directory is:
the app's start-up asks this before the ORM is imported (:mod:`budget_tui.tui.prefetch`).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from sqlalchemy.engine import URL

from budget_tui.config import data_dir
from budget_tui.db.engine import parse_url
from budget_tui.errors import ConfigError

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every budget book has had since its first revision.
BOOK_TABLES = {"alembic_version", "categories", "expenses"}
# The files SQLite keeps beside a database: its write-ahead log, shared memory and rollback journal.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def check_sqlite_book(url: str | URL, *, create: bool) -> Path | None:
    """Refuse, before anything connects, an SQLite file that is not a budget book; return its path.

    Reads the file only (its header, then its table names through a read-only connection), so
    another program's database is never changed. A missing or empty file is a ConfigError unless
    ``create``; so is a missing file whose folder is missing, and a path through a file (see
    :func:`folder_problem`).
    Returns None for a URL that is not an SQLite file (the engine refuses it).
    """
    parsed = parse_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    path = Path(database).expanduser()
    if path.is_dir():
        raise ConfigError(
            f"{path} is a folder, not a budget book.", hint="Give the path of a file."
        )
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        header = None
    except OSError as exc:
        if isinstance(exc, NotADirectoryError) and (problem := folder_problem(path)) is not None:
            raise problem from None
        raise ConfigError(
            f"The budget book {path} could not be read: {exc.strerror or type(exc).__name__}.",
            hint="Check that you may read it.",
        ) from None
    if not header:  # missing, or empty (SQLite makes an empty file a new database)
        if not create:
            raise no_book(str(path))
        if header is None and (problem := folder_problem(path)) is not None:
            raise problem
        return path
    if header != SQLITE_HEADER:
        raise not_a_book(path, "it is not an SQLite database, or it is damaged")
    tables = _sqlite_tables(path)
    if tables is None or BOOK_TABLES.issubset(tables):
        return path  # a budget book (or one the engine will explain it can't open)
    if tables:
        raise not_a_book(path, "it is an SQLite database of another program")
    if create:
        return path
    raise no_book(str(path))


def _sqlite_tables(path: Path) -> set[str] | None:
    """The names in the file's schema, read without a write lock; None when it can't be read now
    (busy, no access): the engine's own error then explains."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        rows = conn.execute("SELECT name FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            raise not_a_book(path, "it is damaged, or not an SQLite database") from None
        return None
    finally:
        conn.close()
    return {name for (name,) in rows}


def folder_problem(path: Path) -> ConfigError | None:
    """Why there can be no book at ``path`` for want of its folder: a part of the path is a file,
    or the folder does not exist. None when the folder is there, or is budget-tui's own data
    directory, which is made with the first book there.

    Folders are never made for any other path: a mistyped one would be handed an empty new
    book, and its owner would not know why their entries are gone.
    """
    folder = path.parent
    if os.path.isdir(folder):
        return None
    if (words := not_a_folder(folder)) is not None:
        return ConfigError(f"{words}, so there can be no book at {path}.", hint="Check the path.")
    if os.path.lexists(folder) or is_data_dir(folder):
        return None  # ours to make (or something SQLite explains)
    return ConfigError(
        f"The folder {folder} does not exist.", hint="Create it first, or check the path."
    )


def not_a_folder(folder: Path) -> str | None:
    """What is wrong with ``folder`` when a part of it is a file ("notes.txt is a file, not a
    folder"), in words a longer sentence goes on from; None when no part of it is a file."""
    part = _file_in(folder)
    return None if part is None else f"{part} is a file, not a folder"


def _file_in(folder: Path) -> Path | None:
    """The first of ``folder`` and the folders above it, from the root down, that is there but is
    not a folder; None when there is none."""
    for part in (*reversed(folder.parents), folder):
        try:
            mode = os.stat(part).st_mode
        except OSError:
            return None  # missing (and so is all below it), or not ours to look into
        if not stat.S_ISDIR(mode):
            return part
    return None


def is_data_dir(folder: Path) -> bool:
    """True for budget-tui's own data directory, where the default and demo books live."""
    return os.path.abspath(folder) == os.path.abspath(data_dir())


def no_book(location: str) -> ConfigError:
    return ConfigError(
        f"There is no budget book at {location}.",
        hint="Check the path; `budget-tui db upgrade` makes a new book there.",
    )


def not_a_book(path: Path, why: str) -> ConfigError:
    return ConfigError(
        f"{path} is not a budget book: {why}. Nothing in it was changed.",
        hint="Check the path, or give a new file for your book.",
    )
