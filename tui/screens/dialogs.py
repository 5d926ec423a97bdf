"""Small modal dialogs: a yes/no confirmation, and saving text to a file (asking before it
replaces an existing one)."""
from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ..files import FileExists, write_atomic
from ..widgets.footer import SteadyFooter
from ..widgets.steady_input import SteadyInput


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True (yes) or False."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
        Binding("left,right", "switch", "Switch", show=False),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(f"{self.yes} (y)"), id="yes", variant="warning")
                yield Button(Content(f"{self.no} (n)"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_switch(self) -> None:
        target = "#no" if self.focused is self.query_one("#yes") else "#yes"
        self.query_one(target).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class SaveScreen(ModalScreen["Path | None"]):
    """Ask where to save `text`; writes atomically, asks before replacing a file.

    Dismisses with the path written, or None when cancelled.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save to the path typed (Enter in the path does too)"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, text: str, suggested: Path) -> None:
        super().__init__(classes="dialog-screen")
        self.text = text
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Save to file", classes="dialog-title")
            yield Static("Path (relative paths start in the directory eksguide was started from):",
                         classes="dialog-text")
            yield SteadyInput(str(self.suggested), id="save-path", select_on_focus=False)
            yield Static("", id="save-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield SteadyFooter()  # over the wizard's: only the keys that work in this dialog

    def on_mount(self) -> None:
        self.query_one("#save-error").display = False
        self.query_one("#save-path", Input).focus()

    def _error(self, message: str) -> None:
        error = self.query_one("#save-error", Static)
        error.update(Content(message))
        error.display = True

    def _write(self, path: Path, overwrite: bool) -> None:
        try:
            written = write_atomic(path, self.text, overwrite=overwrite)
        except FileExists:
            self.app.push_screen(
                ConfirmScreen(f"{path} already exists. Replace it?", yes="Replace"),
                lambda yes: self._write(path, True) if yes else self.query_one("#save-path").focus(),
            )
        except OSError as exc:
            # The target and the OS's reason, never exc.filename: that may be the temporary file
            # written first (see write_atomic), a name the user never typed.
            self._error(f"Could not save {path}: {exc.strerror or exc}.")
        except ValueError as exc:  # a path the OS cannot take (the checks in _save catch the known ones)
            self._error(f"Could not save to that path: {exc}. Type a file name such as snippet.yaml.")
        else:
            self.dismiss(written)

    @on(Input.Submitted, "#save-path")
    @on(Button.Pressed, "#save")
    def _save(self, event) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        raw = self.query_one("#save-path", Input).value.strip()
        if not raw:
            self._error("Type a file name, for example snippet.yaml.")
            return
        if "\0" in raw:
            self._error("A path cannot contain a NUL character. Type a file name such as snippet.yaml.")
            return
        try:
            path = Path(raw).expanduser()
        except RuntimeError:  # ~nosuchuser/...
            user = raw[1:].split("/", 1)[0]
            self._error(f"There is no user called {user!r} for '~{user}'. Type a path such as ~/snippet.yaml.")
            return
        if not path.is_absolute():
            path = Path.cwd() / path
        self._write(path, overwrite=False)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
