"""secret-provider-class: golden files, driver rules, objects, cross-field rules, properties."""
from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snippets.kinds import secret_stores as ss
from snippets.kinds.secret_stores import SECRET_PROVIDER_CLASS
from snippets.spec import FieldError, SnippetError, build
from tests.helpers import assert_golden, validate_manifests
from tests.kinds_store_helpers import (
    FAST, hostile, SPC, SM_ARN, SM_ARN_WEST, SSM_ARN, validate_docs, errors_of, assert_error, by_kind,
    objects_of,
)


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


# Point 4: the example Deployment is admitted under Pod Security "restricted".
def test_spc_deployment_meets_pod_security_restricted():
    docs = validate_docs(build(SECRET_PROVIDER_CLASS, SPC).text)
    pod = by_kind(docs)["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    for container in pod["containers"]:
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False and context["capabilities"] == {"drop": ["ALL"]}


# Point 15: since driver 1.6.0 rotation rides on the kubelet's republish; the interval is a minimum.
def test_spc_rotation_note_follows_requires_republish():
    text = build(SECRET_PROVIDER_CLASS, SPC).text
    assert "rotation reconciler" not in text
    assert "kubelet republishes the volume" in text and "a minimum between rotations" in text
