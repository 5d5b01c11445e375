"""The footer of every screen: Textual's Footer, rebuilt only when what it shows changes."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class AppFooter(Footer):
    """Textual's Footer removes and mounts all of its keys each time the screen's bindings are
    refreshed: on every focus change, and whenever a screen enables or disables an action (after
    each load, each move of a list's cursor). Most refreshes leave the keys as they were, and
    rebuilding a dozen keys costs a style pass for each. This footer rebuilds only when the keys
    it would show, or how they are shown, differ from those on screen."""

    _shown: Hashable = None

    def _keys(self) -> Hashable:
        """What compose would show: each shown binding, whether it is enabled, its tooltip."""
        bindings = tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (bindings, self.compact, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE)

    async def recompose(self) -> None:
        if not self.is_attached or not self._bindings_ready:
            await super().recompose()
            return
        keys = self._keys()
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await super().recompose()

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # Born compact: each key binds `compact` from the footer, and a key that gains the
            # class only after mounting has its style worked out twice.
            if self.compact and isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)
            yield widget
