"""PageUp/PageDown in every OptionList (ours, the command palette's, a Select's overlay) survive
a tiny terminal.

Textual 8.2.8's `OptionList._move_page` looks the highlighted option up in the list's line map,
which is empty or stale when the list has had no room to lay out (a terminal of 40x8 or less, or
mid-resize): a KeyError that stopped the app. `install()` wraps it once: when the map cannot
answer, the highlight moves by a page of options instead.
"""
from __future__ import annotations

from textual.widgets import OptionList

_original = OptionList._move_page


def _move_page(self: OptionList, direction: int) -> None:
    try:
        _original(self, direction)
    except (KeyError, IndexError):
        count = self.option_count
        if not count:
            return
        step = max(self.scrollable_content_region.height, 1)
        current = self.highlighted if self.highlighted is not None else 0
        self.highlighted = min(max(current + direction * step, 0), count - 1)


def install() -> None:
    OptionList._move_page = _move_page  # type: ignore[method-assign]
