"""Engines for SQLite, PostgreSQL and Neon, and the one way a URL is shown to a person.

:func:`make_engine` checks the URL before anything connects; every problem with it becomes a
:class:`~budget_tui.errors.ConfigError` with one sentence and a hint.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from budget_tui.db import classify
from budget_tui.errors import ConfigError

SQLITE_BUSY_TIMEOUT_S = 5.0
# Defaults; BUDGET_TUI_CONNECT_TIMEOUT and BUDGET_TUI_QUERY_TIMEOUT (seconds) override them when
# an engine is made. libpq counts whole seconds and treats 1 as 2.
PG_CONNECT_TIMEOUT_S = 10
# The longest a single statement, commit or rollback may wait for the server's answer before the
# connection is cut (0 turns the deadline off). See budget_tui.db.deadline.
PG_QUERY_TIMEOUT_S = 60.0
# Neon suspends an idle compute after 5 minutes and drops its connections; recycle before that.
NEON_POOL_RECYCLE_S = 240
WEAK_SSLMODES = {"disable", "allow", "prefer"}


def parse_url(url: str | URL) -> URL:
    """Parse a database URL, or raise ConfigError that does not repeat the URL (it may hold a password)."""
    if isinstance(url, URL):
        return url
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise ConfigError(
            "The database URL could not be read.",
            hint="Use sqlite:///path/to/file.db or postgresql://user:password@host/dbname.",
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgres":
        raise ConfigError(
            "The database URL starts with postgres://, which is not recognised.",
            hint="Write postgresql:// instead.",
        )
    if backend not in {"sqlite", "postgresql"}:
        raise ConfigError(
            f"The database kind {backend!r} is not supported.",
            hint="Use an sqlite:/// or postgresql:// URL.",
        )
    return parsed


def redact(url: str | URL) -> str:
    """The URL as it may be shown: password hidden, query options kept. Never raises."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except Exception:
        return "<unreadable database URL>"
    # libpq also takes a password as a query option (password=, sslpassword=).
    hidden = {k: "hidden" for k in parsed.query if "password" in k.lower()}
    return parsed.update_query_dict(hidden).render_as_string(hide_password=True)


def describe(url: str | URL) -> str:
    """A short label for the header: the SQLite file path, or the redacted server URL."""
    try:
        parsed = parse_url(url)
    except ConfigError:
        return "<unreadable database URL>"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    # The driver is an implementation detail ("postgresql+psycopg2" is what the engine uses).
    return redact(parsed.set(drivername=parsed.get_backend_name(), query={}))


def is_neon(url: URL) -> bool:
    return url.host is not None and url.host.lower().endswith(".neon.tech")


def is_pgbouncer_pooler(url: URL) -> bool:
    """A Neon ``-pooler`` host name: PgBouncer in transaction mode, with a direct host beside it.

    Nothing else depends on knowing a pooler is there: budget-tui keeps no session state, so
    any PgBouncer works without being named (see ``_postgresql_engine``). Other hosts with
    ``-pooler`` in their name are not Neon's, and have no known direct host."""
    return is_neon(url) and "-pooler." in url.host.lower()  # type: ignore[union-attr]


