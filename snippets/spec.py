"""Declarative snippet specs: fields, validation and rendering in one place.

A `Spec` describes one kind of snippet: its fields (with help, defaults, choices, a
validator and a `when` condition) and a pure `render(answers) -> Snippet`. The CLI flags,
the TUI form and the docs are all generated from the spec, so each is written once.

`build(spec, raw)` is the single entry point: it coerces raw values (strings from a command
line or a form, or typed Python values), checks every field and every cross-field rule,
collects *all* errors, and renders only when there are none.
"""
from __future__ import annotations

import re

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

FIELD_TYPES = ("text", "choice", "bool", "int", "list")

Answers = Mapping[str, Any]
Validator = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class FieldError:
    """A problem with one field's value (or with a combination, named by its main field)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"--{self.field}: {self.message}"


class SnippetError(ValueError):
    """The answers do not make a valid snippet; `errors` lists every problem."""

    def __init__(self, errors: Sequence[FieldError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Field:
    """One question of a wizard.

    id       -- lower-case words joined by dashes; the CLI flag is `--<id>`.
    type     -- text, choice, bool, int or list (list: several values, given as a repeated
                flag or joined by `separator`).
    example  -- a good value, shown as a placeholder and in error messages.
    validate -- called with the coerced value (each item, for a list); returns an error
                message or None. Empty optional values are never validated.
    when     -- the field applies only when this returns True for the other answers;
                otherwise its value is None and it is hidden in forms.
    """

    id: str
    label: str
    help: str
    type: str = "text"
    default: Any = None
    choices: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    validate: Validator | None = None
    when: Callable[[Answers], bool] | None = None
    minimum: int | None = None
    maximum: int | None = None
    separator: str = ","

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.id}: unknown type {self.type!r}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"field {self.id}: a choice field needs choices")

    @property
    def flag(self) -> str:
        return f"--{self.id}"

    def applies(self, answers: Answers) -> bool:
        return self.when is None or bool(self.when(answers))

    def describe_default(self) -> str:
        if self.default is None or self.default == "" or self.default == ():
            return ""
        if self.type == "bool":
            return "yes" if self.default else "no"
        if self.type == "list":
            return self.separator.join(self.default)
        return str(self.default)


@dataclass(frozen=True)
class Snippet:
    """What a spec renders: the text and what a front end needs to present or save it.

    A render function gives the text, the suggested file name and any warnings; `build()`
    fills in the kind, language and practices from the spec, so they are stated once."""

    kind: str = ""
    text: str = ""
    language: str = ""  # yaml, shell or logs-insights
    filename: str = ""
    practices: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    kind: str
    title: str
    description: str  # one line, for `snippet --list`
    language: str
    practices: tuple[str, ...]
    fields: tuple[Field, ...]
    render: Callable[[dict[str, Any]], Snippet]
    checks: tuple[Callable[[dict[str, Any]], Iterable[FieldError]], ...] = ()

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def defaults(self) -> dict[str, Any]:
        return {f.id: f.default for f in self.fields}


_INT_RE = re.compile(r"[-+]?[0-9](?:_?[0-9]){0,17}")  # at most 18 digits: far past any field's maximum
TRUE_WORDS = {"true", "yes", "y", "on", "1"}
FALSE_WORDS = {"false", "no", "n", "off", "0"}


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple)) and len(value) == 0
    )


def _undecodable(text: str) -> bool:
    """Lone surrogates: bytes in an argument that were not UTF-8 (Python's surrogateescape)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def coerce(f: Field, value: Any) -> tuple[Any, str | None]:
    """Turn a raw value into the field's type: (value, None) or (None, error message)."""
    if _is_empty(value):
        return (() if f.type == "list" else None), None
    parts = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
    if f.type in ("text", "list") and any(_undecodable(str(part)) for part in parts):
        hint = f"; for example {f.example}" if f.example else ""
        return None, f"holds bytes that are not UTF-8 text (got {value!r}){hint}"
    if f.type == "bool":
        if isinstance(value, bool):
            return value, None
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return None, f"must be yes or no (true/false), got {value!r}"
    if f.type == "int":
        if isinstance(value, bool):
            return None, f"must be a whole number, for example {f.example or f.default or 1}"
        text = value if isinstance(value, int) else str(value).strip()
        if isinstance(text, str) and not _INT_RE.fullmatch(text):
            # ASCII digits only (int() would take Arabic-Indic or fullwidth ones), and not so many
            # that converting them is itself the problem
            shown = text if len(text) <= 40 else text[:37] + "..."
            return None, f"must be a whole number, for example {f.example or f.default or 1} (got {shown!r})"
        number = int(text.replace("_", "")) if isinstance(text, str) else text
        if f.minimum is not None and number < f.minimum:
            bound = f"between {f.minimum} and {f.maximum}" if f.maximum is not None else f"at least {f.minimum}"
            return None, f"must be {bound} (got {number})"
        if f.maximum is not None and number > f.maximum:
            bound = f"between {f.minimum} and {f.maximum}" if f.minimum is not None else f"at most {f.maximum}"
            return None, f"must be {bound} (got {number})"
        return number, None
    if f.type == "choice":
        text = str(value).strip()
        for choice in f.choices:
            if text == choice or text.lower() == choice.lower():
                return choice, None
        return None, f"must be one of {', '.join(f.choices)} (got {text!r})"
    if f.type == "list":
        items: list[str] = []
        raw_items = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for raw in raw_items:
            parts = str(raw).split(f.separator) if f.separator else [str(raw)]
            items.extend(p.strip() for p in parts if p.strip())
        return tuple(items), None
    if not isinstance(value, str):
        value = str(value)
    return value.strip(), None


# The example validators.dns_subdomain gives for any Kubernetes name: a StorageClass's name.
SHARED_NAME_EXAMPLE = "such as encrypted-gp3"


def with_example(f: Field, message: str) -> str:
    """A validator shared by every Kubernetes name ends its message with a StorageClass name;
    for another kind of name (a store, a Secret) the field's own example replaces it, so the
    error shows a value of the same kind."""
    if message.endswith(SHARED_NAME_EXAMPLE) and f.example and f.type != "list" and " " not in f.example:
        return message[: -len(SHARED_NAME_EXAMPLE)] + f"such as {f.example}"
    return message


def check(spec: Spec, raw: Answers) -> tuple[dict[str, Any], list[FieldError]]:
    """Coerce and validate every field; returns (answers, errors). Unknown keys are errors."""
    errors: list[FieldError] = []
    known = {f.id for f in spec.fields}
    for key in raw:
        if key not in known:
            errors.append(FieldError(str(key), f"is not a field of {spec.kind} (fields: {', '.join(sorted(known))})"))
    answers: dict[str, Any] = {}
    for f in spec.fields:
        # An empty answer to a field that has a default means the default (a cleared form field).
        given = raw[f.id] if f.id in raw and not _is_empty(raw[f.id]) else f.default
        value, problem = coerce(f, given)
        if problem:
            errors.append(FieldError(f.id, problem))
        answers[f.id] = value
    # Fields whose condition does not hold are cleared, so render never sees them, and a value
    # that could not be coerced does not count against them (a hidden form row keeps its text).
    for f in spec.fields:
        if not f.applies(answers):
            answers[f.id] = () if f.type == "list" else None
            errors = [e for e in errors if e.field != f.id]
            continue
        value = answers[f.id]
        if any(e.field == f.id for e in errors):
            continue
        if _is_empty(value):
            if f.required:
                hint = f", for example {f.flag} {f.example}" if f.example else ""
                errors.append(FieldError(f.id, f"is required{hint}"))
            continue
        if f.type == "choice" and value not in f.choices:
            errors.append(FieldError(f.id, f"must be one of {', '.join(f.choices)}"))
        if f.validate is not None:
            for item in value if f.type == "list" else (value,):
                message = f.validate(item)
                if message:
                    errors.append(FieldError(f.id, with_example(f, message)))
                    break
    # Cross-field rules see None for a field that failed; their findings on an already
    # failed field would only repeat it.
    failed = {e.field for e in errors}
    for f in spec.fields:
        if f.id in failed:
            answers[f.id] = () if f.type == "list" else None
    for rule in spec.checks:
        errors.extend(e for e in rule(answers) if e.field not in failed)
    return answers, errors


def build(spec: Spec, raw: Answers) -> Snippet:
    """Validate `raw` and render it; raises SnippetError listing every problem."""
    answers, errors = check(spec, raw)
    if errors:
        raise SnippetError(errors)
    return render(spec, answers)


def render(spec: Spec, answers: dict[str, Any]) -> Snippet:
    """Render answers that `check()` passed, stamped with the spec's kind, language and practices."""
    return replace(spec.render(answers), kind=spec.kind, language=spec.language, practices=spec.practices)
