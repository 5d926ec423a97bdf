"""Helpers shared by the envelope-encryption and kms-key-rotation tests: AWS CLI stand-ins that record
every call, and bash syntax checks.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path


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
