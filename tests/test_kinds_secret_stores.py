"""snippets.kinds.secret_stores: secret-provider-class, external-secret and sealed-secret.

Every YAML document is validated (built-in kinds strictly against the Kubernetes schemas, the
custom resources against their published CRD schemas); the driver and API rules each kind
exists for are asserted on the parsed objects; the Sealed Secrets script is checked with
`bash -n`, split back into words, and run end to end against a stand-in kubeseal.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snippets import registry
from snippets.kinds import secret_stores as ss
from snippets.kinds.secret_stores import EXTERNAL_SECRET, SEALED_SECRET, SECRET_PROVIDER_CLASS
from snippets.spec import FieldError, SnippetError, build, check
from tests.helpers import CRD_SCHEMAS, CRDS, K8S_VERSIONS, assert_golden, validate_manifests

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE = [
    'a"b', "it's", "key: value", "# comment", "---", "| block", "> folded", "line\nbreak",
    "tab\there", "üñí©ødé", "$(reboot)", "`id`", "a,b", "a;b", "a=b", "a:b", "/etc/../root", "..",
    "*", "&anchor", "!!python/object", "null", "true", "0400", " ", "", "-rf", "\x00", "\u2028",
]
hostile = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=24))

SPC = {
    "name": "db-creds",
    "namespace": "payments",
    "object": ["name=prod/db,type=secretsmanager,alias=db-creds,keys=username;password"],
    "region": "us-east-1",
    "service-account": "payments-api",
    "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments-api:1.4.2",
}
ESO = {
    "name": "db-creds",
    "namespace": "payments",
    "region": "us-east-1",
    "service-account": "payments-secrets-reader",
    "key": ["username=prod/db:username", "password=prod/db:password"],
}
SEAL = {"name": "db-creds", "namespace": "payments", "keys": "username,password"}
SM_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"
SM_ARN_WEST = "arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/db-AbCdEf"
SSM_ARN = "arn:aws:ssm:us-east-1:111122223333:parameter/prod/api/token"


@functools.lru_cache(maxsize=None)
def _crd_validator(filename: str) -> jsonschema.protocols.Validator:
    schema = json.loads((CRD_SCHEMAS / filename).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_docs(text: str) -> list[dict]:
    """helpers.validate_manifests with the schema check done once per CRD: jsonschema.validate
    re-checks the 370 kB SecretStore schema on every call (about a second), too slow for property
    tests. Same rules: custom resources against their CRD schemas, built-in kinds strictly
    against each Kubernetes version. The golden tests still call validate_manifests itself."""
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    assert docs, "no YAML documents in the output"
    for doc in docs:
        key = (doc.get("apiVersion"), doc.get("kind"))
        if key in CRDS:
            _crd_validator(CRDS[key]).validate(doc)
            continue
        for version in K8S_VERSIONS:
            kubernetes_validate.validate(doc, version, strict=True)
    return docs


def errors_of(spec, raw: dict[str, Any]) -> list[FieldError]:
    with pytest.raises(SnippetError) as info:
        build(spec, raw)
    return info.value.errors


def assert_error(spec, raw: dict[str, Any], field: str, fragment: str) -> FieldError:
    errors = errors_of(spec, raw)
    found = [e for e in errors if e.field == field and fragment in e.message]
    assert found, f"no error on --{field} containing {fragment!r}: {[str(e) for e in errors]}"
    return found[0]


def by_kind(docs: list[dict]) -> dict[str, dict]:
    return {doc["kind"]: doc for doc in docs}


def objects_of(docs: list[dict]) -> list[dict]:
    parameters = by_kind(docs)["SecretProviderClass"]["spec"]["parameters"]
    return yaml.safe_load(parameters["objects"])


# =============================================================================================
# Registration and field conventions


@pytest.mark.parametrize("spec", ss.SPECS, ids=lambda s: s.kind)
def test_registered_under_its_kind(spec):
    assert registry.get(spec.kind) is spec
    assert registry.KIND_MODULES[spec.kind] == "secret_stores"


@pytest.mark.parametrize("spec", ss.SPECS, ids=lambda s: s.kind)
def test_fields_are_documented_and_examples_are_good_values(spec):
    for f in spec.fields:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", f.id), f.id
        assert f.label and f.help.endswith("."), f.id
        if f.required or f.type in ("text", "list"):
            assert f.example, f"{spec.kind} --{f.id} has no example"
        if f.validate and f.example:
            items = f.example.split(f.separator) if f.type == "list" else [f.example]
            for item in items:
                assert f.validate(item) is None, f"{spec.kind} --{f.id} example {item!r} fails its own validator"
        if f.default not in (None, "", ()) and f.validate and f.type == "text":
            assert f.validate(f.default) is None


@pytest.mark.parametrize("spec", ss.SPECS, ids=lambda s: s.kind)
def test_builds_from_examples_alone(spec):
    raw = {f.id: f.example for f in spec.fields if f.required and f.example}
    if spec is EXTERNAL_SECRET:
        raw["key"] = ss.KEY_EXAMPLE
    snippet = build(spec, raw)
    assert snippet.kind == spec.kind and snippet.practices == spec.practices
    assert snippet.text.startswith(f"# Generated by eksguide: {spec.kind} (implements: {', '.join(spec.practices)})\n")


def test_unknown_field_is_an_error():
    assert_error(SEALED_SECRET, {**SEAL, "value": "hunter2"}, "value", "is not a field of sealed-secret")


@pytest.mark.parametrize("spec", ss.SPECS, ids=lambda s: s.kind)
def test_no_field_asks_for_a_secret_value(spec):
    for f in spec.fields:
        words = f"{f.id} {f.label}".lower()
        assert not re.search(r"\b(value|password|token|plaintext|literal)\b", words), f.id


# =============================================================================================
# secret-provider-class


SPC_CASES = {
    "irsa-jmespath": {
        **SPC,
        "object": [
            "name=prod/db,type=secretsmanager,alias=db-creds,keys=username;password;db-host:host",
        ],
        "role-arn": "arn:aws:iam::111122223333:role/payments-secrets",
    },
    "pod-identity-sync": {
        **SPC,
        "object": [
            f"name={SM_ARN},alias=db,keys=username:db-username;password:db-password",
            "name=/prod/api/token,type=ssmparameter,alias=api-token",
        ],
        "use-pod-identity": "yes",
        "sync-secret-name": "payments-db",
        "mount-path": "/var/run/secrets/app",
        "deployment-name": "payments-api",
    },
    "failover": {
        **SPC,
        "object": [
            "name=prod/db,type=secretsmanager,alias=db-creds",
            f"name={SM_ARN},alias=signing-key,failover=arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/signing-XyZ123",
        ],
        "failover-region": "us-west-2",
    },
}


@pytest.mark.parametrize("case", SPC_CASES)
def test_spc_golden_and_valid(case):
    snippet = build(SECRET_PROVIDER_CLASS, SPC_CASES[case])
    assert snippet.language == "yaml" and snippet.filename == "db-creds-secretproviderclass.yaml"
    assert_golden("secret-provider-class", case, snippet.text)
    docs = validate_manifests(snippet.text)
    assert [d["kind"] for d in docs][0] == "SecretProviderClass" and docs[-1]["kind"] == "Deployment"


@pytest.mark.parametrize("case", SPC_CASES)
def test_spc_driver_rules(case):
    raw = SPC_CASES[case]
    docs = validate_docs(build(SECRET_PROVIDER_CLASS, raw).text)
    spc = by_kind(docs)["SecretProviderClass"]
    assert spc["apiVersion"] == "secrets-store.csi.x-k8s.io/v1"
    assert spc["metadata"] == {"name": raw["name"], "namespace": raw["namespace"]}
    assert spc["spec"]["provider"] == "aws"
    parameters = spc["spec"]["parameters"]
    assert all(isinstance(v, str) for v in parameters.values()), "SecretProviderClass parameters must be strings"
    assert parameters["region"] == raw["region"]
    if raw.get("use-pod-identity"):
        assert parameters["usePodIdentity"] == "true"
    else:
        assert "usePodIdentity" not in parameters, "IRSA is the default; no usePodIdentity parameter"
    assert parameters.get("failoverRegion") == raw.get("failover-region")
    # The objects parameter is a YAML list in a string, written as a literal block.
    assert "objects: |\n" in build(SECRET_PROVIDER_CLASS, raw).text
    for entry in objects_of(docs):
        assert entry["objectType"] in ("secretsmanager", "ssmparameter")
        assert set(entry) <= {"objectName", "objectType", "objectAlias", "jmesPath", "failoverObject"}
        for jmes in entry.get("jmesPath", []):
            assert set(jmes) == {"path", "objectAlias"}

    pod = by_kind(docs)["Deployment"]["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == raw["service-account"]
    (volume,) = pod["volumes"]
    assert volume["csi"] == {
        "driver": "secrets-store.csi.k8s.io",
        "readOnly": True,
        "volumeAttributes": {"secretProviderClass": raw["name"]},
    }
    (container,) = pod["containers"]
    assert container["image"] == raw["image"]
    assert container["volumeMounts"] == [
        {"name": volume["name"], "mountPath": raw.get("mount-path", "/mnt/secrets-store"), "readOnly": True}
    ]
    assert "env" not in container and "envFrom" not in container


def test_spc_jmespath_entries_each_get_their_file():
    docs = validate_docs(build(SECRET_PROVIDER_CLASS, SPC_CASES["irsa-jmespath"]).text)
    assert objects_of(docs) == [{
        "objectName": "prod/db",
        "objectType": "secretsmanager",
        "objectAlias": "db-creds",
        "jmesPath": [
            {"path": "username", "objectAlias": "username"},
            {"path": "password", "objectAlias": "password"},
            # A hyphen would be a JMESPath operator, so the key is a quoted identifier.
            {"path": '"db-host"', "objectAlias": "host"},
        ],
    }]


@pytest.mark.parametrize("key,path", [
    ("username", "username"), ("_x1", "_x1"), ("db-host", '"db-host"'), ("tls.crt", '"tls.crt"'), ("1st", '"1st"'),
])
def test_jmes_path_quotes_non_identifiers(key, path):
    assert ss.jmes_path(key) == path


def test_spc_arn_implies_type_and_sync_lists_each_file():
    docs = validate_docs(build(SECRET_PROVIDER_CLASS, SPC_CASES["pod-identity-sync"]).text)
    objects = objects_of(docs)
    assert objects[0]["objectName"] == SM_ARN and objects[0]["objectType"] == "secretsmanager"
    assert objects[1] == {"objectName": "/prod/api/token", "objectType": "ssmparameter", "objectAlias": "api-token"}
    (synced,) = by_kind(docs)["SecretProviderClass"]["spec"]["secretObjects"]
    assert synced["secretName"] == "payments-db" and synced["type"] == "Opaque"
    # With keys, the extracted files are synced (not the whole JSON); without, the object's file.
    assert synced["data"] == [
        {"objectName": "db-username", "key": "db-username"},
        {"objectName": "db-password", "key": "db-password"},
        {"objectName": "api-token", "key": "api-token"},
    ]
    assert by_kind(docs)["Deployment"]["metadata"]["name"] == "payments-api"


def test_spc_sync_uses_translated_name_when_no_alias():
    raw = {**SPC, "object": ["name=/prod/api/token,type=ssmparameter"], "sync-secret-name": "api"}
    docs = validate_docs(build(SECRET_PROVIDER_CLASS, raw).text)
    assert "objectAlias" not in objects_of(docs)[0]
    # ASCP turns '/' into '_' in file names (pathTranslation default).
    data = by_kind(docs)["SecretProviderClass"]["spec"]["secretObjects"][0]["data"]
    assert data == [{"objectName": "_prod_api_token", "key": "_prod_api_token"}]


def test_spc_no_sync_means_no_secret_objects():
    docs = validate_docs(build(SECRET_PROVIDER_CLASS, SPC).text)
    assert "secretObjects" not in by_kind(docs)["SecretProviderClass"]["spec"]


def test_spc_irsa_service_account_only_with_role_arn():
    docs = validate_docs(build(SECRET_PROVIDER_CLASS, SPC_CASES["irsa-jmespath"]).text)
    account = by_kind(docs)["ServiceAccount"]
    assert account["metadata"] == {
        "name": "payments-api",
        "namespace": "payments",
        "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/payments-secrets"},
    }
    assert "ServiceAccount" not in by_kind(validate_docs(build(SECRET_PROVIDER_CLASS, SPC).text))
    # role-arn is an IRSA field: with Pod Identity it is hidden, so it writes nothing.
    raw = {**SPC_CASES["irsa-jmespath"], "use-pod-identity": True}
    assert "ServiceAccount" not in by_kind(validate_docs(build(SECRET_PROVIDER_CLASS, raw).text))


def test_spc_failover_object():
    docs = validate_docs(build(SECRET_PROVIDER_CLASS, SPC_CASES["failover"]).text)
    objects = objects_of(docs)
    assert "failoverObject" not in objects[0]
    assert objects[1]["failoverObject"] == {
        "objectName": "arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/signing-XyZ123"
    }


def test_spc_header_notes():
    text = build(SECRET_PROVIDER_CLASS, {**SPC, "object": [*SPC["object"], "name=/p,type=ssmparameter"]}).text
    header = text.split("---\n", 1)[0]
    for fragment in (
        "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "ssm:GetParameters",
        "alpha and off by default", "enableSecretRotation", "Not on Fargate", "IRSA",
    ):
        assert fragment in header, fragment
    pod_identity = build(SECRET_PROVIDER_CLASS, {**SPC, "use-pod-identity": True}).text
    assert "EKS Pod Identity" in pod_identity.split("---\n", 1)[0]
    assert "ssm:GetParameters" not in build(SECRET_PROVIDER_CLASS, SPC).text


def test_spc_warnings():
    assert build(SECRET_PROVIDER_CLASS, SPC).warnings == ()
    untagged = build(SECRET_PROVIDER_CLASS, {**SPC, "image": "nginx"})
    assert any(":latest" in w for w in untagged.warnings)
    ssm_failover = build(SECRET_PROVIDER_CLASS, {
        **SPC, "object": ["name=/prod/x,type=ssmparameter"], "failover-region": "us-west-2",
    })
    assert any("SSM parameters are not replicated" in w for w in ssm_failover.warnings)


@pytest.mark.parametrize("item,fragment", [
    ("prod/db", "is not key=value"),
    ("name=prod/db", "needs type=secretsmanager or type=ssmparameter"),
    ("name=prod/db,type=vault", "is not secretsmanager or ssmparameter"),
    ("name=prod/db,type=secretsmanager,colour=blue", "is not one of name, type, alias, keys, failover"),
    ("name=prod/db,name=x,type=secretsmanager", "appears twice"),
    ("type=secretsmanager,alias=x", "has no name="),
    ("name=prod/db,type=secretsmanager,alias=", "is not key=value"),
    ("name=prod\tdb,type=secretsmanager", "has a space or line break"),
    ("name=prod/db!,type=secretsmanager", "is not a Secrets Manager secret name"),
    ("name=prod/db,type=ssmparameter", "is not an SSM parameter name"),
    ("name=/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p,type=ssmparameter", "at most 15 levels"),
    ("name=arn:aws:s3:::bucket,alias=x", "is not a Secrets Manager or SSM parameter ARN"),
    (f"name={SM_ARN},type=ssmparameter,alias=x", "is an ARN of a secretsmanager object"),
    (f"name={SM_ARN}", "add alias= with a file name"),
    ("name=prod/db,type=secretsmanager,alias=../etc", "is not a safe file name"),
    ("name=prod/db,type=secretsmanager,alias=a/b", "is not a safe file name"),
    ("name=..,type=secretsmanager", "add alias="),
    ("name=prod/db,type=secretsmanager,keys=user;;pass", "has an empty key"),
    ("name=prod/db,type=secretsmanager,keys=us'er", "is not a plain JSON key"),
    ("name=prod/db,type=secretsmanager,keys=user:", "has ':' but no file name"),
    ("name=prod/db,type=secretsmanager,keys=user:a/b", "is not a safe file name"),
    ("name=prod/db,type=secretsmanager,keys=user;user", "appears twice"),
    ("name=prod/db,type=secretsmanager,failover=other", "needs alias="),
    ("name=prod/db,type=secretsmanager,alias=x,failover=arn:aws:ssm:us-west-2:111122223333:parameter/x", "not a Secrets Manager secret ARN"),
])
def test_spc_bad_object_items(item, fragment):
    error = assert_error(SECRET_PROVIDER_CLASS, {**SPC, "object": [item]}, "object", fragment)
    assert "for example" in error.message or "such as" in error.message or "use" in error.message


@pytest.mark.parametrize("raw,field,fragment", [
    ({"region": "us-east-1", "failover-region": "us-east-1"}, "failover-region", "is the same as --region"),
    ({"object": [f"name={SM_ARN_WEST},alias=db"]}, "object", "is an ARN in us-west-2, but --region is us-east-1"),
    ({"object": [f"name={SM_ARN},alias=db"], "failover-region": "us-west-2"}, "object", "failover Region cannot read it"),
    ({"object": ["name=prod/db,type=secretsmanager,alias=db,failover=prod/db"]}, "object", "there is no --failover-region"),
    ({"object": [f"name=prod/db,type=secretsmanager,alias=db,failover={SM_ARN}"], "failover-region": "us-west-2"},
     "object", "but --failover-region is us-west-2"),
    ({"object": ["name=a/b,type=secretsmanager", "name=x,type=secretsmanager,alias=a_b"]}, "object", "the same file 'a_b'"),
    ({"object": ["name=a,type=secretsmanager,keys=user", "name=b,type=secretsmanager,keys=user"]}, "object", "the same file 'user'"),
    ({"object": ["name=team+a@x,type=secretsmanager"], "sync-secret-name": "s"}, "object", "cannot be a key of the synced Secret"),
    ({"name": "db.creds"}, "deployment-name", "--deployment-name my-app"),
])
def test_spc_cross_field_rules(raw, field, fragment):
    assert_error(SECRET_PROVIDER_CLASS, {**SPC, **raw}, field, fragment)


def test_spc_cross_field_rules_pass_when_satisfied():
    build(SECRET_PROVIDER_CLASS, {**SPC, "name": "db.creds", "deployment-name": "db"})
    build(SECRET_PROVIDER_CLASS, {**SPC, "object": ["name=team+a@x,type=secretsmanager"]})  # no sync: fine
    build(SECRET_PROVIDER_CLASS, {**SPC, "object": [f"name={SSM_ARN},alias=token"]})


@pytest.mark.parametrize("field,value,fragment", [
    ("name", "DB", "is not a valid Kubernetes name"),
    ("namespace", "a.b", "is not a valid name"),
    ("region", "us-east", "is not an AWS Region code"),
    ("failover-region", "west", "is not an AWS Region code"),
    ("role-arn", "arn:aws:iam::1:role/x", "is not an IAM role ARN"),
    ("sync-secret-name", "Bad_Name", "is not a valid Kubernetes name"),
    ("service-account", "sa:x", "is not a valid Kubernetes name"),
    ("image", "Nginx:latest", "is not a container image reference"),
    ("image", "nginx:1.0 --privileged", "is not a container image reference"),
    ("mount-path", "relative/path", "is not a usable mount path"),
    ("mount-path", "/mnt/../etc", "is not a usable mount path"),
    ("mount-path", "/", "is not a usable mount path"),
    ("mount-path", "/mnt/a:b", "is not a usable mount path"),
    ("deployment-name", "a.b", "is not a valid name"),
    ("use-pod-identity", "maybe", "must be yes or no"),
])
def test_spc_field_validators(field, value, fragment):
    error = assert_error(SECRET_PROVIDER_CLASS, {**SPC, field: value}, field, fragment)
    assert "such as" in error.message or "must be" in error.message


def test_spc_reports_every_error_at_once():
    errors = errors_of(SECRET_PROVIDER_CLASS, {"name": "DB", "region": "nowhere", "image": "UPPER", "object": "junk"})
    assert {e.field for e in errors} == {"name", "namespace", "region", "image", "object", "service-account"}


@pytest.mark.parametrize("image", [
    "nginx", "nginx:1.27", "public.ecr.aws/nginx/nginx:1.27", "localhost:5000/team/app:v1.2-rc.1",
    "111122223333.dkr.ecr.us-east-1.amazonaws.com/app@sha256:" + "a" * 64,
])
def test_image_references_accepted(image):
    assert ss.image_reference(image) is None


# ---------------------------------------------------------------------------------------------
# Property tests: hostile text in every part of an object item and in the free-text fields.


def _expected_entry(name: str, object_type: str, alias: str | None, keys: list[str]) -> dict:
    entry: dict[str, Any] = {"objectName": name, "objectType": object_type}
    if alias:
        entry["objectAlias"] = alias
    if keys:
        entry["jmesPath"] = [
            {"path": k if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else f'"{k}"', "objectAlias": k} for k in keys
        ]
    return entry


name_part = st.one_of(hostile, st.from_regex(r"\A/?[A-Za-z0-9/_+=.@-]{1,20}\Z"))
alias_part = st.one_of(st.none(), hostile, st.from_regex(r"\A[-._a-zA-Z0-9]{1,12}\Z"))
keys_part = st.lists(st.one_of(hostile, st.from_regex(r"\A[-._a-zA-Z0-9]{1,8}\Z")), max_size=3)


@FAST
@given(
    name=name_part,
    object_type=st.sampled_from(["secretsmanager", "ssmparameter", "ssm", "Secretsmanager"]),
    alias=alias_part,
    keys=keys_part,
    sync=st.booleans(),
)
def test_spc_object_items_round_trip_or_fail_cleanly(name, object_type, alias, keys, sync):
    item = f"name={name},type={object_type}"
    if alias is not None:
        item += f",alias={alias}"
    if keys:
        item += ",keys=" + ";".join(keys)
    raw = {**SPC, "object": [item]}
    if sync:
        raw["sync-secret-name"] = "synced"
    try:
        snippet = build(SECRET_PROVIDER_CLASS, raw)
    except SnippetError as exc:
        assert exc.errors and all(isinstance(e, FieldError) for e in exc.errors)
        return
    docs = validate_docs(snippet.text)
    if [part.strip() for part in item.split(" ") if part.strip()] != [item]:
        return  # the list coercion split or trimmed the item: the rendering is all there is to check
    if any(mark in part for part in [name, alias or "", *keys] for mark in ",;:="):
        return  # a value holding the item syntax's own separators reads as more (or other) parts
    assert objects_of(docs) == [_expected_entry(name, object_type, alias, keys)]
    if sync:
        data = by_kind(docs)["SecretProviderClass"]["spec"]["secretObjects"][0]["data"]
        assert all(ss.secret_key(d["key"]) is None and d["key"] == d["objectName"] for d in data)


@FAST
@given(
    field=st.sampled_from(["name", "namespace", "service-account", "image", "mount-path", "region",
                           "sync-secret-name", "deployment-name", "failover-region", "role-arn"]),
    value=hostile,
)
def test_spc_free_text_round_trips_or_fails_cleanly(field, value):
    raw = {**SPC, field: value}
    try:
        snippet = build(SECRET_PROVIDER_CLASS, raw)
    except SnippetError as exc:
        assert all(isinstance(e, FieldError) for e in exc.errors)
        return
    docs = validate_docs(snippet.text)
    value = value.strip()
    spc, deployment = by_kind(docs)["SecretProviderClass"], by_kind(docs)["Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    where = {
        "name": pod["volumes"][0]["csi"]["volumeAttributes"]["secretProviderClass"],
        "namespace": deployment["metadata"]["namespace"],
        "service-account": pod["serviceAccountName"],
        "image": pod["containers"][0]["image"],
        "mount-path": pod["containers"][0]["volumeMounts"][0]["mountPath"],
        "region": spc["spec"]["parameters"]["region"],
    }
    if field in where:
        # An empty answer means the field's default (the engine's rule).
        assert where[field] == (value or SECRET_PROVIDER_CLASS.field(field).default)


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
    for fragment in ("v1beta1 is no longer served", "kubernetes-external-secrets", "archived",
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
        assert external["spec"]["dataFrom"] == [{"extract": {"key": extract.strip()}}]


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


# =============================================================================================
# sealed-secret


SEAL_CASES = {
    "strict": SEAL,
    "namespace-wide-helm": {**SEAL, "scope": "namespace-wide", "controller-name": "sealed-secrets",
                            "controller-namespace": "sealed-secrets", "keys": ["tls.crt", "tls.key"]},
    "cluster-wide": {**SEAL, "scope": "cluster-wide", "keys": "api-token"},
}


def commands(text: str) -> list[list[str]]:
    """The script's commands as words (continuations joined, comments and blank lines dropped)."""
    joined = text.replace("\\\n", " ")
    return [shlex.split(line) for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def bash_syntax_ok(text: str) -> None:
    result = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr


def shape_of(text: str) -> dict:
    """The commented SealedSecret at the end of the script, as YAML."""
    marker = "will look like this"
    tail = text[text.index(marker):].splitlines()[1:]
    return yaml.safe_load("\n".join(line[len("#   "):] for line in tail))


@pytest.mark.parametrize("case", SEAL_CASES)
def test_sealed_golden_and_syntax(case):
    snippet = build(SEALED_SECRET, SEAL_CASES[case])
    assert snippet.language == "shell" and snippet.filename == "seal-db-creds.sh"
    assert_golden("sealed-secret", case, snippet.text, ext="sh")
    bash_syntax_ok(snippet.text)


@pytest.mark.parametrize("case", SEAL_CASES)
def test_sealed_commands(case):
    a, _ = check(SEALED_SECRET, SEAL_CASES[case])
    words = commands(build(SEALED_SECRET, SEAL_CASES[case]).text)
    assert words[0] == ["set", "-euo", "pipefail"]
    assert words[1] == ["kubeseal", "--fetch-cert", "--controller-name", a["controller-name"],
                        "--controller-namespace", a["controller-namespace"], ">", "cert.pem"]
    assert words[2] == [
        "kubectl", "create", "secret", "generic", a["name"], "--namespace", a["namespace"],
        *(f"--from-file={k}=./{k}" for k in a["keys"]),
        "--dry-run=client", "-o", "yaml",
        "|", "kubeseal", "--cert", "cert.pem", "--scope", a["scope"], "--format", "yaml",
        ">", f"{a['name']}-sealedsecret.yaml",
    ]
    assert len(words) == 3


@pytest.mark.parametrize("case", SEAL_CASES)
def test_sealed_shape_is_a_valid_sealed_secret(case):
    a, _ = check(SEALED_SECRET, SEAL_CASES[case])
    shape = shape_of(build(SEALED_SECRET, SEAL_CASES[case]).text)
    (doc,) = validate_docs(yaml.safe_dump(shape, sort_keys=False))
    assert doc["apiVersion"] == "bitnami.com/v1alpha1" and doc["kind"] == "SealedSecret"
    assert list(doc["spec"]["encryptedData"]) == list(a["keys"])
    assert set(doc["spec"]["encryptedData"].values()) == {ss.CIPHERTEXT_PLACEHOLDER}
    for meta in (doc["metadata"], doc["spec"]["template"]["metadata"]):
        assert meta["name"] == a["name"] and meta["namespace"] == a["namespace"]
        annotations = meta.get("annotations", {})
        if a["scope"] == "strict":
            assert annotations == {}
        else:
            assert annotations == {f"sealedsecrets.bitnami.com/{a['scope']}": "true"}
    assert doc["spec"]["template"]["type"] == "Opaque"


def test_sealed_never_carries_a_value():
    text = build(SEALED_SECRET, SEAL).text
    assert "--from-literal" not in text and "stringData" not in text and "echo" not in commands(text)
    assert "never written to disk" in text and "delete the plaintext key files" in text


def test_sealed_header_notes_and_warnings():
    text = build(SEALED_SECRET, SEAL).text
    assert "the Helm chart names it sealed-secrets" in text and "30 days" in text
    assert build(SEALED_SECRET, SEAL).warnings == ()
    assert any("cluster-wide" in w for w in build(SEALED_SECRET, SEAL_CASES["cluster-wide"]).warnings)


@pytest.mark.parametrize("raw,field,fragment", [
    ({"keys": "user name"}, "keys", "is not a valid Secret key"),
    ({"keys": "a/b"}, "keys", "is not a valid Secret key"),
    ({"keys": ".."}, "keys", "is not a valid Secret key"),
    ({"keys": "..hidden"}, "keys", "is not a valid Secret key"),
    ({"keys": "x" * 254}, "keys", "is not a valid Secret key"),
    ({"keys": "a,b,a"}, "keys", "is listed twice"),
    ({"keys": ""}, "keys", "is required"),
    ({"scope": "global"}, "scope", "must be one of strict, namespace-wide, cluster-wide"),
    ({"controller-name": "sealed_secrets"}, "controller-name", "is not a valid name"),
    ({"controller-namespace": "-x"}, "controller-namespace", "is not a valid name"),
    ({"name": "$(id)"}, "name", "is not a valid Kubernetes name"),
    ({"namespace": "kube system"}, "namespace", "is not a valid name"),
])
def test_sealed_errors(raw, field, fragment):
    assert_error(SEALED_SECRET, {**SEAL, **raw}, field, fragment)


def test_sealed_keys_accept_secret_key_characters():
    a, errors = check(SEALED_SECRET, {**SEAL, "keys": ".env,tls.crt,API_KEY,a-b"})
    assert not errors and a["keys"] == (".env", "tls.crt", "API_KEY", "a-b")


@FAST
@given(
    field=st.sampled_from(["name", "namespace", "controller-name", "controller-namespace", "keys", "scope"]),
    value=hostile,
)
def test_sealed_hostile_values_round_trip_or_fail_cleanly(field, value):
    raw = {**SEAL, field: value}
    try:
        snippet = build(SEALED_SECRET, raw)
    except SnippetError as exc:
        assert all(isinstance(e, FieldError) for e in exc.errors)
        return
    bash_syntax_ok(snippet.text)
    a, _ = check(SEALED_SECRET, raw)
    words = commands(snippet.text)
    assert words[1][3] == a["controller-name"] and words[1][5] == a["controller-namespace"]
    assert words[2][4] == a["name"] and words[2][6] == a["namespace"]
    assert [w for w in words[2] if w.startswith("--from-file=")] == [f"--from-file={k}=./{k}" for k in a["keys"]]
    validate_docs(yaml.safe_dump(shape_of(snippet.text)))


FAKE_KUBESEAL = """#!/usr/bin/env bash
# Stand-in for kubeseal: records its arguments and stdin, prints a fixed document.
printf '%s\\n' "$@" >> "$LOG_DIR/kubeseal.args"
if [ "$1" = "--fetch-cert" ]; then echo "-----BEGIN CERTIFICATE-----"; exit 0; fi
cat > "$LOG_DIR/kubeseal.stdin"
echo "kind: SealedSecret"
"""


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_sealed_script_runs_end_to_end(tmp_path: Path):
    """Run the script with the real kubectl (client-side only) and a stand-in kubeseal: the Secret
    reaches kubeseal only through the pipe, carries the files' exact bytes, and no file besides
    the certificate and the sealed output is written."""
    bin_dir, work, logs = tmp_path / "bin", tmp_path / "work", tmp_path / "logs"
    for d in (bin_dir, work, logs):
        d.mkdir()
    fake = bin_dir / "kubeseal"
    fake.write_text(FAKE_KUBESEAL)
    fake.chmod(0o755)
    os.symlink(shutil.which("kubectl"), bin_dir / "kubectl")
    (work / "username").write_bytes(b"admin")
    (work / "password").write_bytes(b"p@ss'w\"ord\n")
    script = work / "seal.sh"
    script.write_text(build(SEALED_SECRET, SEAL).text)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin", "LOG_DIR": str(logs), "HOME": str(tmp_path),
        "KUBECONFIG": str(tmp_path / "no-kubeconfig"),
    }
    result = subprocess.run(["bash", str(script)], cwd=work, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["cert.pem", "db-creds-sealedsecret.yaml", "password", "seal.sh", "username"]
    args = (logs / "kubeseal.args").read_text().splitlines()
    assert args == [
        "--fetch-cert", "--controller-name", "sealed-secrets-controller", "--controller-namespace", "kube-system",
        "--cert", "cert.pem", "--scope", "strict", "--format", "yaml",
    ]
    secret = yaml.safe_load((logs / "kubeseal.stdin").read_text())
    assert secret["kind"] == "Secret" and secret["metadata"]["name"] == "db-creds"
    assert secret["metadata"]["namespace"] == "payments"
    import base64
    assert {k: base64.b64decode(v) for k, v in secret["data"].items()} == {
        "username": b"admin", "password": b"p@ss'w\"ord\n",
    }


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_sealed_script_stops_when_a_key_file_is_missing(tmp_path: Path):
    bin_dir, logs = tmp_path / "bin", tmp_path / "logs"
    bin_dir.mkdir(), logs.mkdir()
    fake = bin_dir / "kubeseal"
    fake.write_text(FAKE_KUBESEAL)
    fake.chmod(0o755)
    os.symlink(shutil.which("kubectl"), bin_dir / "kubectl")
    (tmp_path / "username").write_bytes(b"admin")
    (tmp_path / "seal.sh").write_text(build(SEALED_SECRET, SEAL).text)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "LOG_DIR": str(logs), "HOME": str(tmp_path),
           "KUBECONFIG": str(tmp_path / "no-kubeconfig")}
    result = subprocess.run(["bash", "seal.sh"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0, "pipefail must stop the script when kubectl fails"
