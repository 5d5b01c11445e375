"""Where the database is, where files live, and how money is written.

The database URL comes from, in order: the ``--db`` flag, ``DATABASE_URL`` in the environment,
``DATABASE_URL`` in ``./.env``, and otherwise an SQLite file in the user data directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from budget_tui.errors import ConfigError

APP_NAME = "budget-tui"


@dataclass(frozen=True)
class Settings:
    url: str
    source: str  # "--db", "environment", ".env" or "default"
    currency: str
    locale: str


def data_dir() -> Path:
    """The per-user data directory (``BUDGET_TUI_DATA_DIR`` overrides it, for tests and demos)."""
    override = os.environ.get("BUDGET_TUI_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    from platformdirs import user_log_path

    override = os.environ.get("BUDGET_TUI_DATA_DIR")
    return Path(override) / "logs" if override else user_log_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The per-user config directory (under ``BUDGET_TUI_DATA_DIR`` when that is set, so tests
    and demos never touch the person's own)."""
    from platformdirs import user_config_path

    override = os.environ.get("BUDGET_TUI_DATA_DIR")
    return Path(override) / "config" if override else user_config_path(APP_NAME, appauthor=False)


def default_url() -> str:
    return f"sqlite:///{data_dir() / 'budget.db'}"


def demo_path() -> Path:
    """The separate demo book (``budget-tui demo`` fills it, ``budget-tui --demo`` opens it)."""
    return data_dir() / "demo.db"


def demo_url() -> str:
    return f"sqlite:///{demo_path()}"


def _from_dotenv(path: Path) -> dict[str, str | None]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return dict(dotenv_values(path))


def database_url(cli_url: str | None = None, *, cwd: Path | None = None) -> tuple[str, str]:
    """The database URL and where it came from (``--db``, ``environment``, ``.env``,
    ``default``); nothing is connected or checked here. ``--db`` may also be the path of an
    SQLite file (what ``budget-tui demo`` prints), as if written ``sqlite:///`` and the path."""
    if cli_url:
        given = cli_url.strip()
        if given and "://" not in given:
            return f"sqlite:///{Path(given).expanduser().absolute()}", "--db"
        return given, "--db"
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"].strip(), "environment"
    dotenv = _from_dotenv((cwd or Path.cwd()) / ".env")
    if dotenv.get("DATABASE_URL"):
        return str(dotenv["DATABASE_URL"]).strip(), ".env"
    return default_url(), "default"


def load_settings(cli_url: str | None = None, *, cwd: Path | None = None) -> Settings:
    """Resolve the database URL and money settings; nothing is connected here.

    Raises ConfigError, naming the variable, for a ``BUDGET_LOCALE`` or ``BUDGET_CURRENCY`` that
    babel does not know: checked here, once, so no screen meets it later as a traceback.
    """
    dotenv = _from_dotenv((cwd or Path.cwd()) / ".env")

    def setting(name: str, default: str) -> str:
        return os.environ.get(name) or dotenv.get(name) or default

    url, source = database_url(cli_url, cwd=cwd)
    return Settings(
        url=url,
        source=source,
        currency=_currency(setting("BUDGET_CURRENCY", "USD")),
        locale=_locale(setting("BUDGET_LOCALE", "en_US")),
    )


def _locale(value: str) -> str:
    """``BUDGET_LOCALE`` as babel names it (``de_DE.UTF-8`` -> ``de_DE``), or ConfigError."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(value.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(
            f"BUDGET_LOCALE is set to {value[:30]!r}, which is not a locale budget-tui knows.",
            hint="Use a name such as en_US, de_DE or fr_FR, or leave it unset.",
        ) from None


def _currency(value: str) -> str:
    """``BUDGET_CURRENCY`` as an ISO 4217 code (``eur`` -> ``EUR``), or ConfigError."""
    from babel.numbers import UnknownCurrencyError, validate_currency

    code = value.strip().upper()
    try:
        validate_currency(code)
    except UnknownCurrencyError:
        raise ConfigError(
            f"BUDGET_CURRENCY is set to {value[:30]!r}, which is not a currency code.",
            hint="Use an ISO 4217 code such as USD, EUR or GBP, or leave it unset.",
        ) from None
    return code
