"""The layers stay clean: each check imports a module in a fresh interpreter and inspects sys.modules."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_after_import(module: str) -> set[str]:
    code = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout))


CONTROLLER_MODULES = [
    "budget_tui.controller.categories",
    "budget_tui.controller.expenses",
    "budget_tui.controller.expense_list",
    "budget_tui.controller.reports",
    "budget_tui.controller.imports",
    "budget_tui.controller.file_import",
    "budget_tui.controller.rules",
    "budget_tui.importers.csvfile",
    "budget_tui.importers.statements",
    "budget_tui.controller.export",
    "budget_tui.controller.demo",
    "budget_tui.controller.book",
    "budget_tui.controller.ledger",
    "budget_tui.controller.history",
    "budget_tui.controller.watch",
    "budget_tui.controller.schedules",
    "budget_tui.controller.cadence",
]


def test_controller_never_imports_textual() -> None:
    """One interpreter imports the modules one after another and notes the first after which
    Textual is loaded: none may load it, so importing them all together loads it only if one does."""
    code = (
        "import json, sys\n"
        "for name in sys.argv[1:]:\n"
        "    __import__(name)\n"
        "    if any(m == 'textual' or m.startswith('textual.') for m in sys.modules):\n"
        "        print(json.dumps(name)); break\n"
        "else:\n"
        "    print(json.dumps(None))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *CONTROLLER_MODULES],
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(out.stdout) is None, f"importing {json.loads(out.stdout)} loads textual"


def test_package_import_is_light() -> None:
    loaded = loaded_after_import("budget_tui")
    assert "textual" not in loaded
    assert "sqlalchemy.orm" not in loaded


def test_cli_import_defers_heavy_modules() -> None:
    loaded = loaded_after_import("budget_tui.cli")
    for heavy in ("textual", "sqlalchemy", "alembic", "mcp"):
        assert heavy not in loaded, heavy


def test_tui_does_not_build_queries() -> None:
    """The TUI's own source never imports sqlalchemy; it calls controller actions."""
    import re
    from pathlib import Path

    import budget_tui.tui as tui

    importing = re.compile(r"^\s*(from|import)\s+sqlalchemy", re.MULTILINE)
    offenders = [
        str(path)
        for path in Path(tui.__file__).parent.rglob("*.py")
        if importing.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_controller_is_the_only_layer_that_opens_sessions() -> None:
    from pathlib import Path

    import budget_tui

    root = Path(budget_tui.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if (
            "sessionmaker(" in path.read_text(encoding="utf-8")
            or ".begin()" in path.read_text(encoding="utf-8")
        )
        and path.relative_to(root).parts[0] not in ("controller", "db")
    ]
    assert offenders == []


def test_no_legacy_query_api() -> None:
    from pathlib import Path

    import budget_tui

    root = Path(budget_tui.__file__).parent
    assert [
        p for p in root.rglob("*.py") if "session.query(" in p.read_text(encoding="utf-8")
    ] == []
