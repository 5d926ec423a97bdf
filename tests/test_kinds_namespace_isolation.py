"""namespace-isolation: golden files, rules, validation and properties."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from snippets.kinds import secrets
from snippets.kinds.secrets import NAMESPACE_ISOLATION
from snippets.spec import SnippetError, build, check
from tests.helpers import assert_golden, validate_manifests
from tests.kinds_secrets_helpers import (
    ISOLATION, _kinds, DNS_LABEL, SUBDOMAIN, _as_list, _one_hostile, _anything,
)


# --- namespace-isolation --------------------------------------------------------------------------

ISOLATION_CASES = {
    "one-secret": ISOLATION,
    "several-secrets-labels": {
        "namespace": "orders",
        "service-account": "orders-worker",
        "secret-names": ["orders-db", "orders-tls", "stripe.api-key"],
        "labels": "pod-security.kubernetes.io/enforce=restricted,team=orders,cost-centre=",
    },
}


@pytest.mark.parametrize("case", sorted(ISOLATION_CASES))
def test_namespace_isolation_golden(case):
    snippet = build(NAMESPACE_ISOLATION, ISOLATION_CASES[case])
    assert_golden("namespace-isolation", case, snippet.text, "yaml")
    docs = validate_manifests(snippet.text)
    assert [d["kind"] for d in docs] == ["Namespace", "ServiceAccount", "Role", "RoleBinding"]


@pytest.mark.parametrize("case", sorted(ISOLATION_CASES))
def test_namespace_isolation_rules(case):
    raw = ISOLATION_CASES[case]
    answers, errors = check(NAMESPACE_ISOLATION, raw)
    assert not errors
    docs = validate_manifests(build(NAMESPACE_ISOLATION, raw).text)
    by_kind = _kinds(docs)
    namespace = answers["namespace"]
    assert by_kind["Namespace"]["metadata"]["name"] == namespace
    expected_labels = dict(item.partition("=")[::2] for item in answers["labels"])
    assert by_kind["Namespace"]["metadata"].get("labels", {}) == expected_labels
    for kind in ("ServiceAccount", "Role", "RoleBinding"):
        assert by_kind[kind]["metadata"]["namespace"] == namespace

    (rule,) = by_kind["Role"]["rules"]
    assert rule == {
        "apiGroups": [""],
        "resources": ["secrets"],
        "resourceNames": list(answers["secret-names"]),
        "verbs": ["get"],
    }
    assert not {"list", "watch", "*"} & {v for r in by_kind["Role"]["rules"] for v in r["verbs"]}

    binding = by_kind["RoleBinding"]
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": by_kind["Role"]["metadata"]["name"],
    }
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": answers["service-account"], "namespace": namespace},
    ]
    assert by_kind["ServiceAccount"]["metadata"]["name"] == answers["service-account"]
    assert not any(d["kind"] in ("ClusterRole", "ClusterRoleBinding", "Secret") for d in docs)


def test_label_values_that_look_like_other_types_stay_strings():
    text = build(NAMESPACE_ISOLATION, {**ISOLATION, "labels": "enabled=true,version=1.10,empty=,octal=0400"}).text
    docs = validate_manifests(text)
    assert docs[0]["metadata"]["labels"] == {"enabled": "true", "version": "1.10", "empty": "", "octal": "0400"}


ISOLATION_BAD = [
    ("namespace", "kube-system", "such as payments"),
    ("namespace", "default", "such as payments"),
    ("namespace", "Payments", "my-app"),
    ("service-account", "default", "such as payments-api"),
    ("service-account", "sa:x", "my-app"),
    ("secret-names", "ok,Not_OK", "encrypted-gp3"),
    ("secret-names", "db,db", "such as payments-db"),
    ("labels", "team", "team=payments"),
    ("labels", "team=a b", "team=payments"),
    ("labels", "-team=x", "team=payments"),
    ("labels", "Example.COM/team=x", "example.com"),
    ("labels", "/team=x", "example.com"),
    ("labels", "team=" + "v" * 64, "team=payments"),
    ("labels", "kubernetes.io/metadata.name=other", "team=payments"),
    ("labels", "team=a,team=b", "team=payments"),
]


@pytest.mark.parametrize("field,value,good", ISOLATION_BAD)
def test_namespace_isolation_rejects(field, value, good):
    with pytest.raises(SnippetError) as info:
        build(NAMESPACE_ISOLATION, {**ISOLATION, field: value})
    errors = info.value.errors
    assert [e.field for e in errors] == [field], errors
    assert good in errors[0].message, errors[0].message


def test_namespace_isolation_requires_secret_names_and_reports_all():
    with pytest.raises(SnippetError) as info:
        build(NAMESPACE_ISOLATION, {"namespace": "kube-public", "labels": "x"})
    fields = sorted(e.field for e in info.value.errors)
    assert fields == ["labels", "namespace", "secret-names", "service-account"]
    message = next(e.message for e in info.value.errors if e.field == "secret-names")
    assert "--secret-names payments-db,payments-tls" in message


LABEL = st.tuples(
    st.from_regex(r"\A([a-z]{1,6}\.[a-z]{2,3}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?\Z"),
    st.from_regex(r"\A([A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?)?\Z"),
).map("=".join)

ISOLATION_GOOD = {
    "namespace": DNS_LABEL.filter(lambda v: v not in secrets.SHARED_NAMESPACES),
    "service-account": DNS_LABEL,
    "secret-names": st.lists(SUBDOMAIN, min_size=1, max_size=4, unique=True),
    "labels": st.lists(LABEL, max_size=3, unique_by=lambda item: item.partition("=")[0]),
}


def _check_isolation_round_trip(raw: dict) -> bool:
    try:
        snippet = build(NAMESPACE_ISOLATION, raw)
    except SnippetError as exc:
        assert exc.errors and all(e.field in NAMESPACE_ISOLATION.defaults() and e.message for e in exc.errors)
        event("rejected")
        return False
    event("rendered")
    docs = [d for d in yaml.safe_load_all(snippet.text) if d is not None]
    by_kind = _kinds(docs)
    assert [d["kind"] for d in docs] == ["Namespace", "ServiceAccount", "Role", "RoleBinding"]
    namespace = str(raw["namespace"]).strip()
    assert by_kind["Namespace"]["metadata"]["name"] == namespace
    assert all(by_kind[k]["metadata"]["namespace"] == namespace for k in ("ServiceAccount", "Role", "RoleBinding"))
    expected_names = _as_list(raw["secret-names"])
    assert by_kind["Role"]["rules"] == [
        {"apiGroups": [""], "resources": ["secrets"], "resourceNames": expected_names, "verbs": ["get"]}
    ]
    assert by_kind["RoleBinding"]["subjects"][0]["name"] == str(raw["service-account"]).strip()
    expected = dict(item.partition("=")[::2] for item in _as_list(raw.get("labels")))
    assert by_kind["Namespace"]["metadata"].get("labels", {}) == expected
    return True


@settings(max_examples=100, deadline=None)
@given(raw=st.fixed_dictionaries(ISOLATION_GOOD))
def test_namespace_isolation_good_input_round_trips(raw):
    assert _check_isolation_round_trip(raw)


@settings(max_examples=10, deadline=None)
@given(raw=st.fixed_dictionaries(ISOLATION_GOOD))
def test_namespace_isolation_good_input_is_valid_kubernetes(raw):
    validate_manifests(build(NAMESPACE_ISOLATION, raw).text)


@settings(max_examples=150, deadline=None)
@given(raw=st.one_of(_one_hostile(NAMESPACE_ISOLATION, ISOLATION_GOOD), _anything(NAMESPACE_ISOLATION, ISOLATION_GOOD)))
def test_namespace_isolation_any_input(raw):
    _check_isolation_round_trip(raw)


# Point 10: resourceNames can narrow a list or watch when the client selects metadata.name.
def test_isolation_note_says_when_resource_names_narrow_a_list():
    text = build(NAMESPACE_ISOLATION, ISOLATION).text
    assert "resourceNames cannot narrow a list" not in text
    assert "metadata.name field selector" in text
