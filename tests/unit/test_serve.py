"""`budget-tui serve` listens on this machine only unless told otherwise, and says so."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_binds_loopback_and_says_so(tmp_path) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "budget_tui", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 20
        page = None
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(0.3)
        assert page is not None, "the server did not answer on 127.0.0.1"
        assert "budget-tui" in page
        listening = subprocess.run(
            ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=False
        ).stdout
        if listening:  # ss is there on Debian; where it is, nothing but loopback may listen
            assert all("127.0.0.1" in line for line in listening.strip().splitlines()), listening
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    assert f"http://127.0.0.1:{port}" in err
    assert "this machine only" in err
