"""envelope-encryption: golden files, the eksctl and AWS CLI routes run against stand-ins, validation."""
from __future__ import annotations

import json

import pytest
import yaml

from snippets import validators
from snippets.kinds.keys import ENVELOPE_ENCRYPTION
from snippets.spec import SnippetError, build, check
from tests.helpers import assert_golden
from tests.kinds_keys_helpers import (
    KEY_ARN, MRK_ARN, KEY_ID, ENVELOPE, run_script, bash_syntax_ok, header, _expected_key_check,
    _expected_confirm, _config, _expected_aws_cli, _normalise_timestamp,
)


# --- envelope-encryption ------------------------------------------------------------------------

ENVELOPE_CASES = {
    "eksctl-existing": ENVELOPE,
    "eksctl-new-cluster": {**ENVELOPE, "existing-cluster": "no"},
    "eksctl-keep-secrets": {**ENVELOPE, "encrypt-existing-secrets": "no", "config-file": "cluster.yaml"},
    "aws-cli": {**ENVELOPE, "tool": "aws-cli"},
    "aws-cli-no-rewrite": {**ENVELOPE, "tool": "aws-cli", "encrypt-existing-secrets": False},
}


@pytest.mark.parametrize("case", sorted(ENVELOPE_CASES))
def test_envelope_golden_and_syntax(case):
    snippet = build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES[case])
    assert_golden("envelope-encryption", case, snippet.text, "sh")
    bash_syntax_ok(snippet.text)
    assert snippet.filename == "prod-eu-envelope-encryption.sh"


def test_envelope_header_notes():
    notes = header(build(ENVELOPE_ENCRYPTION, ENVELOPE).text)
    for words in ("1.28", "AWS owned key", "KMS v2", "Irreversible", "symmetric", "cluster's Region",
                  "KMS_KEY_DISABLED", "30 days", "KMS_KEY_NOT_FOUND", "alias"):
        assert words in notes, words


def test_eksctl_existing_cluster_runs(tmp_path):
    code, calls, err = run_script(build(ENVELOPE_ENCRYPTION, ENVELOPE).text, tmp_path)
    assert code == 0, err
    assert calls == [
        _expected_key_check(),
        ["eksctl", "utils", "enable-secrets-encryption", "-f", "prod-eu-secrets-encryption.yaml"],
        _expected_confirm(),
    ]
    written = yaml.safe_load((tmp_path / "prod-eu-secrets-encryption.yaml").read_text())
    assert written == _config()


def test_eksctl_keep_secrets_runs(tmp_path):
    code, calls, err = run_script(build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES["eksctl-keep-secrets"]).text, tmp_path)
    assert code == 0, err
    assert calls[1] == ["eksctl", "utils", "enable-secrets-encryption", "-f", "cluster.yaml",
                        "--encrypt-existing-secrets=false"]
    assert yaml.safe_load((tmp_path / "cluster.yaml").read_text()) == _config()


def test_eksctl_new_cluster_only_writes_the_config(tmp_path):
    answers, _ = check(ENVELOPE_ENCRYPTION, ENVELOPE_CASES["eksctl-new-cluster"])
    assert answers["encrypt-existing-secrets"] is None  # does not apply to a cluster not yet created
    code, calls, err = run_script(build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES["eksctl-new-cluster"]).text, tmp_path)
    assert code == 0, err
    assert calls == [_expected_key_check()]
    assert yaml.safe_load((tmp_path / "prod-eu-secrets-encryption.yaml").read_text()) == _config()


def test_aws_cli_runs_and_waits_for_the_update(tmp_path):
    text = build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES["aws-cli"]).text
    code, calls, err = run_script(text, tmp_path, statuses=("InProgress", "InProgress", "Successful"))
    assert code == 0, err
    assert _normalise_timestamp(calls) == _expected_aws_cli(rewrite=True, statuses=3)
    # The encryption config is the JSON list EKS expects, with exactly one entry.
    config = json.loads(calls[1][calls[1].index("--encryption-config") + 1])
    assert config == [{"resources": ["secrets"], "provider": {"keyArn": KEY_ARN}}]
    # kubectl annotate was fed the Secrets that kubectl get printed.
    assert json.loads((tmp_path / "calls.stdin").read_text())["kind"] == "List"


def test_aws_cli_without_rewrite(tmp_path):
    code, calls, err = run_script(build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES["aws-cli-no-rewrite"]).text, tmp_path)
    assert code == 0, err
    assert calls == _expected_aws_cli(rewrite=False)
    assert not any(c[0] == "kubectl" for c in calls)


@pytest.mark.parametrize("status", ["Failed", "Cancelled"])
def test_aws_cli_stops_when_the_update_fails(tmp_path, status):
    code, calls, err = run_script(build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES["aws-cli"]).text, tmp_path,
                                  statuses=("InProgress", status))
    assert code == 1
    assert "AccessDenied" in err  # the update's errors go to stderr
    assert calls[-1][:3] == ["aws", "eks", "describe-update"] and "update.errors" in calls[-1]
    assert not any(c[0] == "kubectl" for c in calls)
    assert not any("describe-cluster" in c for c in calls)


