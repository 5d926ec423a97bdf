"""snippets.kinds.keys: envelope-encryption and kms-key-rotation (shell scripts).

Besides golden files and `bash -n`, every script is run for real in bash with `aws`, `eksctl`,
`kubectl` and `sleep` replaced by shell functions that record their arguments. The recorded
argument vectors are compared with what the answers ask for, so a value that the shell would
split, expand or re-quote shows up as a wrong argument, and the script's own logic (the key
guard, the update loop) is exercised too.
"""
from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from snippets import registry, validators
from snippets.kinds import keys
from snippets.kinds.keys import ENVELOPE_ENCRYPTION, KMS_KEY_ROTATION
from snippets.spec import SnippetError, build, check
from tests.helpers import assert_golden

KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MRK_ARN = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
ENVELOPE = {"cluster-name": "prod-eu", "region": "eu-west-1", "key-arn": KEY_ARN}
ROTATION = {"key-id": KEY_ARN}

SYMMETRIC = "SYMMETRIC_DEFAULT\tENCRYPT_DECRYPT\tEnabled"
ROTATABLE = "SYMMETRIC_DEFAULT\tCUSTOMER\tAWS_KMS\tEnabled"

HOSTILE = [
    "a'b", 'a"b', "$(touch pwned)", "`touch pwned`", "${HOME}", "a b", "a;b", "a|b", "a&&b", "a\nb",
    "-rf", "--region", "*", "~", "#x", "EKSGUIDE_EOF", "---", "key: value", "üñí", "\\", "",
]

# Recording stand-ins for the tools the scripts call. Each call appends its argument count and
# arguments, NUL-separated, to $EKSGUIDE_CALLS.
STUBS = r"""
_record() { printf '%s\0' "$#" "$@" >> "$EKSGUIDE_CALLS"; }
aws() {
  _record aws "$@"
  case "$2" in
    describe-key) printf '%s\n' "$STUB_KEY_INFO" ;;
    associate-encryption-config) echo upd-0001 ;;
    describe-update)
      if [[ " $* " == *" update.status "* ]]; then
        local next; next=$(head -n 1 "$STUB_STATUS_FILE"); sed -i 1d "$STUB_STATUS_FILE"; echo "$next"
      else
        echo '[{"errorCode":"AccessDenied"}]'
      fi ;;
  esac
}
eksctl() { _record eksctl "$@"; }
kubectl() {
  # In `kubectl get | kubectl annotate` both run at once: annotate records only after get has
  # finished (end of its input), so the calls are logged in pipeline order.
  case "$1" in
    get) _record kubectl "$@"; echo '{"apiVersion":"v1","kind":"List","items":[]}' ;;
    annotate) cat > "$EKSGUIDE_CALLS.stdin"; _record kubectl "$@" ;;
    *) _record kubectl "$@" ;;
  esac
}
sleep() { _record sleep "$@"; }
"""


def run_script(text: str, tmp_path: Path, key_info: str = SYMMETRIC, statuses=("Successful",)):
    """Run a generated script with the stand-ins; returns (exit code, calls, stderr)."""
    (tmp_path / "stubs.sh").write_text(STUBS, encoding="utf-8")
    (tmp_path / "script.sh").write_text(text, encoding="utf-8")
    (tmp_path / "statuses").write_text("".join(s + "\n" for s in statuses), encoding="utf-8")
    calls_file = tmp_path / "calls"
    calls_file.write_bytes(b"")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "EKSGUIDE_CALLS": str(calls_file),
        "STUB_KEY_INFO": key_info,
        "STUB_STATUS_FILE": str(tmp_path / "statuses"),
    }
    proc = subprocess.run(
        ["bash", "-c", 'source ./stubs.sh && source ./script.sh', "eksguide-test"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=20,
    )
    tokens = calls_file.read_bytes().split(b"\0")[:-1]
    calls, i = [], 0
    while i < len(tokens):
        n = int(tokens[i])
        calls.append([t.decode() for t in tokens[i + 1:i + 1 + n]])
        i += 1 + n
    return proc.returncode, calls, proc.stderr


def bash_syntax_ok(text: str) -> None:
    proc = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True, timeout=20)
    assert proc.returncode == 0, proc.stderr


