"""Every YAML kind eksguide generates passes its own check: generate (from the specs' example
values and from hypothesis-drawn answers), then check, and nothing is found at warning or above.

Where the two disagree, one side is wrong. Two snippet problems are known and listed below with
a strict xfail each (they XPASS, and so fail, once the snippet is fixed): the rest of the
property still holds for every other answer. A finding the snippet itself warned about (its
`warnings`) is consistent, not a disagreement.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import snippets
from knowledge.checks import check_text
from snippets import SnippetError, validators

YAML_SPECS = [spec for spec in snippets.available() if spec.language == "yaml"]
NAME_RE = r"[a-z]([a-z0-9-]{0,20}[a-z0-9])?"


def _gp3_ratio_broken(kind, answers):
    """ebs-storageclass accepts gp3 throughput above 0.25 MiB/s per IOPS (EC2 refuses such volumes)."""
    if kind != "ebs-storageclass" or answers.get("type") != "gp3" or answers.get("throughput") is None:
        return False
    return int(answers["throughput"]) > int(answers.get("iops") or 3000) * 0.25


def _efs_ap_delete(kind, answers):
    """efs-pv offers reclaim-policy Delete for a static volume on an access point, without a warning."""
    return kind == "efs-pv" and bool(answers.get("access-point-id")) and answers.get("reclaim-policy") == "Delete"


KNOWN_SNIPPET_ISSUES = {"ebs-gp3-throughput-over-iops": _gp3_ratio_broken,
                        "efs-static-access-point-delete": _efs_ap_delete}
WARNED_BY_SNIPPET = {"fsx-scratch-1": "SCRATCH_1"}  # rule -> word of the snippet's own warning


def disagreements(spec, raw) -> list[str]:
    built = snippets.build(spec, raw)
    answers, _ = snippets.check(spec, raw)
    report = check_text(built.text, f"{spec.kind}.yaml")
    assert not report.problems and not report.notes, (report.problems, report.notes)
    left = []
    for finding in report.shown("warning"):
        known = KNOWN_SNIPPET_ISSUES.get(finding.rule.id)
        if known is not None and known(spec.kind, answers):
            continue
        word = WARNED_BY_SNIPPET.get(finding.rule.id)
        if word is not None and any(word in w for w in built.warnings):
            continue
        left.append(f"{finding.rule.id}: {finding.message}")
    return left


def _example_answers(spec) -> dict:
    raw = {}
    for field in spec.fields:
        if field.example and field.type != "choice":
            raw[field.id] = int(field.example) if field.type == "int" else field.example
        elif field.type == "choice" and field.example:
            raw[field.id] = field.example
    return raw


@pytest.mark.parametrize("spec", YAML_SPECS, ids=lambda s: s.kind)
def test_the_specs_example_values_pass_their_own_check(spec):
    try:
        raw = _example_answers(spec)
        snippets.build(spec, raw)
    except SnippetError:  # examples of fields that exclude each other: the required ones alone
        raw = {f.id: f.example for f in spec.fields if f.required and f.example}
    assert disagreements(spec, raw) == []


def _field_strategy(field):
    if field.type == "choice":
        return st.sampled_from(field.choices)
    if field.type == "bool":
        return st.booleans()
    if field.type == "int":
        low = field.minimum if field.minimum is not None else 0
        return st.integers(low, field.maximum if field.maximum is not None else low + 100000)
    if field.validate in (validators.dns_label, validators.dns_subdomain):
        return st.from_regex(NAME_RE, fullmatch=True)
    value = st.just((field.example,) if field.type == "list" else field.example)
    return value if field.required or not field.example else st.one_of(st.none(), value)


@st.composite
def answers(draw, spec):
    return {f.id: value for f in spec.fields if (value := draw(_field_strategy(f))) is not None}


@pytest.mark.parametrize("spec", YAML_SPECS, ids=lambda s: s.kind)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_drawn_answers_pass_their_own_check(spec, data):
    raw = data.draw(answers(spec))
    try:
        snippets.build(spec, raw)
    except SnippetError:
        return  # the spec refused the answers: nothing was generated
    assert disagreements(spec, raw) == []


def test_ebs_gp3_throughput_over_iops_is_refused_not_generated():
    _assert_no_finding("ebs-storageclass", {"type": "gp3", "throughput": 2000}, "ebs-gp3-throughput-over-iops")


def test_efs_pv_reclaim_delete_on_an_access_point_is_refused_not_generated():
    _assert_no_finding("efs-pv", {"file-system-id": "fs-0123456789abcdef0", "access-point-id": "fsap-0123456789abcdef0",
                                  "reclaim-policy": "Delete"}, "efs-static-access-point-delete")


def _assert_no_finding(kind, raw, rule_id):
    spec = snippets.get(kind)
    try:
        built = snippets.build(spec, raw)
    except SnippetError:
        return  # fixed by refusing the answers
    assert rule_id not in {f.rule.id for f in check_text(built.text).findings}
