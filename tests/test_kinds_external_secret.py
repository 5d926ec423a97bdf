"""external-secret: golden files, structure, keys, Go durations, errors, properties."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snippets.kinds import secret_stores as ss
from snippets.kinds.secret_stores import EXTERNAL_SECRET
from snippets.spec import FieldError, SnippetError, build, check
from tests.helpers import assert_golden, validate_manifests
from tests.kinds_store_helpers import (
    FAST, hostile, ESO, SM_ARN, SM_ARN_WEST, SSM_ARN, validate_docs, errors_of, assert_error,
)


# =============================================================================================
# external-secret


ESO_CASES = {
    "namespaced-keys": ESO,
    "cluster-parameter-store": {
        **ESO,
        "service": "ParameterStore",
        "cluster-wide": "true",
        "service-account": "external-secrets",
        "service-account-namespace": "external-secrets",
        "role-arn": "arn:aws:iam::111122223333:role/payments-parameters",
        "refresh-interval": "30m",
        "key": ["password=/prod/db/password", "config-host=/prod/db/config:host"],
        "extract": "/prod/db/config",
        "store-name": "aws-parameters",
        "target-name": "payments-db",
    },
    "controller-identity": {
        "name": "db-creds",
        "namespace": "payments",
        "region": "eu-west-2",
        "auth": "controller",
        "extract": [SM_ARN.replace("us-east-1", "eu-west-2")],
        "refresh-interval": "1h30m",
    },
}


@pytest.mark.parametrize("case", ESO_CASES)
def test_eso_golden_and_valid(case):
    snippet = build(EXTERNAL_SECRET, ESO_CASES[case])
    assert snippet.language == "yaml" and snippet.filename == "db-creds-externalsecret.yaml"
    assert_golden("external-secret", case, snippet.text)
    docs = validate_manifests(snippet.text)
    assert [d["kind"] for d in docs][1] == "ExternalSecret"


@pytest.mark.parametrize("case", ESO_CASES)
def test_eso_structure(case):
    raw = ESO_CASES[case]
    a, _ = check(EXTERNAL_SECRET, raw)
    store, external = validate_docs(build(EXTERNAL_SECRET, raw).text)
    assert store["apiVersion"] == external["apiVersion"] == "external-secrets.io/v1"
    assert store["kind"] == ("ClusterSecretStore" if a["cluster-wide"] else "SecretStore")
    assert ("namespace" in store["metadata"]) is (not a["cluster-wide"])
    aws = store["spec"]["provider"]["aws"]
    assert aws["service"] == a["service"] and aws["region"] == a["region"]
    assert aws.get("role") == a["role-arn"]
    if a["auth"] == "controller":
        assert "auth" not in aws
    else:
        account = aws["auth"]["jwt"]["serviceAccountRef"]
        assert account["name"] == a["service-account"]
        if a["cluster-wide"]:
            assert account["namespace"] == (a["service-account-namespace"] or a["namespace"])
        else:
            assert "namespace" not in account

    assert external["kind"] == "ExternalSecret"
    assert external["metadata"] == {"name": a["name"], "namespace": a["namespace"]}
    spec = external["spec"]
    assert spec["secretStoreRef"] == {"name": store["metadata"]["name"], "kind": store["kind"]}
    assert spec["target"] == {"name": a["target-name"] or a["name"], "creationPolicy": "Owner"}
    assert isinstance(spec["refreshInterval"], str) and ss.go_duration_ns(spec["refreshInterval"]) is not None
    assert spec["refreshInterval"] == a["refresh-interval"]
    assert "data" in spec or "dataFrom" in spec


def test_eso_key_items_map_to_data():
    _, external = validate_docs(build(EXTERNAL_SECRET, ESO_CASES["cluster-parameter-store"]).text)
    assert external["spec"]["data"] == [
        {"secretKey": "password", "remoteRef": {"key": "/prod/db/password"}},
        {"secretKey": "config-host", "remoteRef": {"key": "/prod/db/config", "property": "host"}},
    ]
    assert external["spec"]["dataFrom"] == [{"extract": {"key": "/prod/db/config"}}]


@pytest.mark.parametrize("item,expected", [
    ("username=prod/db:username", ("username", "prod/db", "username")),
    ("username=prod/db", ("username", "prod/db", None)),
    ("tls.crt=/prod/tls:cert.pem", ("tls.crt", "/prod/tls", "cert.pem")),
    ("a=team=x/db:nested.key", ("a", "team=x/db", "nested.key")),
    (f"p={SM_ARN}", ("p", SM_ARN, None)),
    (f"p={SM_ARN}:password", ("p", SM_ARN, "password")),
    (f"t={SSM_ARN}", ("t", SSM_ARN, None)),
])
def test_eso_parse_key(item, expected):
    mapping = ss.parse_key(item)
    assert (mapping.secret_key, mapping.remote_key, mapping.property) == expected


def test_eso_header_and_warnings():
    snippet = build(EXTERNAL_SECRET, ESO)
    header = snippet.text.split("---\n", 1)[0]
    for fragment in ("v1beta1 is no longer served", "kubernetes-external-secrets", "deprecated",
                     "secretsmanager:GetSecretValue", "creationPolicy Owner"):
        assert fragment in header, fragment
    assert snippet.warnings == ()
    ssm = build(EXTERNAL_SECRET, ESO_CASES["cluster-parameter-store"]).text.split("---\n", 1)[0]
    assert "ssm:GetParameter" in ssm and "ClusterSecretStore" in ssm and "sts:AssumeRole" in ssm
    assert any("only once" in w for w in build(EXTERNAL_SECRET, {**ESO, "refresh-interval": "0s"}).warnings)
    assert any("under a minute" in w for w in build(EXTERNAL_SECRET, {**ESO, "refresh-interval": "10s"}).warnings)


@pytest.mark.parametrize("value,ns", [
    ("0", 0), ("0s", 0), ("1h", 3600 * 10**9), ("30m", 1800 * 10**9), ("1h30m", 5400 * 10**9),
    ("1.5h", 5400 * 10**9), ("100ms", 10**8), ("2h45m30.5s", (2 * 3600 + 45 * 60) * 10**9 + 30_500_000_000),
    ("1us", 1000), ("1µs", 1000), ("2562047h", 2562047 * 3600 * 10**9),
])
def test_go_durations(value, ns):
    assert ss.go_duration_ns(value) == ns and ss.go_duration(value) is None


@pytest.mark.parametrize("value", ["", "1", "10", "h", "1d", "1w", "-1h", "+1h", "1h ", "1.h", ".5h", "1H",
                                   "9999999999h", "1h30", "١h", "1 h"])
def test_go_durations_rejected(value):
    assert ss.go_duration_ns(value) is None and "such as 1h, 30m or 1h30m" in ss.go_duration(value)


@pytest.mark.parametrize("raw,field,fragment", [
    ({"key": (), "extract": ()}, "key", "give at least one --key"),
    ({"key": ["a=prod/x", "a=prod/y"]}, "key", "is given twice"),
    ({"key": ["a=prod/x"], "service": "ParameterStore"}, "key", "--service is ParameterStore"),
    ({"extract": "prod/x", "service": "ParameterStore"}, "extract", "is not an SSM parameter name"),
    ({"key": [f"a={SSM_ARN}"]}, "key", "is not a Secrets Manager secret ARN"),
    ({"key": [f"a={SM_ARN_WEST}"]}, "key", "is in us-west-2, but --region is us-east-1"),
    ({"key": ["Bad Key=prod/x"]}, "key", "is not a valid Secret key"),
    ({"key": ["noequals"]}, "key", "is not SECRET_KEY=REMOTE_KEY"),
    ({"key": ["a=prod/x:"]}, "key", "is not a JSON key"),
    ({"key": ["a=prod/x:b'ad"]}, "key", "is not a JSON key"),
    ({"key": ["a=prod db"]}, "key", "is not a Secrets Manager or SSM parameter name or ARN"),
    ({"extract": "prod/x!"}, "extract", "is not a Secrets Manager or SSM parameter name"),
    ({"service-account": ""}, "service-account", "is required"),
    ({"service": "Vault"}, "service", "must be one of SecretsManager, ParameterStore"),
    ({"auth": "static-keys"}, "auth", "must be one of service-account, controller"),
    ({"refresh-interval": "1d"}, "refresh-interval", "is not a duration"),
    ({"role-arn": "team-b"}, "role-arn", "is not an IAM role ARN"),
    ({"target-name": "Payments"}, "target-name", "is not a valid Kubernetes name"),
    ({"store-name": "-x"}, "store-name", "is not a valid Kubernetes name"),
    ({"cluster-wide": True, "service-account-namespace": "a.b"}, "service-account-namespace", "is not a valid name"),
])
def test_eso_errors(raw, field, fragment):
    assert_error(EXTERNAL_SECRET, {**ESO, **raw}, field, fragment)


def test_eso_hidden_fields_are_ignored():
    # Without a service account or cluster-wide store, those fields do not apply and write nothing.
    raw = {**ESO, "auth": "controller", "service-account": "Not Valid!", "service-account-namespace": "x"}
    store, _ = validate_docs(build(EXTERNAL_SECRET, raw).text)
    assert "auth" not in store["spec"]["provider"]["aws"]


def test_eso_reports_every_error_at_once():
    errors = errors_of(EXTERNAL_SECRET, {"name": "X", "region": "x", "refresh-interval": "soon", "key": "bad"})
    assert {e.field for e in errors} == {"name", "namespace", "region", "refresh-interval", "key", "service-account"}


@FAST
@given(
    secret=st.one_of(hostile, st.from_regex(r"\A[-._a-zA-Z0-9]{1,10}\Z")),
    remote=st.one_of(hostile, st.from_regex(r"\A/?[A-Za-z0-9/_+=.@-]{1,20}\Z")),
    prop=st.one_of(st.none(), hostile, st.from_regex(r"\A[A-Za-z0-9_.-]{1,10}\Z")),
    service=st.sampled_from(ss.ESO_SERVICES),
    extract=st.one_of(st.none(), hostile),
)
def test_eso_items_round_trip_or_fail_cleanly(secret, remote, prop, service, extract):
    item = f"{secret}={remote}" + (f":{prop}" if prop is not None else "")
    raw = {**ESO, "service": service, "key": [item]}
    if extract is not None:
        raw["extract"] = [extract]
    try:
        snippet = build(EXTERNAL_SECRET, raw)
    except SnippetError as exc:
        assert all(isinstance(e, FieldError) for e in exc.errors)
        return
    _, external = validate_docs(snippet.text)
    # Each item (the list splits on ',') comes back exactly: SECRET_KEY=REMOTE_KEY[:PROPERTY].
    items = [part.strip() for part in item.split(",") if part.strip()]
    rebuilt = [
        f"{d['secretKey']}={d['remoteRef']['key']}" + (f":{d['remoteRef']['property']}" if "property" in d["remoteRef"] else "")
        for d in external["spec"]["data"]
    ]
    assert rebuilt == items
    for d in external["spec"]["data"]:
        assert ss.secret_key(d["secretKey"]) is None
        assert set(d["remoteRef"]) <= {"key", "property"}
    if extract is not None and extract.strip():
        # A list field splits on commas, so "a,b" names two secrets.
        keys = [part.strip() for part in extract.split(",") if part.strip()]
        assert external["spec"]["dataFrom"] == [{"extract": {"key": key}} for key in keys]


@FAST
@given(
    field=st.sampled_from(["name", "namespace", "region", "service-account", "role-arn", "refresh-interval",
                           "target-name", "store-name"]),
    value=hostile,
    cluster_wide=st.booleans(),
)
def test_eso_free_text_round_trips_or_fails_cleanly(field, value, cluster_wide):
    raw = {**ESO, field: value, "cluster-wide": cluster_wide}
    try:
        snippet = build(EXTERNAL_SECRET, raw)
    except SnippetError as exc:
        assert all(isinstance(e, FieldError) for e in exc.errors)
        return
    store, external = validate_docs(snippet.text)
    value = value.strip()
    if not value:
        return
    found = {
        "name": external["metadata"]["name"],
        "namespace": external["metadata"]["namespace"],
        "region": store["spec"]["provider"]["aws"]["region"],
        "service-account": store["spec"]["provider"]["aws"]["auth"]["jwt"]["serviceAccountRef"]["name"],
        "role-arn": store["spec"]["provider"]["aws"].get("role"),
        "refresh-interval": external["spec"]["refreshInterval"],
        "target-name": external["spec"]["target"]["name"],
        "store-name": store["metadata"]["name"],
    }
    assert found[field] == value


# Issue 14, item 1: thousands of digits crashed Fraction() ("Exceeds the limit (4300 digits)").
@pytest.mark.parametrize("value", ["9" * 5000 + "h", "1" * 65, "0." + "0" * 5000 + "1s", "1h" * 40],
                         ids=["5000-nines", "65-digits", "5000-fraction-digits", "40-parts"])
def test_absurdly_long_durations_are_a_field_error(value):
    assert ss.go_duration_ns(value) is None
    error = assert_error(EXTERNAL_SECRET, {**ESO, "refresh-interval": value}, "refresh-interval", "characters long")
    assert "such as 1h" in error.message


def test_longest_go_duration_is_accepted():
    assert ss.go_duration_ns("2562047h47m16.854775807s") == 2**63 - 1
    assert ss.go_duration_ns("2562047h47m16.854775808s") is None


# Point 16: EKS Pod Identity does not work on Fargate; "archived" was not what the sources say.
def test_controller_auth_note_says_fargate_needs_irsa():
    text = build(EXTERNAL_SECRET, {**ESO, "auth": "controller"}).text
    assert "Fargate, which needs IRSA" in text and "archived" not in text