def header(text: str) -> str:
    lines = text.splitlines()
    out = []
    for line in lines:
        if not line.startswith("#"):
            break
        out.append(line)
    return " ".join(out)


# --- registry and shape -------------------------------------------------------------------------


def test_registered_and_specs_are_consistent():
    assert registry.get("envelope-encryption") is ENVELOPE_ENCRYPTION
    assert registry.get("kms-key-rotation") is KMS_KEY_ROTATION
    assert keys.SPECS == (ENVELOPE_ENCRYPTION, KMS_KEY_ROTATION)
    for spec in keys.SPECS:
        for f in spec.fields:
            assert f.label and f.help
            if f.example and f.validate:
                assert f.validate(f.example) is None, f"{spec.kind} {f.id}: example rejected"


@pytest.mark.parametrize("spec,raw", [(ENVELOPE_ENCRYPTION, ENVELOPE), (KMS_KEY_ROTATION, ROTATION)])
def test_snippet_metadata(spec, raw):
    snippet = build(spec, raw)
    assert snippet.kind == spec.kind and snippet.practices == spec.practices
    assert snippet.language == "shell" == spec.language
    assert snippet.filename.endswith(".sh")
    assert snippet.text.splitlines()[0] == (
        f"# Generated by eksguide: {spec.kind} (implements: {', '.join(spec.practices)})"
    )
    assert "set -euo pipefail" in snippet.text


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


def _expected_key_check(region=ENVELOPE["region"], key=KEY_ARN):
    return ["aws", "kms", "describe-key", "--region", region, "--key-id", key,
            "--query", "KeyMetadata.[KeySpec,KeyUsage,KeyState]", "--output", "text"]


def _expected_confirm(cluster="prod-eu", region="eu-west-1"):
    return ["aws", "eks", "describe-cluster", "--region", region, "--name", cluster,
            "--query", "cluster.encryptionConfig"]


def _config(cluster="prod-eu", region="eu-west-1", key=KEY_ARN):
    return {
        "apiVersion": "eksctl.io/v1alpha5",
        "kind": "ClusterConfig",
        "metadata": {"name": cluster, "region": region},
        "secretsEncryption": {"keyARN": key},
    }


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


def _expected_aws_cli(rewrite: bool, statuses=1, cluster="prod-eu", region="eu-west-1", key=KEY_ARN):
    update = ["aws", "eks", "describe-update", "--region", region, "--name", cluster,
              "--update-id", "upd-0001", "--query", "update.status", "--output", "text"]
    calls = [
        _expected_key_check(region, key),
        ["aws", "eks", "associate-encryption-config", "--region", region, "--cluster-name", cluster,
         "--encryption-config", json.dumps([{"resources": ["secrets"], "provider": {"keyArn": key}}],
                                           separators=(",", ":")),
         "--query", "update.id", "--output", "text"],
    ]
    for i in range(statuses):
        calls.append(update)
        if i < statuses - 1:
            calls.append(["sleep", "30"])
    if rewrite:
        calls += [
            ["aws", "eks", "update-kubeconfig", "--region", region, "--name", cluster],
            ["kubectl", "get", "secrets", "--all-namespaces", "-o", "json"],
            ["kubectl", "annotate", "--overwrite", "-f", "-", "kms-encryption-timestamp=<now>"],
        ]
    calls.append(_expected_confirm(cluster, region))
    return calls


def _normalise_timestamp(calls):
    out = []
    for call in calls:
        if call[:2] == ["kubectl", "annotate"]:
            *head, stamp = call
            name, _, value = stamp.partition("=")
            assert name == "kms-encryption-timestamp" and value.isdigit() and len(value) >= 10
            call = [*head, "kms-encryption-timestamp=<now>"]
        out.append(call)
    return out


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


