"""The app opened on a file that is not a budget book says so and leaves the file as it was; opened
on a path whose folder is missing, it names the folder and makes nothing."""

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
