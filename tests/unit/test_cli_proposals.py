"""``budget-tui proposals``: what an assistant proposed, listed, accepted and rejected from the
command line, on both backends."""

from __future__ import annotations

import json

from budget_tui.controller import history, proposals
from budget_tui.controller.book import open_book
from tests.unit.test_cli_history import run, stored, url  # noqa: F401 (a fixture)


def test_list_accept_and_reject(url: str) -> None:  # noqa: F811
    book = open_book(url)
    try:
        asked = proposals.propose(
            book.sessions,
            "mcp:Claude",
            "add_expense",
            {
                "description": "Cheese",
                "amount": "12.30",
                "date": "2026-03-14",
                "category": "groceries",
            },
        )
        other = proposals.propose(
            book.sessions, "mcp:Claude", "set_budget", {"category": "Groceries", "amount": "500"}
        )
    finally:
        book.close()
    code, out, err = run("--db", url, "proposals")
    assert code == 0, err
    assert "mcp:Claude" in out and "Cheese" in out and "500.00" in out
    code, out, err = run("--db", url, "proposals", "--format", "json")
    assert [p["id"] for p in json.loads(out)] == [other.id, asked.id]

    code, out, err = run("--db", url, "proposals", "accept", str(asked.id))
    assert code == 0, err and out.startswith(f"Accepted #{asked.id}: add 'Cheese'")
    assert [s[0] for s in stored(url)] == ["Cheese"]
    code, out, err = run("--db", url, "proposals", "reject", str(other.id))
    assert code == 0 and out.startswith(f"Rejected #{other.id}")
    code, out, err = run("--db", url, "proposals", "accept", str(other.id))
    assert code == 1 and "rejected already" in err
    code, out, err = run("--db", url, "proposals")
    assert out == "Nothing waits for your OK.\n"
    book = open_book(url)
    try:
        assert history.history_page(book.sessions).changes[0].source == "mcp:Claude"
    finally:
        book.close()


def test_allow_write_takes_a_mode_and_means_propose_alone(monkeypatch, tmp_path) -> None:
    import budget_tui.mcp_server as server

    seen: list[tuple[str, object]] = []
    monkeypatch.setattr(
        server, "run_stdio", lambda _url, **kw: seen.append(("stdio", kw["allow_write"]))
    )
    monkeypatch.setattr(
        server, "run_http", lambda _url, **kw: seen.append(("http", kw["allow_write"]))
    )
    db = f"sqlite:///{tmp_path / 'book.db'}"
    for args in (
        [],
        ["--allow-write"],
        ["--allow-write=direct"],
        ["--allow-write", "propose"],
        ["--allow-write", "--transport", "http"],
        ["--transport", "http", "--allow-write=direct"],
    ):
        code, _out, err = run("--db", db, "mcp", *args)
        assert code == 0, err
    assert seen == [
        ("stdio", False),
        ("stdio", "propose"),
        ("stdio", "direct"),
        ("stdio", "propose"),
        ("http", "propose"),
        ("http", "direct"),
    ]
    code, _out, err = run("--db", db, "mcp", "--allow-write=always")
    assert code == 2 and "always" in err
