"""CloudWatch Logs Insights queries and metric-filter patterns, assembled from parts.

Two small languages, and each has exactly one function that turns a value into text:

- `insights_string(value)` writes a Logs Insights string literal: double quotes, with a
  backslash before every backslash and double quote inside. A pipe, a `#` or a quote in
  the value stays inside the literal, so it can neither end the command nor start a new
  one. Characters that could end a line or hide text (control, format and line/paragraph
  separator characters) are refused rather than escaped.
- `pattern_string(value)` writes a string for a metric filter JSON pattern. That syntax
  documents no escape character and treats `*` as a wildcard, so a value containing a
  double quote, a backslash or `*` is refused rather than guessed at.

Field names and JSON selectors come from the code that builds the query, never from user
answers; they are checked against the plain-name rule of each language and refused if they
would need quoting. Every builder raises `QueryError` (a ValueError) for anything it cannot
write faithfully, so a query is either exactly what was asked for or not written at all.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Longest filter pattern CloudWatch Logs accepts (PutMetricFilter filterPattern, max 1024).
MAX_PATTERN_LENGTH = 1024
# Longest query string StartQuery accepts.
MAX_QUERY_LENGTH = 10000
# Highest `limit` this module writes (the most rows one GetQueryResults call returns).
MAX_LIMIT = 10000

# Unicode categories refused in values: control (includes CR, LF, NUL, NEL), format
# (zero-width and bidirectional controls that hide or reorder text), surrogates (cannot be
# encoded), line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}

# Logs Insights: a field named only with letters, digits, '@' and '.' needs no backticks.
_INSIGHTS_FIELD_RE = re.compile(r"^@?[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$")
_INSIGHTS_COMMANDS = frozenset({"fields", "display", "filter", "stats", "sort", "limit", "dedup"})
_COMPARISONS = frozenset({"=", "!="})

# Metric filter JSON selectors: property names of letters, digits, '-' and '_', each
# optionally followed by array indexes.
_SELECTOR_PART_RE = re.compile(r"^[A-Za-z0-9_-]+(?:\[\d+\])*$")
_PATTERN_REFUSED = {'"': "a double quote", "\\": "a backslash", "*": "'*' (a wildcard in filter patterns)"}


class QueryError(ValueError):
    """A part cannot be written faithfully into a query or filter pattern."""


def unsupported_character(value: str) -> str | None:
    """Why `value` cannot go into a query or pattern string (None when it can)."""
    for ch in value:
        category = unicodedata.category(ch)
        if category in _REFUSED_CATEGORIES:
            if ch in "\r\n\x85\u2028\u2029":
                return "must be a single line of text"
            return f"must not contain control or invisible formatting characters (found U+{ord(ch):04X})"
    return None


# --------------------------------------------------------------------------- Logs Insights


def insights_string(value: str) -> str:
    """The one quoting function for Logs Insights: `value` as a double-quoted string literal."""
    if not isinstance(value, str):
        raise QueryError(f"a query string must be text, not {type(value).__name__}")
    problem = unsupported_character(value)
    if problem:
        raise QueryError(f"{value!r} {problem}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def field(name: str) -> str:
    """A field reference (`objectRef.name`, `@timestamp`, `sourceIPs.0`), checked, unquoted."""
    if not isinstance(name, str) or not _INSIGHTS_FIELD_RE.match(name):
        raise QueryError(f"{name!r} is not a plain Logs Insights field name")
    return name


def compare(name: str, operator: str, value: str) -> str:
    """`name = "value"` (or `!=`)."""
    if operator not in _COMPARISONS:
        raise QueryError(f"unsupported comparison {operator!r}")
    return f"{field(name)} {operator} {insights_string(value)}"


def one_of(name: str, values: Sequence[str]) -> str:
    """`name in ["a", "b"]`: set membership; at least one value."""
    if not values:
        raise QueryError(f"{name}: 'in' needs at least one value")
    return f"{field(name)} in [{', '.join(insights_string(v) for v in values)}]"


def all_of(conditions: Iterable[str]) -> str:
    """Conditions joined with `and`."""
    parts = list(conditions)
    if not parts:
        raise QueryError("a filter needs at least one condition")
    return " and ".join(parts)


def command(keyword: str, body: str) -> str:
    """One query command; its body is built by the functions above and stays on one line."""
    if keyword not in _INSIGHTS_COMMANDS:
        raise QueryError(f"unknown Logs Insights command {keyword!r}")
    if "\n" in body or "\r" in body:
        raise QueryError(f"{keyword}: a command must stay on one line")
    return f"{keyword} {body}"


def fields_command(names: Sequence[str]) -> str:
    return command("fields", ", ".join(field(n) for n in names))


def filter_command(conditions: Iterable[str]) -> str:
    return command("filter", all_of(conditions))


def stats_count(alias: str, by: Sequence[str]) -> str:
    """`stats count(*) as alias by f1, f2`."""
    if not by:
        raise QueryError("stats needs at least one grouping field")
    return command("stats", f"count(*) as {field(alias)} by {', '.join(field(n) for n in by)}")


def sort_command(name: str, descending: bool = True) -> str:
    return command("sort", f"{field(name)} {'desc' if descending else 'asc'}")


def limit_command(rows: int) -> str:
    if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= MAX_LIMIT:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_LIMIT}, got {rows!r}")
    return command("limit", str(rows))


def query(commands: Sequence[str], header: str = "") -> str:
    """Commands joined by pipes, one per line, after an optional comment header."""
    if not commands:
        raise QueryError("a query needs at least one command")
    for cmd in commands:
        if "\n" in cmd or "\r" in cmd:
            raise QueryError("a command must stay on one line")
    for line in header.splitlines():
        if line and not line.startswith("#"):
            raise QueryError("every header line must be a '#' comment")
    text = header + "\n| ".join(commands) + "\n"
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(text)} characters; Logs Insights accepts at most {MAX_QUERY_LENGTH}")
    return text


# ------------------------------------------------------------- metric filter JSON patterns


def pattern_string(value: str) -> str:
    """The one quoting function for filter patterns: `value` as an exact-match string."""
    if not isinstance(value, str):
        raise QueryError(f"a pattern string must be text, not {type(value).__name__}")
    problem = unsupported_character(value)
    if problem:
        raise QueryError(f"{value!r} {problem}")
    for ch, what in _PATTERN_REFUSED.items():
        if ch in value:
            raise QueryError(f"{value!r} contains {what}, which a metric filter pattern cannot match literally")
    return f'"{value}"'


def selector(path: str) -> str:
    """`objectRef.resource` -> `$.objectRef.resource`, checked."""
    parts = path.split(".") if isinstance(path, str) else []
    if not parts or not all(_SELECTOR_PART_RE.match(p) for p in parts):
        raise QueryError(f"{path!r} is not a plain JSON property path")
    return "$." + ".".join(parts)


def json_equals(path: str, value: str) -> str:
    """`$.path = "value"` (exact match)."""
    return f"{selector(path)} = {pattern_string(value)}"


def json_any(terms: Sequence[str]) -> str:
    """Terms joined with `||` (wrap the result with json_all or parentheses)."""
    if not terms:
        raise QueryError("'||' needs at least one term")
    return " || ".join(terms)


def json_all(terms: Sequence[str]) -> str:
    """Terms joined with `&&`, each in parentheses (`&&` binds tighter than `||`)."""
    if not terms:
        raise QueryError("'&&' needs at least one term")
    return " && ".join(f"({t})" for t in terms)


def json_pattern(expression: str) -> str:
    """The whole JSON pattern `{ ... }`, refused when longer than CloudWatch accepts."""
    if "\n" in expression or "\r" in expression:
        raise QueryError("a filter pattern must stay on one line")
    text = "{ " + expression + " }"
    if len(text) > MAX_PATTERN_LENGTH:
        raise QueryError(f"the filter pattern is {len(text)} characters; CloudWatch Logs accepts at most {MAX_PATTERN_LENGTH}")
    return text
