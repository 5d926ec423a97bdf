"""kms-key-rotation: golden files, the script run against stand-ins, warnings, validation."""
from __future__ import annotations

import pytest

from snippets import validators
from snippets.kinds.keys import KMS_KEY_ROTATION
from snippets.spec import SnippetError, build
from tests.helpers import assert_golden
from tests.kinds_keys_helpers import (
    KEY_ARN, MRK_ARN, KEY_ID, ROTATION, ROTATABLE, run_script, bash_syntax_ok, header, _expected_rotation,
)


# --- kms-key-rotation -----------------------------------------------------------------------------

ROTATION_CASES = {
    "key-arn-defaults": ROTATION,
    "key-id-rotate-now": {"key-id": KEY_ID, "region": "us-east-2", "rotation-period-days": 90, "rotate-now": True},
    "multi-region-key": {"key-id": MRK_ARN, "rotation-period-days": "730"},
}


@pytest.mark.parametrize("case", sorted(ROTATION_CASES))
def test_rotation_golden_and_syntax(case):
    snippet = build(KMS_KEY_ROTATION, ROTATION_CASES[case])
    assert_golden("kms-key-rotation", case, snippet.text, "sh")
    bash_syntax_ok(snippet.text)


def test_rotation_header_notes():
    notes = header(build(KMS_KEY_ROTATION, ROTATION).text)
    for words in ("off by default", "90 to 2560", "365", "symmetric", "AWS managed keys", "every year",
                  "old key material", "imported key material", "custom key store"):
        assert words in notes, words


@pytest.mark.parametrize(
    "raw,expected",
    [
        (ROTATION, _expected_rotation(KEY_ARN, "eu-west-1")),
        (ROTATION_CASES["key-id-rotate-now"], _expected_rotation(KEY_ID, "us-east-2", 90, now=True)),
        (ROTATION_CASES["multi-region-key"], _expected_rotation(MRK_ARN, "eu-west-1", 730)),
        ({"key-id": KEY_ID}, _expected_rotation(KEY_ID, None)),
        ({**ROTATION, "region": "eu-west-1", "rotation-period-days": 2560}, _expected_rotation(KEY_ARN, "eu-west-1", 2560)),
    ],
)
def test_rotation_runs(tmp_path, raw, expected):
    code, calls, err = run_script(build(KMS_KEY_ROTATION, raw).text, tmp_path, key_info=ROTATABLE)
    assert code == 0, err
    assert calls == expected


@pytest.mark.parametrize("key_info", ["SYMMETRIC_DEFAULT\tAWS\tAWS_KMS\tEnabled",
                                      "SYMMETRIC_DEFAULT\tCUSTOMER\tEXTERNAL\tEnabled",
                                      "HMAC_256\tCUSTOMER\tAWS_KMS\tEnabled",
                                      "SYMMETRIC_DEFAULT\tCUSTOMER\tAWS_CLOUDHSM\tEnabled"])
def test_rotation_stops_for_keys_that_cannot_rotate(tmp_path, key_info):
    code, calls, err = run_script(build(KMS_KEY_ROTATION, {**ROTATION, "rotate-now": True}).text, tmp_path,
                                  key_info=key_info)
    assert code == 1
    assert [c[2] for c in calls] == ["describe-key"]
    assert "symmetric customer managed key" in err


def test_rotation_warnings():
    assert build(KMS_KEY_ROTATION, ROTATION).warnings == ()
    bare = build(KMS_KEY_ROTATION, {"key-id": KEY_ID})
    assert any("--region" in w for w in bare.warnings)
    assert build(KMS_KEY_ROTATION, {"key-id": KEY_ID, "region": "us-east-1"}).warnings == ()
    for key in (MRK_ARN, "mrk-1234abcd12ab34cd56ef1234567890ab"):
        assert any("primary" in w for w in build(KMS_KEY_ROTATION, {"key-id": key, "region": "eu-west-1"}).warnings)


ROTATION_BAD = [
    ("key-id", "alias/eks-secrets", validators.EXAMPLE_KEY_ARN),
    ("key-id", "alias/eks-secrets", "describe-key"),
    ("key-id", "arn:aws:kms:eu-west-1:111122223333:alias/eks", validators.EXAMPLE_KEY_ARN),
    ("key-id", "alias/aws/ebs", validators.EXAMPLE_KEY_ARN),
    ("key-id", "1234ABCD-12AB-34CD-56EF-1234567890AB", KEY_ID),
    ("key-id", "my key", validators.EXAMPLE_KEY_ARN),
    ("region", "eu-west", "us-east-1"),
    ("rotation-period-days", 89, "between 90 and 2560"),
    ("rotation-period-days", 2561, "between 90 and 2560"),
    ("rotation-period-days", "a year", "365"),
    ("rotate-now", "later", "yes or no"),
]


@pytest.mark.parametrize("field,value,good", ROTATION_BAD)
def test_rotation_rejects(field, value, good):
    with pytest.raises(SnippetError) as info:
        build(KMS_KEY_ROTATION, {**ROTATION, field: value})
    errors = info.value.errors
    assert [e.field for e in errors] == [field], errors
    assert good in errors[0].message, errors[0].message


def test_rotation_region_must_match_the_key_arn():
    with pytest.raises(SnippetError) as info:
        build(KMS_KEY_ROTATION, {**ROTATION, "region": "us-east-1"})
    (error,) = info.value.errors
    assert error.field == "region" and "--region eu-west-1" in error.message


def test_rotation_reports_every_error_at_once():
    with pytest.raises(SnippetError) as info:
        build(KMS_KEY_ROTATION, {"key-id": "alias/x", "region": "nowhere", "rotation-period-days": 30,
                                 "rotate-now": "?"})
    assert {e.field for e in info.value.errors} == {"key-id", "region", "rotation-period-days", "rotate-now"}
    with pytest.raises(SnippetError) as info:
        build(KMS_KEY_ROTATION, {})
    (error,) = info.value.errors
    assert error.field == "key-id" and validators.EXAMPLE_KEY_ARN in error.message
