"""Wizards: pick a snippet kind, then fill in a form generated from its Spec while a live preview
shows the output. Copy it to the clipboard or save it to a file."""
from __future__ import annotations

from pathlib import Path

import snippets
from snippets import FieldError, Snippet, Spec
from snippets.spec import render as render_snippet
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.snippet_preview import SnippetPreview
from ..widgets.spec_form import SpecForm, preview_raw, speak_fields
from .base import SectionScreen
from .dialogs import ConfirmScreen, SaveScreen


def breakpoint_classes(app: App) -> list[str]:
    """The app's width breakpoint class for the current size (Screen sets it on its first
    resize; set up front, so that resize does not restyle the whole new screen a second time)."""
    width = app.size.width
    for minimum, name in sorted(app.HORIZONTAL_BREAKPOINTS or [], reverse=True):
        if width >= minimum:
            return [name]
    return []


class WizardPickerScreen(SectionScreen):
    """The list of every wizard (the Wizards section's first screen). Typing letters filters it."""

    SECTION = "wizards"
    AUTO_FOCUS = "#wizard-list"
    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Open the highlighted wizard", priority=True),
        Binding("ctrl+f", "filter_help", "Type to filter", key_display="a-z",
                tooltip="Type letters to show only the wizards that mention them"),
        Binding("escape", "clear_filter", "Clear filter", tooltip="Show every wizard again (so does Backspace)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = ""
        self._entries: list[tuple[str, Option]] = []  # (searchable text, option), built once

    def compose_body(self) -> ComposeResult:
        specs = list(self.guide.specs.values())
        yield Static(
            Content(f"{len(specs)} wizards. Each asks a few questions and writes a snippet you can copy or save; "
                    "pick one with Enter, or type to filter the list."),
            id="wizard-intro",
        )
        for spec in specs:
            practices = [self.guide.kb.get(pid) for pid in spec.practices]
            serves = "; ".join(p.title for p in practices if p is not None)
            prompt = Content.from_markup("[b]$title[/b] [dim]($kind, $language)[/dim]\n$description",
                                         title=spec.title, kind=spec.kind, language=spec.language,
                                         description=spec.description)
            if serves:
                prompt += Content.from_markup("\n[dim]for: $serves[/dim]", serves=serves)
            text = " ".join((spec.title, spec.kind, spec.language, spec.description, serves)).lower()
            self._entries.append((text, Option(prompt, id=spec.kind)))
        yield Static("", id="wizard-filter")
        yield OptionList(*self._shown(), id="wizard-list")

    def _shown(self) -> list[Option | None]:
        """The options that match the filter, with a blank separator between entries."""
        words = self.filter.lower().split()
        shown: list[Option | None] = []
        for text, option in self._entries:
            if all(word in text for word in words):
                if shown:
                    shown.append(None)
                shown.append(option)
        return shown

    def on_mount(self) -> None:
        self.query_one("#wizard-filter").display = False

    def set_filter(self, text: str) -> None:
        """Show only the wizards whose title, kind, description or practices contain every word."""
        if text == self.filter:
            return
        self.filter = text
        options = self.query_one("#wizard-list", OptionList)
        options.set_options(self._shown())
        if options.option_count:
            options.highlighted = 0
        line = self.query_one("#wizard-filter", Static)
        line.display = bool(text)
        count = sum(1 for option in self._shown() if option is not None)
        line.update(Content.from_markup("Filter: [b]$text[/b] · $count shown · Esc or Backspace clears",
                                        text=text, count=str(count)))
        self.refresh_bindings()

    def on_key(self, event) -> None:
        if not isinstance(self.focused, OptionList):
            return
        if event.key == "backspace" and self.filter:
            event.stop()
            self.set_filter(self.filter[:-1])
        elif event.character and event.is_printable and (event.character.isalnum() or event.character in " -"):
            if event.character == " " and not self.filter:
                return
            event.stop()
            self.set_filter(self.filter + event.character)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "clear_filter" and not self.filter:
            return False  # Esc is free for the app when there is nothing to clear
        return True

    def action_clear_filter(self) -> None:
        self.set_filter("")

    def action_filter_help(self) -> None:
        self.notify("Type letters to filter the list of wizards; Esc or Backspace clears.", markup=False)

    def action_open(self) -> None:
        self.query_one("#wizard-list", OptionList).action_select()

    @on(OptionList.OptionSelected, "#wizard-list")
    async def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.guide.open_wizard(event.option.id or "")


class WizardScreen(SectionScreen):
    """One wizard: the generated form on the left, the live preview on the right."""

    SECTION = "wizards"
    BINDINGS = [
        Binding("ctrl+y", "copy", "Copy", tooltip="Copy the output to the clipboard (OSC 52)"),
        Binding("ctrl+s", "save", "Save", tooltip="Save the output to a file (asks before replacing one)"),
        Binding("ctrl+r", "reset", "Reset", tooltip="Put every field back to its default (asks first)"),
        Binding("escape", "close", "Back", tooltip="Back to where you opened this wizard from (answers are kept)"),
    ]

    # Screen.focused repaints the whole screen on every change (a full redraw on each Tab); the
    # widgets that gain and lose focus repaint themselves (their :focus styles), so that is not
    # needed here. Same reactive, without repaint.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, spec: Spec) -> None:
        super().__init__()
        self.add_class(*breakpoint_classes(self.app))  # not mounted yet: no restyle
        self.spec = spec
        self.snippet: Snippet | None = None  # the output of the current answers, when they are valid
        self.origin = "wizards"  # the section it was opened from, where Esc returns

    def compose_body(self) -> ComposeResult:
        spec = self.spec
        with Vertical(id="wizard"):
            yield Static(Content.from_markup("[b]$title[/b] · $description", title=spec.title,
                                             description=spec.description), id="wizard-title")
            with Horizontal(id="wizard-body"):
                with Vertical(id="wizard-form-pane"):
                    yield SpecForm(spec, id="wizard-form")
                    with VerticalScroll(id="wizard-help-pane", can_focus=False):
                        yield Static("", id="wizard-field-help")
                    with Horizontal(id="wizard-buttons"):
                        yield Button("Copy ^y", id="copy", compact=True, variant="primary")
                        yield Button("Save ^s", id="save", compact=True)
                        yield Button("Reset ^r", id="reset", compact=True)
                yield SnippetPreview(id="wizard-preview", speak=lambda text: speak_fields(spec, text))

    def on_mount(self) -> None:
        first = self.query_one(SpecForm).rows()
        if first:
            first[0].control.focus()

    @property
    def form(self) -> SpecForm:
        return self.query_one("#wizard-form", SpecForm)

    @property
    def preview(self) -> SnippetPreview:
        return self.query_one("#wizard-preview", SnippetPreview)

    def _labels(self) -> dict[str, str]:
        return {field.id: field.label for field in self.spec.fields}

    def _render_snippet(self, answers: dict) -> Snippet | str:
        """Render checked answers; a failure inside a render function is reported, not raised."""
        try:
            return render_snippet(self.spec, answers)
        except Exception as exc:  # noqa: BLE001 - a broken spec must not take the app down
            return f"{type(exc).__name__}: {exc}"

    @on(SpecForm.FieldFocused, "#wizard-form")
    def _field_focused(self, event: SpecForm.FieldFocused) -> None:
        """One help area under the form, for the field at hand: a Tab changes its text only,
        not the layout of the form."""
        self.query_one("#wizard-field-help", Static).update(Content(event.help))

    @on(SpecForm.Changed, "#wizard-form")
    def _changed(self, event: SpecForm.Changed) -> None:
        self.snippet = None
        if not event.errors:
            result = self._render_snippet(event.answers)
            if isinstance(result, Snippet):
                self.snippet = result
                self.preview.show(result, [])
            else:
                self.preview.stale([FieldError("render", f"the wizard failed ({result})")], {})
            return
        # Show the shape of the output with example values where required fields are still blank.
        raw, stand_ins = preview_raw(self.spec, event.raw)
        answers, errors = snippets.check(self.spec, raw)
        if errors:
            self.preview.stale(errors, self._labels())
            return
        result = self._render_snippet(answers)
        if isinstance(result, Snippet):
            self.preview.show(result, stand_ins)
        else:
            self.preview.stale([FieldError("render", f"the wizard failed ({result})")], {})

    # ---------------------------------------------------------------- copy, save, reset

    def _ready(self, verb: str) -> Snippet | None:
        """The snippet to copy or save; otherwise every error is shown and the first field focused."""
        errors = self.form.reveal_all()  # also runs a check that typing had put off
        if not errors:
            answers, errors = snippets.check(self.spec, self.form.raw())
        if not errors:
            result = self._render_snippet(answers)
            if isinstance(result, Snippet):
                self.snippet = result
                return result
            errors = [FieldError("render", f"the wizard failed ({result})")]
        labels = self._labels()
        names = ", ".join(dict.fromkeys(labels.get(e.field, e.field) for e in errors)) or "the form"
        self.notify(f"Fix {names} before you {verb}.", title="Not ready yet", severity="error", markup=False)
        for error in errors:
            if error.field in labels:
                row = self.form.row(error.field)
                if row.display:
                    row.control.focus()
                    break
        return None

    def action_copy(self) -> None:
        snippet = self._ready("copy")
        if snippet is None:
            return
        self.app.copy_to_clipboard(snippet.text)
        lines = len(snippet.text.splitlines())
        self.notify(f"Copied {lines} lines ({snippet.filename}) to the clipboard. Terminals that block OSC 52 "
                    "clipboard access ignore this; save to a file instead.", title="Copied", markup=False)

    def action_save(self) -> None:
        snippet = self._ready("save")
        if snippet is None:
            return

        def saved(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Saved {path}", title="Saved", markup=False)

        self.app.push_screen(SaveScreen(snippet.text, Path.cwd() / snippet.filename), saved)

    def action_reset(self) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.form.reset()
                self.notify("Every field is back to its default.", title="Reset", markup=False)

        self.app.push_screen(ConfirmScreen("Clear every answer of this wizard?", yes="Reset"), confirmed)

    async def action_close(self) -> None:
        """Esc: back to the section the wizard was opened from (the list of wizards, or the
        answer or practice that offered it)."""
        origin, self.origin = self.origin, "wizards"
        await self.app.pop_screen()
        if origin != "wizards":
            await self.guide.action_section(origin)

    @on(Button.Pressed, "#copy")
    def _copy_pressed(self) -> None:
        self.action_copy()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#reset")
    def _reset_pressed(self) -> None:
        self.action_reset()
