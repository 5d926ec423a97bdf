"""Helpers shared by the secret-store kinds' tests (secret-provider-class, external-secret, sealed-secret)."""
from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from snippets.spec import FieldError, SnippetError, build
from tests.helpers import CRD_SCHEMAS, CRDS, K8S_VERSIONS


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
