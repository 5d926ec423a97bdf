"""A form generated from a snippet Spec: one row per Field, checked on every change.

Nothing in here knows about any particular snippet kind. Each field type maps to one control:

    text, list -> Input (a list is typed as values joined by the field's separator)
    int        -> Input restricted to ASCII digits (a linear pattern, see INT_RESTRICT)
    choice     -> Select
    bool       -> Checkbox

Every change runs `snippets.check(spec, raw)` over the whole form, so cross-field rules and
`when` conditions apply as soon as a value changes: rows whose condition fails are hidden, and
each row shows its first error once the user has changed it or left it (or once `reveal_all`
is called, as before copying or saving). The form then posts `SpecForm.Changed`. Typing is
kept off that path: a text field is checked once typing pauses (DEBOUNCE seconds), or at once
when it loses focus, so keys only ever edit the field that has focus. A choice or a tick is
checked at once (it can show or hide fields).
"""
from __future__ import annotations

import re
from typing import Any

import snippets
from snippets import Field, FieldError, Spec
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from .steady_input import SteadyInput

RawValue = str | bool
INT_RESTRICT = r"[-+]?[0-9]*"
INT_MAX_LENGTH = 20
DEBOUNCE = 0.1  # seconds after the last key before a text field is checked


def initial_value(field: Field) -> RawValue:
    """What a field's control starts with: its default, in the form a control holds."""
    if field.type == "bool":
        return bool(field.default)
    if field.default is None or field.default == ():
        return ""
    if field.type == "list":
        return field.describe_default()
    return str(field.default)


def is_blank(value: RawValue) -> bool:
    return isinstance(value, str) and not value.strip()


def form_message(spec: Spec, field: Field, message: str) -> str:
    """A check message as the form shows it under `field`.

    Messages are written for the command line too ("is required, for example --namespace
    my-app"); in the form, flags become field labels and a bare predicate gets its subject.
    """
    for other in spec.fields:
        flag = re.escape(other.flag) + r"(?![\w-])"  # --name, but not the start of --namespace
        message = re.sub(rf"\b(for example|such as) {flag} ", r"\1 ", message)
        message = re.sub(flag, lambda _match, label=other.label: f"'{label}'", message)
    if message.startswith("is required"):
        return "Required" + message[len("is required"):]
    if message.startswith(("is ", "must ", "needs ", "would ", "should ")):
        message = f"{field.label} {message}"
    return message


def preview_raw(spec: Spec, raw: dict[str, RawValue]) -> tuple[dict[str, RawValue], list[str]]:
    """The raw answers with each blank required field replaced by its example value.

    Lets the preview show the shape of the output before everything is filled in. Returns the
    answers and the labels of the fields that were stood in for.
    """
    out = dict(raw)
    stand_ins: list[str] = []
    answers, _ = snippets.check(spec, raw)
    for field in spec.fields:
        if field.required and field.example and is_blank(raw.get(field.id, "")) and field.applies(answers):
            out[field.id] = field.example
            stand_ins.append(field.label)
    return out, stand_ins


class FieldRow(Vertical):
    """Label, control, help text and the current error of one field."""

    def __init__(self, field: Field, value: RawValue) -> None:
        super().__init__(id=f"row-{field.id}", classes="field-row")
        self.field = field
        self.initial = value
        self.touched = False
        self.placeholder = ""
        self.error: str | None = None  # the message on show

    def compose(self) -> ComposeResult:
        field = self.field
        control_id = f"field-{field.id}"
        if field.type != "bool":
            mark = " *" if field.required else ""
            yield Label(Content.from_markup("[b]$label[/b]$mark", label=field.label, mark=mark), classes="field-label")
        placeholder = ""
        if field.example:
            placeholder = f"e.g. {field.example}"
        elif field.type != "bool" and field.describe_default():
            placeholder = f"default: {field.describe_default()}"
        if field.type == "list":
            placeholder = f"{placeholder}  (separate values with {field.separator!r})".strip()
        self.placeholder = placeholder
        if field.type in ("text", "list"):
            yield SteadyInput(str(self.initial), placeholder=placeholder, id=control_id, select_on_focus=False,
                        compact=True)
        elif field.type == "int":
            # Not Input(type="integer"): Textual's pattern for it, [-+]?(?:\d*|\d+_)*, backtracks
            # catastrophically (24 digits then a letter froze the app for seconds). ASCII digits
            # with an optional sign, matched in linear time, and no more than any bound needs.
            yield SteadyInput(str(self.initial), placeholder=placeholder, id=control_id, restrict=INT_RESTRICT,
                              max_length=INT_MAX_LENGTH, select_on_focus=False, compact=True)
        elif field.type == "choice":
            options = [(Content(choice), choice) for choice in field.choices]
            value = self.initial if self.initial in field.choices else Select.NULL
            # A blank entry only when the field has no default (or nothing is chosen yet): with
            # a default, blank would not mean "the default" but "no value".
            allow_blank = value is Select.NULL or field.default is None
            yield Select(options, value=value, allow_blank=allow_blank, id=control_id, prompt="Choose",
                         compact=True)
        else:
            yield Checkbox(Content(field.label), bool(self.initial), id=control_id, compact=True)
        help_text = field.help
        default = field.describe_default()
        if default and field.type != "bool" and "default" not in help_text.lower():
            help_text = f"{help_text} Default: {default}."
        yield Static(Content(help_text), classes="field-help")
        yield Static("", classes="field-error")

    def on_resize(self) -> None:
        self.fit_placeholder()

    def fit_placeholder(self) -> None:
        """Cut a long placeholder to the input's width (an Input would wrap it and show only
        its first words)."""
        control = self.control
        if isinstance(control, Input) and self.placeholder:
            width = max(control.content_size.width - 1, 8)
            text = self.placeholder
            control.placeholder = text if len(text) <= width else text[: width - 1] + "…"

    @property
    def control(self) -> Widget:
        return self.query_one(f"#field-{self.field.id}")

    def raw_value(self) -> RawValue:
        control = self.control
        if isinstance(control, Checkbox):
            return control.value
        if isinstance(control, Select):
            return "" if control.value is Select.NULL else str(control.value)
        assert isinstance(control, Input)
        return control.value

    def set_raw_value(self, value: RawValue) -> None:
        control = self.control
        if isinstance(control, Checkbox):
            control.value = bool(value)
        elif isinstance(control, Select):
            control.value = value if value in self.field.choices else Select.NULL
        elif isinstance(control, Input):
            control.value = str(value)

    def show_error(self, message: str | None) -> None:
        if message == self.error:
            return
        self.error = message
        error = self.query_one(".field-error", Static)
        error.update(Content(message or ""))
        error.display = bool(message)
        self.set_class(bool(message), "-invalid")
        self.control.set_class(bool(message), "-invalid")


