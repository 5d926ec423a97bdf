"""The help screen: every key of the app, read from the bindings themselves so it cannot go
stale, plus the keys of the standard widgets."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.content import Content
from textual.widgets import Static

KEY_NAMES = {
    "pageup": "PgUp", "pagedown": "PgDn", "escape": "Esc", "backspace": "Backspace", "enter": "Enter",
    "tab": "Tab", "up": "↑", "down": "↓", "left": "←", "right": "→", "space": "Space",
}

# Keys of Textual's own widgets, as they behave in eksguide.
WIDGET_KEYS = (
    ("Tab / Shift+Tab", "move between the parts of a screen"),
    ("↑ ↓, Enter", "move in a list or tree, choose"),
    ("Enter", "in a wizard field: go to the next field"),
    ("Space / Enter", "tick a checkbox, open a choice list"),
    ("Ctrl+P", "command palette: jump to any practice, wizard or lesson"),
    ("Ctrl+Q", "quit"),
)


def key_label(keys: str) -> str:
    """'ctrl+o' -> 'Ctrl+O', 'n,escape' -> 'N / Esc'."""
    labels = []
    for key in keys.split(","):
        parts = key.strip().split("+")
        named = [KEY_NAMES.get(p, p.upper() if len(p) <= 3 else p.capitalize()) for p in parts]
        labels.append("+".join(n.capitalize() if n in ("ctrl", "shift", "alt") else n for n in named))
    return " / ".join(labels)


def binding_rows(bindings) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            binding = Binding(*binding)
        if binding.description:
            rows.append((key_label(binding.key), binding.tooltip or binding.description))
    return rows


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(keys, what they do)]) for every screen, read from the bindings."""
    # Imported here: the app imports this module.
    from ..app import EksGuideApp
    from ..widgets.history_input import HistoryInput
    from .ask import AskScreen
    from .browse import BrowseScreen
    from .tour import TourScreen
    from .wizards import WizardScreen

    return [
        ("Everywhere", binding_rows(EksGuideApp.BINDINGS)),
        ("Ask", binding_rows([*AskScreen.BINDINGS, *HistoryInput.BINDINGS])),
        ("Browse", binding_rows(BrowseScreen.BINDINGS)),
        ("A wizard", binding_rows(WizardScreen.BINDINGS)),
        ("Walkthrough", binding_rows(TourScreen.BINDINGS)),
        ("Lists, fields and the rest", list(WIDGET_KEYS)),
    ]


def help_text() -> str:
    """The whole help as plain text (what the help screen shows, for tests and searching)."""
    lines: list[str] = []
    for heading, rows in help_sections():
        lines.append(heading)
        lines.extend(f"  {keys}  {does}" for keys, does in rows)
    return "\n".join(lines)


KEYS_WIDTH = 20


class KeyRow(Static):
    """One key and what it does, as one line (one widget, so the help opens fast)."""

    def __init__(self, keys: str, does: str) -> None:
        text = Content.from_markup("[b]$keys[/b]", keys=keys.ljust(KEYS_WIDTH)) + Content(" " + does)
        super().__init__(text, classes="key-row")
        self.keys = keys
        self.does = does


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content.from_markup("[b]Keys[/b]"), id="help-title")
            for heading, rows in help_sections():
                yield Static(Content(heading), classes="help-heading")
                for keys, does in rows:
                    yield KeyRow(keys, does)
            yield Static("The mouse works too: click the sections on the top line, links, suggestions and buttons.",
                         classes="help-heading")
            yield Static("Esc closes this help", id="help-close")

    def on_screen_resume(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)
