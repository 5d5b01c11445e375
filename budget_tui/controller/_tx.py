"""One user action, one transaction; database errors translated once, here.

Every public controller function is wrapped by :func:`action`: it opens a session, begins a
transaction, commits when the function returns and rolls back when it raises. Driver errors
become :mod:`budget_tui.errors` kinds whose messages never include the URL, a password,
a bound parameter or a traceback.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from budget_tui.errors import (
    BudgetError,
    ConfigError,
    Conflict,
    DatabaseBusy,
    DatabaseUnavailable,
    NotFound,
)

P = ParamSpec("P")
R = TypeVar("R")
Sessions = sessionmaker[Session]

log = logging.getLogger("budget_tui.controller")

_CONNECT_PROBLEMS: list[tuple[str, str, str | None]] = [
    (
        "password authentication failed",
        "The database refused the user name or password.",
        "Check the user and password in DATABASE_URL.",
    ),
    (
        "no password supplied",
        "The database asks for a password, and none was given.",
        "Add the password to DATABASE_URL (or .env).",
    ),
    (
        "could not translate host name",
        "The database host name could not be found.",
        "Check the host in DATABASE_URL and your network.",
    ),
    (
        "name or service not known",
        "The database host name could not be found.",
        "Check the host in DATABASE_URL and your network.",
    ),
    (
        "connection refused",
        "Nothing is listening at the database address.",
        "Is the database server running, and is the port right?",
    ),
    (
        "timeout expired",
        "The database server did not answer in time.",
        "It may be asleep (Neon wakes in a few seconds) or unreachable; try again.",
    ),
    (
        "server does not support ssl",
        "This server does not offer TLS (encrypted connections).",
        "Use a server with TLS, or change sslmode if this is a trusted local server.",
    ),
    (
        "ssl is not enabled on the server",
        "This server does not offer TLS (encrypted connections).",
        "Use a server with TLS, or change sslmode if this is a trusted local server.",
    ),
    (
        "certificate verify failed",
        "The database server's TLS certificate could not be verified.",
        "Check sslrootcert, or the host name in DATABASE_URL.",
    ),
    # Before "does not exist": an unknown user is a log-in problem, not a missing database.
    (
        'role "',
        "The database refused the user name or password.",
        "Check the user and password in DATABASE_URL.",
    ),
    (
        "does not exist",
        "The database named in the URL does not exist on the server.",
        "Create it (createdb) or fix the name in DATABASE_URL.",
    ),
    (
        "too many connections",
        "The database server has no free connections.",
        "Close other clients, or try again in a moment.",
    ),
    (
        "unable to open database file",
        "The SQLite database file could not be opened.",
        "Check that its folder exists and that you may write there.",
    ),
    (
        "file is not a database",
        "The file is not an SQLite database, or it is damaged.",
        "Check the path in DATABASE_URL; nothing in the file was changed.",
    ),
    ("read-only transaction", "This connection is read-only; nothing was changed.", None),
    ("readonly database", "This connection is read-only; nothing was changed.", None),
]


def _reason(exc: BaseException) -> str:
    # The driver's own message; used only for matching, never shown (it can quote values).
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).lower()


# A server that says it is terminating the session has not run the COMMIT it was sent (a commit
# that completed is answered before any later FATAL), so the transaction was rolled back.
_ROLLED_BACK_BY_SERVER = (
    "terminating connection due to administrator command",
    "terminating connection due to idle-in-transaction timeout",
    "terminating connection due to idle-session timeout",
    "terminating connection due to conflict with recovery",
    "terminating connection because of crash of another server process",
)


def _saved(exc: SQLAlchemyError, reason: str, *, committing: bool) -> bool | None:
    """False when the action surely was not saved; None when the COMMIT's fate is unknown."""
    if not committing:
        return False
    if any(s in reason for s in _ROLLED_BACK_BY_SERVER):
        return False
    orig = getattr(exc, "orig", None)
    if getattr(orig, "pgcode", None) and not getattr(exc, "connection_invalidated", False):
        # PostgreSQL answered the COMMIT with an error: the transaction was rolled back.
        return False
    return None


