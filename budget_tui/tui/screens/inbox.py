"""Inbox: what an assistant proposed to change (an MCP server in propose mode), waiting for the
person's OK. ``y`` or Enter accepts the selected proposal (the change is made as the assistant,
and undoable from History like any other); ``n`` or ``d`` rejects it (nothing changes).

The app keeps the pending count (shown on the header's tab) and asks again every second from its
live watcher, so a proposal made while the app is open shows by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from budget_tui.errors import BudgetError
from budget_tui.tui import runner
from budget_tui.tui.screens._list import RowListScreen

if TYPE_CHECKING:
    from budget_tui.controller.views import ProposalView


def when(proposal: ProposalView) -> str:
    """The proposal's time in the local time zone, to the minute."""
    return proposal.created_at.astimezone().strftime("%Y-%m-%d %H:%M")


class InboxScreen(RowListScreen["ProposalView"]):
    """Pending proposals, newest first. Reloads when shown again and when the count moves."""

    TITLE = "Inbox"
    AUTO_FOCUS = "#inbox"
    LIST = "inbox"
    COLUMNS = (
        ("#", "id"),
        ("When", "when"),
        ("From", "source"),
        ("Would", "summary"),
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "accept", "Accept", id="accept", tooltip="Make the selected proposal"),
        Binding(
            "enter",
            "accept",
            "Accept",
            id="accept-enter",
            tooltip="Make the selected proposal",
            show=False,
            priority=True,
        ),
        Binding("n", "reject", "Reject", id="reject", tooltip="Reject the selected proposal"),
        Binding(
            "d",
            "reject",
            "Reject",
            id="reject-d",
            tooltip="Reject the selected proposal",
            show=False,
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="reload",
            tooltip="Read the proposals again",
            show=False,
        ),
    ]

    @dataclass
    class Loaded(Message):
        proposals: tuple[ProposalView, ...]
        select_id: int | None

    @dataclass
    class Answered(Message):
        """A proposal was accepted or rejected (``error`` when it could not be)."""

        text: str
        error: BudgetError | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "reject") and self.current is None:
            return None
        return True

    # -- loading -------------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        if self.shown_again():
            return
        self.action_reload()
        self.table.focus()

    def action_reload(self) -> None:
        current = self.current
        self.load(current.id if current else None)

    # The book changed elsewhere, or the pending count moved: read again, the cursor kept.
    book_changed = action_reload
    proposals_changed = action_reload

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, select_id: int | None) -> None:
        from budget_tui.controller.proposals import list_proposals

        found = runner.call(self.app, list_proposals)
        runner.deliver(self, self.Loaded(found, select_id))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.rows = list(message.proposals)
        table, empty = self.table, self.query_one("#inbox-empty", Static)
        table.clear()
        for p in self.rows:
            table.add_row(str(p.id), when(p), p.source, p.summary, key=str(p.id))
        table.display = bool(self.rows)
        empty.display = not self.rows
        empty.update(
            "Nothing waits for your OK. An assistant connected with "
            "`budget-tui mcp --allow-write` proposes its changes here."
        )
        ids = [p.id for p in self.rows]
        if self.rows:
            index = ids.index(message.select_id) if message.select_id in ids else 0
            table.move_cursor(row=index, animate=False)
        count = len(self.rows)
        self.query_one("#inbox-status", Static).update(
            f"{count} proposal{'s' if count != 1 else ''} waiting, newest first · "
            "y/Enter: accept (made as the assistant; undo it from History) · n: reject"
        )
        self.app.inbox_count = count  # type: ignore[attr-defined]
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#inbox")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    # -- answering -----------------------------------------------------------------------------

    def action_accept(self) -> None:
        if (p := self.current) is not None:
            self.answer(p.id, accept=True)

    def action_reject(self) -> None:
        if (p := self.current) is not None:
            self.answer(p.id, accept=False)

    @work(thread=True, group="answer", exit_on_error=False)
    def answer(self, proposal_id: int, *, accept: bool) -> None:
        from budget_tui.controller import proposals

        try:
            if accept:
                done = runner.call(self.app, proposals.accept_proposal, proposal_id)
                text = f"Accepted: {done.summary} (by {done.source})"
            else:
                done = runner.call(self.app, proposals.reject_proposal, proposal_id)
                text = f"Rejected: {done.summary}"
        except BudgetError as error:
            self.post_message(self.Answered("", error))
        else:
            self.post_message(self.Answered(text))

    @on(Answered)
    def _answered(self, message: Answered) -> None:
        if message.error is not None:
            runner.report_error(self, message.error)
        else:
            self.notify(message.text, timeout=5)
        self.action_reload()
