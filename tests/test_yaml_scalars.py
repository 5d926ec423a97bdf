"""Strings stay strings for every YAML parser, not only PyYAML.

Kubernetes reads manifests with go-yaml, whose YAML 1.1 booleans include y/Y/n/N, and YAML 1.2
parsers read 0o17, 1e3 and 08 as numbers. PyYAML's own loader reads all of them back as strings,
so a round trip through PyYAML proves nothing: these tests load with a resolver that knows every
one of those forms, and check that no value typed into a snippet changes type.
"""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import registry
from snippets.emit import ambiguous, yaml_documents
from snippets.spec import SnippetError, build


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader plus the plain-scalar forms of go-yaml (YAML 1.1) and YAML 1.2."""


StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$"), list("yYnNoO"))
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+.0123456789"))
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:0o[0-7]+|[-+]?0[0-9]+)$"), list("-+0"))


def _strict_bool(loader, node):
    return loader.construct_scalar(node) in {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}


def _strict_number(loader, node):
    return float(loader.construct_scalar(node).replace("_", "").replace("0o", "0"))


StrictLoader.add_constructor("tag:yaml.org,2002:bool", _strict_bool)
StrictLoader.add_constructor("tag:yaml.org,2002:float", _strict_number)
StrictLoader.add_constructor("tag:yaml.org,2002:int", _strict_number)

SPECIAL = ["y", "Y", "n", "N", "yes", "No", "on", "OFF", "08", "1e3", "0o17", "1e309", "0x1F", "1_000", ".5",
           "+1", "-2", "1:30", "2024-01-01", "null", "~", "<<", "=", ".inf", "-.inf", ".NaN", "TRUE", "12"]


@pytest.mark.parametrize("value", SPECIAL)
def test_special_scalars_are_quoted(value):
    assert ambiguous(value)
    loaded = yaml.load(yaml_documents([{"v": value}]), Loader=StrictLoader)
    assert loaded == {"v": value}


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(SPECIAL), st.text(alphabet="0123456789eEoOxX._:+-yYnN", min_size=1, max_size=8),
                 st.text(max_size=12)))
def test_any_string_round_trips_through_a_strict_parser(value):
    text = yaml_documents([{"v": value, "list": [value]}])
    assert yaml.load(text, Loader=StrictLoader) == {"v": value, "list": [value]}


@pytest.mark.parametrize("value", ["100Gi", "gp3", "my-app", "encrypted-gp3", "us-east-1", "v1"])
def test_ordinary_strings_stay_plain(value):
    assert not ambiguous(value)
    assert value + "\n" in yaml_documents([{"v": value}])


def _types(node, path=()):
    """(path, type) of every scalar in a loaded document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _types(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _types(value, (*path, index))
    else:
        yield path, type(node).__name__


def _text_fields():
    for spec in registry.available():
        if spec.language != "yaml":
            continue
        for field in spec.fields:
            if field.type in ("text", "list"):
                yield pytest.param(spec, field, id=f"{spec.kind}.{field.id}")


def _example_answers(spec):
    return {f.id: f.example for f in spec.fields if f.example and f.type in ("text", "list", "int")}


@pytest.mark.parametrize(("spec", "field"), list(_text_fields()))
def test_special_values_keep_their_type_in_every_yaml_snippet(spec, field):
    """Each text field given each special value: every scalar has the type it has with the example."""
    base = _example_answers(spec)
    try:
        baseline = build(spec, base)
    except SnippetError:
        pytest.skip("the examples alone do not build")
    expected = dict(_types(list(yaml.load_all(baseline.text, Loader=StrictLoader))))
    tried = 0
    for value in SPECIAL:
        try:
            snippet = build(spec, {**base, field.id: value})
        except SnippetError:
            continue  # the field's validator refuses the value: nothing is emitted
        tried += 1
        got = dict(_types(list(yaml.load_all(snippet.text, Loader=StrictLoader))))
        changed = {p: (expected.get(p), t) for p, t in got.items() if t in ("bool", "float", "int", "NoneType")
                   and expected.get(p) not in (t, None)}
        assert not changed, f"{field.flag} {value!r} changed the type of {changed}"


@pytest.mark.parametrize("name", ["y", "N", "08", "1e3", "0o17", "on"])
def test_the_eksctl_cluster_config_heredoc_keeps_names_strings(name):
    spec = registry.get("envelope-encryption")
    try:
        snippet = build(spec, {"cluster-name": name, "region": "us-east-1", "tool": "eksctl",
                               "key-arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"})
    except SnippetError:
        pytest.skip("the cluster name is refused")
    lines = snippet.text.splitlines()
    start = next(i for i, line in enumerate(lines) if "<<'EKSGUIDE_EOF'" in line)
    end = lines.index("EKSGUIDE_EOF", start)
    config = yaml.load("\n".join(lines[start + 1:end]), Loader=StrictLoader)
    assert config["metadata"]["name"] == name