def _OUT_OF_RANGE() -> NotFound:
    # An id no row can have (beyond the integer column), e.g. from an MCP client.
    return NotFound("That does not exist: a number given is out of range.")


def translate(exc: SQLAlchemyError, *, committing: bool) -> BudgetError:
    """The BudgetError a person reads for a database error."""
    reason = _reason(exc)
    saved = _saved(exc, reason, committing=committing)
    if isinstance(exc, StaleDataError):
        return Conflict(
            "This was changed or deleted elsewhere since you opened it; nothing was saved.",
            hint="Reload and make your change again.",
        )
    if "out of range for type integer" in reason or "integer out of range" in reason:
        return _OUT_OF_RANGE()
    if isinstance(exc, IntegrityError):
        if "uq_categories_name_key" in reason or "categories.name_key" in reason:
            return Conflict("A category with that name already exists.")
        if "foreign key" in reason:
            return Conflict("That category is in use or no longer exists; nothing was saved.")
        return Conflict("The change clashes with what the database holds; nothing was saved.")
    if "database is locked" in reason or "database table is locked" in reason:
        return DatabaseBusy(
            "The database file is busy: another program is writing to it.",
            saved=False,
            hint="Try again in a moment.",
        )
    if "did not answer within the query timeout" in reason:
        return DatabaseUnavailable(
            "The database stopped answering, so the connection was closed.",
            saved=saved,
            hint="Check your network connection, then try again.",
        )
    if "canceling statement due to lock timeout" in reason:
        return DatabaseBusy(
            "Another change is holding the same entries; nothing was saved.",
            saved=False,
            hint="Try again in a moment.",
        )
    if "canceling statement due to statement timeout" in reason:
        return DatabaseUnavailable("The database took too long to answer.", saved=saved)
    for needle, message, hint in _CONNECT_PROBLEMS:
        if needle in reason:
            kind = ConfigError if "read-only" in message else DatabaseUnavailable
            if kind is ConfigError:
                return ConfigError(message)
            return DatabaseUnavailable(message, saved=saved, hint=hint)
    if isinstance(exc, DBAPIError) and (exc.connection_invalidated or _is_disconnect(reason)):
        return DatabaseUnavailable("The connection to the database was lost.", saved=saved)
    if isinstance(exc, DBAPIError) and exc.orig is not None and _is_operational(exc):
        return DatabaseUnavailable("The database could not complete the action.", saved=saved)
    return BudgetError(
        "The database reported an error; nothing was saved."
        if not committing
        else "The database reported an error while saving."
    )


def _is_disconnect(reason: str) -> bool:
    return any(
        s in reason
        for s in (
            "server closed the connection",
            "terminating connection",
            "connection already closed",
            "could not receive data",
            "could not send data",
            "ssl connection has been closed",
            "connection timed out",
            "eof detected",
            "network",
        )
    )


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
    return {"committed": True, "aborted": False}.get(status)


# Execution option that marks a transaction as read-only work: SQLite then begins it DEFERRED
# (readers never queue behind each other) instead of IMMEDIATE (see budget_tui.db.engine).
READ_ONLY_WORK = "budget_tui_read"


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
                    result = fn(session, *args, **kwargs)
                    xid = _transaction_id(session)
                    committing = True
                return result
        except BudgetError:
            raise
        except SQLAlchemyError as exc:
            error = translate(exc, committing=committing)
            if isinstance(error, DatabaseUnavailable) and error.saved is None and xid is not None:
                error.saved = _committed(sessions, xid)
            log.warning("%s failed: %s (%s)", fn.__name__, type(exc).__name__, error.message)
            raise error from None
        except OverflowError:  # SQLite's driver refuses an int beyond 64 bits before SQL runs
            raise _OUT_OF_RANGE() from None
        except OSError as exc:  # e.g. a socket error surfacing outside the driver
            log.warning("%s failed: %s", fn.__name__, type(exc).__name__)
            raise DatabaseUnavailable(
                "The connection to the database was lost.", saved=None if committing else False
            ) from None

    run.__wrapped_action__ = fn  # type: ignore[attr-defined]
    return run
