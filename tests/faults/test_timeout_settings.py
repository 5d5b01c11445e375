"""The timeouts the fault tests rely on are settings a person can change, and are checked."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import make_url

from budget_tui.db import engine as db_engine
from budget_tui.errors import ConfigError


def engine_kwargs(url: str) -> dict[str, Any]:
    """What make_engine would hand to create_engine for a PostgreSQL URL (nothing connects)."""
    return db_engine._postgresql_engine(
        make_url(url), echo=False, read_only=False, create=lambda _url, **kw: kw
    )


def test_defaults_bound_connecting_and_every_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUDGET_TUI_CONNECT_TIMEOUT", raising=False)
    monkeypatch.delenv("BUDGET_TUI_QUERY_TIMEOUT", raising=False)
    args = engine_kwargs("postgresql://me@db.example.com/budget")["connect_args"]
    assert args["connect_timeout"] == 10
    assert args["tcp_user_timeout"] == 60_000
    assert args["keepalives"] == 1
    assert args["connection_factory"].query_timeout == 60.0
    # Server-side limits per transaction (SET LOCAL), never as startup options: poolers refuse those.
    settings = args["connection_factory"].transaction_settings
    assert "SET LOCAL idle_in_transaction_session_timeout = 60000;" in settings
    assert "SET LOCAL lock_timeout = 30000;" in settings
    assert "options" not in args


def test_environment_sets_the_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", "4")
    monkeypatch.setenv("BUDGET_TUI_QUERY_TIMEOUT", "7.5")
    args = engine_kwargs("postgresql://me@db.example.com/budget")["connect_args"]
    assert args["connect_timeout"] == 4
    assert args["tcp_user_timeout"] == 7500
    assert args["connection_factory"].query_timeout == 7.5


def test_zero_turns_the_query_deadline_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_TUI_QUERY_TIMEOUT", "0")
    args = engine_kwargs("postgresql://me@db.example.com/budget")["connect_args"]
    assert "connection_factory" not in args and "tcp_user_timeout" not in args
    assert "options" not in args


def test_libpq_floor_of_two_seconds_and_url_options_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_TUI_CONNECT_TIMEOUT", "0.5")
    url = "postgresql://me@db.example.com/budget?options=-csearch_path%3Dx&tcp_user_timeout=999"
    args = engine_kwargs(url)["connect_args"]
    assert args["connect_timeout"] == 2
    assert "options" not in args and "tcp_user_timeout" not in args  # the URL's own are kept
    assert (
        args["connection_factory"].transaction_settings == ""
    )  # and not overridden per transaction


def test_pgbouncer_pooler_gets_no_startup_options(monkeypatch: pytest.MonkeyPatch) -> None:
    args = engine_kwargs("postgresql://me@ep-x-1-pooler.eu-central-1.aws.neon.tech/db")[
        "connect_args"
    ]
    assert "options" not in args
    assert args["keepalives"] == 1 and "connection_factory" in args


@pytest.mark.parametrize("value", ["soon", "-1", "1e400x", "nan", "inf"])
@pytest.mark.parametrize("name", ["BUDGET_TUI_CONNECT_TIMEOUT", "BUDGET_TUI_QUERY_TIMEOUT"])
def test_a_bad_timeout_setting_is_a_config_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        db_engine.make_engine("postgresql://me@db.example.com/budget")
    assert name in err.value.message
