"""What a driver error means, read from its code, once per error, where the engine raises it.

PostgreSQL words its messages in the server's language (``lc_messages``), so its errors are
classified by SQLSTATE (psycopg2's ``pgcode``) and, for constraints, by the constraint's name
(``diag.constraint_name``). SQLite's messages are always English, but its result codes
(``sqlite_errorname``, Python 3.11+) say the same more exactly, so they are used too.

:func:`install` registers one ``handle_error`` listener on an engine (see
:func:`budget_tui.db.engine.make_engine`). It attaches a :class:`Problem` to the driver's
exception and tells SQLAlchemy when the connection is gone, so the pool drops it whatever
language the server speaks. The controller (:func:`budget_tui.controller._tx.translate`) turns
the Problem into the sentence a person reads.

Only one kind of error has no code to read: psycopg2 raises a failed *connect* with libpq's
message alone (no ``pgcode``, even when the server sent one). Those are matched on their text
(:data:`_CONNECT_TEXTS`): the parts libpq words itself follow our process's locale, which is
the C locale (Python never sets LC_MESSAGES), so they are English; a server's refusal at
connect (unknown database or user, wrong password, too many connections) is worded in the
server's language, so a server that is not English gets the general "refused the connection".
"""

from __future__ import annotations

import contextlib
import enum
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext

# Our own client-side deadline's message (budget_tui.db.deadline.TIMEOUT_MESSAGE); repeated here
# so classifying an SQLite error never imports psycopg2.
_DEADLINE_MESSAGE = "the server did not answer within the query timeout"


class Kind(enum.Enum):
    DUPLICATE = "duplicate"  # a unique constraint (``constraint`` names it)
    FOREIGN_KEY = "foreign key"  # a row refers to one that is missing, or is still referred to
    CONSTRAINT = "constraint"  # another integrity rule (check, not null)
    OUT_OF_RANGE = "out of range"  # a number beyond its column (e.g. an id from an MCP client)
    BUSY = "busy"  # a lock held elsewhere: SQLite's file lock, PostgreSQL's lock timeout
    TOO_SLOW = "too slow"  # the server cancelled a statement (statement timeout)
    NO_ANSWER = "no answer"  # our client-side deadline cut a silent connection
    READ_ONLY = "read-only"  # a read-only connection or file refused a write
    DAMAGED = "damaged"  # SQLite: the file is damaged, or not a database at all
    DAMAGED_ON_SERVER = "damaged on server"  # PostgreSQL: data_corrupted / index_corrupted
    DISCONNECTED = "disconnected"  # the connection is gone
    LOGIN_REFUSED = "login refused"
    NO_PASSWORD = "no password"
    NO_DATABASE = "no database"
    TOO_MANY_CONNECTIONS = "too many connections"
    HOST_UNKNOWN = "host unknown"
    NOTHING_LISTENING = "nothing listening"
    CONNECT_TIMEOUT = "connect timeout"
    NO_TLS = "no tls"
    BAD_CERTIFICATE = "bad certificate"
    CONNECT_REFUSED = "connect refused"  # the server refused us at connect, in words we can't read
    CANT_OPEN_FILE = "can't open file"
    OTHER_OPERATIONAL = "operational"  # the database could not do it (disk full, I/O, ...)
    OTHER = "other"


@dataclass(frozen=True)
class Problem:
    kind: Kind
    # The constraint that was violated: its name on PostgreSQL, the column list on SQLite
    # ("categories.name_key"), which names no constraint.
    constraint: str | None = None
    # The server ended the session (or the transaction) itself: a COMMIT sent on it did not run.
    rolled_back: bool = False
    # The connection can't be used any more.
    disconnect: bool = False


_ATTR = "budget_problem"

