"""A private PgBouncer in transaction mode, in front of the test database, for pooler tests.

The tests start their own (a config in a temp dir, a free loopback port) and stop it at the end::

    with PgBouncer(TEST_DATABASE_URL) as bouncer:
        book = open_book(bouncer.url())

It runs in the foreground as a child of the test process, so ``stop()`` ends exactly that
process. PgBouncer refuses to run as root: when the tests run as root it is started with
``-u postgres`` (it drops to that user at once), and its temp dir belongs to that user.
Authentication is ``trust`` towards the client; towards the server PgBouncer uses the user (and
password, if the test URL has one) from the test URL, written into the private config file.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
from sqlalchemy.engine import make_url

from tests.faults.cluster import free_port

START_TIMEOUT_S = 15.0
SBIN_DIRS = ["/usr/sbin", "/usr/local/sbin", "/usr/bin"]


def pgbouncer_binary() -> str | None:
    """The pgbouncer program, or None when it is not installed (Debian puts it in /usr/sbin)."""
    found = shutil.which("pgbouncer")
    if found:
        return found
    for d in SBIN_DIRS:
        if (Path(d) / "pgbouncer").exists():
            return str(Path(d) / "pgbouncer")
    return None


def _quote(value: str) -> str:
    # pgbouncer.ini's connection strings take libpq-style single-quoted values.
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class PgBouncer:
    """PgBouncer (``pool_mode = transaction``) on 127.0.0.1, forwarding to ``target_url``'s database."""

    def __init__(self, target_url: str, *, pool_size: int = 4) -> None:
        binary = pgbouncer_binary()
        if binary is None:
            raise RuntimeError("pgbouncer is not installed (apt-get install -y pgbouncer)")
        self.binary = binary
        self.target = make_url(target_url)
        self.pool_size = pool_size
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="budget-pgbouncer-"))
        self.process: subprocess.Popen[bytes] | None = None
        self._as_postgres = os.geteuid() == 0

    @property
    def log(self) -> Path:
        return self.base / "pgbouncer.log"

    def _write_config(self) -> Path:
        t = self.target
        user = t.username or "postgres"
        server = [
            f"host={t.host or '127.0.0.1'}",
            f"port={t.port or 5432}",
            f"dbname={t.database}",
            f"user={user}",
        ]
        if t.password:
            server.append(f"password={_quote(str(t.password))}")
        (self.base / "userlist.txt").write_text(f'"{user}" ""\n')
        ini = self.base / "pgbouncer.ini"
        ini.write_text(
            "\n".join(
                [
                    "[databases]",
                    f"{t.database} = {' '.join(server)}",
                    "",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    f"listen_port = {self.port}",
                    "unix_socket_dir =",
                    "auth_type = trust",
                    f"auth_file = {self.base / 'userlist.txt'}",
                    "pool_mode = transaction",
                    f"default_pool_size = {self.pool_size}",
                    "max_client_conn = 200",
                    f"logfile = {self.log}",
                    # No startup parameter is ignored: whatever the app sends that PgBouncer
                    # does not support must fail here as it would on a stock pooler.
                    "ignore_startup_parameters =",
                    "server_check_delay = 0",
                    "",
                ]
            )
        )
        # The config may hold the server password: readable by its owner only.
        for f in (ini, self.base / "userlist.txt"):
            f.chmod(0o600)
        if self._as_postgres:
            entry = pwd.getpwnam("postgres")
            for p in (self.base, *self.base.parents):
                if p == Path("/"):
                    break
                p.chmod(p.stat().st_mode | 0o111)  # let the postgres user reach its dir
            for f in (self.base, ini, self.base / "userlist.txt"):
                shutil.chown(f, entry.pw_uid, entry.pw_gid)
        return ini

    def start(self) -> PgBouncer:
        ini = self._write_config()
        cmd = [self.binary, "-q"]
        if self._as_postgres:
            cmd += ["-u", "postgres"]
        self.process = subprocess.Popen(
            [*cmd, str(ini)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        last: Exception | None = None
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited at start:\n{self._tail()}")
            try:
                conn = psycopg2.connect(self.dsn(), connect_timeout=2)
            except psycopg2.OperationalError as exc:
                last = exc
                time.sleep(0.1)
                continue
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")
            finally:
                conn.close()
            return
        raise RuntimeError(f"pgbouncer did not accept connections ({last}):\n{self._tail()}")

    def _tail(self) -> str:
        parts = []
        if self.process is not None and self.process.stderr is not None:
            with contextlib.suppress(Exception):
                if self.process.poll() is not None:
                    parts.append(self.process.stderr.read().decode(errors="replace"))
        with contextlib.suppress(OSError):
            parts.append(self.log.read_text(errors="replace")[-2000:])
        return "\n".join(p for p in parts if p)

    def url(self, **query: str) -> str:
        """The test URL pointed at this PgBouncer (plus ``query`` options)."""
        return (
            self.target.set(host="127.0.0.1", port=self.port)
            .update_query_dict(query)
            .render_as_string(hide_password=False)
        )

    def dsn(self) -> str:
        return (
            make_url(self.url()).set(drivername="postgresql").render_as_string(hide_password=False)
        )

    def stop(self) -> None:
        """SIGTERM (immediate shutdown), SIGKILL after 10 s; then remove the temp dir."""
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            if self.process is not None and self.process.stderr is not None:
                self.process.stderr.close()
            self.process = None
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PgBouncer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