@pytest.mark.parametrize("case", sorted(ENVELOPE_CASES))
@pytest.mark.parametrize("key_info", ["SYMMETRIC_DEFAULT\tENCRYPT_DECRYPT\tDisabled",
                                      "RSA_2048\tENCRYPT_DECRYPT\tEnabled",
                                      "SYMMETRIC_DEFAULT\tENCRYPT_DECRYPT\tPendingDeletion"])
def test_envelope_stops_before_anything_irreversible_if_the_key_is_wrong(tmp_path, case, key_info):
    code, calls, err = run_script(build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES[case]).text, tmp_path,
                                  key_info=key_info)
    assert code == 1
    assert calls == [_expected_key_check()]
    assert "symmetric encryption key" in err and key_info.split("\t")[-1] in err
    assert not list(tmp_path.glob("*.yaml"))


def test_envelope_when_conditions():
    answers, errors = check(ENVELOPE_ENCRYPTION, {**ENVELOPE, "tool": "aws-cli", "config-file": "x.yaml",
                                                  "existing-cluster": False})
    assert not errors
    assert answers["config-file"] is None and answers["existing-cluster"] is None
    assert answers["encrypt-existing-secrets"] is True
    answers, _ = check(ENVELOPE_ENCRYPTION, ENVELOPE)
    assert answers["tool"] == "eksctl" and answers["existing-cluster"] is True


ENVELOPE_BAD = [
    ("cluster-name", "prod eu", "such as prod-eu"),
    ("cluster-name", "-prod", "such as prod-eu"),
    ("cluster-name", "p" * 101, "such as prod-eu"),
    ("cluster-name", "prod.eu", "such as prod-eu"),
    ("region", "Europe", "us-east-1"),
    ("key-arn", "alias/eks", validators.EXAMPLE_KEY_ARN),
    ("key-arn", "arn:aws:kms:eu-west-1:111122223333:alias/eks", "describe-key"),
    ("key-arn", KEY_ID, validators.EXAMPLE_KEY_ARN),
    ("key-arn", "arn:aws:kms:eu-west-1:111122223333:key/not-a-key", validators.EXAMPLE_KEY_ARN),
    ("key-arn", "arn:aws:iam::111122223333:role/x", validators.EXAMPLE_KEY_ARN),
    ("tool", "terraform", "eksctl, aws-cli"),
    ("config-file", "../cluster.yaml", "prod-eu-secrets-encryption.yaml"),
    ("config-file", "/tmp/cluster.yaml", "prod-eu-secrets-encryption.yaml"),
    ("config-file", "cluster.json", "prod-eu-secrets-encryption.yaml"),
    ("config-file", "-f.yaml", "prod-eu-secrets-encryption.yaml"),
    ("config-file", "my cluster.yaml", "prod-eu-secrets-encryption.yaml"),
    ("existing-cluster", "sometimes", "yes or no"),
]


@pytest.mark.parametrize("field,value,good", ENVELOPE_BAD)
def test_envelope_rejects(field, value, good):
    with pytest.raises(SnippetError) as info:
        build(ENVELOPE_ENCRYPTION, {**ENVELOPE, field: value})
    errors = info.value.errors
    assert [e.field for e in errors] == [field], errors
    assert good in errors[0].message, errors[0].message


def test_envelope_key_must_be_in_the_cluster_region():
    with pytest.raises(SnippetError) as info:
        build(ENVELOPE_ENCRYPTION, {**ENVELOPE, "region": "us-west-2"})
    (error,) = info.value.errors
    assert error.field == "key-arn"
    assert "eu-west-1" in error.message and "us-west-2" in error.message
    assert "arn:aws:kms:us-west-2:111122223333:key/" in error.message
    # A multi-Region replica in the cluster's Region is fine.
    build(ENVELOPE_ENCRYPTION, {**ENVELOPE, "key-arn": MRK_ARN})


def test_envelope_reports_every_error_at_once():
    with pytest.raises(SnippetError) as info:
        build(ENVELOPE_ENCRYPTION, {"cluster-name": "bad name", "key-arn": "alias/x", "tool": "pulumi"})
    assert {e.field for e in info.value.errors} == {"cluster-name", "region", "key-arn", "tool"}
    region_error = next(e for e in info.value.errors if e.field == "region")
    assert "--region eu-west-1" in region_error.message


# Point 8: the AWS CLI route cannot simply be run again after a partial failure.
def test_aws_cli_route_says_it_is_not_safe_to_run_twice():
    assert "Not safe to run twice" in build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES["aws-cli"]).text
    assert "Not safe to run twice" not in build(ENVELOPE_ENCRYPTION, ENVELOPE_CASES["eksctl-existing"]).text


# Point 16: KMS v2 caches data keys, so CloudTrail shows occasional calls, not one per read.
def test_envelope_note_says_kms_v2_caches():
    assert "not one per Secret read" in build(ENVELOPE_ENCRYPTION, ENVELOPE).text
