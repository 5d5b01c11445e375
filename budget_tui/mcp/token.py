"""The bearer token that guards the MCP server over HTTP.

One token per user, made on first use: 32 random bytes (URL-safe text) in ``mcp-token`` in the
user config dir, readable by its owner only (0600; a file others can read is refused, as ssh
refuses a readable key). ``budget-tui mcp token`` shows it, ``--rotate`` replaces it (every
client then needs the new one). The server never prints it. Requests are checked with
:func:`matches`, in constant time.
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
from pathlib import Path

from budget_tui.config import config_dir
from budget_tui.errors import ConfigError

FILE_NAME = "mcp-token"
_OWNER_ONLY = 0o600


def token_path() -> Path:
    return config_dir() / FILE_NAME


def _write_new(path: Path) -> str:
    """A fresh token, written owner-only to a temporary file and moved into place, so no
    reader ever sees a half-written or world-readable token."""
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _OWNER_ONLY)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(token + "\n")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return token


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        raise ConfigError(
            f"The MCP token file {path} can be read by other users (mode {mode:o}).",
            hint="Make a new one with `budget-tui mcp token --rotate`.",
        )
    token = path.read_text(encoding="ascii").strip()
    if len(token) < 32:
        raise ConfigError(
            f"The MCP token file {path} holds no usable token.",
            hint="Make a new one with `budget-tui mcp token --rotate`.",
        )
    return token


def load_token() -> str:
    """The token, made (and stored owner-only) when there is none yet. Raises ConfigError when
    the stored one is readable by others or unusable."""
    path = token_path()
    if not path.exists():
        return _write_new(path)
    return _read(path)


def rotate_token() -> str:
    """Replace the token with a new one; the old one stops working at the server's next start."""
    return _write_new(token_path())


def matches(expected: str, authorization: str | None) -> bool:
    """Whether an ``Authorization`` header carries ``expected`` as a bearer token, compared in
    constant time (the header's length is all a timing can tell)."""
    if not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())
