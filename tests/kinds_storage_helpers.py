"""Helpers shared by the storage kinds' tests (ebs-storageclass, efs-storageclass, efs-pv, fsx-storageclass)."""
from __future__ import annotations

from typing import Any

import pytest
import yaml

from snippets import registry
from snippets.spec import FieldError, SnippetError, build, check


KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MRK_ARN = "arn:aws:kms:eu-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
ALIAS_ARN = "arn:aws:kms:us-east-1:111122223333:alias/ebs-volumes"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
MRK_ID = "mrk-1234abcd12ab34cd56ef1234567890ab"
FS = "fs-0123456789abcdef0"
AP = "fsap-0123456789abcdef0"
SUBNET = "subnet-0123456789abcdef0"
SG1 = "sg-0123456789abcdef0"
SG2 = "sg-0fedcba9876543210"

KINDS = ("ebs-storageclass", "efs-storageclass", "efs-pv", "fsx-storageclass")
REQUIRED = {
    "ebs-storageclass": {},
    "efs-storageclass": {"file-system-id": FS},
    "efs-pv": {"file-system-id": FS},
    "fsx-storageclass": {"subnet-id": SUBNET, "security-group-ids": [SG1]},
}


def spec(kind: str):
    return registry.get(kind)


def render(kind: str, **raw: Any):
    return build(spec(kind), {**REQUIRED[kind], **{k.replace("_", "-"): v for k, v in raw.items()}})


def docs_of(snippet) -> list[dict]:
    return [d for d in yaml.safe_load_all(snippet.text) if d is not None]


def params(kind: str, **raw: Any) -> dict[str, Any]:
    return docs_of(render(kind, **raw))[0]["parameters"]


def errors(kind: str, **raw: Any) -> dict[str, list[str]]:
    """Field id -> messages for answers that must fail."""
    with pytest.raises(SnippetError) as info:
        render(kind, **raw)
    found: dict[str, list[str]] = {}
    for error in info.value.errors:
        assert isinstance(error, FieldError)
        found.setdefault(error.field, []).append(error.message)
    return found


def assert_empty_means_default_or_error(kind: str, field: str, **raw: Any) -> None:
    """A cleared field either falls back to its default or is reported as missing -- never None in the output."""
    f = spec(kind).field(field)
    try:
        answers, problems = check(spec(kind), {**REQUIRED[kind], **{k.replace("_", "-"): v for k, v in raw.items()},
                                               field: ""})
    except Exception as exc:  # pragma: no cover - would be a bug
        raise AssertionError(exc) from exc
    if problems:
        assert any(p.field == field for p in problems), problems
    else:
        assert answers[field] is not None and answers[field] == f.default


def assert_field_error(kind: str, field: str, *fragments: str, **raw: Any) -> str:
    found = errors(kind, **raw)
    assert field in found, f"expected an error on --{field}, got {found}"
    message = " ".join(found[field])
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    # Every message says what a good value looks like.
    assert any(hint in message for hint in ("for example", "such as", "use ", "one of")), message
    return message
