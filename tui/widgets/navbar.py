"""The top line of every section: the app's name and the four sections with their keys."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Click
from textual.widgets import Static

# (mode name, key, label), in the order shown.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("ask", "F2", "Ask"),
    ("browse", "F3", "Browse"),
    ("wizards", "F4", "Wizards"),
    ("tour", "F5", "Walkthrough"),
)


class NavTab(Static):
    """One section in the bar; a click switches to it."""

    def __init__(self, mode: str, key: str, label: str, active: bool) -> None:
        super().__init__(Content.from_markup("[b]$key[/b] $label", key=key, label=label), classes="nav-tab")
        self.mode = mode
        self.set_class(active, "-active")

    async def on_click(self, event: Click) -> None:
        event.stop()
        await self.app.run_action(f"section('{self.mode}')")


class HelpTab(NavTab):
    async def on_click(self, event: Click) -> None:
        event.stop()
        await self.app.run_action("help")


class NavBar(Horizontal):
    """eksguide │ F2 Ask │ F3 Browse │ F4 Wizards │ F5 Walkthrough … F1 Help"""

    def __init__(self, current: str) -> None:
        super().__init__(id="navbar")
        self.current = current

    def compose(self) -> ComposeResult:
        yield Static("eksguide", id="nav-brand")
        for mode, key, label in SECTIONS:
            yield NavTab(mode, key, label, active=mode == self.current)
        yield Static(id="nav-spacer")
        yield HelpTab("help", "F1", "Help", active=False)
