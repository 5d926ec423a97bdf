"""sealed-secret: the offline kubeseal workflow, each value read from a file the user writes, so no
value is ever typed on a command line or printed.
"""
from __future__ import annotations

import shlex
from collections.abc import Iterable, Iterator
from typing import Any


from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .store_parts import _documents, secret_key


SEAL_SCOPES = ("strict", "namespace-wide", "cluster-wide")
SEALED_PRACTICES = ("sealed-secrets", "external-secrets-provider")
CERT_FILE = "cert.pem"
CIPHERTEXT_PLACEHOLDER = "<ciphertext written by kubeseal>"
_SCOPE_ANNOTATION = {
    "namespace-wide": "sealedsecrets.bitnami.com/namespace-wide",
    "cluster-wide": "sealedsecrets.bitnami.com/cluster-wide",
}


def _sealed_checks(answers: dict[str, Any]) -> Iterator[FieldError]:
    seen: set[str] = set()
    for key in answers.get("keys") or ():
        if key in seen:
            yield FieldError("keys", f"{key!r} is listed twice; each key names one file, such as --keys username,password")
        seen.add(key)


def sealed_secret_shape(name: str, namespace: str, keys: Iterable[str], scope: str) -> dict[str, Any]:
    """What kubeseal writes, with the ciphertext left out."""
    metadata: dict[str, Any] = {"name": name, "namespace": namespace}
    if scope in _SCOPE_ANNOTATION:
        metadata["annotations"] = {_SCOPE_ANNOTATION[scope]: "true"}
    return {
        "apiVersion": "bitnami.com/v1alpha1",
        "kind": "SealedSecret",
        "metadata": dict(metadata),
        "spec": {
            "encryptedData": {key: CIPHERTEXT_PLACEHOLDER for key in keys},
            "template": {"metadata": dict(metadata), "type": "Opaque"},
        },
    }


def _render_sealed_secret(a: dict[str, Any]) -> Snippet:
    name, namespace, keys, scope = a["name"], a["namespace"], list(a["keys"]), a["scope"]
    sealed_file = f"{name}-sealedsecret.yaml"

    fetch = emit.shell_command(
        "kubeseal", "--fetch-cert", "--controller-name", a["controller-name"],
        "--controller-namespace", a["controller-namespace"],
    ) + f" > {shlex.quote(CERT_FILE)}"
    # The plaintext Secret only ever exists in the pipe, never as a file.
    create = emit.shell_command(
        "kubectl", "create", "secret", "generic", name, "--namespace", namespace,
        *(f"--from-file={key}=./{key}" for key in keys),
        "--dry-run=client", "-o", "yaml", continuation_after=5,
    )
    seal = emit.shell_command("kubeseal", "--cert", CERT_FILE, "--scope", scope, "--format", "yaml")
    pipeline = f"{create} \\\n  | {seal} > {shlex.quote(sealed_file)}"

    shape = _documents([sealed_secret_shape(name, namespace, keys, scope)])
    shape_lines = [line for line in shape.splitlines() if line != "---"]

    key_files = ", ".join(f"./{key}" for key in keys)
    notes = [
        "Seals a Secret with the controller's public key so the result can live in git; only the controller "
        "in the cluster can decrypt it. No value appears on a command line: each comes from a file you write.",
        f"Before running: put each value in a file named after its key ({key_files}), exactly its bytes "
        "(a trailing newline becomes part of the value). Write each with printf '%s' (editors such as vim and "
        "echo add a final newline); the script warns about a file that ends with one.",
        f"Scope {scope}: "
        + {
            "strict": "the Secret name and namespace are sealed in; renaming or moving it breaks decryption.",
            "namespace-wide": "the Secret may be renamed within its namespace.",
            "cluster-wide": "anyone who can create a SealedSecret in any namespace can unseal a copy there.",
        }[scope],
        "The certificate is public: fetch it once (needs cluster access) and seal offline with --cert. The "
        "controller renews its sealing key every 30 days and keeps the old ones; that is not rotation of your "
        "values, which you change by sealing new ones.",
        "Controller: the default install names it sealed-secrets-controller in kube-system; the Helm chart names "
        "it sealed-secrets (pass --controller-name sealed-secrets).",
    ]
    body = [
        "set -euo pipefail",
        "",
        "# 1. The controller's public certificate (safe to share and commit).",
        fetch,
        "",
        "# 2. Warn about a key file that ends with a newline: it would become part of the sealed value.",
        "for key_file in " + " ".join(shlex.quote(f"./{key}") for key in keys) + "; do",
        '  if [ -s "$key_file" ] && [ -z "$(tail -c 1 "$key_file")" ]; then',
        '    echo "warning: $key_file ends with a newline, which becomes part of the value;'
        " rewrite it with printf '%s'\" >&2",
        "  fi",
        "done",
        "",
        "# 3. Build the Secret from the key files locally (--dry-run=client sends nothing) and seal it in one",
        "#    pipe, so the plaintext Secret (base64 is not encryption) is never written to disk.",
        pipeline,
        "",
        f"# 4. Commit and apply {sealed_file}; the controller creates the Secret from it.",
        f"#    Then delete the plaintext key files ({key_files}); never commit them.",
        "",
        f"# {sealed_file} will look like this (ciphertext left out; apply the file kubeseal wrote, not this):",
        *(f"#   {line}" for line in shape_lines),
    ]
    text = "#!/usr/bin/env bash\n" + emit.header("sealed-secret", SEALED_PRACTICES, notes) + "\n".join(body) + "\n"
    warnings = []
    if scope == "cluster-wide":
        warnings.append(
            "cluster-wide scope lets anyone who can create a SealedSecret in any namespace get this value "
            "decrypted there; prefer strict."
        )
    return Snippet(
        text=text,
        filename=f"seal-{name}.sh",
        warnings=tuple(warnings),
    )


SEALED_SECRET = Spec(
    kind="sealed-secret",
    title="SealedSecret with kubeseal",
    description="Seal a Secret for git with kubeseal, reading each value from a local file",
    language="shell",
    practices=SEALED_PRACTICES,
    fields=(
        Field("name", "Secret name", "Name of the Secret (and of the SealedSecret).",
              required=True, example="db-creds", validate=validators.dns_subdomain),
        Field("namespace", "Namespace", "Namespace the Secret is sealed for.",
              required=True, example="my-app", validate=validators.dns_label),
        Field("keys", "Keys",
              "The Secret's keys, joined by ','; each value is read from a file of the same name in the "
              "current directory.",
              type="list", required=True, example="username,password", validate=secret_key),
        Field("scope", "Scope",
              "strict: bound to this name and namespace (safest); namespace-wide: may be renamed in the namespace; "
              "cluster-wide: usable in any namespace.",
              type="choice", choices=SEAL_SCOPES, default="strict"),
        Field("controller-name", "Controller name",
              "Service name of the sealed-secrets controller; the Helm chart calls it sealed-secrets.",
              default="sealed-secrets-controller", example="sealed-secrets-controller", validate=validators.dns_label),
        Field("controller-namespace", "Controller namespace", "Namespace of the sealed-secrets controller.",
              default="kube-system", example="kube-system", validate=validators.dns_label),
    ),
    render=_render_sealed_secret,
    checks=(_sealed_checks,),
)

SPECS = (SEALED_SECRET,)
