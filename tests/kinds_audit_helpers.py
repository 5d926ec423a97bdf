"""Helpers shared by the audit kinds' tests: reading Logs Insights queries back."""
from __future__ import annotations

import shutil

import pytest
from hypothesis import strategies as st

from snippets import registry
from snippets.spec import SnippetError, build
from test_insights import read_insights


READS = registry.get("secret-reads-query")
READERS = registry.get("secret-readers-query")
ALARM = registry.get("secret-read-alarm")
BASH = shutil.which("bash")


def errors_of(spec, raw) -> dict[str, str]:
    with pytest.raises(SnippetError) as info:
        build(spec, raw)
    return {e.field: e.message for e in info.value.errors}


# ----------------------------------------------------------------------------- query reading


def commands_of(text: str) -> list[tuple[str, list[str]]]:
    return read_insights(text)


def keyword(command: tuple[str, list[str]]) -> str:
    return command[0].split()[0]


def filter_literals(text: str) -> list[str]:
    (cmd,) = [c for c in commands_of(text) if keyword(c) == "filter"]
    return cmd[1]


def check_query_structure(text: str, expected_keywords: list[str]) -> list[tuple[str, list[str]]]:
    for line in text.splitlines():
        assert line.startswith(("#", "| ")) or line.split()[0] in ("filter", "fields"), line
    commands = commands_of(text)
    assert [keyword(c) for c in commands] == expected_keywords
    return commands


def expected_filter(verbs, namespace=None, secret=None, user=None) -> tuple[str, list[str]]:
    shape = 'filter objectRef.resource = <str> and stage = <str> and verb in [' + ", ".join(["<str>"] * len(verbs)) + "]"
    values = ["secrets", "ResponseComplete", *verbs]
    for field_name, value in (("objectRef.namespace", namespace), ("objectRef.name", secret), ("user.username", user)):
        if value is not None:
            shape += f" and {field_name} = <str>"
            values.append(value)
    return shape, values


hostile_text = st.text(
    alphabet=st.sampled_from(list("ab-.:_\"'\\|#`$*{}[]() \t\n\r\x00\u2028\u202eé✓-")) | st.characters(),
    max_size=40,
)
