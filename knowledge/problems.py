"""Located problems in content files, and YAML parsing that remembers line numbers.

Every content file (practices, glossary, tour) is checked when it loads. A problem names the
file and line so that the person editing it can jump straight there; a broken file is a
`ContentError` listing every problem found, never a traceback.
"""
from __future__ import annotations

from .record import record

Path = tuple  # keys and list indexes from the document root (typing.Any is not imported: it costs start-up)


@record(order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """One or more content files are invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class LocatedYaml:
    """A parsed YAML document plus the line of every key and list item in it."""

    def __init__(self, data: object, lines: dict[Path, int], first_line: int):
        self.data = data
        self._lines = lines
        self._first_line = first_line

    def line(self, *path: object) -> int:
        """The line of `path` (keys and list indexes), or of its nearest located parent."""
        while path not in self._lines and path:
            path = path[:-1]
        return self._lines.get(path, self._first_line)


def parse_yaml(text: str, filename: str, first_line: int = 1) -> tuple[LocatedYaml | None, list[Problem]]:
    """Parse one YAML document. Line numbers are shifted so that `first_line` is the text's first line."""
    import yaml  # here, not at the top: commands that find everything cached never parse YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where PyYAML has it
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(exc, filename, first_line)]
    if node is None:
        return LocatedYaml(None, {}, first_line), []
    lines: dict[Path, int] = {}
    problems: list[Problem] = []
    _walk(node, (), lines, problems, filename, offset)
    if problems:
        return None, problems
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:  # composes, but cannot be built: an unknown !tag
        return None, [_yaml_problem(exc, filename, first_line)]
    return LocatedYaml(data, lines, first_line), []


def _yaml_problem(exc, filename: str, first_line: int) -> Problem:
    offset = first_line - 1
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + offset if mark is not None else first_line
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark.line + 1 + offset != line:
        reason += f" ({context} that starts on line {context_mark.line + 1 + offset})"
    return Problem(filename, line, f"invalid YAML: {reason}")


def _walk(node, path: Path, lines: dict[Path, int], problems: list[Problem], filename: str, offset: int) -> None:
    lines.setdefault(path, node.start_mark.line + 1 + offset)
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(filename, line, "a key must be plain text, not a list or a mapping"))
                continue
            key = key_node.value
            if key in seen:
                problems.append(Problem(filename, line, f"the key {key!r} appears twice"))
            seen.add(key)
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, problems, filename, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines, problems, filename, offset)
