"""Engine settings per backend, URL checks and the one way a URL is shown. Nothing here needs a
server: engines connect lazily, and SQLite runs on a temp file."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from budget_tui.controller.book import Book, open_book
from budget_tui.db import engine as db_engine
from budget_tui.db.engine import describe, make_engine, redact
from budget_tui.errors import ConfigError, render

SECRET = "s3cr3t-Pa55"
NEON = f"postgresql://alice:{SECRET}@ep-cool-123.eu-central-1.aws.neon.tech/neondb"


def test_redact_hides_the_password_and_keeps_the_rest() -> None:
    shown = redact(f"postgresql://alice:{SECRET}@db.example.com:5433/books?sslmode=require")
    assert SECRET not in shown
    assert shown == "postgresql://alice:***@db.example.com:5433/books?sslmode=require"
    assert redact("postgresql://alice@db/books") == "postgresql://alice@db/books"
    assert redact(f"::::{SECRET}") == "<unreadable database URL>"


def test_describe_is_a_short_safe_label() -> None:
    assert describe("sqlite:////home/a/budget.db") == "/home/a/budget.db"
    shown = describe(f"postgresql://alice:{SECRET}@db.example.com/books?sslmode=verify-full")
    assert shown == "postgresql://alice:***@db.example.com/books"
    assert describe(f"mysql://alice:{SECRET}@h/x") == "<unreadable database URL>"


def test_a_book_never_prints_its_urls_password() -> None:
    book = Book(
        engine=None,  # type: ignore[arg-type]
        sessions=None,  # type: ignore[arg-type]
        location=describe(NEON),
        backend="postgresql",
        migration_url=NEON,
    )
    assert SECRET not in repr(book)


@pytest.mark.parametrize(
    "url",
    [
        f"::::{SECRET}",
        f"postgresql://alice:{SECRET}@host:notaport/db",
        f"postgresql://alice:{SECRET}@[::1/db",
        "",
    ],
)
def test_unreadable_url_is_a_config_error_without_the_url(url: str) -> None:
    with pytest.raises(ConfigError, match="could not be read") as err:
        make_engine(url)
    assert SECRET not in str(err.value)
    assert err.value.hint and "sqlite:///" in err.value.hint
    assert err.value.__cause__ is None


def test_postgres_scheme_is_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError, match="postgres://") as err:
        make_engine(f"postgres://alice:{SECRET}@h/db")
    assert "postgresql://" in (err.value.hint or "")
    assert SECRET not in str(err.value)


@pytest.mark.parametrize("url", [f"mysql://alice:{SECRET}@h/db", "oracle://h/db", "mssql://h/db"])
def test_unknown_backend_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="not supported") as err:
        make_engine(url)
    assert SECRET not in str(err.value)


@pytest.mark.parametrize("url", ["postgresql+asyncpg://u@h/db", "postgresql+pg8000://u@h/db"])
def test_a_driver_that_is_not_installed_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="not installed"):
        make_engine(url)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_sqlite_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="in-memory"):
        make_engine(url)


def test_plain_postgresql_url_uses_psycopg2() -> None:
    engine = make_engine("postgresql://alice@db.example.com/books")
    assert engine.dialect.driver == "psycopg2"


def test_postgresql_pool_settings() -> None:
    engine = make_engine(f"postgresql://alice:{SECRET}@db.example.com/books")
    assert isinstance(engine.pool, QueuePool)
    assert engine.pool.size() == 5
    assert engine.pool._max_overflow == 10
    assert engine.pool._pre_ping is True
    assert engine.hide_parameters is True
    assert engine.pool._recycle == -1  # only Neon recycles


def test_postgresql_connect_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict = {}

    def fake_create(url, **kwargs):
        seen.update(kwargs, url=url)

    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", "7")
    db_engine._postgresql_engine(
        db_engine.parse_url("postgresql://alice@db.example.com/books"),
        echo=False,
        read_only=True,
        create=fake_create,
    )
    assert seen["connect_args"]["connect_timeout"] == 7
    assert seen["connect_args"]["application_name"] == "budget-tui"
    assert seen["execution_options"] == {"postgresql_readonly": True}
    assert (seen["pool_size"], seen["max_overflow"], seen["pool_pre_ping"]) == (5, 10, True)


def test_neon_gets_sslmode_require_and_recycles_before_suspend() -> None:
    engine = make_engine(NEON)
    assert engine.url.query["sslmode"] == "require"
    assert engine.pool._recycle == 240
    assert engine.url.password == SECRET  # the engine needs it; only shown URLs hide it


def test_neon_keeps_a_stronger_sslmode() -> None:
    engine = make_engine(NEON + "?sslmode=verify-full&sslrootcert=system")
    assert engine.url.query["sslmode"] == "verify-full"


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer"])
def test_neon_refuses_weak_sslmode_before_connecting(mode: str) -> None:
    with pytest.raises(ConfigError, match=f"sslmode={mode}") as err:
        make_engine(f"{NEON}?sslmode={mode}")
    assert SECRET not in str(err.value)
    # open_book fails the same way, at once: no DNS lookup, no connection attempt.
    with pytest.raises(ConfigError, match="encrypted"):
        open_book(f"{NEON}?sslmode={mode}")


def test_an_sqlite_file_in_a_missing_folder_is_refused_and_no_folder_made(tmp_path) -> None:
    folder = tmp_path / "mistyped" / "dir"
    with pytest.raises(ConfigError) as err:
        make_engine(f"sqlite:///{folder / 'b.db'}")
    assert render(err.value).text == (
        f"The folder {folder} does not exist. Create it first, or check the path."
    )
    assert not (tmp_path / "mistyped").exists()


def test_an_sqlite_file_below_a_file_names_the_file(tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    with pytest.raises(ConfigError) as err:
        make_engine(f"sqlite:///{notes / 'b.db'}")
    assert render(err.value).text == (
        f"{notes} is a file, not a folder, so there can be no book at {notes / 'b.db'}."
        " Check the path."
    )


def test_the_data_directory_is_the_one_folder_made(tmp_path, monkeypatch) -> None:
    data = tmp_path / "fresh" / "budget-tui"
    monkeypatch.setenv("BUDGET_TUI_DATA_DIR", str(data))
    engine = make_engine(f"sqlite:///{data / 'budget.db'}")
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()
    assert (data / "budget.db").is_file()


def test_sqlite_pragmas_are_in_effect_on_every_connection(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        for _ in range(2):
            with engine.connect() as conn:
                pragma = {
                    name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                    for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
                }
                assert pragma == {
                    "foreign_keys": 1,
                    "journal_mode": "wal",
                    "synchronous": 2,  # FULL
                    "busy_timeout": 5000,
                }
            engine.dispose()  # the second round opens a new connection
        assert (tmp_path / "b.db").exists()
        with engine.connect() as conn:
            folded = conn.exec_driver_sql("SELECT budget_lower('ÉCLAIR Straße'), lower('É')")
            assert folded.one() == (
                "éclair strasse",
                "É",
            )  # casefold; SQLite's lower() is ASCII-only
    finally:
        engine.dispose()


def test_sqlite_transactions_are_real(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        with pytest.raises(RuntimeError), engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("abort")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        engine.dispose()


def test_sqlite_read_only_refuses_a_missing_file(tmp_path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        make_engine(f"sqlite:///{tmp_path / 'missing.db'}", read_only=True)


def test_redact_hides_passwords_given_as_query_options() -> None:
    shown = redact(f"postgresql://alice@db/books?password={SECRET}&sslpassword={SECRET}&x=1")
    assert SECRET not in shown
    assert "x=1" in shown


# What libpq may send at start-up without a transaction-mode pooler (PgBouncer) refusing the
# connection: application_name is the only server parameter; the rest are client-side.
POOLER_SAFE_CONNECT_ARGS = {
    "application_name",
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "connection_factory",
}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://alice@db.example.com/books",
        "postgresql://alice@127.0.0.1:6432/books",  # a PgBouncer that does not say it is one
        "postgresql://alice@ep-cool-123-pooler.eu-central-1.aws.neon.tech/neondb",
    ],
)
def test_no_startup_parameter_a_pooler_refuses(url: str) -> None:
    seen: dict = {}
    db_engine._postgresql_engine(
        db_engine.parse_url(url),
        echo=False,
        read_only=False,
        create=lambda _url, **kwargs: seen.update(kwargs),
    )
    assert set(seen["connect_args"]) <= POOLER_SAFE_CONNECT_ARGS
    # The server-side limits travel inside each transaction instead.
    assert (
        "SET LOCAL lock_timeout" in seen["connect_args"]["connection_factory"].transaction_settings
    )
