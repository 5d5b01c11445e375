"""The first screen's data, loaded by a second process while this one starts Textual.

Importing SQLAlchemy costs about as much as importing Textual, and Python imports hold the GIL:
in one process the two can only run one after the other, however the work is split between
threads. Forked before either is imported, a child process does the reading on the other core,
while this process imports Textual and paints. The child hands back, through a pipe:

1. the first rows (:mod:`budget_tui.controller.first_rows`): this month's newest expenses, read
   with the database driver alone in a thread of the child, while its main thread imports
   SQLAlchemy, with their amounts written as the screen writes them (so this process paints
   them before it imports babel). They prove the URL good, so they are the verdict too: the app
   starts on them without waiting for SQLAlchemy at all (a server's location for the header
   follows with the verdict);
2. the URL's verdict: the location to show in the header, or the configuration error that stops
   the app before its screen opens (what the app did before on its own, with SQLAlchemy imported
   on the main thread);
3. the first screen's whole data (a frozen dataclass, pickled: rows, totals, budgets, upcoming
   entries in one snapshot), or the BudgetError that opening the book met, rebuilt on this side
   from its kind and words.

The first rows come when they can (a book at another revision, or an unusual URL, has none) and
may come before or after the verdict; the rest come in that order. The child never touches the
terminal (its standard streams are /dev/null) and exits as soon as it has answered; nothing it
opened is shared with this process, which opens its own book for every later action. Where
``os.fork`` is missing, or anything about the child goes wrong, the app simply opens the book
itself, as it always could.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from budget_tui import errors

log = logging.getLogger("budget_tui.tui")

_HEADER = struct.Struct("!I")


@dataclass(frozen=True)
class Verdict:
    """What the child says of the URL: the header's location, or why it can't be used; and the
    first rows (a :class:`~budget_tui.controller.first_rows.FirstRows`) when they came first."""

    location: str | None
    error: errors.BudgetError | None = None
    first: Any = None


def _pack(error: errors.BudgetError) -> tuple[str, dict[str, Any]]:
    return type(error).__name__, dict(vars(error))


def _unpack(kind: str, state: dict[str, Any]) -> errors.BudgetError:
    cls = getattr(errors, kind, None)
    if not (isinstance(cls, type) and issubclass(cls, errors.BudgetError)):
        cls = errors.BudgetError
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    vars(error).update(state)
    return error


class Prefetch:
    """A running child process and the read end of its pipe. Use :func:`start`."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self._file = os.fdopen(fd, "rb")
        self.first: Any = None  # the first rows, once they have come

    def _read(self) -> tuple[str, Any]:
        head = self._file.read(_HEADER.size)
        if len(head) < _HEADER.size:
            raise EOFError
        (size,) = _HEADER.unpack(head)
        body = self._file.read(size)
        if len(body) < size:
            raise EOFError
        kind, value = pickle.loads(body)
        return kind, value

    def verdict(self) -> Verdict | None:
        """Block until the child has read the URL, or has the first rows of a book it found
        without SQLAlchemy (they prove the URL good; a server's location then follows among the
        :meth:`answers`); None if the child died first."""
        while True:
            try:
                kind, value = self._read()
            except (EOFError, OSError, pickle.UnpicklingError):
                self.close()
                return None
            if kind == "first":  # the URL works: the location may follow (a server's does)
                self.first = _first(value)
                return Verdict(location=self.first.location, first=self.first)
            elif kind == "location":
                return Verdict(location=value, first=self.first)
            else:  # "error"
                return Verdict(location=None, error=_unpack(*value))

    def answers(self) -> Iterator[tuple[str, Any]]:
        """What the child sends after the verdict, as it comes, ending with the first screen's
        data: ``("first", rows)`` when the first rows came after the verdict, ``("location",
        label)`` when the verdict came after them, ``("data", data)`` or ``("error",
        BudgetError)``. Ends early when the child died without answering (the app then opens
        the book itself)."""
        try:
            while True:
                try:
                    kind, value = self._read()
                except (EOFError, OSError, pickle.UnpicklingError):
                    return
                if kind == "first":
                    value = self.first = _first(value)
                if kind == "error":
                    yield kind, _unpack(*value)
                    return
                yield kind, value
                if kind == "data":
                    return
        finally:
            self.close()

    def result(self) -> tuple[Any, errors.BudgetError | None] | None:
        """Block until the child has the first screen's data: ``(data, None)``, ``(None,
        error)``, or None when the child died without answering."""
        for kind, value in self.answers():
            if kind == "data":
                return value, None
            if kind == "error":
                return None, value
        return None

    def close(self) -> None:
        """Stop the child if it still runs, and reap it."""
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def start(url: str, load: str, first: str | None = None) -> Prefetch | None:
    """Fork a child that opens ``url`` and calls ``load`` (``"module:function"``, called with the
    book's sessionmaker) on it; and, beside it, ``first`` (called with the URL, before SQLAlchemy
    is imported; returns rows with a ``location``, or None). None where fork is unavailable or
    fails.

    Call before Textual or SQLAlchemy is imported and before any thread starts.
    """
    if not hasattr(os, "fork"):
        return None
    try:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read_fd)
            _quiet()
            _child(url, load, first, _Pipe(write_fd))
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return Prefetch(pid, read_fd)


def _first(value: tuple[Any, dict[Decimal, str]]) -> Any:
    rows, written = value
    from budget_tui.tui.format import remember

    remember(written)
    return rows


def _quiet() -> None:
    """The child's standard streams go nowhere: the terminal belongs to the app."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    logging.getLogger().handlers.clear()
    logging.getLogger().addHandler(logging.NullHandler())


class _Pipe:
    """The child's end: whole messages, from either of its threads."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.lock = threading.Lock()
        self.finished = False  # the last message is sent: nothing more goes after it

    def send(self, kind: str, value: Any, *, last: bool = False) -> None:
        body = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
        data = _HEADER.pack(len(body)) + body
        with self.lock:
            if self.finished:
                return
            self.finished = last
            while data:
                written = os.write(self.fd, data)
                data = data[written:]


def _first_rows(url: str, first: str, pipe: _Pipe) -> None:
    module, _, name = first.partition(":")
    try:
        rows = getattr(importlib.import_module(module), name)(url)
        if rows is None:
            return
        # Written here, with the app's own settings, so the app paints them before it imports
        # babel. Unknown money settings raise: the verdict then explains them.
        from budget_tui.tui.format import money

        written = {item.amount: money(item.amount) for item in rows.page.items}
    except Exception:  # the whole listing follows; it explains any failure
        return
    pipe.send("first", (rows, written))


def _child(url: str, load: str, first: str | None, pipe: _Pipe) -> None:
    if first is not None:
        threading.Thread(target=_first_rows, args=(url, first, pipe), daemon=True).start()
    from budget_tui.config import load_settings
    from budget_tui.db.engine import describe, parse_url
    from budget_tui.db.files import check_sqlite_book

    try:
        load_settings()  # the money settings: an unknown locale or currency stops the app
        parse_url(url)
        check_sqlite_book(url, create=True)  # another program's file is refused, never changed
    except errors.BudgetError as error:
        pipe.send("error", _pack(error), last=True)
        return
    pipe.send("location", describe(url))
    try:
        from budget_tui.controller.book import open_book

        module, _, name = load.partition(":")
        function: Callable[[Any], Any] = getattr(importlib.import_module(module), name)
        book = open_book(url)
        try:
            data = function(book.sessions)
        finally:
            book.close()
    except errors.BudgetError as error:
        pipe.send("error", _pack(error), last=True)
    else:
        pipe.send("data", data, last=True)
