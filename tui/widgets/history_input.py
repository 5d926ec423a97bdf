"""An Input that remembers what was submitted; up and down walk through it like a shell."""
from __future__ import annotations

from textual.binding import Binding
from .steady_input import SteadyInput


class HistoryInput(SteadyInput):
    BINDINGS = [
        Binding("up", "history(-1)", "Earlier question", show=False, tooltip="The previous question you asked"),
        Binding("down", "history(1)", "Later question", show=False, tooltip="The next question in the history"),
    ]

    def __init__(self, *args, max_history: int = 200, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.history: list[str] = []
        self.max_history = max_history
        self._position: int | None = None  # index into history while browsing it
        self._draft = ""  # what was being typed before browsing started

    def remember(self, text: str) -> None:
        """Add a submitted text (blank texts and repeats of the last entry are skipped)."""
        text = text.strip()
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
            del self.history[: -self.max_history]
        self._position = None
        self._draft = ""

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._position is None:
            if step > 0:
                return
            self._draft = self.value
            position = len(self.history) + step
        else:
            position = self._position + step
        if position < 0:
            position = 0
        if position >= len(self.history):
            self._position = None
            self._set(self._draft)
            return
        self._position = position
        self._set(self.history[position])

    def _set(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)
