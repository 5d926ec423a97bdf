"""Reading manifests: YAML (or JSON) streams into Kubernetes objects that remember their lines.

PyYAML's composer (libyaml's, where PyYAML was built with it) gives every node its mark; a
small constructor turns nodes into plain dicts and lists, each keeping the lines of its keys
or items in a compact array (not the nodes: they are freed document by document, as in
PyYAML's own loading), so a finding can name the line of the very field it is about. The constructor is stricter than
PyYAML's on what a manifest must not hold, and every problem is a `Problem` (`file:line:
what`), never a traceback or a hang:

- a duplicate key (kubectl refuses it too), a key that is not a scalar;
- aliases that expand past a limit ("billion laughs"), nesting deeper than a limit;
- bytes that are not UTF-8 text, NUL bytes (binary files), files over a size limit;
- tabs and every other syntax error, as libyaml reports them, with the line.

Documents that are not Kubernetes objects (no string apiVersion and kind) are skipped with a
note; `kind: List` documents give their items.
"""
from __future__ import annotations

import gc
from array import array
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .model import Obj

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 100  # Kubernetes objects nest about 15 deep; libyaml itself stops at 1000
MAX_ALIAS_NODES = 100_000  # nodes that aliases may add to one file by repeating anchored ones

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_scalars = SafeConstructor()  # for the rarer scalar forms (0x1f, 1_000, 1:30, .inf)


class Map(dict):
    """A dict that remembers its lines: lines[0] its own (1-based), then one per key, in order."""

    __slots__ = ("lines",)


