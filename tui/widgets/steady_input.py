"""An Input whose typing never re-lays out the screen.

Textual 8.2.8's Input sets its own `virtual_size` on every change of its value, to a size the
layout then sets back: `virtual_size` asks for a layout of the whole screen, so each key
reflowed every widget on it (hundreds in a long transcript or a big form). An Input has no
children and no scrollbars, so its virtual size only bounds its own sideways scrolling: it is
kept here without asking for a layout (a repaint still happens). The cursor stops blinking when
the app says so (`cursor_blink`), so snapshots never catch it half-way.
"""
from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SteadyInput(Input):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def on_mount(self) -> None:
        # An app made with cursor_blink=False (tests, snapshots) shows a steady cursor.
        if not getattr(self.app, "cursor_blink", True):
            self.cursor_blink = False
