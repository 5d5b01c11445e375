"""``budget-tui mcp`` as a real subprocess, spoken to over stdio by the SDK's client, on the demo
book: its answers are the controller's numbers, and without ``--allow-write`` nothing changes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from budget_tui.clock import today
from budget_tui.controller import reports
from budget_tui.controller.book import Book, info
from budget_tui.controller.demo import fill_demo
from budget_tui.controller.periods import Period
from budget_tui.money import plain
from tests.mcp.conftest import Seeded, book_url
from tests.mcp.test_read_tools import READ_TOOLS, WRITE_TOOLS

COMMAND = Path(sys.executable).parent / "budget-tui"


def server_env(tmp_path: Path) -> dict[str, str]:
    return {
        "BUDGET_TUI_TODAY": "2026-03-15",
        "BUDGET_TUI_DATA_DIR": str(tmp_path / "data"),
        "BUDGET_CURRENCY": "USD",
        "BUDGET_LOCALE": "en_US",
    }


def stdio(url: str, tmp_path: Path, *extra: str, url_in_env: bool = False):
    """The transport to a ``budget-tui mcp`` subprocess on ``url``, given by ``--db`` or, as the
    README advises for URLs with a password, by ``DATABASE_URL``."""
    from mcp.client.stdio import StdioServerParameters, stdio_client

    assert COMMAND.exists(), f"{COMMAND} is missing: is budget-tui installed in this venv?"
    env = server_env(tmp_path)
    if url_in_env:
        env["DATABASE_URL"] = url
    params = StdioServerParameters(
        command=str(COMMAND),
        args=["mcp", *extra] if url_in_env else ["--db", url, "mcp", *extra],
        env=env,
        cwd=str(tmp_path),  # no .env of the developer's is read
    )
    errlog = (tmp_path / "server-stderr.log").open("w")
    return stdio_client(params, errlog=errlog), errlog


@pytest.fixture
def demo(book: Book) -> Book:
    fill_demo(book.sessions, 3000, seed=7)
    return book


async def test_the_real_server_answers_with_the_controllers_numbers(
    demo: Book, tmp_path: Path
) -> None:
    from mcp import Client

    before = info(demo.sessions)
    transport, errlog = stdio(book_url(demo), tmp_path, "--echo-sql")
    with errlog:
        async with Client(transport) as client:
            listed = {t.name for t in (await client.list_tools()).tools}
            by_month = await client.call_tool(
                "spending_by_month", {"category": "groceries", "months": 3}
            )
            status = await client.call_tool("budget_status", {"month": "2026-02"})
            write = await client.call_tool(
                "add_expense", {"description": "Sneaky", "amount": "1.00", "category": "Rent"}
            )
    assert listed == READ_TOOLS

    # "How much on Groceries in each of the last three months": the TUI's report figures.
    expected = reports.spend_by_month(
        demo.sessions, Period.last_months(today(), 3), category="Groceries"
    )
    assert not by_month.is_error
    assert [
        (m["month"], m["total"], m["count"]) for m in by_month.structured_content["months"]
    ] == [(m.month.strftime("%Y-%m"), plain(m.total), m.count) for m in expected]
    assert sum(m.count for m in expected) > 0

    budget = reports.budget_vs_actual(demo.sessions, Period.month(today()).shift(-1).start)
    assert not status.is_error
    lines = status.structured_content["lines"]
    assert [(x["category"], x["spent"]) for x in lines] == [
        (line.name, plain(line.spent)) for line in budget.lines
    ]
    assert status.structured_content["total_spent"] == plain(budget.total_spent)

    assert write.is_error and "Unknown tool" in write.content[0].text
    assert info(demo.sessions) == before
    # --echo-sql went to stderr; stdout carried only the protocol (or the calls above would fail).
    assert "SELECT" in (tmp_path / "server-stderr.log").read_text()


async def test_allow_write_lets_the_real_server_save(demo: Book, tmp_path: Path) -> None:
    from mcp import Client

    before = info(demo.sessions)
    transport, errlog = stdio(book_url(demo), tmp_path, "--allow-write=direct", url_in_env=True)
    with errlog:
        async with Client(transport) as client:
            listed = {t.name for t in (await client.list_tools()).tools}
            saved = await client.call_tool(
                "add_expense",
                {"description": "Cheese", "amount": "12.30", "category": "groceries"},
            )
    assert listed == READ_TOOLS | WRITE_TOOLS
    assert not saved.is_error, saved.content[0].text
    assert saved.structured_content["expense"]["date"] == "2026-03-15"
    assert info(demo.sessions).expenses == before.expenses + 1


def test_an_unreachable_database_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://budget_owner:s3cret-Pa55@127.0.0.1:9/ledger"
    done = subprocess.run(
        [str(COMMAND), "--db", url, "mcp"],
        env={"PATH": "/usr/bin:/bin", **server_env(tmp_path)},
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3  # the database failed, nothing was saved (budget_tui.cli)
    assert done.stdout == ""
    assert done.stderr.startswith("Error: Nothing is listening at the database address.")
    assert "s3cret" not in done.stderr and "budget_owner" not in done.stderr


HOSTILE_CALLS = [
    ("list_categories", {"month": "0000-01"}),
    ("list_categories", {"month": "2026-13"}),
    ("list_categories", {"month": "9999-12"}),
    ("list_categories", {"month": "x" * 10_000}),
    ("list_categories", {"month": "2026-01\x00"}),
    ("budget_status", {"month": "0000-01"}),
    ("spending_by_month", {"end_month": "9999-12", "months": 12}),
    ("spending_by_month", {"end_month": "0000-01", "months": 12}),
    ("spending_by_month", {"end_month": "1900-01", "months": 1200}),
    ("spending_by_month", {"months": 0}),
    ("spending_by_month", {"months": -1}),
    ("spending_by_month", {"months": 10**30}),
    ("spending_by_month", {"months": True}),
    ("search_expenses", {"limit": 0}),
    ("search_expenses", {"limit": -5}),
    ("search_expenses", {"limit": 10**30}),
    ("search_expenses", {"limit": 1.5}),
    ("search_expenses", {"limit": True}),
    ("search_expenses", {"text": "x" * 10_000}),
    ("search_expenses", {"text": "a\x00b"}),
    ("search_expenses", {"from": "2026-01-01", "to": "2026-01-31"}),
    ("summarize_spending", {"start": "0000-01-01", "end": "tomorrow"}),
    ("summarize_spending", {"start": "-99999", "end": "+99999"}),
    ("add_expense", {"description": "x" * 10_000, "amount": "1", "category": "Rent"}),
    ("add_expense", {"description": "\x00", "amount": "1", "category": "Rent"}),
    ("add_expense", {"description": "Sneaky", "amount": True, "category": "Rent"}),
    ("add_expense", {"description": "Sneaky", "amount": "1", "category": "Rent", "date": "+99999"}),
    ("update_expense", {"expense_id": 1, "new_amount": "5.00"}),
    ("update_expense", {"expense_id": 10**30}),
    ("delete_expense", {"expense_id": True}),
    ("create_category", {"name": "ß" * 50}),
    ("create_category", {"name": "\x00"}),
]


async def test_hostile_arguments_get_a_reason_and_no_traceback(demo: Book, tmp_path: Path) -> None:
    """Each call is a tool error that says what to fix; stderr (a client's log pane) shows no
    traceback; and the book is unchanged."""
    from mcp import Client

    before = info(demo.sessions)
    transport, errlog = stdio(book_url(demo), tmp_path, "--allow-write=direct", url_in_env=True)
    with errlog:
        async with Client(transport) as client:
            results = [(name, await client.call_tool(name, args)) for name, args in HOSTILE_CALLS]
    for name, result in results:
        assert result.is_error, name
        reason = result.content[0].text.removeprefix(f"Error executing tool {name}: ")
        assert reason != result.content[0].text and len(reason) > 10, (name, reason)
    assert "Traceback" not in (tmp_path / "server-stderr.log").read_text()
    assert info(demo.sessions) == before


def test_a_piped_one_shot_call_gets_its_answer(seeded: Seeded, tmp_path: Path) -> None:
    """A client that writes its requests and closes stdin at once (``printf ... | budget-tui
    mcp``) still reads every answer, and the server then exits by itself."""
    requests = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "shell", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "search_expenses", "arguments": {"text": "rent"}},
        },
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "budget_status", "arguments": {"month": "2026-02"}},
        },
    ]
    done = subprocess.run(
        [str(COMMAND), "--db", seeded.url, "mcp"],
        env={"PATH": "/usr/bin:/bin", **server_env(tmp_path)},
        cwd=tmp_path,
        input="".join(json.dumps(r) + "\n" for r in requests),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    replies = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(replies) == {1, 2, 3}, done.stdout
    found = replies[2]["result"]["structuredContent"]
    assert (found["count"], found["total"]) == (3, "4500.00")
    assert replies[3]["result"]["structuredContent"]["month"] == "2026-02"
