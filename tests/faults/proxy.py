"""A small TCP proxy for fault tests: it stands between the app and PostgreSQL and misbehaves on cue.

Usage (controller tests and TUI tests alike)::

    with FaultProxy(("127.0.0.1", 5432)) as proxy:
        book = open_book(proxy.url(TEST_DATABASE_URL))
        proxy.blackhole()                  # new connections are accepted, then nothing
        proxy.mute()                       # open connections stop passing bytes both ways
        proxy.cut_after_reply_to(b"COMMIT")  # forward COMMIT, then drop the reply and cut
        proxy.cut_all()                    # reset every open connection now
        proxy.heal()                       # back to a plain pipe

Only the standard library; one thread per direction per connection. ``stop()`` (or leaving the
``with``) closes every socket and joins every thread, so a test never leaves anything behind.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from collections.abc import Iterator

from sqlalchemy.engine import make_url

_POLL_S = 0.05


def _close(sock: socket.socket, *, reset: bool = False) -> None:
    with contextlib.suppress(OSError):
        if reset:
            # Linger 0: the peer gets a RST, as when a NAT box or a dead host drops the flow.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class _Link:
    """One client connection and its upstream twin."""

    def __init__(self, proxy: FaultProxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream: socket.socket | None = None
        self.closed = threading.Event()
        self.armed_cut = False  # set once the watched client message went upstream
        self.muted = proxy._muted  # a link opened while the network is silent is silent too

    def close(self, *, reset: bool = False) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        _close(self.client, reset=reset)
        if self.upstream is not None:
            _close(self.upstream, reset=reset)


class FaultProxy:
    """A TCP proxy on 127.0.0.1 (a free port) in front of ``target`` (host, port)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_POLL_S)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._links: list[_Link] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._blackhole = False
        self._muted = False
        self._delay_s = 0.0
        self._cut_pattern: bytes | None = None
        self.cuts = 0  # how many connections the cut-after-reply rule has cut
        self.accepted = 0
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)
        self._acceptor.start()

    # -- what tests call -------------------------------------------------------------------

    @classmethod
    def for_url(cls, url: str) -> FaultProxy:
        """A proxy in front of the server a PostgreSQL URL names."""
        parsed = make_url(url)
        return cls((parsed.host or "127.0.0.1", parsed.port or 5432))

    def url(self, url: str) -> str:
        """The same URL, pointed at this proxy."""
        parsed = make_url(url).set(host="127.0.0.1", port=self.port)
        return parsed.render_as_string(hide_password=False)

    def blackhole(self) -> None:
        """New connections are accepted and then get no answer (a dead host, a Neon cold start)."""
        self._blackhole = True

    def mute(self) -> None:
        """Open connections stay open but pass no bytes either way (a silent network).

        Bytes sent meanwhile are lost with the flow: :meth:`heal` resets the muted connections
        (as a NAT box that forgot them would) instead of delivering what was held back."""
        self._muted = True
        with self._lock:
            for link in self._links:
                link.muted = True

    def delay(self, seconds: float) -> None:
        """Every chunk from the server is held back this long (a slow link)."""
        self._delay_s = seconds

    def cut_after_reply_to(self, pattern: bytes) -> None:
        """Forward the next client message containing ``pattern``, wait for the server's reply
        to start, then drop that reply and cut the connection: the server acted, the client
        never hears it."""
        self._cut_pattern = pattern

    def admit_new(self) -> None:
        """New connections pass again while the muted ones stay silent: a partition that left
        the server holding the old connection (and its open transaction)."""
        self._muted = False
        self._blackhole = False

    def cut_all(self) -> None:
        """Reset every open connection now."""
        with self._lock:
            links = list(self._links)
        for link in links:
            link.close(reset=True)

    def heal(self) -> None:
        """Back to a plain pipe for new data and new connections (cut ones stay cut)."""
        self._blackhole = False
        self._muted = False
        self._delay_s = 0.0
        self._cut_pattern = None
        with self._lock:
            muted = [link for link in self._links if link.muted]
        for link in muted:
            link.close(reset=True)

    def open_links(self) -> int:
        with self._lock:
            return sum(1 for link in self._links if not link.closed.is_set())

    def stop(self) -> None:
        """Close every socket and join every thread (bounded: threads poll every 50 ms)."""
        self._stopping.set()
        _close(self._listener)
        self._acceptor.join(timeout=5)
        self.cut_all()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the machinery ---------------------------------------------------------------------

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="fault-proxy-pump")
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            link = _Link(self, client)
            with self._lock:
                self._links.append(link)
            if self._blackhole or link.muted:
                self._spawn(self._swallow, link)
                continue
            try:
                link.upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                link.close(reset=True)
                continue
            self._spawn(self._pump, link, True)
            self._spawn(self._pump, link, False)

    def _swallow(self, link: _Link) -> None:
        """Read and drop whatever the client sends; answer nothing until stopped or cut."""
        while not (self._stopping.is_set() or link.closed.is_set()):
            if not self._readable(link.client):
                continue
            try:
                if not link.client.recv(65536):
                    break
            except OSError:
                break
        link.close()

    def _readable(self, sock: socket.socket) -> bool:
        try:
            ready, _, _ = select.select([sock], [], [], _POLL_S)
        except (OSError, ValueError):
            return False
        return bool(ready)

    def _pump(self, link: _Link, upstream_bound: bool) -> None:
        source = link.client if upstream_bound else link.upstream
        sink = link.upstream if upstream_bound else link.client
        assert source is not None and sink is not None
        while not (self._stopping.is_set() or link.closed.is_set()):
            if link.muted:
                # Bytes stay in the kernel buffers: nothing moves, nothing is closed.
                time.sleep(_POLL_S)
                continue
            if not self._readable(source):
                continue
            try:
                data = source.recv(65536)
            except OSError:
                break
            if not data:
                break
            if link.muted:
                continue  # arrived just as the network went silent: lost on the way
            if upstream_bound and self._cut_pattern and self._cut_pattern in data:
                link.armed_cut = True
                self._cut_pattern = None
            elif not upstream_bound and link.armed_cut:
                # The server has answered the watched message: it acted. Drop the answer.
                self.cuts += 1
                link.close(reset=True)
                return
            if not upstream_bound and self._delay_s:
                time.sleep(self._delay_s)
            try:
                sink.sendall(data)
            except OSError:
                break
        link.close()


@contextlib.contextmanager
def proxied(url: str) -> Iterator[tuple[FaultProxy, str]]:
    """``with proxied(pg_url) as (proxy, url):`` a proxy and the URL that goes through it."""
    proxy = FaultProxy.for_url(url)
    try:
        yield proxy, proxy.url(url)
    finally:
        proxy.stop()
