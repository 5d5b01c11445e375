"""The command palette (Ctrl+P): the actions of the screen on show, derived from its key bindings.

Every binding of ours has an ``id`` and a ``tooltip`` (a test holds every screen to it). The
palette offers each one that is active and enabled where it was opened: the screen's own, its
focused widget's and the app's, titled by the binding's label and what it does, and runs it
where the key would have. A screen's actions are offered on that screen only; a new binding
is in the palette without a table to keep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class PaletteEntry:
    title: str  # "Add: Enter a new expense"
    help: str  # the key, e.g. "a"
    run: Callable[[], Any]


class BudgetCommands(Provider):
    """Offers the bindings active on the screen the palette was opened from."""

    def entries(self) -> Iterator[PaletteEntry]:
        seen: set[tuple[int, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not (binding.id and binding.tooltip and active.enabled):
                continue
            place = (id(active.node), binding.action)  # "1" and F2 both show Expenses
            if place in seen:
                continue
            seen.add(place)
            yield PaletteEntry(
                title=f"{binding.description}: {binding.tooltip}",
                help=f"Key: {self.app.get_key_display(binding)}",
                run=partial(self.app.run_action, binding.action, active.node),
            )

    async def discover(self) -> Hits:
        for entry in self.entries():
            yield DiscoveryHit(entry.title, entry.run, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self.entries():
            score = matcher.match(entry.title)
            if score > 0:
                yield Hit(score, matcher.highlight(entry.title), entry.run, help=entry.help)
