"""What the checks work with: parsed objects, rules, findings and fixes.

An `Obj` is one Kubernetes object from a manifest, with the file and line it came from. A
`Rule` is data (id, level, practice, kinds, a title and help text) plus a small pure `test`
that yields `Hit`s for an object; the engine turns hits into `Finding`s. A `Fix` names a
snippet kind and its flags by string (this package never imports `snippets`), filled in
with the object's own values.
"""
from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("info", "warning", "error")  # lowest first
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

IGNORE_PREFIX = "eksguide.dev/ignore-"  # annotation eksguide.dev/ignore-<rule-id>: "<reason>"


@dataclass(frozen=True)
class Fix:
    """`eksguide snippet KIND --flag value ...`; a flag whose value is None is a switch
    (`--with-claim`, `--no-default-class`). `todo` lists flags the user still has to fill in
    (shown with an upper-case placeholder), because the object does not say."""

    kind: str
    flags: tuple[tuple[str, str | None], ...] = ()
    todo: tuple[str, ...] = ()

    def argv(self) -> list[str]:
        words = [self.kind]
        for flag, value in self.flags:
            words += [f"--{flag}"] if value is None else [f"--{flag}", value]
        for flag in self.todo:
            words += [f"--{flag}", flag.upper().replace("-", "_")]
        return words

    def command(self) -> str:
        return "eksguide snippet " + " ".join(shlex.quote(w) for w in self.argv())


def fix(kind: str, *pairs: tuple[str, Any], todo: Iterable[str] = ()) -> Fix:
    """A Fix from (flag, value) pairs; pairs whose value is None or empty are left out, and
    True/False become the switches --flag/--no-flag."""
    flags: list[tuple[str, str | None]] = []
    for flag, value in pairs:
        if value is True:
            flags.append((flag, None))
        elif value is False:
            flags.append((f"no-{flag}", None))
        elif value is not None and str(value) != "":
            flags.append((flag, str(value)))
    return Fix(kind, tuple(flags), tuple(todo))


@dataclass(frozen=True)
class Hit:
    """What a rule's test yields: the message, where (a key path inside the object), the fix,
    and `offset` lines below that key (a line inside a block string)."""

    message: str
    path: tuple[Any, ...] = ()
    fix: Fix | None = None
    offset: int = 0


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    practice: str
    kinds: tuple[str, ...]
    title: str  # one line: what the rule looks for
    help: str  # why it matters and how to fix it, for --list-rules and SARIF
    test: Callable[["Obj", "Context"], Iterable[Hit]]

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"rule {self.id}: level must be one of {', '.join(LEVELS)}")


@dataclass
class Obj:
    """One Kubernetes object: its body (a dict whose containers remember their YAML nodes)."""

    file: str
    line: int
    body: Mapping[str, Any]

    @property
    def kind(self) -> str:
        return str(self.body.get("kind") or "")

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion") or "")

    @property
    def metadata(self) -> Mapping[str, Any]:
        meta = self.body.get("metadata")
        return meta if isinstance(meta, Mapping) else {}

    @property
    def name(self) -> str:
        return text(self.metadata.get("name"))

    @property
    def namespace(self) -> str:
        return text(self.metadata.get("namespace"))

    @property
    def annotations(self) -> Mapping[str, Any]:
        notes = self.metadata.get("annotations")
        return notes if isinstance(notes, Mapping) else {}

    def line_of(self, path: tuple[Any, ...]) -> int:
        """The line of the deepest key or item along `path` that the YAML nodes know."""
        from .loader import line_of

        return line_of(self.body, path, self.line)


@dataclass(frozen=True)
class Finding:
    rule: Rule
    obj: Obj
    line: int
    message: str
    fix: Fix | None
    suppressed: str | None = None  # the reason given in an ignore annotation

    @property
    def level(self) -> str:
        return self.rule.level

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id, "level": self.rule.level, "practice": self.rule.practice,
            "file": self.obj.file, "line": self.line, "kind": self.obj.kind, "name": self.obj.name,
            "namespace": self.obj.namespace, "message": self.message,
            "fix": self.fix.command() if self.fix else None,
        }


@dataclass
class Context:
    """What a rule may know beyond its object: every object of the run (bindings look up roles)."""

    objects: list[Obj] = field(default_factory=list)
    _index: dict[tuple[str, str, str], Obj] | None = None

    def find(self, kind: str, namespace: str, name: str) -> Obj | None:
        if self._index is None:
            self._index = {(o.kind, o.namespace, o.name): o for o in self.objects}
        return self._index.get((kind, namespace, name))


# ------------------------------------------------------------------------- small accessors


def text(value: Any) -> str:
    """A scalar as Kubernetes would see it in a string field; containers and None give ''."""
    if value is None or isinstance(value, (Mapping, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def get(data: Any, *path: Any) -> Any:
    """data[path[0]][path[1]]... or None where a step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or not -len(data) <= step < len(data):
                return None
        elif not isinstance(data, Mapping):
            return None
        elif step not in data:
            return None
        data = data[step]
    return data


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def lower_keys(params: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    """Parameter keys lower-cased (drivers that compare keys case-insensitively): -> (key, value)."""
    return {str(k).lower(): (k, v) for k, v in params.items()}
