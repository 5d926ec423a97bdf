"""KMS keys for EKS: envelope encryption of the Kubernetes API data with your own key, and
automatic rotation of customer managed keys.

Both kinds produce shell scripts. Every user value reaches the shell as one quoted word
(emit.shell_command) or inside YAML built as data and written through a quoted heredoc.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import yaml

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec

# --- validators this module needs (candidates for snippets/validators.py) -------------------

# EKS ClusterName (botocore eks model): 1-100 characters, alphanumeric first, then alphanumerics, '-' and '_'.
CLUSTER_NAME_RE = re.compile(r"[0-9A-Za-z][A-Za-z0-9_-]{0,99}")
# A relative file name for the eksctl config: plain characters, ending in .yaml or .yml.
CONFIG_FILE_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,200}\.ya?ml")
ARN_REGION_RE = re.compile(r"^arn:[^:]+:kms:(?P<region>[^:]+):")
EXAMPLE_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def eks_cluster_name(value: str) -> str | None:
    if not CLUSTER_NAME_RE.fullmatch(value):
        return (
            f"{value!r} is not an EKS cluster name; use up to 100 letters, digits, '-' and '_', "
            "starting with a letter or digit, such as prod-eu"
        )
    return None


def config_file(value: str) -> str | None:
    if ".." in value or not CONFIG_FILE_RE.fullmatch(value):
        return (
            f"{value!r} is not a plain file name; use letters, digits, '.', '_' and '-' ending in .yaml, "
            "such as prod-eu-secrets-encryption.yaml"
        )
    return None


def eks_key_arn(value: str) -> str | None:
    """EKS takes a key ARN or an alias; this guide insists on the key ARN (see the field help)."""
    form = validators.kms_key_form(value)
    if form == "key-arn":
        return None
    if form in ("alias", "alias-arn"):
        return (
            f"{value!r} is an alias; an alias can later point at another key, but this association is permanent. "
            "Give the key ARN it points to (aws kms describe-key --key-id ALIAS --query KeyMetadata.Arn), "
            f"such as {validators.EXAMPLE_KEY_ARN}"
        )
    if form in ("key-id", "mrk-id"):
        return (
            f"{value!r} is a bare key ID; EKS needs the full key ARN, such as {validators.EXAMPLE_KEY_ARN}"
        )
    return validators.kms_key_arn(value)


def rotatable_key(value: str) -> str | None:
    """EnableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand and ListKeyRotations take a key ID
    or key ARN only (botocore kms model): no aliases."""
    form = validators.kms_key_form(value)
    if form in ("key-arn", "key-id", "mrk-id"):
        return None
    if form in ("alias", "alias-arn"):
        return (
            f"{value!r} is an alias, and the key rotation commands accept only a key ID or key ARN; look it up "
            "with aws kms describe-key --key-id ALIAS --query KeyMetadata.Arn and give the result, "
            f"such as {validators.EXAMPLE_KEY_ARN}"
        )
    return (
        f"{value!r} is not a KMS key ID or key ARN; use one such as {validators.EXAMPLE_KEY_ARN} "
        f"or {EXAMPLE_KEY_ID}"
    )


def key_region(value: str | None) -> str | None:
    """The Region named in a KMS ARN, or None for an ID or alias."""
    if not value:
        return None
    match = ARN_REGION_RE.match(value)
    return match.group("region") if match else None


# --- shared shell pieces -----------------------------------------------------------------------


class Raw(str):
    """A word written to the script as is: only for fixed text of this module, never user values."""


UPDATE_ID = Raw('"$update_id"')


def _command(*words: str) -> str:
    """Like emit.shell_command, but Raw words are kept unquoted (for "$variable" references)."""
    return " ".join(word if isinstance(word, Raw) else emit.shell_command(word) for word in words)


def _heredoc(path: str, body: str) -> str:
    """`cat > path <<'TAG' ... TAG` with a quoted tag, so the shell expands nothing in the body,
    and a tag that no line of the body can equal."""
    tag = "EKSGUIDE_EOF"
    lines = body.splitlines()
    while tag in lines:
        tag += "_"
    return f"cat > {emit.shell_command(path)} <<'{tag}'\n{body}{'' if body.endswith(chr(10)) else chr(10)}{tag}"


def _guard(describe: str, expected: tuple[str, ...], message: str) -> str:
    """Run a describe command whose text output is tab-separated words, and stop the script
    unless it prints exactly `expected`. `describe` and `expected` are built by this module."""
    printf = "printf '" + "\\t".join(expected) + "'"
    return (
        f"key_info=$({describe})\n"
        f'if [ "$key_info" != "$({printf})" ]; then\n'
        f'  echo "{message}; describe-key says: $key_info" >&2\n'
        "  exit 1\n"
        "fi"
    )


def _key_check(region: str, key: str) -> str:
    """Stop the script unless the key is an enabled symmetric encryption key."""
    describe = emit.shell_command(
        "aws", "kms", "describe-key", "--region", region, "--key-id", key,
        "--query", "KeyMetadata.[KeySpec,KeyUsage,KeyState]", "--output", "text",
    )
    return _guard(
        describe, ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled"),
        "The key must be an enabled symmetric encryption key",
    )


# --- envelope-encryption -----------------------------------------------------------------------

ENVELOPE_PRACTICES = ("kms-envelope-encryption",)


def _is_eksctl(answers: dict[str, Any]) -> bool:
    return answers.get("tool") in ("eksctl", None)


def _changes_existing_cluster(answers: dict[str, Any]) -> bool:
    return answers.get("tool") == "aws-cli" or answers.get("existing-cluster") in (True, None)


ENVELOPE_FIELDS = (
    Field("cluster-name", "Cluster name", "Name of the EKS cluster.", required=True, example="prod-eu",
          validate=eks_cluster_name),
    Field("region", "Region", "AWS Region of the cluster; the key must be in the same Region.", required=True,
          example="eu-west-1", validate=validators.region),
    Field("key-arn", "KMS key ARN", "Full ARN of a symmetric customer managed key in the cluster's Region. EKS "
          "would also take an alias, but the association can never be changed while an alias can be re-pointed, "
          "and eksctl parses this value as an ARN; so this guide asks for the key ARN itself.", required=True,
          example=validators.EXAMPLE_KEY_ARN.replace("us-east-1", "eu-west-1"), validate=eks_key_arn),
    Field("tool", "Tool", "eksctl (writes a ClusterConfig and runs eksctl utils enable-secrets-encryption) or "
          "aws-cli (associate-encryption-config, wait for the update, re-write Secrets with kubectl).",
          type="choice", choices=("eksctl", "aws-cli"), default="eksctl"),
    Field("existing-cluster", "Existing cluster", "The cluster exists already: associate the key now with eksctl "
          "utils enable-secrets-encryption. Off: only write the ClusterConfig fragment for a cluster you are about "
          "to create. (The AWS CLI route is for existing clusters only.)", type="bool", default=True,
          when=_is_eksctl),
    Field("config-file", "eksctl config file", "File the ClusterConfig fragment is written to; empty means "
          "<cluster-name>-secrets-encryption.yaml.", example="prod-eu-secrets-encryption.yaml",
          validate=config_file, when=_is_eksctl),
    Field("encrypt-existing-secrets", "Re-write existing Secrets", "After the key is associated, re-write every "
          "existing Secret so it is stored under the new key now rather than at its next update.",
          type="bool", default=True, when=_changes_existing_cluster),
)


def _check_envelope(answers: dict[str, Any]) -> Iterable[FieldError]:
    # A rule sees values that failed their own validator too; compare only two good values.
    key, region = answers.get("key-arn"), answers.get("region")
    if not key or not region or eks_key_arn(key) or validators.region(region):
        return
    arn_region = key_region(key)
    if arn_region != region:
        example = validators.EXAMPLE_KEY_ARN.replace(":us-east-1:", f":{region}:")
        yield FieldError(
            "key-arn",
            f"is a key in {arn_region} but the cluster is in {region}; EKS needs a key in the cluster's Region "
            f"(for a multi-Region key, its replica there), such as {example}",
        )


def _cluster_config(answers: dict[str, Any]) -> str:
    config = {
        "apiVersion": "eksctl.io/v1alpha5",
        "kind": "ClusterConfig",
        "metadata": {"name": answers["cluster-name"], "region": answers["region"]},
        "secretsEncryption": {"keyARN": answers["key-arn"]},
    }
    return yaml.safe_dump(config, sort_keys=False, default_flow_style=False, width=1000)


def _render_envelope(answers: dict[str, Any]) -> Snippet:
    cluster = answers["cluster-name"]
    region = answers["region"]
    key = answers["key-arn"]
    rewrite = bool(answers["encrypt-existing-secrets"])
    notes = [
        "EKS 1.28 and later already envelope-encrypt all Kubernetes API data (Secrets and every other object) "
        "with KMS v2 and an AWS owned key; nothing needs turning on. Your own key adds a key policy you write, "
        "CloudTrail records of each use, and rotation on your schedule.",
        "Irreversible: once a customer managed key is associated it can never be removed or replaced by another "
        "key. Associating only works on a cluster that has no key yet.",
        "The key must be a symmetric encryption key (ENCRYPT_DECRYPT) in the cluster's Region; another account's "
        "key works if its policy lets you use it. The caller needs kms:DescribeKey and kms:CreateGrant on it. "
        "The script stops first if the key is not an enabled symmetric key.",
        "If the key is disabled the cluster degrades at the next API server restart (KMS_KEY_DISABLED); re-enable "
        "it within 30 days. A deleted key (KMS_KEY_NOT_FOUND) or revoked grants (KMS_GRANT_REVOKED) cannot be "
        "recovered: never schedule this key for deletion.",
        "A full key ARN is required rather than an alias: an alias can be re-pointed later, the association cannot.",
        "Turn on automatic rotation for the key too (see kms-key-rotation); the ARN stays the same, so EKS needs "
        "no change.",
    ]
    parts = [emit.header("envelope-encryption", ENVELOPE_PRACTICES, notes), "set -euo pipefail\n"]
    parts.append("\n# 1. Check the key before an irreversible step.\n" + _key_check(region, key) + "\n")

    if answers["tool"] == "eksctl":
        path = answers["config-file"] or f"{cluster}-secrets-encryption.yaml"
        if not answers["existing-cluster"]:
            parts.append(
                "\n# 2. The ClusterConfig fragment for the new cluster.\n"
                + _heredoc(path, _cluster_config(answers)) + "\n"
                "\n# 3. Copy its secretsEncryption block into the full config you give eksctl create cluster -f;\n"
                "#    the cluster then starts with your key and no Secret is ever stored under another one.\n"
            )
            return Snippet(
                text="".join(parts),
                filename=f"{cluster}-envelope-encryption.sh",
                )
        parts.append(
            "\n# 2. The ClusterConfig fragment naming the cluster and the key.\n"
            + _heredoc(path, _cluster_config(answers)) + "\n"
        )
        args = ["eksctl", "utils", "enable-secrets-encryption", "-f", path]
        if not rewrite:
            args.append("--encrypt-existing-secrets=false")
        comment = (
            "eksctl waits for the update, then re-writes every existing Secret so it is stored under the key"
            if rewrite
            else "existing Secrets are left as they are and move to the new key at their next update"
        )
        parts.append(
            "\n# 3. Associate the key with the existing cluster; " + comment + ".\n"
            + emit.shell_command(*args) + "\n"
        )
    else:
        encryption_config = json.dumps(
            [{"resources": ["secrets"], "provider": {"keyArn": key}}], separators=(",", ":")
        )
        associate = emit.shell_command(
            "aws", "eks", "associate-encryption-config", "--region", region, "--cluster-name", cluster,
            "--encryption-config", encryption_config, "--query", "update.id", "--output", "text",
            continuation_after=3,
        )
        status = _command(
            "aws", "eks", "describe-update", "--region", region, "--name", cluster,
            "--update-id", UPDATE_ID, "--query", "update.status", "--output", "text",
        )
        errors = _command(
            "aws", "eks", "describe-update", "--region", region, "--name", cluster,
            "--update-id", UPDATE_ID, "--query", "update.errors",
        )
        parts.append(
            "\n# 2. Associate the key with the existing cluster (resources is deprecated; if given it must be\n"
            "#    exactly [\"secrets\"], and the key protects all API data on 1.28 and later).\n"
            f"update_id=$({associate})\n"
            'echo "update $update_id started"\n'
        )
        parts.append(
            "\n# 3. Follow the update until it finishes (it can take a while).\n"
            "while true; do\n"
            f"  status=$({status})\n"
            '  echo "update status: $status"\n'
            '  case "$status" in\n'
            "    Successful) break ;;\n"
            f"    Failed|Cancelled) {errors} >&2; exit 1 ;;\n"
            "  esac\n"
            "  sleep 30\n"
            "done\n"
        )
        if rewrite:
            parts.append(
                "\n# 4. Re-write every existing Secret so it is stored under the new key now. update-kubeconfig\n"
                "#    makes this cluster kubectl's current context.\n"
                + emit.shell_command("aws", "eks", "update-kubeconfig", "--region", region, "--name", cluster) + "\n"
                + "kubectl get secrets --all-namespaces -o json \\\n"
                '  | kubectl annotate --overwrite -f - kms-encryption-timestamp="$(date +%s)"\n'
            )
        else:
            parts.append(
                "\n# Existing Secrets are left as they are and move to the new key at their next update.\n"
            )

    parts.append(
        "\n# Confirm: the cluster now reports the key.\n"
        + emit.shell_command(
            "aws", "eks", "describe-cluster", "--region", region, "--name", cluster,
            "--query", "cluster.encryptionConfig",
        ) + "\n"
    )
    return Snippet(
        text="".join(parts),
        filename=f"{cluster}-envelope-encryption.sh",
        )


ENVELOPE_ENCRYPTION = Spec(
    kind="envelope-encryption",
    title="Envelope-encrypt Kubernetes API data with your own KMS key",
    description="Associate a customer managed KMS key with an EKS cluster (eksctl or AWS CLI) and re-write Secrets",
    language="shell",
    practices=ENVELOPE_PRACTICES,
    fields=ENVELOPE_FIELDS,
    render=_render_envelope,
    checks=(_check_envelope,),
)


# --- kms-key-rotation ------------------------------------------------------------------------

ROTATION_PRACTICES = ("rotate-cmks",)

ROTATION_FIELDS = (
    Field("key-id", "KMS key", "Key ID or key ARN of a symmetric customer managed key (the rotation commands do "
          "not take aliases). For a multi-Region key give the primary key.", required=True,
          example=validators.EXAMPLE_KEY_ARN, validate=rotatable_key),
    Field("region", "Region", "AWS Region of the key; empty means the Region in the key ARN, or your AWS CLI "
          "default for a bare key ID.", example="us-east-1", validate=validators.region),
    Field("rotation-period-days", "Rotation period (days)", "Days between automatic rotations, 90 to 2560; "
          "365 is the KMS default.", type="int", default=365, minimum=90, maximum=2560),
    Field("rotate-now", "Rotate now", "Also rotate the key material once right away (on-demand rotation; each key "
          "allows only a limited number, and the schedule is not changed).", type="bool", default=False),
)


def _check_rotation(answers: dict[str, Any]) -> Iterable[FieldError]:
    key, region = answers.get("key-id"), answers.get("region")
    if not key or not region or rotatable_key(key) or validators.region(region):
        return
    arn_region = key_region(key)
    if arn_region and arn_region != region:
        yield FieldError(
            "region",
            f"is {region} but the key ARN is in {arn_region}; KMS looks keys up in their own Region, "
            f"so use --region {arn_region} (or leave it empty)",
        )


def _render_rotation(answers: dict[str, Any]) -> Snippet:
    key = answers["key-id"]
    region = answers["region"] or key_region(key)
    days = answers["rotation-period-days"]
    where = ["--region", region] if region else []

    def kms(*args: str) -> str:
        return emit.shell_command("aws", "kms", args[0], *where, "--key-id", key, *args[1:])

    notes = [
        "Automatic rotation is off by default for customer managed keys. Once enabled KMS rotates every "
        "RotationPeriodInDays (90 to 2560, default 365); the old guide's 'once a year' is only the default now.",
        "Only symmetric encryption keys with KMS-generated material rotate automatically: not asymmetric or HMAC "
        "keys, imported key material, or keys in a custom key store. For multi-Region keys, set it on the primary.",
        "AWS managed keys (aws/ebs, aws/elasticfilesystem, ...) rotate every year on their own and cannot be "
        "changed; AWS owned keys are rotated by their service.",
        "Rotation keeps the key ID, ARN, aliases and policy, and keeps all old key material, so data encrypted "
        "earlier still decrypts and nothing that uses the key needs changing. It does not re-encrypt old data.",
        "These commands work only on keys in your own account: run them as the key owner.",
    ]
    multi_region = validators.kms_key_form(key) == "mrk-id" or "key/mrk-" in key
    parts = [emit.header("kms-key-rotation", ROTATION_PRACTICES, notes), "set -euo pipefail\n"]
    if multi_region:
        parts.append(
            "\n# Multi-Region key: run this against the primary key in its own Region; the replicas share the\n"
            "# primary's key material and rotation.\n"
        )
    parts.append(
        "\n# Stop unless the key is an enabled symmetric customer managed key whose material KMS generated.\n"
        + _guard(
            kms("describe-key", "--query", "KeyMetadata.[KeySpec,KeyManager,Origin,KeyState]", "--output", "text"),
            ("SYMMETRIC_DEFAULT", "CUSTOMER", "AWS_KMS", "Enabled"),
            "Automatic rotation needs an enabled symmetric customer managed key with AWS_KMS key material",
        )
        + "\n"
    )
    parts.append(
        f"\n# Turn on automatic rotation every {days} days (run again with another period to change it).\n"
        + kms("enable-key-rotation", "--rotation-period-in-days", str(days)) + "\n"
    )
    parts.append(
        "\n# Confirm: KeyRotationEnabled, RotationPeriodInDays and NextRotationDate.\n"
        + kms("get-key-rotation-status") + "\n"
    )
    if answers["rotate-now"]:
        parts.append(
            "\n# Rotate once now. It runs in the background, does not move the automatic schedule, and each key\n"
            "# allows only a limited number of on-demand rotations (check the current KMS quota).\n"
            + kms("rotate-key-on-demand") + "\n"
        )
    parts.append("\n# Completed rotations so far.\n" + kms("list-key-rotations") + "\n")

    warnings = []
    if not region:
        warnings.append(
            "--region is empty and the key is a bare key ID, so the commands use your AWS CLI default Region; "
            "give --region (or the key ARN) to be sure they reach the key"
        )
    if multi_region:
        warnings.append(
            "multi-Region key: enable rotation on the primary key in its Region; the replicas follow it"
        )
    return Snippet(
        text="".join(parts),
        filename="kms-key-rotation.sh",
        warnings=tuple(warnings),
    )


KMS_KEY_ROTATION = Spec(
    kind="kms-key-rotation",
    title="Automatic (and on-demand) rotation of a customer managed KMS key",
    description="Enable KMS key rotation with a chosen period, check its status, optionally rotate now",
    language="shell",
    practices=ROTATION_PRACTICES,
    fields=ROTATION_FIELDS,
    render=_render_rotation,
    checks=(_check_rotation,),
)

SPECS = (ENVELOPE_ENCRYPTION, KMS_KEY_ROTATION)
