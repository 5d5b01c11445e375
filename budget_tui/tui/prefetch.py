"""The first screen's data, loaded by a second process while this one starts Textual.

Importing SQLAlchemy costs about as much as importing Textual, and Python imports hold the GIL:
in one process the two can only run one after the other, however the work is split between
threads. Forked before either is imported, a child process imports SQLAlchemy, opens the book
(creating or upgrading its schema as the app would) and runs the first screen's use case on the
other core, while this process imports Textual and paints. The child hands back, through a pipe:

1. the URL's verdict: the location to show in the header, or the configuration error that stops
   the app before its screen opens (what the app did before on its own, with SQLAlchemy imported
   on the main thread);
2. the first screen's data (a frozen dataclass, pickled), or the BudgetError that opening the
   book met, rebuilt on this side from its kind and words.

The child never touches the terminal (its standard streams are /dev/null) and exits as soon as it
has answered; nothing it opened is shared with this process, which opens its own book for every
later action. Where ``os.fork`` is missing, or anything about the child goes wrong, the app simply
opens the book itself, as it always could.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pickle
import signal
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from budget_tui import errors

log = logging.getLogger("budget_tui.tui")

_HEADER = struct.Struct("!I")


@dataclass(frozen=True)
class Verdict:
    """What the child says of the URL: the header's location, or why it can't be used."""

    location: str | None
    error: errors.BudgetError | None = None


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

    def _read(self) -> Any:
        head = self._file.read(_HEADER.size)
        if len(head) < _HEADER.size:
            raise EOFError
        (size,) = _HEADER.unpack(head)
        body = self._file.read(size)
        if len(body) < size:
            raise EOFError
        return pickle.loads(body)

    def verdict(self) -> Verdict | None:
        """Block until the child has read the URL; None if the child died first."""
        try:
            kind, value = self._read()
        except (EOFError, OSError, pickle.UnpicklingError):
            self.close()
            return None
        if kind == "location":
            return Verdict(location=value)
        return Verdict(location=None, error=_unpack(*value))

    def result(self) -> tuple[Any, errors.BudgetError | None] | None:
        """Block until the child has the first screen's data: ``(data, None)``, ``(None, error)``,
        or None when the child died without answering (the app then opens the book itself)."""
        try:
            kind, value = self._read()
        except (EOFError, OSError, pickle.UnpicklingError):
            return None
        finally:
            self.close()
        if kind == "data":
            return value, None
        return None, _unpack(*value)

    def close(self) -> None:
        """Stop the child if it still runs, and reap it."""
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def start(url: str, load: str) -> Prefetch | None:
    """Fork a child that opens ``url`` and calls ``load`` (``"module:function"``, called with the
    book's sessionmaker) on it. None where fork is unavailable or fails.

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
            _child(url, load, write_fd)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return Prefetch(pid, read_fd)


def _quiet() -> None:
    """The child's standard streams go nowhere: the terminal belongs to the app."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    logging.getLogger().handlers.clear()
    logging.getLogger().addHandler(logging.NullHandler())


def _send(fd: int, kind: str, value: Any) -> None:
    body = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    data = _HEADER.pack(len(body)) + body
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _child(url: str, load: str, fd: int) -> None:
    from budget_tui.db.engine import describe, parse_url
    from budget_tui.db.files import check_sqlite_book

    try:
        parse_url(url)
        check_sqlite_book(url, create=True)  # another program's file is refused, never changed
    except errors.BudgetError as error:
        _send(fd, "error", _pack(error))
        return
    _send(fd, "location", describe(url))
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
        _send(fd, "error", _pack(error))
    else:
        _send(fd, "data", data)
