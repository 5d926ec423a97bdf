"""snippets.insights: the quoting functions and query/pattern builders.

The readers below are written independently of the module: they split a Logs Insights query
on unquoted pipes (skipping '#' comments) and read string literals back, so a value that
could escape its literal would show up as an extra command or a changed value.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import insights as q

HOSTILE = [
    'a"b',
    "back\\slash",
    'end\\"',
    "pipe | stats count(*)",
    "# not a comment",
    '" | filter 1=1 | #',
    "'single'",
    "`tick`",
    "üñí©ødé ✓",
    "---",
    "a: b",
    "\\",
    '"',
    "",
]
LINE_BREAKS = ["a\nb", "a\rb", "a\x00b", "a\x85b", "a\u2028b", "a\u2029b", "bidi\u202eevil", "zero\u200bwidth", "\x1b[31m"]


def read_insights(text: str) -> list[tuple[str, list[str]]]:
    """Split a query into commands: (command text with literals blanked, literal values)."""
    commands: list[tuple[str, list[str]]] = []
    current: list[str] = []
    literals: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            quote, value, i = ch, [], i + 1
            while True:
                if i >= len(text):
                    raise AssertionError(f"unterminated string in {text!r}")
                c = text[i]
                if c == "\\":
                    value.append(text[i + 1])
                    i += 2
                    continue
                if c == quote:
                    i += 1
                    break
                value.append(c)
                i += 1
            literals.append("".join(value))
            current.append("<str>")
            continue
        if ch == "`":
            end = text.index("`", i + 1)
            current.append(text[i : end + 1])
            i = end + 1
            continue
        if ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if ch == "|":
            commands.append(("".join(current).strip(), literals))
            current, literals = [], []
            i += 1
            continue
        current.append(ch)
        i += 1
    commands.append(("".join(current).strip(), literals))
    return [c for c in commands if c[0] or c[1]]


def read_pattern_strings(pattern: str) -> list[str]:
    """The double-quoted strings of a metric filter pattern (no escapes exist there)."""
    values, i = [], 0
    while True:
        start = pattern.find('"', i)
        if start < 0:
            return values
        end = pattern.find('"', start + 1)
        assert end > start, f"unterminated string in {pattern!r}"
        values.append(pattern[start + 1 : end])
        i = end + 1


# ----------------------------------------------------------------------- insights_string


@pytest.mark.parametrize("value", HOSTILE)
def test_insights_string_round_trips_hostile_values(value):
    literal = q.insights_string(value)
    assert literal.startswith('"') and literal.endswith('"')
    assert read_insights(literal) == [("<str>", [value])]


@pytest.mark.parametrize("value", LINE_BREAKS)
def test_insights_string_refuses_line_breaks_and_hidden_characters(value):
    with pytest.raises(q.QueryError):
        q.insights_string(value)


def test_insights_string_refuses_non_text():
    with pytest.raises(q.QueryError):
        q.insights_string(5)  # type: ignore[arg-type]


def test_insights_string_escapes_only_backslash_and_quote():
    assert q.insights_string('a"b\\c|d#e') == '"a\\"b\\\\c|d#e"'


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_insights_string_is_faithful_or_refuses(value):
    try:
        literal = q.insights_string(value)
    except q.QueryError:
        assert q.unsupported_character(value) is not None
        return
    assert read_insights(literal) == [("<str>", [value])]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=4))
def test_a_value_never_adds_or_removes_a_command(values):
    try:
        cond = q.all_of([q.compare("user.username", "=", values[0]), q.one_of("verb", values)])
    except q.QueryError:
        return
    text = q.query([q.filter_command([cond]), q.stats_count("reads", ["user.username"]), q.limit_command(5)])
    commands = read_insights(text)
    assert [c[0].split()[0] for c in commands] == ["filter", "stats", "limit"]
    assert commands[0][1] == [values[0], *values]
    assert commands[0][0] == "filter user.username = <str> and verb in [" + ", ".join(["<str>"] * len(values)) + "]"


# ----------------------------------------------------------------------- query builders


@pytest.mark.parametrize("name", ["objectRef.name", "@timestamp", "sourceIPs.0", "user.username", "reads"])
def test_field_accepts_plain_names(name):
    assert q.field(name) == name


@pytest.mark.parametrize("name", ["", "a-b", "a b", "a|b", "a..b", ".a", "a.", "a\nb", "`a`", "@", 'a"', 5])
def test_field_refuses_names_that_need_quoting(name):
    with pytest.raises(q.QueryError):
        q.field(name)


def test_compare_and_one_of():
    assert q.compare("verb", "=", "get") == 'verb = "get"'
    assert q.compare("verb", "!=", "get") == 'verb != "get"'
    assert q.one_of("verb", ["get", "list"]) == 'verb in ["get", "list"]'
    with pytest.raises(q.QueryError):
        q.compare("verb", "like", "get")
    with pytest.raises(q.QueryError):
        q.one_of("verb", [])
    with pytest.raises(q.QueryError):
        q.all_of([])


def test_commands():
    assert q.fields_command(["@timestamp", "verb"]) == "fields @timestamp, verb"
    assert q.sort_command("reads") == "sort reads desc"
    assert q.sort_command("@timestamp", descending=False) == "sort @timestamp asc"
    assert q.stats_count("reads", ["a.b", "c"]) == "stats count(*) as reads by a.b, c"
    with pytest.raises(q.QueryError):
        q.stats_count("reads", [])
    with pytest.raises(q.QueryError):
        q.command("drop", "everything")
    with pytest.raises(q.QueryError):
        q.command("filter", "a = 1\n| stats count(*)")


@pytest.mark.parametrize("rows", [0, -1, q.MAX_LIMIT + 1, True, "5", 2.0])
def test_limit_refuses_out_of_range(rows):
    with pytest.raises(q.QueryError):
        q.limit_command(rows)  # type: ignore[arg-type]


def test_limit_bounds():
    assert q.limit_command(1) == "limit 1"
    assert q.limit_command(q.MAX_LIMIT) == f"limit {q.MAX_LIMIT}"


def test_query_layout_and_header():
    text = q.query(["filter a = 1", "limit 2"], header="# one\n# two\n")
    assert text == "# one\n# two\nfilter a = 1\n| limit 2\n"
    with pytest.raises(q.QueryError):
        q.query(["limit 1"], header="not a comment\n")
    with pytest.raises(q.QueryError):
        q.query([])
    with pytest.raises(q.QueryError):
        q.query(["filter a = 1\nlimit 2"])


def test_query_length_limit():
    value = "x" * 4900
    cond = q.compare("user.username", "=", value)
    q.query([q.filter_command([cond])])  # under the limit
    with pytest.raises(q.QueryError, match="at most 10000"):
        q.query([q.filter_command([cond, cond, cond])])


# ------------------------------------------------------------------------ filter patterns


def test_pattern_for_secret_reads():
    expr = q.json_all([
        q.json_equals("objectRef.resource", "secrets"),
        q.json_equals("stage", "ResponseComplete"),
        q.json_any([q.json_equals("verb", v) for v in ("get", "list", "watch")]),
    ])
    assert q.json_pattern(expr) == (
        '{ ($.objectRef.resource = "secrets") && ($.stage = "ResponseComplete") '
        '&& ($.verb = "get" || $.verb = "list" || $.verb = "watch") }'
    )


@pytest.mark.parametrize("value", ['a"b', "a\\b", "secret*", "*", "a\nb", "a\x00b", "\u202e"])
def test_pattern_string_refuses_what_it_cannot_match_literally(value):
    with pytest.raises(q.QueryError):
        q.pattern_string(value)


@pytest.mark.parametrize("value", ["secrets", "ResponseComplete", "a b|c && d", "ünï", "", "{ }", "$.x"])
def test_pattern_string_round_trips(value):
    literal = q.pattern_string(value)
    assert read_pattern_strings(literal) == [value]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_pattern_string_is_faithful_or_refuses(value):
    try:
        literal = q.pattern_string(value)
    except q.QueryError:
        assert q.unsupported_character(value) or any(c in value for c in '"\\*')
        return
    assert literal == f'"{value}"'
    assert read_pattern_strings(q.json_pattern(q.json_equals("user.username", value))) == [value]


@pytest.mark.parametrize("path", ["", "a b", "a.", ".a", "a..b", "a[x]", "a.b c", "a*", 'a"'])
def test_selector_refuses_odd_paths(path):
    with pytest.raises(q.QueryError):
        q.selector(path)


def test_selector_accepts_plain_paths():
    assert q.selector("objectRef.resource") == "$.objectRef.resource"
    assert q.selector("sourceIPs[0]") == "$.sourceIPs[0]"
    assert q.selector("a-b.c_d[1][2]") == "$.a-b.c_d[1][2]"


def test_pattern_length_limit_is_exact():
    # '{ ' + '$.v = "' + value + '"' + ' }' = len(value) + 12 characters
    ok = q.json_equals("v", "x" * (q.MAX_PATTERN_LENGTH - 12))
    assert len(q.json_pattern(ok)) == q.MAX_PATTERN_LENGTH
    too_long = q.json_equals("v", "x" * (q.MAX_PATTERN_LENGTH - 11))
    with pytest.raises(q.QueryError, match="at most 1024"):
        q.json_pattern(too_long)


def test_json_all_and_any_need_terms():
    with pytest.raises(q.QueryError):
        q.json_all([])
    with pytest.raises(q.QueryError):
        q.json_any([])
    assert q.json_all(["a", "b || c"]) == "(a) && (b || c)"
