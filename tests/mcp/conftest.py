"""A small known book the MCP server opens by URL, and an in-process client for it.

The server gets its own engine on the same file (SQLite) or database (PostgreSQL) as the
``book`` fixture, exactly as ``budget-tui mcp`` would; the fixture's writable book is what the
tests use to check the database afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from budget_tui.controller import categories, expenses
from budget_tui.controller.book import Book, open_book
from tests.conftest import make_book, pg_url

# (description, amount, date, category): today is fixed at 2026-03-15 by the root conftest.
EXPENSES = [
    ("Supermarket", "120.40", "2026-01-05", "Groceries"),
    ("Bakery", "9.60", "2026-01-20", "Groceries"),
    ("Rent", "1500.00", "2026-01-01", "Rent"),
    ("Supermarket", "210.00", "2026-02-03", "Groceries"),
    ("Farmers market", "45.25", "2026-02-28", "Groceries"),
    ("Rent", "1500.00", "2026-02-01", "Rent"),
    ("Flat white", "4.50", "2026-02-14", "Coffee"),
    ("Supermarket", "380.10", "2026-03-02", "Groceries"),
    ("Butcher", "64.90", "2026-03-10", "Groceries"),
    ("Rent", "1500.00", "2026-03-01", "Rent"),
    ("Espresso", "3.20", "2026-03-14", "Coffee"),
    ("Coffee beans", "18.00", "2026-03-15", "Coffee"),
]


@dataclass
class Seeded:
    book: Book  # writable, for looking at the database from the outside
    url: str


def book_url(book: Book) -> str:
    if book.backend == "sqlite":
        return f"sqlite:///{book.location}"
    return pg_url()


def seed(book: Book) -> None:
    # Budgets from before the first expense, so every month of the book has them.
    categories.create_category(book.sessions, "Groceries", "600", month="2025-12")
    categories.create_category(book.sessions, "Rent", "1500", month="2025-12")
    categories.create_category(book.sessions, "Coffee")
    for description, amount, day, category in EXPENSES:
        expenses.create_expense(
            book.sessions,
            description=description,
            amount=amount,
            occurred_on=dt.date.fromisoformat(day),
            category=category,
        )


_seeded_sqlite: Path | None = None


def _seeded_sqlite_file(folder: Path) -> Path:
    """The seeded book on SQLite, written once per test process and copied for each test (the
    seed is fifteen saves, each waiting for the disk)."""
    global _seeded_sqlite
    if _seeded_sqlite is None:
        book = make_book("sqlite", folder)
        try:
            seed(book)
        finally:
            book.close()
        path = folder / "budget.db"
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _seeded_sqlite = path
    return _seeded_sqlite


@pytest.fixture
def seeded(
    backend: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    if backend == "sqlite":
        path = tmp_path / "budget.db"
        shutil.copyfile(_seeded_sqlite_file(tmp_path_factory.mktemp("seeded")), path)
        book = open_book(f"sqlite:///{path}")
    else:
        book = make_book(backend, tmp_path)
        seed(book)
    try:
        yield Seeded(book=book, url=book_url(book))
    finally:
        book.close()


@asynccontextmanager
async def connect(
    url: str,
    *,
    allow_write: bool | str = False,
    read_only: bool | None = None,
    client_name: str | None = None,
):
    """An SDK client talking in-process to a server on its own book at ``url``; it introduces
    itself as ``client_name`` in the handshake when given.

    ``read_only`` defaults to ``not allow_write``, as ``run_stdio`` opens it; giving both lets a
    test put the write tools over a read-only book, to see the database itself refuse.
    """
    from mcp import Client
    from mcp_types import Implementation

    from budget_tui.mcp_server import create_server

    server_book = open_book(
        url, read_only=(not allow_write) if read_only is None else read_only, source="mcp"
    )
    info = None if client_name is None else Implementation(name=client_name, version="1.0")
    try:
        async with Client(
            create_server(server_book, allow_write=allow_write), client_info=info
        ) as client:
            yield client
    finally:
        server_book.close()


class Tools:
    """Calls a tool and hands back its structured result, or its error text."""

    def __init__(self, client: Any) -> None:
        self.client = client

    async def ok(self, tool: str, /, **arguments: Any) -> dict[str, Any]:
        result = await self.client.call_tool(tool, arguments)
        assert not result.is_error, result.content[0].text
        assert result.structured_content is not None
        return result.structured_content

    async def error(self, tool: str, /, **arguments: Any) -> str:
        result = await self.client.call_tool(tool, arguments)
        assert result.is_error, f"{tool} should have failed: {result.structured_content}"
        return result.content[0].text


@asynccontextmanager
async def tools_for(
    url: str,
    *,
    allow_write: bool | str = False,
    read_only: bool | None = None,
    client_name: str | None = None,
) -> AsyncIterator[Tools]:
    async with connect(
        url, allow_write=allow_write, read_only=read_only, client_name=client_name
    ) as client:
        yield Tools(client)