class SpecForm(VerticalScroll):
    """The generated form; `raw()` is what a user typed, ready for snippets.check / build."""

    class Changed(Message):
        """The form's values changed (or the form was just mounted)."""

        def __init__(self, form: SpecForm, raw: dict[str, RawValue], answers: dict[str, Any],
                     errors: list[FieldError]) -> None:
            super().__init__()
            self.form = form
            self.raw = raw
            self.answers = answers
            self.errors = errors

        @property
        def control(self) -> SpecForm:
            return self.form

    def __init__(self, spec: Spec, values: dict[str, RawValue] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="spec-form")
        self.spec = spec
        self._values = dict(values or {})
        self.revealed = False
        self.errors: list[FieldError] = []
        self._rows: list[FieldRow] | None = None
        self._pending: Timer | None = None  # a check waiting for typing to pause

    def compose(self) -> ComposeResult:
        for field in self.spec.fields:
            value = self._values.get(field.id, initial_value(field))
            yield FieldRow(field, value)

    def on_mount(self) -> None:
        self.validate()

    def rows(self) -> list[FieldRow]:
        if self._rows is None:
            self._rows = list(self.query_children(FieldRow))
        return self._rows

    def on_descendant_focus(self, event) -> None:
        """Mark the row being answered: its help text shows (see widgets.tcss)."""
        for row in self.rows():
            row.set_class(row in event.widget.ancestors_with_self, "-current")

    def on_descendant_blur(self, event) -> None:
        if self.screen.focused is None or self not in self.screen.focused.ancestors:
            for row in self.rows():
                row.remove_class("-current")

    def row(self, field_id: str) -> FieldRow:
        return self.query_one(f"#row-{field_id}", FieldRow)

    def values(self) -> dict[str, RawValue]:
        """What every control holds, blank or not (kept to restore the form later)."""
        return {row.field.id: row.raw_value() for row in self.rows()}

    def raw(self) -> dict[str, RawValue]:
        """The answers for snippets.check / build. A blank field that has a default is left
        out, so it means "the default" (as an omitted flag does on the command line)."""
        return {
            field_id: value
            for field_id, value in self.values().items()
            if not (is_blank(value) and self.spec.field(field_id).default is not None)
        }

    def reveal_all(self) -> list[FieldError]:
        """Show every error, touched or not (before copying or saving); returns them."""
        self.revealed = True
        return self.validate()

    def reset(self) -> None:
        """Put every field back to its default."""
        self.revealed = False
        for row in self.rows():
            row.initial = initial_value(row.field)
            row.touched = False
            row.set_raw_value(row.initial)
        self.validate()

    def validate_soon(self) -> None:
        """Check the form once typing pauses."""
        if self._pending is not None:
            self._pending.reset()
        else:
            self._pending = self.set_timer(DEBOUNCE, self.validate, name="check the form")

    @property
    def pending(self) -> bool:
        """A check is waiting for typing to pause."""
        return self._pending is not None

    def validate(self) -> list[FieldError]:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        raw = self.raw()
        answers, errors = snippets.check(self.spec, raw)
        first: dict[str, str] = {}
        for error in errors:
            first.setdefault(error.field, error.message)
        for row in self.rows():
            field = row.field
            row.display = field.applies(answers)
            if row.raw_value() != row.initial:
                row.touched = True
            shown = row.display and (row.touched or self.revealed)
            message = first.get(field.id) if shown else None
            row.show_error(form_message(self.spec, field, message) if message else None)
        self.errors = errors
        self.post_message(self.Changed(self, raw, answers, errors))
        return errors

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        if not self.is_mounted:
            return
        if isinstance(event, Input.Changed) and event.input.has_focus:
            self.validate_soon()
        else:
            self.validate()

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        """Leaving a field counts as answering it: its message (if any) shows from now on."""
        for row in self.rows():
            if row.control is event.input and not row.touched:
                row.touched = True
                if self.pending or any(error.field == row.field.id for error in self.errors):
                    self.validate()
                return
        if self.pending:
            self.validate()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        """Enter in a field moves on to the next one, like Tab."""
        event.stop()
        self.screen.focus_next()
