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


def speak_fields(spec: Spec, text: str) -> str:
    """Text written for the command line too ("is required, for example --namespace my-app",
    "No --sns-topic-arn") as the app shows it: each flag of the spec becomes its field's label."""
    if "--" not in text:
        return text
    for other in spec.fields:
        flag = re.escape(other.flag) + r"(?![\w-])"  # --name, but not the start of --namespace
        text = re.sub(rf"\b(for example|such as) {flag} ", r"\1 ", text)
        text = re.sub(flag, lambda _match, label=other.label: f"'{label}'", text)
    return text


def form_message(spec: Spec, field: Field, message: str) -> str:
    """A check message as the form shows it under `field`: flags become field labels and a
    bare predicate gets its subject."""
    message = speak_fields(spec, message)
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
    # Twice: a stand-in can make a rule apply that asks for another blank field.
    for _ in range(2):
        answers, errors = snippets.check(spec, out)
        failing = {error.field for error in errors}
        for field in spec.fields:
            blank = is_blank(out.get(field.id, ""))
            wanted = field.required or field.id in failing  # required, or by a rule (see FieldRow)
            if wanted and blank and field.example and field.applies(answers) and field.label not in stand_ins:
                out[field.id] = field.example
                stand_ins.append(field.label)
    return out, stand_ins


def field_help(spec: Spec, field: Field) -> str:
    """A field's help as the form shows it (for the field at hand, in the help area)."""
    help_text = field.help
    default = field.describe_default()
    if default and field.type != "bool" and "default" not in help_text.lower():
        help_text = f"{help_text} Default: {default}."
    return speak_fields(spec, help_text)


class FieldRow(Vertical):
    """Label, control and the current error of one field (its help shows in the form's help
    area while the field has focus; the error line is mounted the first time it is needed)."""

    def __init__(self, field: Field, value: RawValue) -> None:
        super().__init__(id=f"row-{field.id}", classes="field-row")
        self.field = field
        self.initial = value
        self.touched = False
        self.placeholder = ""
        self.error: str | None = None  # the message on show
        self.required = field.required  # by the spec, or now by a rule over the other answers
        self._error_line: Static | None = None

    def _label(self) -> Content:
        mark = " *" if self.required else ""
        return Content.from_markup("[b]$label[/b]$mark", label=self.field.label, mark=mark)

    def compose(self) -> ComposeResult:
        field = self.field
        control_id = f"field-{field.id}"
        if field.type != "bool":
            yield Label(self._label(), classes="field-label")
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

    def mark_required(self, required: bool) -> None:
        """Show or drop the `*` after the label (a rule can make a field required)."""
        if required != self.required:
            self.required = required
            if self.field.type != "bool":
                self.query_one(".field-label", Label).update(self._label())

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
        if self._error_line is None:
            if not message:
                return
            self._error_line = Static("", classes="field-error")
            self.mount(self._error_line)
        error = self._error_line
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

    class FieldFocused(Message):
        """A field's control got focus: its help is what to show now."""

        def __init__(self, form: SpecForm, field: Field) -> None:
            super().__init__()
            self.form = form
            self.field = field
            self.help = field_help(form.spec, field)

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
        self.changed_once = False  # the user has changed a value since the form was built

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
        """The field at hand: its help shows in the help area (see FieldFocused)."""
        for row in self.rows():
            if row in event.widget.ancestors:
                self.post_message(self.FieldFocused(self, row.field))
                return

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
        self.revealed = self.changed_once = False
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
            value = row.raw_value()
            if value != row.initial:
                row.touched = self.changed_once = True
            # A blank optional field is never checked on its own: an error on it comes from a
            # rule over the other answers (io2 volumes need IOPS), which makes it required now.
            by_rule = row.display and is_blank(value) and field.id in first
            row.mark_required(field.required or by_rule)
            shown = row.display and (row.touched or self.revealed or (by_rule and self.changed_once))
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