# SQLSTATE -> what it means. Classes 08 (connection exception) and XX are handled by prefix.
_PG_CODES: dict[str, Problem] = {
    "23505": Problem(Kind.DUPLICATE),
    "23503": Problem(Kind.FOREIGN_KEY),
    "22003": Problem(Kind.OUT_OF_RANGE),  # numeric_value_out_of_range
    "55P03": Problem(Kind.BUSY),  # lock_not_available: lock_timeout, NOWAIT
    "40P01": Problem(Kind.BUSY),  # deadlock_detected: the server rolled this one back
    "40001": Problem(Kind.BUSY),  # serialization_failure
    "57014": Problem(Kind.TOO_SLOW),  # query_canceled: statement_timeout (or a cancel)
    "25006": Problem(Kind.READ_ONLY),  # read_only_sql_transaction
    "28P01": Problem(Kind.LOGIN_REFUSED),  # invalid_password
    "28000": Problem(Kind.LOGIN_REFUSED),  # invalid_authorization_specification
    "3D000": Problem(Kind.NO_DATABASE),  # invalid_catalog_name
    "53300": Problem(Kind.TOO_MANY_CONNECTIONS),
    # The server ends the session: whatever the transaction did is rolled back.
    "57P01": Problem(Kind.DISCONNECTED, rolled_back=True, disconnect=True),  # admin_shutdown
    "57P02": Problem(Kind.DISCONNECTED, rolled_back=True, disconnect=True),  # crash_shutdown
    "57P03": Problem(Kind.DISCONNECTED, rolled_back=True, disconnect=True),  # cannot_connect_now
    "57P04": Problem(Kind.DISCONNECTED, rolled_back=True, disconnect=True),  # database_dropped
    "57P05": Problem(Kind.DISCONNECTED, rolled_back=True, disconnect=True),  # idle_session_timeout
    "25P03": Problem(Kind.DISCONNECTED, rolled_back=True, disconnect=True),  # idle_in_transaction
    "XX001": Problem(Kind.DAMAGED_ON_SERVER),  # data_corrupted
    "XX002": Problem(Kind.DAMAGED_ON_SERVER),  # index_corrupted
}

# SQLite primary result codes (the low byte of the extended code) -> what they mean.
_SQLITE_CODES: dict[str, Problem] = {
    "SQLITE_BUSY": Problem(Kind.BUSY),
    "SQLITE_LOCKED": Problem(Kind.BUSY),
    "SQLITE_CORRUPT": Problem(Kind.DAMAGED),
    "SQLITE_NOTADB": Problem(Kind.DAMAGED),
    "SQLITE_READONLY": Problem(Kind.READ_ONLY),
    "SQLITE_CANTOPEN": Problem(Kind.CANT_OPEN_FILE),
    "SQLITE_FULL": Problem(Kind.OTHER_OPERATIONAL),
    "SQLITE_IOERR": Problem(Kind.OTHER_OPERATIONAL),
}
_SQLITE_CONSTRAINTS = {
    "SQLITE_CONSTRAINT_UNIQUE": Kind.DUPLICATE,
    "SQLITE_CONSTRAINT_PRIMARYKEY": Kind.DUPLICATE,
    "SQLITE_CONSTRAINT_FOREIGNKEY": Kind.FOREIGN_KEY,
}

