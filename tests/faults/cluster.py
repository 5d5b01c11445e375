"""A throwaway PostgreSQL cluster for tests that must restart a server or change its TLS setup.

The shared test server is never restarted; these tests start their own (initdb into a temp
dir, pg_ctl on a free port, unix socket in the same dir) and stop it at the end::

    with ThrowawayCluster(ssl=True) as cluster:
        url = cluster.url(sslmode="require")
        cluster.restart()

The cluster lives in its own temp dir (not pytest's ``tmp_path``: a concurrent pytest run may prune
old base temp dirs), which is removed on stop. The postmaster's pid is kept, so even if its data
dir vanished it is still stopped. When the tests run as root, the server runs as the
``postgres`` user (PostgreSQL refuses root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN_DIRS = [
    os.environ.get("PG_BIN", ""),
    "/usr/lib/postgresql/17/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/15/bin",
]
START_TIMEOUT_S = 30


def pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    for d in PG_BIN_DIRS:
        if d and (Path(d) / "initdb").exists():
            return Path(d)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``localhost``/127.0.0.1 and its key (openssl)."""
    cert, key = directory / "server.crt", directory / "server.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-new",
            "-x509",
            "-days",
            "2",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    key.chmod(0o600)
    return cert, key


class ThrowawayCluster:
    """A private PostgreSQL server in ``base`` (trust auth, user ``postgres``)."""

    def __init__(self, *, ssl: bool = False) -> None:
        bindir = pg_bin()
        if bindir is None:
            raise RuntimeError("initdb not found: install PostgreSQL server binaries or set PG_BIN")
        self.bin = bindir
        self.base = Path(tempfile.mkdtemp(prefix="budget-pg-"))
        self.pid: int | None = None
        self.data = self.base / "data"
        self.ssl = ssl
        self.port = free_port()
        self.cert: Path | None = None
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str, timeout: float = START_TIMEOUT_S) -> None:
        cmd = list(args)
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)

    def start(self) -> ThrowawayCluster:
        if self._as_postgres:
            entry = pwd.getpwnam("postgres")
            for p in (self.base, *self.base.parents):
                if p == Path("/"):
                    break
                # The server must reach its data dir: let it traverse the temp path.
                p.chmod(p.stat().st_mode | 0o111)
            shutil.chown(self.base, entry.pw_uid, entry.pw_gid)
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            timeout=120,
        )
        settings = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.base}'",
            "fsync = off",
            "max_connections = 30",
            "shared_buffers = 16MB",
        ]
        if self.ssl:
            self.cert, key = make_certificate(self.base)
            if self._as_postgres:
                entry = pwd.getpwnam("postgres")
                for f in (self.cert, key):
                    shutil.chown(f, entry.pw_uid, entry.pw_gid)
            settings += ["ssl = on", f"ssl_cert_file = '{self.cert}'", f"ssl_key_file = '{key}'"]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(settings) + "\n")
        self._pg_ctl("start")
        self._remember_pid()
        return self

    def _remember_pid(self) -> None:
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def _pg_ctl(self, what: str) -> None:
        args = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", str(START_TIMEOUT_S)]
        if what != "stop":
            args += ["-l", str(self.base / "server.log")]
        else:
            args += ["-m", "fast"]
        self._run(*args, what)

    def restart(self) -> None:
        """Stop (fast: connections are cut) and start again on the same port."""
        self._pg_ctl("restart")
        self._remember_pid()

    def stop(self) -> None:
        """Stop the server (fast shutdown, then SIGKILL after 30 s) and remove its directory."""
        try:
            if self.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGINT)  # PostgreSQL's fast shutdown
                    deadline = time.monotonic() + START_TIMEOUT_S
                    while time.monotonic() < deadline:
                        os.kill(self.pid, 0)
                        time.sleep(0.1)
                    os.kill(self.pid, signal.SIGKILL)
                self.pid = None
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres", **query: str) -> str:
        params = "&".join(f"{k}={v}" for k, v in query.items())
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}" + (
            f"?{params}" if params else ""
        )

    def __enter__(self) -> ThrowawayCluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
