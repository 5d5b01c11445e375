"""A tiny stand-in for a PostgreSQL server that refuses every password, speaking just enough of
the wire protocol for libpq (the local test server trusts everyone, so it can't show this)."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


def _error(fields: dict[str, str]) -> bytes:
    body = b"".join(k.encode() + v.encode() + b"\0" for k, v in fields.items()) + b"\0"
    return b"E" + struct.pack("!I", len(body) + 4) + body


def _serve_one(conn: socket.socket, passwords: list[str]) -> None:
    with conn:
        while True:
            (length,) = struct.unpack("!I", _recv_exact(conn, 4))
            payload = _recv_exact(conn, length - 4)
            (code,) = struct.unpack("!I", payload[:4])
            if code in (SSL_REQUEST, GSS_REQUEST):
                conn.sendall(b"N")  # no TLS here: libpq (sslmode=prefer) goes on in plain text
                continue
            break
        conn.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
        kind = _recv_exact(conn, 1)
        (length,) = struct.unpack("!I", _recv_exact(conn, 4))
        password = _recv_exact(conn, length - 4).rstrip(b"\0").decode()
        if kind == b"p":
            passwords.append(password)
        conn.sendall(
            _error(
                {
                    "S": "FATAL",
                    "V": "FATAL",
                    "C": "28P01",
                    "M": 'password authentication failed for user "alice"',
                }
            )
        )


@contextmanager
def refusing_server() -> Iterator[tuple[int, list[str]]]:
    """A server on 127.0.0.1; yields its port and the passwords it was sent."""
    passwords: list[str] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            with suppress(ConnectionError, OSError, struct.error):
                _serve_one(conn, passwords)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], passwords
    finally:
        stop.set()
        thread.join(2)
        listener.close()