def _neon_url(url: URL) -> URL:
    sslmode = url.query.get("sslmode")
    if isinstance(sslmode, tuple):
        sslmode = sslmode[-1]
    if sslmode is None:
        return url.update_query_dict({"sslmode": "require"})
    if sslmode in WEAK_SSLMODES:
        raise ConfigError(
            f"Neon databases need an encrypted connection, but the URL asks for sslmode={sslmode}.",
            hint="Use sslmode=verify-full&sslrootcert=system (or at least sslmode=require).",
        )
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any, *, read_only: bool = False) -> None:
    # Let SQLAlchemy emit BEGIN itself (pysqlite's own transaction handling is off below).
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA synchronous=FULL")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal" and not read_only:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    # SQLite's own lower() folds only ASCII; searches for non-ASCII text use this one.
    dbapi_conn.create_function("budget_lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: Any) -> Any:
    # casefold, not lower: lower() turns a word-final "Σ" into "ς" but a lone one into "σ", so
    # "AΣ" would not contain "Σ"; casefold gives "σ" for both (and "ss" for "ß" on both sides).
    return value.casefold() if isinstance(value, str) else value


def _sqlite_pragmas_read_only(dbapi_conn: Any, record: Any) -> None:
    # sqlite3.Connection takes no extra attributes, so the read-only flag can't ride on it.
    _sqlite_pragmas(dbapi_conn, record, read_only=True)


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, so a second writer waits up to the busy timeout.
    # A deferred BEGIN reads first and then, when it comes to write, fails at once: SQLite does
    # not wait when upgrading a read transaction (that could deadlock), nor on a stale snapshot.
    # Work that only reads (marked by the controller) begins deferred: WAL readers never block
    # anyone, and taking the write lock for them would queue the screen's parallel loads.
    if conn.get_execution_options().get("budget_tui_read"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_read_only(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(
    url: str | URL, *, echo: bool = False, read_only: bool = False, create_dir: bool = True
) -> Engine:
    """An engine with the settings for its backend. Connects lazily: nothing is opened here.

    ``read_only`` makes the database itself refuse writes: a read-only connection on SQLite,
    read-only transactions on PostgreSQL. ``create_dir`` makes the folder of an SQLite file when
    it is budget-tui's own data directory; no other folder is ever made.

    Raises ConfigError for a URL that can't be used (unparsable, unsupported, missing driver,
    weak TLS on Neon, an SQLite file whose folder does not exist or is a file).
    """
    from sqlalchemy import create_engine

    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            engine = _sqlite_engine(parsed, echo=echo, read_only=read_only, create_dir=create_dir)
        else:
            engine = _postgresql_engine(
                parsed, echo=echo, read_only=read_only, create=create_engine
            )
    except NoSuchModuleError:
        raise ConfigError(
            f"The database driver {parsed.get_driver_name()!r} is not available.",
            hint="Use postgresql:// (psycopg2, installed with budget-tui) or sqlite:///.",
        ) from None
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"The Python package {exc.name!r} needed for this database is not installed.",
            hint="Use postgresql:// (psycopg2, installed with budget-tui) or sqlite:///.",
        ) from None
    classify.install(engine)  # driver errors classified by code, never by their wording
    return engine


def _sqlite_engine(url: URL, *, echo: bool, read_only: bool, create_dir: bool) -> Engine:
    from sqlalchemy import create_engine

    database = url.database or ""
    if database in ("", ":memory:"):
        raise ConfigError(
            "An in-memory SQLite database cannot be used: every connection would see its own empty book.",
            hint="Give a file path, e.g. sqlite:///budget.db.",
        )
    path = Path(database).expanduser()
    target: str | URL
    if read_only:
        if not path.exists():
            raise ConfigError(f"The database file {path} does not exist.")
        target = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
    else:
        if create_dir:
            _ensure_folder(path)
        target = url.set(database=str(path))
    engine = create_engine(
        target,
        echo=echo,
        hide_parameters=True,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
    )
    event.listen(engine, "connect", _sqlite_pragmas_read_only if read_only else _sqlite_pragmas)

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    event.listen(engine, "begin", _sqlite_begin_read_only if read_only else _sqlite_begin)
    return engine


def _ensure_folder(path: Path) -> None:
    """Make the folder of a new book at ``path`` when it is budget-tui's own data directory
    (the first run's book goes there); any other missing folder is refused, never made."""
    # Imported here: files imports this module (parse_url).
    from budget_tui.db.files import folder_problem

    if (problem := folder_problem(path)) is not None:
        raise problem
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise ConfigError(
            f"The folder for the database file, {path.parent}, could not be created.",
            hint="Check the path, and that you may write there.",
        ) from None


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw[:20]!r}.") from None
    if not 0 <= value < 86_400:  # also refuses nan and inf
        raise ConfigError(f"{name} must be a number of seconds from 0 to 86400.")
    return value


def connect_timeout_s() -> int:
    """Seconds to wait for a PostgreSQL server to answer a new connection (at least 2, libpq's floor)."""
    return max(2, round(_seconds("BUDGET_TUI_CONNECT_TIMEOUT", PG_CONNECT_TIMEOUT_S)))


def query_timeout_s() -> float:
    """Seconds one round trip may take before the connection is cut; 0 means no deadline."""
    return _seconds("BUDGET_TUI_QUERY_TIMEOUT", PG_QUERY_TIMEOUT_S)


def _postgresql_engine(url: URL, *, echo: bool, read_only: bool, create: Any) -> Engine:
    if url.drivername == "postgresql":
        # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg (3), which is not a dependency;
        # psycopg2 is the driver budget-tui installs and is tested with.
        url = url.set(drivername="postgresql+psycopg2")
    if url.get_driver_name() not in ("psycopg2", None, ""):
        # Other drivers (psycopg 3, asyncpg, pg8000) are not what this app is tested with.
        pass
    kwargs: dict[str, Any] = {
        "echo": echo,
        "hide_parameters": True,
        "pool_size": 5,
        "max_overflow": 10,
        "pool_pre_ping": True,
        "pool_timeout": 30,
    }
    connect_args: dict[str, Any] = {"application_name": "budget-tui"}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = connect_timeout_s()
    if is_neon(url):
        url = _neon_url(url)
        kwargs["pool_recycle"] = NEON_POOL_RECYCLE_S
    # A silent server must not hang a transaction for ever. The kernel notices a dead peer
    # (keepalives while waiting, tcp_user_timeout for unacknowledged data; both are client-side
    # socket options, so connection poolers are fine); the deadline guard covers a link that
    # still acknowledges packets but never answers.
    timeout = query_timeout_s()
    connect_args.update(
        keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3
    )
    if timeout and "tcp_user_timeout" not in url.query:
        connect_args["tcp_user_timeout"] = int(timeout * 1000)
    # When the client gives up on a silent link, the server may keep our open transaction (and
    # its row locks on the roll-up) for hours; no action sits idle inside a transaction, so the
    # server may end one that does. A save stuck behind another's lock gives up at half the
    # deadline, with "busy" rather than "stopped answering". A URL with its own ``options``
    # takes charge of server settings, and gets none of ours.
    server_side = bool(timeout) and "options" not in url.query
    idle_ms = int(timeout * 1000)
    if timeout and url.get_driver_name() == "psycopg2":
        from budget_tui.db.deadline import connection_factory, transaction_settings

        # Per transaction (SET LOCAL), never per session: see budget_tui.db.deadline. So any
        # PgBouncer, Neon's -pooler or a direct server all work alike, with nothing to detect.
        settings = transaction_settings(idle_ms // 2, idle_ms) if server_side else ""
        connect_args["connection_factory"] = connection_factory(timeout, settings)
    elif server_side and not is_pgbouncer_pooler(url):
        # Another driver: session settings, which a transaction-mode pooler refuses.
        connect_args["options"] = (
            f"-c idle_in_transaction_session_timeout={idle_ms} -c lock_timeout={idle_ms // 2}"
        )
    if read_only:
        kwargs["execution_options"] = {"postgresql_readonly": True}
    kwargs["connect_args"] = connect_args
    return create(url, **kwargs)
