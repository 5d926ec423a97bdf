"""Every snippet spec, generically: well-formed fields, wired to the knowledge base, and no input
of any kind makes a spec raise anything but SnippetError."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import snippets
from knowledge import load_knowledge
from snippets import Snippet, SnippetError

SPECS = snippets.available()
KINDS = [s.kind for s in SPECS]


def test_practices_and_kinds_point_at_each_other():
    kb = load_knowledge()
    for practice in kb:
        for kind in practice.snippets:
            assert kind in KINDS, f"{practice.id} offers an unknown snippet kind {kind!r}"
    for spec in SPECS:
        assert spec.practices, spec.kind
        for practice_id in spec.practices:
            assert practice_id in kb, f"{spec.kind} implements an unknown practice {practice_id!r}"
    offered = {kind for practice in kb for kind in practice.snippets}
    assert offered == set(KINDS), f"kinds no practice offers: {set(KINDS) - offered}"


@pytest.mark.parametrize("spec", SPECS, ids=KINDS)
def test_spec_is_well_formed(spec):
    assert spec.language in ("yaml", "shell", "logs-insights")
    assert spec.title and spec.description and "\n" not in spec.description
    ids = [f.id for f in spec.fields]
    assert len(ids) == len(set(ids))
    for field in spec.fields:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", field.id), field.id
        assert field.id not in ("output", "force", "json", "help"), f"{field.id} clashes with a CLI option"
        assert field.label and field.help
        if field.required:
            assert field.example or field.type == "choice", f"{spec.kind} --{field.id} needs an example"


@pytest.mark.parametrize("spec", SPECS, ids=KINDS)
def test_defaults_render_or_name_the_required_fields(spec):
    try:
        snippet = snippets.build(spec, {})
    except SnippetError as exc:
        required = {f.id for f in spec.fields if f.required}
        assert {e.field for e in exc.errors} <= required | {f.id for f in spec.fields}
        assert all(str(e).startswith("--") for e in exc.errors)
        return
    assert isinstance(snippet, Snippet) and snippet.kind == spec.kind
    assert snippet.text.startswith("#")
    assert spec.kind in snippet.text.splitlines()[0] or spec.kind in snippet.text.splitlines()[1]


HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "---", "a: b", "x\ny", "|", "'\"", "#c", "${HOME}", "$(id)", "`id`", "0", "-1",
                     "true", "yes", "none", "null", "1e9", "99999999999999999999", "\u202e", "a,b,,c"]),
)


def _raw_strategy(spec):
    return st.fixed_dictionaries({}, optional={f.id: HOSTILE for f in spec.fields})


@pytest.mark.parametrize("spec", SPECS, ids=KINDS)
def test_any_input_renders_or_reports_field_errors(spec):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_raw_strategy(spec))
    def check(raw):
        try:
            snippet = snippets.build(spec, raw)
        except SnippetError as exc:
            assert exc.errors
            known = {f.id for f in spec.fields}
            assert all(e.field in known for e in exc.errors)
            return
        if snippet.language == "yaml":
            body = "\n".join(line for line in snippet.text.splitlines() if not line.startswith("#"))
            list(yaml.safe_load_all(body))

    check()


def test_engine_coerces_types_and_hides_failed_values_from_cross_field_rules():
    from snippets.spec import Field, FieldError, Spec, check

    seen = {}

    def rule(answers):
        seen.update(answers)
        return [FieldError("b", "b is bad with a")] if answers["a"] == "x" else []

    spec = Spec(kind="t", title="T", description="d", language="yaml", practices=("p",),
                fields=(Field("a", "A", "a", validate=lambda v: "no" if v == "bad" else None),
                        Field("b", "B", "b", type="list"), Field("n", "N", "n", type="int", minimum=1, maximum=3),
                        Field("f", "F", "f", type="bool", default=False),
                        Field("c", "C", "c", type="choice", choices=("One", "Two"), default="One")),
                render=lambda answers: None, checks=(rule,))
    answers, errors = check(spec, {"a": "bad", "b": 5, "n": "2", "f": "yes", "c": "two"})
    assert [e.field for e in errors] == ["a"] and seen["a"] is None
    assert answers["b"] == ("5",) and answers["n"] == 2 and answers["f"] is True and answers["c"] == "Two"
    answers, errors = check(spec, {"a": "x", "n": "7", "f": "maybe", "zzz": 1})
    assert {e.field for e in errors} == {"zzz", "n", "f", "b"}
    answers, errors = check(spec, {"a": "", "c": ""})
    assert answers["a"] is None and answers["c"] == "One" and not errors


def test_a_field_that_does_not_apply_never_fails_the_build():
    # A hidden form row keeps what was typed into it; the TUI could then neither save nor focus
    # the field the error named. Values that do not apply are dropped, good or bad.
    from snippets.spec import Field, Spec, check

    spec = Spec(kind="t", title="T", description="d", language="yaml", practices=("p",),
                fields=(Field("mode", "Mode", "m", type="choice", choices=("fast", "slow"), default="slow"),
                        Field("speed", "Speed", "s", type="int", minimum=1, maximum=10,
                              when=lambda a: a.get("mode") == "fast"),
                        Field("on", "On", "o", type="bool", when=lambda a: a.get("mode") == "fast")),
                render=lambda answers: None)
    for raw in ({"speed": "abc"}, {"speed": "99"}, {"speed": "5"}, {"on": "maybe"}):
        answers, errors = check(spec, raw)
        assert errors == [] and answers["speed"] is None and answers["on"] is None, raw
    answers, errors = check(spec, {"mode": "fast", "speed": "abc"})
    assert [e.field for e in errors] == ["speed"]


def test_text_the_os_could_not_decode_is_a_field_error_not_a_crash():
    # An argument with bytes that are not UTF-8 reaches Python as lone surrogates ('\udcff');
    # no emitter can write them (efs-storageclass --base-path used to end in UnicodeEncodeError).
    from snippets.spec import Field, Spec, check

    spec = Spec(kind="t", title="T", description="d", language="yaml", practices=("p",),
                fields=(Field("a", "A", "a", example="good"), Field("b", "B", "b", type="list")),
                render=lambda answers: None)
    answers, errors = check(spec, {"a": "x\udcff", "b": "ok,y\udcff"})
    assert sorted(e.field for e in errors) == ["a", "b"]
    assert all("UTF-8" in e.message for e in errors) and "for example good" in errors[0].message
    answers, errors = check(spec, {"b": ["ok", "y\udcff"]})  # a repeated flag arrives as a list
    assert [e.field for e in errors] == ["b"]
    efs = snippets.get("efs-storageclass")
    with pytest.raises(SnippetError) as info:
        snippets.build(efs, {"file-system-id": "fs-0123456789abcdef0", "base-path": "/dyn\udcff"})
    assert [e.field for e in info.value.errors] == ["base-path"]


def test_int_bounds_are_described_as_they_are():
    from snippets.spec import Field, coerce

    assert coerce(Field("n", "N", "n", type="int", minimum=1), "0")[1] == "must be at least 1 (got 0)"
    assert coerce(Field("n", "N", "n", type="int", maximum=9), "10")[1] == "must be at most 9 (got 10)"
    assert coerce(Field("n", "N", "n", type="int", minimum=1, maximum=9), "10")[1] == "must be between 1 and 9 (got 10)"


def test_secret_store_arns_accept_every_region_the_validators_do():
    from snippets.kinds.secret_stores import SM_ARN_RE

    assert SM_ARN_RE.fullmatch("arn:aws:secretsmanager:eusc-de-east-1:111122223333:secret:prod/db-AbCdEf")
    assert SM_ARN_RE.fullmatch("arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:db-AbCdEf")
