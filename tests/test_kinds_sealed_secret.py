"""sealed-secret: golden files, the kubeseal commands, the SealedSecret shape, and the script run end to end."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from snippets.kinds import secret_stores as ss
from snippets.kinds.secret_stores import SEALED_SECRET
from snippets.spec import FieldError, SnippetError, build, check
from tests.helpers import assert_golden
from tests.kinds_store_helpers import FAST, hostile, SEAL, validate_docs, assert_error


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
    lines = [line for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if any(line.startswith("for key_file in ") for line in lines):  # the trailing-newline warning loop
        start = next(i for i, line in enumerate(lines) if line.startswith("for key_file in "))
        lines = lines[:start] + lines[lines.index("done", start) + 1:]
    return [shlex.split(line) for line in lines]


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


# Point 5: an editor's final newline becomes part of the sealed value; advise printf and warn.
def test_sealed_advises_printf_and_warns_about_a_trailing_newline(tmp_path: Path):
    text = build(SEALED_SECRET, SEAL).text
    assert "with an editor, not echo" not in text and "printf '%s'" in text
    loop = text[text.index("for key_file in "):text.index("\ndone\n") + len("\ndone\n")]
    (tmp_path / "username").write_bytes(b"admin")
    (tmp_path / "password").write_bytes(b"secret\n")
    result = subprocess.run(["bash", "-c", "set -euo pipefail\n" + loop], cwd=tmp_path, capture_output=True,
                            text=True, timeout=20)
    assert result.returncode == 0
    assert "./password ends with a newline" in result.stderr and "./username" not in result.stderr


# Point 10: the scripts name bash, since set -o pipefail fails under dash.
def test_sealed_script_names_bash():
    assert build(SEALED_SECRET, SEAL).text.startswith("#!/usr/bin/env bash\n# Generated by eksguide: sealed-secret")
