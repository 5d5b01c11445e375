"""``budget-tui mcp --transport http`` as a real subprocess on a free loopback port, spoken to by
the SDK's Streamable HTTP client: with the token it answers; without it, with a wrong one, or
with a Host outside the allowlist, it refuses and the book is untouched."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx2
import pytest

from budget_tui.controller.book import info
from tests.mcp.conftest import Seeded
from tests.mcp.test_read_tools import READ_TOOLS, WRITE_TOOLS
from tests.mcp.test_stdio import COMMAND, server_env

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "curl", "version": "1"},
    },
}
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COMMAND), *args],
        env={"PATH": os.environ["PATH"], **server_env(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


class Server:
    def __init__(self, url: str, token: str, log: Path) -> None:
        self.url = url
        self.token = token
        self.log = log


@contextmanager
def http_server(url: str, tmp_path: Path, *extra: str) -> Iterator[Server]:
    port = free_port()
    log = tmp_path / "http-server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(COMMAND), "--db", url, "mcp", "--transport", "http", "--port", str(port), *extra],
            env={"PATH": os.environ["PATH"], **server_env(tmp_path)},
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
        token = cli(tmp_path, "mcp", "token").stdout.strip()
        yield Server(f"http://127.0.0.1:{port}/mcp", token, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


@asynccontextmanager
async def client_for(server: Server, token: str | None = None):
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    headers = {"Authorization": f"Bearer {token or server.token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(server.url, http_client=http)) as client,
    ):
        yield client


async def test_with_the_token_an_http_client_reads_and_cannot_write(
    seeded: Seeded, tmp_path: Path
) -> None:
    before = info(seeded.book.sessions)
    with http_server(seeded.url, tmp_path) as server:
        async with client_for(server) as client:
            listed = {t.name for t in (await client.list_tools()).tools}
            found = await client.call_tool("search_expenses", {"text": "rent"})
            write = await client.call_tool(
                "add_expense", {"description": "Sneaky", "amount": "1.00", "category": "Rent"}
            )
    assert listed == READ_TOOLS
    assert not found.is_error, found.content[0].text
    assert found.structured_content["count"] == 3
    assert found.structured_content["total"] == "4500.00"
    assert write.is_error and "Unknown tool" in write.content[0].text
    assert info(seeded.book.sessions) == before
    assert server.token not in server.log.read_text()


async def test_allow_write_over_http_saves_as_the_client(seeded: Seeded, tmp_path: Path) -> None:
    before = info(seeded.book.sessions)
    with http_server(seeded.url, tmp_path, "--allow-write=direct") as server:
        async with client_for(server) as client:
            listed = {t.name for t in (await client.list_tools()).tools}
            saved = await client.call_tool(
                "add_expense", {"description": "Cheese", "amount": "12.30", "category": "groceries"}
            )
    assert listed == READ_TOOLS | WRITE_TOOLS
    assert not saved.is_error, saved.content[0].text
    assert info(seeded.book.sessions).expenses == before.expenses + 1


def test_without_the_right_token_or_host_nothing_is_reached(seeded: Seeded, tmp_path: Path) -> None:
    with http_server(seeded.url, tmp_path, "--allow-write=direct") as server:
        token = server.token
        asked = {
            "no token": {},
            "wrong token": {"Authorization": "Bearer " + "x" * len(token)},
            "token as basic": {"Authorization": f"Basic {token}"},
            "token one short": {"Authorization": f"Bearer {token[:-1]}"},
        }
        for case, headers in asked.items():
            reply = httpx2.post(server.url, json=INITIALIZE, headers={**MCP_HEADERS, **headers})
            assert reply.status_code == 401, case
            assert reply.headers["www-authenticate"].startswith("Bearer")
            assert "mcp-session-id" not in reply.headers, case
            assert token not in reply.text

        good = {**MCP_HEADERS, "Authorization": f"Bearer {token}"}
        port = httpx2.URL(server.url).port
        rebinding = httpx2.post(
            server.url, json=INITIALIZE, headers={**good, "Host": f"evil.example:{port}"}
        )
        assert rebinding.status_code == 421
        foreign = httpx2.post(
            server.url, json=INITIALIZE, headers={**good, "Origin": "http://evil.example"}
        )
        assert foreign.status_code == 403
        welcome = httpx2.post(server.url, json=INITIALIZE, headers=good)
        assert welcome.status_code == 200, welcome.text
        assert "mcp-session-id" in welcome.headers


async def test_a_wrong_token_fails_the_sdk_client(seeded: Seeded, tmp_path: Path) -> None:
    # The SDK words a refused handshake as a generic error; the raw 401 is checked above.
    with http_server(seeded.url, tmp_path) as server, pytest.raises(Exception, match="error"):
        async with client_for(server, token="not-the-token" * 4) as client:
            await client.list_tools()


def test_the_token_is_made_once_owner_only_and_rotates(tmp_path: Path) -> None:
    first = cli(tmp_path, "mcp", "token").stdout.strip()
    again = cli(tmp_path, "mcp", "token").stdout.strip()
    stored = tmp_path / "data" / "config" / "mcp-token"
    assert first == again and len(first) >= 40
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    rotated = cli(tmp_path, "mcp", "token", "--rotate").stdout.strip()
    assert rotated != first
    assert stored.read_text().strip() == rotated
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_a_token_file_others_can_read_is_refused(tmp_path: Path) -> None:
    first = cli(tmp_path, "mcp", "token").stdout.strip()
    stored = tmp_path / "data" / "config" / "mcp-token"
    stored.chmod(0o644)
    done = subprocess.run(
        [str(COMMAND), "mcp", "token"],
        env={"PATH": os.environ["PATH"], **server_env(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert first not in done.stdout + done.stderr
    assert "--rotate" in done.stderr


def test_the_token_compares_only_a_bearer_of_the_same_text() -> None:
    from budget_tui.mcp.token import matches

    token = "a" * 43
    assert matches(token, f"Bearer {token}")
    assert matches(token, f"bearer {token}")
    assert not matches(token, None)
    assert not matches(token, "")
    assert not matches(token, f"Bearer {token}a")
    assert not matches(token, f"Token {token}")
    assert not matches(token, "Bearer ")