def _expected_rotation(key, region, days=365, now=False):
    where = ["--region", region] if region else []
    calls = [
        ["aws", "kms", "describe-key", *where, "--key-id", key,
         "--query", "KeyMetadata.[KeySpec,KeyManager,Origin,KeyState]", "--output", "text"],
        ["aws", "kms", "enable-key-rotation", *where, "--key-id", key, "--rotation-period-in-days", str(days)],
        ["aws", "kms", "get-key-rotation-status", *where, "--key-id", key],
    ]
    if now:
        calls.append(["aws", "kms", "rotate-key-on-demand", *where, "--key-id", key])
    calls.append(["aws", "kms", "list-key-rotations", *where, "--key-id", key])
    return calls


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


# --- the quoting pieces -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=15)), min_size=1, max_size=5))
def test_command_words_split_back_exactly(words):
    line = keys._command("aws", *words, keys.UPDATE_ID)
    assert shlex.split(line) == ["aws", *words, "$update_id"]


@settings(max_examples=40, deadline=None)
@given(body=st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=20)), max_size=6))
def test_heredoc_writes_the_body_unchanged(tmp_path_factory, body):
    tmp = tmp_path_factory.mktemp("heredoc")
    text = "\n".join(body) + "\n"
    script = keys._heredoc("out.yaml", text) + "\n"
    bash_syntax_ok(script)
    subprocess.run(["bash", "-c", script], cwd=tmp, check=True, timeout=20, env={"PATH": os.environ["PATH"]})
    assert (tmp / "out.yaml").read_text() == text


# --- properties -------------------------------------------------------------------------------------

CLUSTER = st.from_regex(r"\A[0-9A-Za-z][A-Za-z0-9_-]{0,20}\Z")
REGION = st.sampled_from(["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1"])
HEX = "0123456789abcdef"
KEY_UUID = st.tuples(*(st.text(HEX, min_size=n, max_size=n) for n in (8, 4, 4, 4, 12))).map("-".join)
MRK = st.text(HEX, min_size=32, max_size=32).map(lambda h: "mrk-" + h)
ACCOUNT = st.from_regex(r"\A[0-9]{12}\Z")
ANYTHING = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.integers(), st.booleans(), st.none())


def key_arn(region: str) -> st.SearchStrategy:
    partition = "aws-cn" if region.startswith("cn-") else "aws-us-gov" if "-gov-" in region else "aws"
    return st.tuples(ACCOUNT, st.one_of(KEY_UUID, MRK)).map(
        lambda t: f"arn:{partition}:kms:{region}:{t[0]}:key/{t[1]}"
    )


ENVELOPE_GOOD = st.tuples(REGION, CLUSTER).flatmap(lambda t: st.fixed_dictionaries({
    "cluster-name": st.just(t[1]),
    "region": st.just(t[0]),
    "key-arn": key_arn(t[0]),
    "tool": st.sampled_from(["eksctl", "aws-cli", "AWS-CLI"]),
    "existing-cluster": st.booleans(),
    "config-file": st.one_of(st.none(), st.from_regex(r"\A[A-Za-z0-9_][A-Za-z0-9_-]{0,12}\.ya?ml\Z")),
    "encrypt-existing-secrets": st.sampled_from([True, False, "yes", "no"]),
}))


def _one_hostile(good: st.SearchStrategy, fields) -> st.SearchStrategy:
    return st.tuples(good, st.sampled_from(fields), ANYTHING).map(lambda t: {**t[0], t[1]: t[2]})


