"""The errors a person can meet, and the words they read.

Every failure that reaches a screen, the command line or an MCP client is one of these kinds.
Driver errors are translated into them once, at the controller boundary
(:func:`budget_tui.controller._tx.translate`), so no message here ever carries a URL, a
password, a bound SQL parameter or a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class BudgetError(Exception):
    """Base of every error a person reads. ``title`` is short; ``message`` is one or two sentences."""

    title = "Something went wrong"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class InvalidInput(BudgetError):
    """A value a person typed is not acceptable. ``field`` names the form field it belongs to."""

    title = "Check your input"

    def __init__(self, field: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class NotFound(BudgetError):
    """The thing asked for does not exist (any more)."""

    title = "Not found"


class Conflict(BudgetError):
    """The change clashes with what the database holds: a duplicate name, a row changed elsewhere,
    a category still in use."""

    title = "Conflict"


class DatabaseUnavailable(BudgetError):
    """The database could not be reached, or the connection was lost.

    ``saved`` says what happened to the action: ``False`` (nothing was saved, safe to retry),
    ``True`` (it was saved) or ``None`` (the connection dropped while committing, so it is not known;
    retrying an expense save is still safe because its uid makes the save idempotent).
    ``reading`` is True when the action only reads: it changes nothing whatever happens, so no
    outcome is told (a failed look-up that said "nothing was saved" would suggest it could have).
    """

    title = "Database unavailable"

    def __init__(
        self,
        message: str,
        *,
        saved: bool | None = False,
        hint: str | None = None,
        reading: bool = False,
    ) -> None:
        super().__init__(message, hint=hint)
        self.saved = saved
        self.reading = reading

    @property
    def outcome(self) -> str | None:
        if self.reading:
            return None
        if self.saved is True:
            return "Your change was saved."
        if self.saved is False:
            return "Nothing was saved; you can try again."
        return "It is not known whether your change was saved; trying again is safe."


class DatabaseBusy(DatabaseUnavailable):
    """Another program holds the database (SQLite's file lock) for longer than the busy timeout."""

    title = "Database busy"


class ConfigError(BudgetError):
    """The database URL or another setting cannot be used as given."""

    title = "Configuration problem"


class DatabaseDamaged(BudgetError):
    """The stored data is damaged (SQLite found pages it cannot read, or a book whose parts
    disagree): nothing read from it can be trusted, so no answer is given."""

    title = "Book damaged"


@dataclass(frozen=True)
class RenderedError:
    """What a person reads for an error, the same on the screen, the command line and MCP.

    ``sentence`` says what went wrong; ``outcome`` (lost connections only) whether the action was
    saved; ``hint`` what to do about it. ``field`` names the form field or argument of an
    InvalidInput, for callers that show it next to that field.
    """

    title: str
    sentence: str
    hint: str | None = None
    outcome: str | None = None
    field: str | None = None

    @property
    def text(self) -> str:
        """Sentence, outcome and hint as one paragraph."""
        return " ".join(part for part in (self.sentence, self.outcome, self.hint) if part)

    def line(self) -> str:
        """The text on one line (for stderr and logs): no line breaks, whatever a message holds."""
        return " ".join(self.text.split())


def render(error: BudgetError) -> RenderedError:
    """The one rendering of an error that the TUI, the CLI and MCP all show."""
    return RenderedError(
        title=error.title,
        sentence=error.message,
        hint=error.hint,
        outcome=error.outcome if isinstance(error, DatabaseUnavailable) else None,
        field=getattr(error, "field", None) or None,
    )


# The command line's exit codes (see :mod:`budget_tui.cli`).
EXIT_USER_ERROR = 1
EXIT_NOT_SAVED = 3
EXIT_SAVED = 4
EXIT_NOT_KNOWN = 5


def exit_code(error: BudgetError) -> int:
    """The exit code for an error (see :mod:`budget_tui.cli`)."""
    if isinstance(error, DatabaseUnavailable):
        if error.saved is True:
            return EXIT_SAVED
        if error.saved is None:
            return EXIT_NOT_KNOWN
        return EXIT_NOT_SAVED
    return EXIT_USER_ERROR
