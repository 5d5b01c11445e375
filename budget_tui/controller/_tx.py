"""One user action, one transaction; database errors translated once, here.

Every public controller function is wrapped by :func:`action`: it opens a session, begins a
transaction, commits when the function returns and rolls back when it raises. Driver errors
become :mod:`budget_tui.errors` kinds whose messages never include the URL, a password,
a bound parameter or a traceback.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable
from typing import Concatenate, Final, ParamSpec, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from budget_tui.controller import integrity
from budget_tui.db.classify import Kind, Problem, problem_of
from budget_tui.errors import (
    BudgetError,
    ConfigError,
    Conflict,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseUnavailable,
    NotFound,
)

P = ParamSpec("P")
R = TypeVar("R")
Sessions = sessionmaker[Session]

log = logging.getLogger("budget_tui.controller")

# The words for each problem a driver error can be (budget_tui.db.classify reads its code).
# Kinds not listed here are worded in translate().
_UNAVAILABLE: dict[Kind, tuple[str, str | None]] = {
    Kind.LOGIN_REFUSED: (
        "The database refused the user name or password.",
        "Check the user and password in DATABASE_URL.",
    ),
    Kind.NO_PASSWORD: (
        "The database asks for a password, and none was given.",
        "Add the password to DATABASE_URL (or .env).",
    ),
    Kind.HOST_UNKNOWN: (
        "The database host name could not be found.",
        "Check the host in DATABASE_URL and your network.",
    ),
    Kind.NOTHING_LISTENING: (
        "Nothing is listening at the database address.",
        "Is the database server running, and is the port right?",
    ),
    Kind.CONNECT_TIMEOUT: (
        "The database server did not answer in time.",
        "It may be asleep (Neon wakes in a few seconds) or unreachable; try again.",
    ),
    Kind.NO_TLS: (
        "This server does not offer TLS (encrypted connections).",
        "Use a server with TLS, or change sslmode if this is a trusted local server.",
    ),
    Kind.BAD_CERTIFICATE: (
        "The database server's TLS certificate could not be verified.",
        "Check sslrootcert, or the host name in DATABASE_URL.",
    ),
    Kind.NO_DATABASE: (
        "The database named in the URL does not exist on the server.",
        "Create it (createdb) or fix the name in DATABASE_URL.",
    ),
    Kind.TOO_MANY_CONNECTIONS: (
        "The database server has no free connections.",
        "Close other clients, or try again in a moment.",
    ),
    Kind.CONNECT_REFUSED: (
        "The database server refused the connection.",
        "Check the user, password and database name in DATABASE_URL.",
    ),
    Kind.CANT_OPEN_FILE: (
        "The SQLite database file could not be opened.",
        "Check that its folder exists and that you may write there.",
    ),
    Kind.NO_ANSWER: (
        "The database stopped answering, so the connection was closed.",
        "Check your network connection, then try again.",
    ),
    Kind.TOO_SLOW: ("The database took too long to answer.", None),
    Kind.DISCONNECTED: ("The connection to the database was lost.", None),
    Kind.OTHER_OPERATIONAL: ("The database could not complete the action.", None),
}

# Unique constraints a person can meet, by PostgreSQL's name and SQLite's column list.
_CATEGORY_NAME_TAKEN = {"uq_categories_name_key", "categories.name_key"}


def _saved(exc: SQLAlchemyError, problem: Problem, *, committing: bool) -> bool | None:
    """False when the action surely was not saved; None when the COMMIT's fate is unknown."""
    if not committing:
        return False
    if problem.rolled_back:
        # The server ended the session itself (57P01 admin shutdown and the like): it had not
        # run the COMMIT it was sent (a commit that completed is answered before any later
        # FATAL), so the transaction was rolled back.
        return False
    orig = getattr(exc, "orig", None)
    if getattr(orig, "pgcode", None) and not getattr(exc, "connection_invalidated", False):
        # PostgreSQL answered the COMMIT with an error: the transaction was rolled back.
        return False
    return None


def _OUT_OF_RANGE() -> NotFound:
    # An id no row can have (beyond the integer column), e.g. from an MCP client.
    return NotFound("That does not exist: a number given is out of range.")


