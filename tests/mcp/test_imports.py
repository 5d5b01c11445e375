"""The MCP SDK is imported only by the MCP server, and the server never pulls in the TUI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def loaded_after_import(module: str) -> set[str]:
    """The modules a fresh interpreter holds after importing ``module``."""
    code = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout))


def _has(loaded: set[str], package: str) -> bool:
    return any(m == package or m.startswith(f"{package}.") for m in loaded)


@pytest.mark.parametrize(
    "module",
    [
        "budget_tui.cli",
        "budget_tui.controller.reports",
        "budget_tui.controller.book",
        "budget_tui.tui.app",
    ],
)
def test_only_the_mcp_server_imports_the_sdk(module: str) -> None:
    assert not _has(loaded_after_import(module), "mcp")


def test_the_mcp_server_does_not_import_the_tui() -> None:
    loaded = loaded_after_import("budget_tui.mcp_server")
    assert _has(loaded, "mcp")
    assert not _has(loaded, "textual")
    assert not _has(loaded, "budget_tui.tui")
