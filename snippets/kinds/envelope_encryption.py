"""envelope-encryption: associate a customer managed KMS key with an EKS cluster (eksctl or AWS CLI)
so Kubernetes API data is envelope-encrypted with it, and re-write existing Secrets.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .keys_parts import (
    UPDATE_ID, _command, config_file, eks_cluster_name, eks_key_arn, _heredoc, _key_check, key_region,
)

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
    return emit.yaml_text(config)


def _render_envelope(answers: dict[str, Any]) -> Snippet:
    cluster = answers["cluster-name"]
    region = answers["region"]
    key = answers["key-arn"]
    rewrite = bool(answers["encrypt-existing-secrets"])
    notes = [
        "EKS 1.28 and later already envelope-encrypt all Kubernetes API data (Secrets and every other object) "
        "with KMS v2 and an AWS owned key; nothing needs turning on. Your own key adds a key policy you write, "
        "CloudTrail records of its use (occasional calls: KMS v2 caches data keys, so not one per Secret read), and "
        "rotation on your schedule.",
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
    if answers["tool"] == "aws-cli":
        notes.append("Not safe to run twice: once the key is associated, associate-encryption-config fails because "
                     "the cluster already has a key (eksctl instead returns early). If a later step failed, run only "
                     "the steps after step 2, with the update ID it printed.")
    parts = ["#!/usr/bin/env bash\n", emit.header("envelope-encryption", ENVELOPE_PRACTICES, notes), "set -euo pipefail\n"]
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

SPECS = (ENVELOPE_ENCRYPTION,)
