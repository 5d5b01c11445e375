"""The app opened on a file that is not a budget book says so and leaves the file as it was; opened
on a path whose folder is missing, it names the folder and makes nothing. Quit without its book,
it ends with return code 1."""

from __future__ import annotations

import hashlib
import sqlite3

from textual.widgets import Static

from budget_tui.tui.screens.connecting import ConnectingScreen
from tests.tui.helpers import make_app, settle


async def test_another_programs_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)")
    conn.commit()
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    app = make_app(f"sqlite:///{path}")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectingScreen)
        text = str(app.screen.query_one("#connecting-message", Static).render())
        assert "is not a budget book" in text and "Nothing in it was changed." in text
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before
    assert [p.name for p in tmp_path.iterdir()] == ["photos.db"]


async def test_a_missing_folder_is_named_and_not_made(tmp_path):
    folder = tmp_path / "mistyped" / "dir"
    app = make_app(f"sqlite:///{folder / 'x.db'}")
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectingScreen)
        text = str(app.screen.query_one("#connecting-message", Static).render())
        assert "Could not open" in text
        assert f"The folder {folder} does not exist. Create it first, or check the path." in text, (
            text
        )
    assert list(tmp_path.iterdir()) == []


async def test_quitting_without_the_book_ends_with_return_code_1(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'mistyped' / 'x.db'}")
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectingScreen) and app.book is None
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1


async def test_a_retry_that_opens_the_book_quits_with_return_code_0(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'later' / 'x.db'}")
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectingScreen)
        (tmp_path / "later").mkdir()  # the person makes the folder, and tries again
        await pilot.press("r")
        await settle(pilot)
        assert app.book is not None
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