class Seq(list):
    """A list that remembers its lines: lines[0] its own, then one per item."""

    __slots__ = ("lines",)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:  # line 0: about the file as a whole (it could not be opened)
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class _Bad(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Loaded:
    """What one file gave: its objects, notes (skipped documents) and problems (bad input)."""

    objects: list[Obj] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Builder:
    """Nodes -> Map/Seq/scalars. `shared` is set when the text may hold anchors."""

    def __init__(self, shared: bool):
        self.memo: dict[int, tuple[Any, int]] | None = {} if shared else None
        self.count = 0
        self.aliased = 0

    def build(self, node, depth: int = 0):
        if isinstance(node, ScalarNode):
            self.count += 1
            return _scalar(node)
        if depth > MAX_DEPTH:
            raise _Bad(node.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels; no manifest needs that")
        memo = self.memo
        if memo is not None:
            seen = memo.get(id(node))
            if seen is not None:  # an alias: the same node again
                self.aliased += seen[1]
                self.count += seen[1]  # so the containers around it count the expansion too
                if self.aliased > MAX_ALIAS_NODES:
                    raise _Bad(node.start_mark.line + 1, f"aliases expand to more than {MAX_ALIAS_NODES} nodes "
                                                         "(a 'billion laughs' document?); write the values out")
                return seen[0]
            before = self.count
        self.count += 1
        if isinstance(node, MappingNode):
            value = self._mapping(node, depth)
        elif isinstance(node, SequenceNode):
            value = Seq(self.build(child, depth + 1) for child in node.value)
            value.lines = array("I", [node.start_mark.line + 1] + [c.start_mark.line + 1 for c in node.value])
        else:  # pragma: no cover - the composer makes only these three
            raise _Bad(node.start_mark.line + 1, "an unknown kind of YAML node")
        if memo is not None:
            memo[id(node)] = (value, self.count - before)
        return value

    def _mapping(self, node, depth: int) -> Map:
        out = Map()
        lines = [node.start_mark.line + 1]
        merged: list[Any] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Bad(key_node.start_mark.line + 1, "a mapping key that is a list or mapping; keys must be plain values")
            if key_node.tag == _MERGE:
                merged.append(value_node)
                continue
            key = _scalar(key_node)
            try:
                duplicate = key in out
            except TypeError:  # pragma: no cover - scalars are hashable
                duplicate = False
            if duplicate:
                raise _Bad(key_node.start_mark.line + 1, f"duplicate key {key!r} (kubectl rejects it; keep one)")
            out[key] = self.build(value_node, depth + 1)
            lines.append(key_node.start_mark.line + 1)
        for value_node in merged:  # '<<: *defaults': explicit keys win
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                built = self.build(source, depth + 1)
                if not isinstance(built, Mapping):
                    raise _Bad(value_node.start_mark.line + 1, "'<<' must merge a mapping or a list of mappings")
                for key, value in built.items():
                    if key not in out:
                        out[key] = value
                        lines.append(value_node.start_mark.line + 1)
        out.lines = array("I", lines)
        return out


def _scalar(node):
    tag = node.tag
    value = node.value
    if tag == _STR:
        return value
    if tag == _INT:
        if value.isdigit() and (value[0] != "0" or value == "0"):
            return int(value)
        return _scalars.construct_yaml_int(node)
    if tag == _BOOL:
        return _BOOLS[value.lower()]
    if tag == _NULL:
        return None
    if tag == _FLOAT:
        return _scalars.construct_yaml_float(node)
    return value  # timestamps, binary and custom tags stay text, as kubectl reads them


def line_of(body: Any, path: tuple[Any, ...], default: int) -> int:
    """The line of the deepest step of `path` whose node is known (1-based)."""
    line = default
    data = body
    for step in path:
        if isinstance(data, Map) and step in data:
            line = data.lines[1 + list(data).index(step)]
        elif isinstance(data, Seq) and isinstance(step, int) and 0 <= step < len(data):
            line = data.lines[1 + step]
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            break
    return line


def start_line(value: Any, default: int = 1) -> int:
    lines = getattr(value, "lines", None)
    return lines[0] if lines else default


def decode(data: bytes, file: str) -> tuple[str | None, Problem | None]:
    if len(data) > MAX_BYTES:
        return None, Problem(file, 1, f"larger than {MAX_BYTES // (1024 * 1024)} MiB; split it or check the parts")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, Problem(file, line, "holds a NUL byte: a binary file, not YAML or JSON text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(file, line, f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save the file as UTF-8")


def load_bytes(data: bytes, file: str) -> Loaded:
    text, problem = decode(data, file)
    if problem is not None:
        return Loaded(problems=[problem])
    return load_text(text, file)


@contextmanager
def paused_gc() -> Iterator[None]:
    """The objects built and checked here hold no reference cycles (reference counting frees
    them), so the cyclic garbage collector would only walk the growing heap of YAML nodes again
    and again: that takes more time than parsing. Pause it (nesting is fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_text(text: str, file: str) -> Loaded:
    with paused_gc():
        return _load_text(text, file)


def _load_text(text: str, file: str) -> Loaded:
    result = Loaded()
    try:
        for root in _documents(text, file, result):
            _collect(root, file, result)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(str(exc.problem or exc.context or "not valid YAML").split())
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            what += " (a tab: YAML indents with spaces only)"
        result.problems.append(Problem(file, line, f"not valid YAML: {what}"))
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        result.problems.append(Problem(file, line, f"character #x{_code(exc.character):04x} is not allowed in YAML "
                                                   "(a control character: is this a binary file?)"))
    except yaml.YAMLError as exc:
        result.problems.append(Problem(file, 1, f"not valid YAML: {' '.join(str(exc).split())}"))
    except _Bad as exc:
        result.problems.append(Problem(file, exc.line, exc.message))
    except RecursionError:  # only without libyaml: the pure-Python composer recurses
        result.problems.append(Problem(file, 1, "nesting too deep to read"))
    return result


def _code(character: Any) -> int:
    return ord(character) if isinstance(character, str) and character else int(character or 0)


def parse_value(text: str) -> tuple[Any, tuple[int, str] | None]:
    """One YAML document held in a string field (SecretProviderClass objects): (value, None), or
    (None, (line within the text, what is wrong)); the same limits as for files."""
    try:
        with paused_gc():
            values = list(_documents(text, "", Loaded()))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, ((mark.line + 1) if mark is not None else 1, " ".join(str(exc.problem or exc.context).split()))
    except yaml.YAMLError as exc:
        return None, (1, " ".join(str(exc).split()))
    except _Bad as exc:
        return None, (exc.line, exc.message)
    except RecursionError:
        return None, (1, "nesting too deep to read")
    if len(values) > 1:
        return None, (1, "holds several YAML documents; give one list")
    return (values[0] if values else None), None


def _char_at(text: str, line: int, column: int) -> str:
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    return text[start + column:start + column + 1]


def _documents(text: str, file: str, result: Loaded) -> Iterator[Any]:
    builder = _Builder(shared="&" in text)
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if builder.memo is not None:
                builder.memo = {}  # anchors never cross documents, and node ids are reused once freed
            if node is not None:
                yield builder.build(node)
    finally:
        loader.dispose()


def _collect(root: Any, file: str, result: Loaded) -> None:
    if root is None:
        return
    line = start_line(root)
    if not _is_object(root):
        result.notes.append(Problem(file, line, "not a Kubernetes object (no apiVersion and kind); skipped"))
        return
    if root["kind"] == "List" and isinstance(root.get("items"), list):
        for item in root["items"]:
            item_line = start_line(item, line)
            if _is_object(item):
                result.objects.append(Obj(file, item_line, item))
            else:
                result.notes.append(Problem(file, item_line, "a List item that is not a Kubernetes object; skipped"))
        return
    result.objects.append(Obj(file, line, root))


def _is_object(value: Any) -> bool:
    return (isinstance(value, Mapping) and isinstance(value.get("apiVersion"), str)
            and isinstance(value.get("kind"), str) and bool(value["kind"]))