def translate(exc: SQLAlchemyError, *, committing: bool, reading: bool = False) -> BudgetError:
    """The BudgetError a person reads for a database error.

    ``reading`` is True for an action that only reads: its words never speak of saving.

    Reads the driver error's classification (:mod:`budget_tui.db.classify`: SQLSTATE and
    SQLite result codes, attached by the engine's ``handle_error`` listener), never the
    wording of its message, so a server answering in any language reads the same."""
    if isinstance(exc, StaleDataError):
        return Conflict(
            "This was changed or deleted elsewhere since you opened it; nothing was saved.",
            hint="Reload and make your change again.",
        )
    problem = problem_of(exc)
    kind = problem.kind
    saved = _saved(exc, problem, committing=committing)
    if kind is Kind.OUT_OF_RANGE:
        return _OUT_OF_RANGE()
    if kind is Kind.DUPLICATE and problem.constraint in _CATEGORY_NAME_TAKEN:
        return Conflict("A category with that name already exists.")
    if kind is Kind.FOREIGN_KEY:
        return Conflict("That category is in use or no longer exists; nothing was saved.")
    if kind in (Kind.DUPLICATE, Kind.CONSTRAINT) or isinstance(exc, IntegrityError):
        return Conflict("The change clashes with what the database holds; nothing was saved.")
    if kind is Kind.BUSY:
        # A write's outcome ("Nothing was saved; you can try again.") already says what to do;
        # a read, which has no outcome, gets it as the hint.
        again = "Try again in a moment." if reading else None
        if _is_sqlite(exc):
            return DatabaseBusy(
                "The database file is busy: another program is writing to it.",
                saved=False,
                hint=again,
                reading=reading,
            )
        # A lock wait, deadlock or serialization failure: the server rolled the action back.
        return DatabaseBusy(
            "Another change is holding the same entries.",
            saved=False,
            hint=again,
            reading=reading,
        )
    if kind is Kind.READ_ONLY:
        return ConfigError("This connection is read-only; nothing was changed.")
    if kind is Kind.DAMAGED:
        return integrity.damaged_book()
    if kind is Kind.DAMAGED_ON_SERVER:
        return DatabaseDamaged(
            "The database server reports that stored data is damaged"
            + ("." if reading else "; nothing was saved."),
            hint="Tell the server's administrator; the server's log names the table.",
        )
    if kind in _UNAVAILABLE:
        message, hint = _UNAVAILABLE[kind]
        return DatabaseUnavailable(message, saved=saved, hint=hint, reading=reading)
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return DatabaseUnavailable(
            "The connection to the database was lost.", saved=saved, reading=reading
        )
    if isinstance(exc, DBAPIError) and exc.orig is not None and _is_operational(exc):
        return DatabaseUnavailable(
            "The database could not complete the action.", saved=saved, reading=reading
        )
    if reading:
        return BudgetError("The database reported an error.")
    return BudgetError(
        "The database reported an error; nothing was saved."
        if not committing
        else "The database reported an error while saving."
    )


def _is_sqlite(exc: SQLAlchemyError) -> bool:
    return isinstance(getattr(exc, "orig", None), sqlite3.Error)


def _is_operational(exc: DBAPIError) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


# Statements that change data: after one, a lost COMMIT is worth looking up afterwards.
_WRITES = ("INSERT", "UPDATE", "DELETE")


@event.listens_for(Engine, "after_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if conn.dialect.name == "postgresql" and statement.lstrip()[:6].upper() in _WRITES:
        conn.info["budget_wrote"] = True


def _transaction_id(session: Session) -> int | None:
    """The PostgreSQL id of this transaction if it wrote anything (one round trip), else None."""
    conn = session.connection()
    if conn.dialect.name != "postgresql" or not conn.info.pop("budget_wrote", False):
        return None
    # txid_* (not pg_current_xact_id) works on every PostgreSQL from 10 on.
    return conn.exec_driver_sql("SELECT txid_current_if_assigned()").scalar()


def _committed(sessions: Sessions, xid: int) -> bool | None:
    """Ask the server, on a fresh connection, whether transaction ``xid`` committed.

    True/False when the server knows; None when it can't be asked (still unreachable) or the
    transaction is still open on the old, silent connection."""
    try:
        with sessions() as session:
            status = session.execute(text("SELECT txid_status(:xid)"), {"xid": xid}).scalar()
    except (SQLAlchemyError, OSError):
        return None
    if status == "committed":
        return True
    return False if status == "aborted" else None


# Execution option that marks a transaction as read-only work: SQLite then begins it DEFERRED
# (readers never queue behind each other) instead of IMMEDIATE (see budget_tui.db.engine).
READ_ONLY_WORK: Final = "budget_tui_read"


def action(fn: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Sessions, P], R]:
    """Make ``fn(session, ...)`` a public action ``fn(sessions, ...)`` that runs in one transaction.

    When the connection drops during COMMIT on PostgreSQL, the action looks up its own
    transaction on a new connection, so the DatabaseUnavailable it raises says ``saved=True`` or
    ``saved=False`` whenever the server can tell, and ``saved=None`` only when it can't.
    """
    return _transactional(fn, read=False)


def read_action(
    fn: Callable[Concatenate[Session, P], R],
) -> Callable[Concatenate[Sessions, P], R]:
    """Like :func:`action`, for an action that only reads: on SQLite it takes no write lock, so
    the screen's parallel loads (list, totals, categories) don't wait for one another."""
    return _transactional(fn, read=True)


def _transactional(
    fn: Callable[Concatenate[Session, P], R], *, read: bool
) -> Callable[Concatenate[Sessions, P], R]:
    @functools.wraps(fn)
    def run(sessions: Sessions, /, *args: P.args, **kwargs: P.kwargs) -> R:
        committing = False
        xid: int | None = None
        try:
            with sessions() as session:
                with session.begin():
                    if read:
                        session.connection(execution_options={READ_ONLY_WORK: True})
                    integrity.check(session, read=read)
                    result = fn(session, *args, **kwargs)
                    xid = _transaction_id(session)
                    committing = True
                return result
        except BudgetError:
            raise
        except SQLAlchemyError as exc:
            error = translate(exc, committing=committing, reading=read)
            if isinstance(error, DatabaseDamaged):
                integrity.mark_damaged(sessions.kw.get("bind"))
            if isinstance(error, DatabaseUnavailable) and error.saved is None and xid is not None:
                error.saved = _committed(sessions, xid)
            log.warning("%s failed: %s (%s)", fn.__name__, type(exc).__name__, error.message)
            raise error from None
        except OverflowError:  # SQLite's driver refuses an int beyond 64 bits before SQL runs
            raise _OUT_OF_RANGE() from None
        except OSError as exc:  # e.g. a socket error surfacing outside the driver
            log.warning("%s failed: %s", fn.__name__, type(exc).__name__)
            raise DatabaseUnavailable(
                "The connection to the database was lost.",
                saved=None if committing else False,
                reading=read,
            ) from None

    run.__wrapped_action__ = fn  # type: ignore[attr-defined]
    return run