# Connect-time failures carry no code (see the module docstring): libpq's own words (English in
# our C locale), then an English server's. Order matters: an unknown role is a log-in problem,
# not a missing database, though both say "does not exist".
_CONNECT_TEXTS: tuple[tuple[str, Kind], ...] = (
    ("password authentication failed", Kind.LOGIN_REFUSED),
    ("no password supplied", Kind.NO_PASSWORD),
    ("could not translate host name", Kind.HOST_UNKNOWN),
    ("name or service not known", Kind.HOST_UNKNOWN),
    ("connection refused", Kind.NOTHING_LISTENING),
    ("timeout expired", Kind.CONNECT_TIMEOUT),
    ("server does not support ssl", Kind.NO_TLS),
    ("ssl is not enabled on the server", Kind.NO_TLS),
    ("certificate verify failed", Kind.BAD_CERTIFICATE),
    ('role "', Kind.LOGIN_REFUSED),
    ("does not exist", Kind.NO_DATABASE),
    ("too many connections", Kind.TOO_MANY_CONNECTIONS),
)
# libpq's words for a connection that broke (also in SQLAlchemy's own disconnect check).
_DISCONNECT_TEXTS = (
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
# libpq's prefix for a failed connection attempt ("connection to server at ... failed: ...").
_CONNECT_FAILED = ("connection to server", "could not connect to server")


def install(engine: Engine) -> None:
    """Classify every driver error ``engine`` raises (one listener per engine)."""
    event.listen(engine, "handle_error", _on_error)


def _on_error(ctx: ExceptionContext) -> None:
    problem = classify(ctx.original_exception)
    if problem.disconnect and not ctx.is_disconnect:
        # SQLAlchemy recognises a dropped connection by English text; a German server's
        # "Verbindung wird abgebrochen" (57P01) must drop the connection from the pool too.
        ctx.is_disconnect = True


def problem_of(exc: BaseException) -> Problem:
    """The Problem of a SQLAlchemy error (or of a driver error itself)."""
    orig = getattr(exc, "orig", None)
    return classify(orig if orig is not None else exc)


def classify(error: BaseException) -> Problem:
    """What ``error`` (a driver's exception) means; computed once and kept on the exception."""
    known = getattr(error, _ATTR, None)
    if isinstance(known, Problem):
        return known
    problem = _classify(error)
    with contextlib.suppress(AttributeError, TypeError):  # a type that takes no attributes
        setattr(error, _ATTR, problem)
    return problem


def _classify(error: BaseException) -> Problem:
    name = getattr(error, "sqlite_errorname", None)
    if isinstance(name, str):
        return _sqlite(error, name)
    code = getattr(error, "pgcode", None)
    if isinstance(code, str) and code:
        return _postgresql(error, code)
    return _uncoded(str(error).lower())


def _postgresql(error: BaseException, code: str) -> Problem:
    diag = getattr(error, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    if code in _PG_CODES:
        problem = _PG_CODES[code]
        return Problem(problem.kind, constraint, problem.rolled_back, problem.disconnect)
    if code.startswith("23"):
        return Problem(Kind.CONSTRAINT, constraint)
    if code.startswith("08"):  # connection_exception
        return Problem(Kind.DISCONNECTED, disconnect=True)
    return Problem(Kind.OTHER)


def _sqlite(error: BaseException, name: str) -> Problem:
    if name.startswith("SQLITE_CONSTRAINT"):
        kind = _SQLITE_CONSTRAINTS.get(name, Kind.CONSTRAINT)
        # "UNIQUE constraint failed: categories.name_key": SQLite names the columns, not the
        # constraint; its messages are never translated, so reading them is safe.
        _, _, columns = str(error).partition(" constraint failed: ")
        return Problem(kind, columns.strip() or None)
    primary = name.split("_")[:2]  # SQLITE_BUSY_SNAPSHOT -> SQLITE_BUSY
    return _SQLITE_CODES.get("_".join(primary), Problem(Kind.OTHER))


def _uncoded(text: str) -> Problem:
    """A driver error without a code: a failed connect, a broken link, or our own deadline."""
    if _DEADLINE_MESSAGE in text:
        return Problem(Kind.NO_ANSWER, disconnect=True)
    for needle, kind in _CONNECT_TEXTS:
        if needle in text:
            return Problem(kind)
    if any(s in text for s in _DISCONNECT_TEXTS):
        return Problem(Kind.DISCONNECTED, disconnect=True)
    if any(text.startswith(s) for s in _CONNECT_FAILED):
        return Problem(Kind.CONNECT_REFUSED)
    return Problem(Kind.OTHER)
