"""kms-key-rotation: turn on automatic rotation of a customer managed KMS key with a chosen period,
check it, and optionally rotate on demand.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any


from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .keys_parts import _guard, key_region, rotatable_key


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
    parts = ["#!/usr/bin/env bash\n", emit.header("kms-key-rotation", ROTATION_PRACTICES, notes), "set -euo pipefail\n"]
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

SPECS = (KMS_KEY_ROTATION,)
