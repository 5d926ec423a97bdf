"""pod-secret-volume: golden files, rules, validation and properties."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from snippets.kinds import secrets
from snippets.kinds.secrets import POD_SECRET_VOLUME
from snippets.spec import SnippetError, build, check
from tests.helpers import assert_golden, validate_manifests
from tests.kinds_secrets_helpers import (
    POD, _walk, _kinds, _pod_spec, POD_GOOD, _as_list, _one_hostile, _anything,
)


# --- pod-secret-volume: golden files and rules --------------------------------------------------

POD_CASES = {
    "deployment-defaults": POD,
    "pod-selected-keys": {
        **POD,
        "workload": "Pod",
        "items": "tls.crt,tls.key",
        "mount-path": "/var/run/secrets/payments",
        "file-mode": "0440",
        "service-account": "payments-reader",
        "run-as-user": 2000,
    },
    "deployment-api-access": {
        **POD,
        "replicas": 3,
        "needs-api-access": True,
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api@sha256:" + "a" * 64,
    },
}


@pytest.mark.parametrize("case", sorted(POD_CASES))
def test_pod_secret_volume_golden(case):
    snippet = build(POD_SECRET_VOLUME, POD_CASES[case])
    assert_golden("pod-secret-volume", case, snippet.text, "yaml")
    docs = validate_manifests(snippet.text)
    assert [d["kind"] for d in docs][0] == "ServiceAccount"


@pytest.mark.parametrize("case", sorted(POD_CASES))
def test_pod_secret_volume_rules(case):
    raw = POD_CASES[case]
    answers, errors = check(POD_SECRET_VOLUME, raw)
    assert not errors
    docs = validate_manifests(build(POD_SECRET_VOLUME, raw).text)
    by_kind = _kinds(docs)
    spec = _pod_spec(docs)
    needs_api = bool(answers["needs-api-access"])
    service_account = answers["service-account"] or answers["name"]

    # No Secret object and no secret value anywhere: only a reference by name.
    assert "Secret" not in by_kind
    keys = {k for k, _ in _walk(docs)}
    assert not keys & {"data", "stringData", "env", "envFrom", "secretKeyRef"}

    # The volume: the named Secret, decimal mode, only the selected keys, mounted read-only.
    (volume,) = spec["volumes"]
    assert volume["secret"]["secretName"] == answers["secret-name"]
    mode = volume["secret"]["defaultMode"]
    assert type(mode) is int and mode == int(answers["file-mode"], 8) and 0 <= mode <= 0o777
    if answers["items"]:
        assert volume["secret"]["items"] == [{"key": k, "path": k} for k in answers["items"]]
    else:
        assert "items" not in volume["secret"]
    assert "optional" not in volume["secret"]
    (container,) = spec["containers"]
    assert container["image"] == answers["image"]
    (mount,) = container["volumeMounts"]
    assert mount == {"name": volume["name"], "mountPath": answers["mount-path"], "readOnly": True}
    assert "subPath" not in mount

    # Security context.
    csc = container["securityContext"]
    assert csc["runAsNonRoot"] is True
    assert csc["readOnlyRootFilesystem"] is True
    assert csc["allowPrivilegeEscalation"] is False
    assert csc["capabilities"] == {"drop": ["ALL"]}
    assert "privileged" not in csc
    psc = spec["securityContext"]
    uid = answers["run-as-user"]
    assert psc["runAsNonRoot"] is True and psc["runAsUser"] == psc["runAsGroup"] == psc["fsGroup"] == uid > 0
    assert psc["seccompProfile"] == {"type": "RuntimeDefault"}

    # Its own ServiceAccount; no token unless the app calls the API.
    sa = by_kind["ServiceAccount"]
    assert sa["metadata"]["name"] == spec["serviceAccountName"] == service_account
    assert spec["automountServiceAccountToken"] is needs_api
    if needs_api:
        assert "automountServiceAccountToken" not in sa
    else:
        assert sa["automountServiceAccountToken"] is False

    # Namespaced objects all live in the Secret's namespace.
    for doc in docs:
        assert doc["metadata"]["namespace"] == answers["namespace"]

    if answers["workload"] == "Deployment":
        deployment = by_kind["Deployment"]
        assert deployment["spec"]["replicas"] == answers["replicas"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    else:
        assert answers["replicas"] is None
        assert "Deployment" not in by_kind


@pytest.mark.parametrize(
    "text,decimal",
    [("0400", 256), ("400", 256), ("0440", 288), ("0600", 384), ("0644", 420), ("0000", 0), ("0777", 511)],
)
def test_file_mode_is_octal_written_as_decimal(text, decimal):
    docs = yaml.safe_load_all(build(POD_SECRET_VOLUME, {**POD, "file-mode": text}).text)
    spec = _pod_spec([d for d in docs if d])
    assert spec["volumes"][0]["secret"]["defaultMode"] == decimal


def test_note_shows_the_mode_in_both_bases():
    text = build(POD_SECRET_VOLUME, {**POD, "file-mode": "0440"}).text
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("0440" in line and "288" in line for line in header)


def test_header_notes_cover_tmpfs_updates_and_env_leaks():
    header = " ".join(line for line in build(POD_SECRET_VOLUME, POD).text.splitlines() if line.startswith("#"))
    assert "tmpfs" in header
    assert "subPath" in header
    assert "environ" in header


def test_replicas_only_for_deployment():
    answers, errors = check(POD_SECRET_VOLUME, {**POD, "workload": "Pod", "replicas": 5})
    assert not errors and answers["replicas"] is None
    docs = validate_manifests(build(POD_SECRET_VOLUME, {**POD, "workload": "pod", "replicas": 5}).text)
    assert _kinds(docs)["Pod"]["kind"] == "Pod"
    assert not any(k == "replicas" for k, _ in _walk(docs))


def test_service_account_defaults_to_the_app_name():
    docs = validate_manifests(build(POD_SECRET_VOLUME, POD).text)
    assert _kinds(docs)["ServiceAccount"]["metadata"]["name"] == "payments-api"


def test_warnings():
    assert build(POD_SECRET_VOLUME, POD).warnings == ()
    shared = build(POD_SECRET_VOLUME, {**POD, "namespace": "default"})
    assert any("--namespace default" in w for w in shared.warnings)
    loose = build(POD_SECRET_VOLUME, {**POD, "file-mode": "0644"})
    assert any("--file-mode 0644" in w for w in loose.warnings)
    untagged = build(POD_SECRET_VOLUME, {**POD, "image": "nginx"})
    assert any("no tag or digest" in w for w in untagged.warnings)
    decimal = build(POD_SECRET_VOLUME, {**POD, "file-mode": "256"})
    assert any("no read permission" in w and "0400" in w for w in decimal.warnings)
    api = build(POD_SECRET_VOLUME, {**POD, "needs-api-access": "yes"})
    assert any("token" in w for w in api.warnings)


# --- pod-secret-volume: validation --------------------------------------------------------------

POD_BAD = [
    ("name", "Payments_API", "my-app"),
    ("name", "a" * 64, "my-app"),
    ("namespace", "payments.prod", "my-app"),
    ("image", "Nginx:latest", "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments-api:1.4.2"),
    ("image", "nginx:", "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments-api:1.4.2"),
    ("image", "nginx@sha256:abc", "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments-api:1.4.2"),
    ("image", "nginx latest", "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments-api:1.4.2"),
    ("secret-name", "db_password", "such as payments-db"),
    ("mount-path", "etc/secrets", "/etc/secrets"),
    ("mount-path", "/etc/../secrets", "/etc/secrets"),
    ("mount-path", "/etc/./secrets", "/etc/secrets"),
    ("mount-path", "/etc/secrets/..", "/etc/secrets"),
    ("mount-path", "/etc//secrets", "/etc/secrets"),
    ("mount-path", "/etc/sec rets", "/etc/secrets"),
    ("mount-path", "/etc", "/etc/secrets"),
    ("mount-path", "/", "/etc/secrets"),
    ("mount-path", "/tmp/", "/etc/secrets"),
    ("mount-path", "/var/run/secrets", "/var/run/secrets/my-app"),
    ("mount-path", "/var/run/secrets/kubernetes.io/serviceaccount", "/etc/secrets"),
    ("mount-path", "/var/run/secrets/kubernetes.io/serviceaccount/x", "/etc/secrets"),
    ("file-mode", "0800", "0400"),
    ("file-mode", "1777", "0400"),
    ("file-mode", "0x100", "0400"),
    ("file-mode", "rw-------", "0400"),
    ("items", "tls.crt,../escape", "tls.crt"),
    ("items", "a/b", "tls.crt"),
    ("items", "..data", "tls.crt"),
    ("items", ".", "tls.crt"),
    ("service-account", "default", "payments-api"),
    ("service-account", "Bad_SA", "my-app"),
    ("workload", "StatefulSet", "Deployment, Pod"),
    ("replicas", "many", "1"),
    ("replicas", 1001, "between 0 and 1000"),
    ("run-as-user", 0, "between 1 and"),
    ("needs-api-access", "perhaps", "yes or no"),
]


@pytest.mark.parametrize("field,value,good", POD_BAD)
def test_pod_secret_volume_rejects(field, value, good):
    with pytest.raises(SnippetError) as info:
        build(POD_SECRET_VOLUME, {**POD, field: value})
    errors = info.value.errors
    assert [e.field for e in errors] == [field], errors
    assert good in errors[0].message, errors[0].message


@pytest.mark.parametrize("field", ["name", "namespace", "image", "secret-name"])
def test_pod_secret_volume_required(field):
    raw = {k: v for k, v in POD.items() if k != field}
    with pytest.raises(SnippetError) as info:
        build(POD_SECRET_VOLUME, raw)
    (error,) = info.value.errors
    assert error.field == field
    assert "is required" in error.message and f"--{field} " in error.message


def test_pod_secret_volume_reports_every_error_at_once():
    with pytest.raises(SnippetError) as info:
        build(POD_SECRET_VOLUME, {
            "name": "Bad Name", "image": "UPPER", "secret-name": "x_y", "mount-path": "relative",
            "file-mode": "9", "items": "ok,ok", "colour": "blue",
        })
    fields = {e.field for e in info.value.errors}
    assert fields == {"colour", "name", "namespace", "image", "secret-name", "mount-path", "file-mode", "items"}


def test_duplicate_items_are_one_error():
    with pytest.raises(SnippetError) as info:
        build(POD_SECRET_VOLUME, {**POD, "items": ["tls.crt", "tls.key", "tls.crt"]})
    (error,) = info.value.errors
    assert error.field == "items" and "tls.crt" in error.message and "such as" in error.message


def test_app_named_default_needs_its_own_service_account():
    with pytest.raises(SnippetError) as info:
        build(POD_SECRET_VOLUME, {**POD, "name": "default"})
    (error,) = info.value.errors
    assert error.field == "service-account" and "--service-account payments-api" in error.message
    build(POD_SECRET_VOLUME, {**POD, "name": "default", "service-account": "web"})


@pytest.mark.parametrize("path", ["/etc/secrets", "/app/.secrets", "/var/run/secrets/my-app", "/srv/app/", "/a/b..c"])
def test_good_mount_paths(path):
    assert secrets.mount_path(path) is None


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.27",
        "library/nginx:1.27-alpine",
        "public.ecr.aws/nginx/nginx:1.27",
        "localhost:5000/team/app_x:v1.0.0",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:" + "0" * 64,
        "registry.k8s.io/pause:3.10@sha256:" + "f" * 64,
        "ghcr.io/org/a.b__c-d/e:TAG_1",
    ],
)
def test_good_images(image):
    assert secrets.container_image(image) is None


def _check_pod_round_trip(raw: dict) -> bool:
    """Render `raw` and read every given value back; False when the input was rejected."""
    try:
        snippet = build(POD_SECRET_VOLUME, raw)
    except SnippetError as exc:
        assert exc.errors and all(e.field in POD_SECRET_VOLUME.defaults() and e.message for e in exc.errors)
        event("rejected")
        return False
    event("rendered")
    answers, _ = check(POD_SECRET_VOLUME, raw)
    docs = [d for d in yaml.safe_load_all(snippet.text) if d is not None]
    by_kind = _kinds(docs)
    spec = _pod_spec(docs)
    (container,) = spec["containers"]
    volume = spec["volumes"][0]["secret"]

    def value_of(field, default=None):
        """What the engine makes of the raw value: text stripped, anything else as text."""
        value = raw.get(field)
        if value is None or not str(value).strip():
            return default
        return str(value).strip()

    assert container["name"] == value_of("name")
    assert container["image"] == value_of("image")
    assert container["volumeMounts"][0]["mountPath"] == value_of("mount-path", "/etc/secrets")
    assert volume["secretName"] == value_of("secret-name")
    assert volume["defaultMode"] == int(str(value_of("file-mode", "0400")), 8)
    items = _as_list(raw.get("items"))
    assert [i["key"] for i in volume.get("items", [])] == items
    assert by_kind["ServiceAccount"]["metadata"]["name"] == value_of("service-account", value_of("name"))
    assert spec["securityContext"]["runAsUser"] == int(value_of("run-as-user", 10001))
    assert spec["automountServiceAccountToken"] is bool(answers["needs-api-access"])
    assert all(doc["metadata"]["namespace"] == value_of("namespace") for doc in docs)
    kind = "Pod" if str(value_of("workload", "Deployment")).lower() == "pod" else "Deployment"
    assert [d["kind"] for d in docs] == ["ServiceAccount", kind]
    if kind == "Deployment":
        assert by_kind["Deployment"]["spec"]["replicas"] == int(value_of("replicas", 1))
    assert not {k for k, _ in _walk(docs)} & {"env", "envFrom", "data", "stringData"}
    return True


@settings(max_examples=100, deadline=None)
@given(raw=st.fixed_dictionaries(POD_GOOD))
def test_pod_secret_volume_good_input_round_trips(raw):
    assert _check_pod_round_trip(raw)


# Schema validation costs about 0.2 s a document stream, so fewer examples here.
@settings(max_examples=10, deadline=None)
@given(raw=st.fixed_dictionaries(POD_GOOD))
def test_pod_secret_volume_good_input_is_valid_kubernetes(raw):
    validate_manifests(build(POD_SECRET_VOLUME, raw).text)


@settings(max_examples=150, deadline=None)
@given(raw=st.one_of(_one_hostile(POD_SECRET_VOLUME, POD_GOOD), _anything(POD_SECRET_VOLUME, POD_GOOD)))
def test_pod_secret_volume_any_input(raw):
    _check_pod_round_trip(raw)


# Point 10: the --image example must be able to run as a non-root UID with a read-only root.
def test_image_example_is_not_stock_nginx():
    f = POD_SECRET_VOLUME.field("image")
    assert "nginx" not in f.example and "non-root" in f.help
