"""The manifest loader: lines kept, streams and Lists read, and hostile input turned into one
clear `file:line: what` problem (never a traceback, never a hang)."""
from __future__ import annotations

import pytest

from knowledge.checks import load_bytes, load_text
from knowledge.checks.loader import MAX_ALIAS_NODES, MAX_BYTES, MAX_DEPTH, parse_value

SECRET = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\nstringData:\n  password: x\n"


def test_objects_keep_their_lines_across_documents_and_lists():
    text = ("# a comment\n" + SECRET.format(name="a") + "---\n" + "apiVersion: v1\nkind: List\nitems:\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n  data:\n    mode: '0400'\n")
    loaded = load_text(text, "m.yaml")
    assert [(o.kind, o.name, o.line) for o in loaded.objects] == [("Secret", "a", 2), ("ConfigMap", "b", 12)]
    assert loaded.objects[0].line_of(("stringData", "password")) == 7
    assert loaded.objects[1].line_of(("data", "mode")) == 16
    assert loaded.problems == [] and loaded.notes == []


def test_documents_that_are_not_kubernetes_objects_are_skipped_with_a_note():
    loaded = load_text("foo: bar\n---\n- 1\n---\n" + SECRET.format(name="a") + "---\n", "m.yaml")
    assert [o.name for o in loaded.objects] == ["a"]
    assert [str(n) for n in loaded.notes] == [
        "m.yaml:1: not a Kubernetes object (no apiVersion and kind); skipped",
        "m.yaml:3: not a Kubernetes object (no apiVersion and kind); skipped",
    ]


def test_scalars_read_as_kubectl_reads_them():
    body = load_text("apiVersion: v1\nkind: X\na: 0400\nb: yes\nc: ~\nd: 1_000\ne: 2024-01-01\nf: '0400'\n", "m").objects[0].body
    assert (body["a"], body["b"], body["c"], body["d"], body["e"], body["f"]) == (256, True, None, 1000, "2024-01-01", "0400")


def test_merge_keys_merge_and_explicit_keys_win():
    text = "base: &b {x: 1, y: 2}\napiVersion: v1\nkind: X\nm:\n  <<: *b\n  y: 3\n"
    assert dict(load_text(text, "m").objects[0].body["m"]) == {"x": 1, "y": 3}


def test_json_files_are_read_too():
    loaded = load_bytes(b'{"apiVersion": "v1", "kind": "Secret",\n "metadata": {"name": "j"}}', "s.json")
    assert [o.name for o in loaded.objects] == ["j"]


def problem(data: bytes | str) -> str:
    loaded = load_bytes(data.encode() if isinstance(data, str) else data, "bad.yaml")
    assert len(loaded.problems) == 1, loaded.problems
    return str(loaded.problems[0])


@pytest.mark.parametrize("data, expected", [
    ("apiVersion: v1\nkind: X\nkind: Y\n", "bad.yaml:3: duplicate key 'kind' (kubectl rejects it; keep one)"),
    ("apiVersion: v1\nkind: X\nspec:\n\tname: a\n", "bad.yaml:4: not valid YAML: found character that cannot start "
                                                   "any token (a tab: YAML indents with spaces only)"),
    ("apiVersion: v1\nkind: [X\n", "bad.yaml:3: not valid YAML: did not find expected ',' or ']'"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "bad.yaml:3: holds a NUL byte: a binary file, not YAML or JSON text"),
    (b"kind: X\nname: \xff\xfe\n", "bad.yaml:2: byte 0xff is not UTF-8 text; save the file as UTF-8"),
    ("a: b\nc: \x07\n", "bad.yaml:2: character #x0007 is not allowed in YAML (a control character: is this a binary file?)"),
    ("? [a, b]\n: 1\n", "bad.yaml:1: a mapping key that is a list or mapping; keys must be plain values"),
])
def test_hostile_input_is_one_clear_problem(data, expected):
    assert problem(data) == expected


def test_deep_nesting_stops_at_the_limit():
    assert f"nesting deeper than {MAX_DEPTH} levels" in problem("a: " + "[" * 150 + "]" * 150 + "\n")
    assert "not valid YAML" in problem("a: " + "[" * 5000 + "]" * 5000 + "\n")  # libyaml's own limit


def test_billion_laughs_is_refused_quickly():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    assert f"aliases expand to more than {MAX_ALIAS_NODES} nodes" in problem("\n".join(lines) + "\n")


def test_huge_input_is_refused_before_parsing():
    assert problem(b" " * (MAX_BYTES + 1)).startswith("bad.yaml:1: larger than 64 MiB")


def test_objects_before_a_broken_document_are_kept():
    loaded = load_text(SECRET.format(name="a") + "---\nkind: [\n", "m.yaml")
    assert [o.name for o in loaded.objects] == ["a"] and len(loaded.problems) == 1


def test_a_yaml_string_is_parsed_with_the_same_limits():
    assert parse_value("- objectName: a\n") == ([{"objectName": "a"}], None)
    assert parse_value("- [a\n")[1][0] == 2
    assert parse_value("a: 1\n---\nb: 2\n")[1] == (1, "holds several YAML documents; give one list")
