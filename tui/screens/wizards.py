"""Wizards: pick a snippet kind, then fill in a form generated from its Spec while a live preview
shows the output. Copy it to the clipboard or save it to a file."""
from __future__ import annotations

from pathlib import Path

import snippets
from snippets import FieldError, Snippet, Spec
from snippets.spec import render as render_snippet
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.snippet_preview import SnippetPreview
from ..widgets.spec_form import SpecForm, preview_raw
from .base import SectionScreen
from .dialogs import ConfirmScreen, SaveScreen


class WizardPickerScreen(SectionScreen):
    """The list of every wizard (the Wizards section's first screen)."""

    SECTION = "wizards"
    AUTO_FOCUS = "#wizard-list"

    def compose_body(self) -> ComposeResult:
        specs = list(self.guide.specs.values())
        yield Static(
            Content(f"{len(specs)} wizards. Each asks a few questions and writes a snippet you can copy or save; "
                    "pick one with Enter."),
            id="wizard-intro",
        )
        options: list[Option] = []
        for spec in specs:
            practices = [self.guide.kb.get(pid) for pid in spec.practices]
            serves = "; ".join(p.title for p in practices if p is not None)
            prompt = Content.from_markup("[b]$title[/b] [dim]($kind, $language)[/dim]\n$description",
                                         title=spec.title, kind=spec.kind, language=spec.language,
                                         description=spec.description)
            if serves:
                prompt += Content.from_markup("\n[dim]for: $serves[/dim]", serves=serves)
            options.append(Option(prompt, id=spec.kind))
        yield OptionList(*options, id="wizard-list")

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

    def __init__(self, spec: Spec) -> None:
        super().__init__()
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
                    with Horizontal(id="wizard-buttons"):
                        yield Button("Copy ^y", id="copy", compact=True, variant="primary")
                        yield Button("Save ^s", id="save", compact=True)
                        yield Button("Reset ^r", id="reset", compact=True)
                yield SnippetPreview(id="wizard-preview")

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
        lines = snippet.text.count("\n") + 1
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
