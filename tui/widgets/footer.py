"""A Footer that is rebuilt only when the keys it shows change.

Textual's Footer recomposes (unmounts and mounts every key) whenever the bindings might have
changed, which is on every focus change: each Tab in a wizard rebuilt it, though moving between
two fields shows the same keys. This one compares what it would show first.
"""
from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    _shown: tuple | None = None

    def _keys_shown(self) -> tuple:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and self._bindings_ready and screen.app.app_focus:
            shown = self._keys_shown()
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