def _check_envelope_runs(raw: dict, tmp_path: Path) -> None:
    try:
        snippet = build(ENVELOPE_ENCRYPTION, raw)
    except SnippetError as exc:
        assert exc.errors and all(e.field in ENVELOPE_ENCRYPTION.defaults() for e in exc.errors)
        event("rejected")
        return
    event("rendered")
    answers, _ = check(ENVELOPE_ENCRYPTION, raw)
    cluster, region, key = (str(raw[k]).strip() for k in ("cluster-name", "region", "key-arn"))
    code, calls, err = run_script(snippet.text, tmp_path)
    assert code == 0, err
    assert calls[0] == _expected_key_check(region, key)
    if answers["tool"] == "aws-cli":
        assert _normalise_timestamp(calls) == _expected_aws_cli(
            bool(answers["encrypt-existing-secrets"]), cluster=cluster, region=region, key=key)
        return
    path = answers["config-file"] or f"{cluster}-secrets-encryption.yaml"
    assert yaml.safe_load((tmp_path / path).read_text()) == _config(cluster, region, key)
    if answers["existing-cluster"]:
        flag = [] if answers["encrypt-existing-secrets"] else ["--encrypt-existing-secrets=false"]
        assert calls[1:] == [["eksctl", "utils", "enable-secrets-encryption", "-f", path, *flag],
                             _expected_confirm(cluster, region)]
    else:
        assert calls == [_expected_key_check(region, key)]


@settings(max_examples=40, deadline=None)
@given(raw=st.one_of(ENVELOPE_GOOD, _one_hostile(ENVELOPE_GOOD, [f.id for f in ENVELOPE_ENCRYPTION.fields])))
def test_envelope_any_input_runs_with_exactly_the_given_values(tmp_path_factory, raw):
    _check_envelope_runs(raw, tmp_path_factory.mktemp("envelope"))


ROTATION_GOOD = st.one_of(
    REGION.flatmap(lambda r: st.fixed_dictionaries({
        "key-id": key_arn(r), "region": st.sampled_from([r, None]),
        "rotation-period-days": st.integers(90, 2560), "rotate-now": st.booleans(),
    })),
    st.fixed_dictionaries({
        "key-id": st.one_of(KEY_UUID, MRK), "region": st.one_of(REGION, st.none()),
        "rotation-period-days": st.one_of(st.integers(90, 2560), st.integers(90, 2560).map(str)),
        "rotate-now": st.sampled_from([True, False, "yes", "no"]),
    }),
)


@settings(max_examples=40, deadline=None)
@given(raw=st.one_of(ROTATION_GOOD, _one_hostile(ROTATION_GOOD, [f.id for f in KMS_KEY_ROTATION.fields])))
def test_rotation_any_input_runs_with_exactly_the_given_values(tmp_path_factory, raw):
    try:
        snippet = build(KMS_KEY_ROTATION, raw)
    except SnippetError as exc:
        assert exc.errors and all(e.field in KMS_KEY_ROTATION.defaults() for e in exc.errors)
        event("rejected")
        return
    event("rendered")
    answers, _ = check(KMS_KEY_ROTATION, raw)
    key = answers["key-id"]
    region = answers["region"] or keys.key_region(key)
    code, calls, err = run_script(snippet.text, tmp_path_factory.mktemp("rotation"), key_info=ROTATABLE)
    assert code == 0, err
    assert key == str(raw["key-id"]).strip()
    assert calls == _expected_rotation(key, region, answers["rotation-period-days"], bool(answers["rotate-now"]))


@settings(max_examples=150, deadline=None)
@given(raw=st.fixed_dictionaries({}, optional={
    "cluster-name": ANYTHING, "region": ANYTHING, "key-arn": ANYTHING, "tool": ANYTHING,
    "existing-cluster": ANYTHING, "config-file": ANYTHING, "encrypt-existing-secrets": ANYTHING,
    "key-id": ANYTHING, "rotation-period-days": ANYTHING, "rotate-now": ANYTHING,
}))
def test_anything_renders_syntactically_valid_shell_or_raises_snippet_error(raw):
    for spec in keys.SPECS:
        mine = {k: v for k, v in raw.items() if k in spec.defaults()}
        try:
            snippet = build(spec, mine)
        except SnippetError as exc:
            assert all(e.field in spec.defaults() and e.message for e in exc.errors)
            continue
        bash_syntax_ok(snippet.text)
