"""fsx-storageclass: an FSx for Lustre CSI driver StorageClass with the FSx API's deployment rules.

The rules come from the driver's examples (kubernetes-sigs/aws-fsx-csi-driver) and the FSx API
model in botocore.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .storage_parts import _name_field, _reclaim_field, _storage_class


FSX_PRACTICES = ("fsx-lustre-encryption", "encrypt-data-at-rest")
FSX_DEPLOYMENTS = ("PERSISTENT_2", "PERSISTENT_1", "SCRATCH_2", "SCRATCH_1")
FSX_PERSISTENT = ("PERSISTENT_1", "PERSISTENT_2")
FSX_STORAGE_TYPES = ("SSD", "HDD")
FSX_VERSIONS = ("2.15", "2.12", "2.10")
# FSx API: perUnitStorageThroughput (MB/s/TiB) by deployment and storage type.
FSX_THROUGHPUT = {
    ("PERSISTENT_1", "SSD"): (50, 100, 200),
    ("PERSISTENT_1", "HDD"): (12, 40),
    ("PERSISTENT_2", "SSD"): (125, 250, 500, 1000),
}
# What an empty --per-unit-storage-throughput becomes: one value each type accepts (250 is PERSISTENT_2 only).
FSX_DEFAULT_THROUGHPUT = {("PERSISTENT_2", "SSD"): 250, ("PERSISTENT_1", "SSD"): 200, ("PERSISTENT_1", "HDD"): 40}
FSX_THROUGHPUT_CHOICES = tuple(str(v) for v in sorted({v for vs in FSX_THROUGHPUT.values() for v in vs}))


def _fsx_checks(a: dict[str, Any]) -> Iterable[FieldError]:
    deployment = a.get("deployment-type")
    storage = a.get("storage-type") or "SSD"  # the API default
    if deployment is None:
        return
    persistent = deployment in FSX_PERSISTENT
    if a.get("kms-key-id") and not persistent:
        yield FieldError("kms-key-id", f"cannot be used with {deployment}: scratch file systems are always encrypted "
                                       "with a key FSx manages, and only PERSISTENT_1/PERSISTENT_2 take your own KMS "
                                       "key; use --deployment-type PERSISTENT_2 or drop --kms-key-id")
    if storage == "HDD" and deployment != "PERSISTENT_1":
        yield FieldError("storage-type", f"HDD storage exists only for PERSISTENT_1 (got {deployment}); use "
                                         "--storage-type SSD, or --deployment-type PERSISTENT_1 for HDD")
    throughput = a.get("per-unit-storage-throughput")
    if persistent and throughput is not None and (deployment, storage) in FSX_THROUGHPUT:
        allowed = FSX_THROUGHPUT[(deployment, storage)]
        if int(throughput) not in allowed:
            listed = ", ".join(str(v) for v in allowed)
            yield FieldError("per-unit-storage-throughput",
                             f"{throughput} MB/s/TiB is not offered for {deployment} with {storage} storage; "
                             f"use one of {listed}, for example --per-unit-storage-throughput {allowed[-1]}")
    if deployment == "PERSISTENT_2" and a.get("file-system-type-version") == "2.10":
        yield FieldError("file-system-type-version", "Lustre 2.10 is not available for PERSISTENT_2 (creation "
                                                     "fails); use --file-system-type-version 2.15")


def render_fsx(a: dict[str, Any]) -> Snippet:
    deployment = a["deployment-type"]
    persistent = deployment in FSX_PERSISTENT
    parameters: dict[str, str] = {
        "subnetId": a["subnet-id"],
        "securityGroupIds": ",".join(a["security-group-ids"]),
        "deploymentType": deployment,
    }
    if a["kms-key-id"]:
        parameters["kmsKeyId"] = a["kms-key-id"]
    throughput = a["per-unit-storage-throughput"]
    if throughput is None and persistent:
        throughput = FSX_DEFAULT_THROUGHPUT.get((deployment, a["storage-type"] or "SSD"))
    if throughput is not None:
        parameters["perUnitStorageThroughput"] = str(throughput)
    if a["storage-type"]:
        parameters["storageType"] = a["storage-type"]
    if a["drive-cache-type"]:
        parameters["driveCacheType"] = a["drive-cache-type"]
    if a["data-compression-type"]:
        parameters["dataCompressionType"] = a["data-compression-type"]
    if a["automatic-backup-retention-days"] is not None:
        parameters["automaticBackupRetentionDays"] = str(a["automatic-backup-retention-days"])
    if a["file-system-type-version"]:
        parameters["fileSystemTypeVersion"] = a["file-system-type-version"]
    doc = _storage_class(a["name"], "fsx.csi.aws.com", parameters, reclaim=a["reclaim-policy"],
                         binding=a["volume-binding-mode"])

    notes = ["FSx for Lustre always encrypts data at rest."]
    if persistent:
        if a["kms-key-id"]:
            notes.append("kmsKeyId encrypts this persistent file system with your customer managed key.")
        else:
            notes.append("No kmsKeyId: FSx uses its managed key for the account; set --kms-key-id to use your own.")
        notes.append("perUnitStorageThroughput is set because the FSx API requires it for persistent types and the "
                     "driver sends none when it is missing (its README names a default; the old guide's "
                     "PERSISTENT_1 example left it out).")
    else:
        notes.append("Scratch file systems use keys FSx manages; a customer managed KMS key needs a persistent type.")
    if deployment == "SCRATCH_1":
        notes.append("SCRATCH_1 does not encrypt data in transit.")
    else:
        notes.append("Data in transit is encrypted automatically when clients run on EC2 instance types that support it.")
    notes.append("securityGroupIds is one comma-separated string; the groups must allow inbound Lustre traffic on TCP "
                 "port 988 and ports 1018-1023 from the nodes (and between the file system's own interfaces).")
    if a["reclaim-policy"] == "Delete":
        notes.append("Delete removes the whole FSx file system when its claim is deleted.")
    notes.append("Fargate pods cannot mount FSx for Lustre; use EC2 nodes.")

    warnings: list[str] = []
    if deployment == "SCRATCH_1":
        warnings.append("SCRATCH_1 has no encryption in transit: traffic between nodes and the file system is "
                        "plaintext. Use SCRATCH_2 or a persistent type for data that needs it.")
    return Snippet(
        text=emit.yaml_snippet("fsx-storageclass", FSX_PRACTICES, [doc], notes),
        filename=f"{a['name']}-storageclass.yaml", warnings=tuple(warnings),
    )


FSX_SPEC = Spec(
    kind="fsx-storageclass",
    title="FSx for Lustre StorageClass",
    description="FSx for Lustre CSI driver StorageClass (deployment type, KMS key for persistent file systems)",
    language="yaml",
    practices=FSX_PRACTICES,
    fields=(
        _name_field("fsx-sc", "fsx-sc", "StorageClass"),
        Field("subnet-id", "Subnet ID",
              "Subnet the file system is created in (one Availability Zone); nodes must reach it.",
              required=True, example="subnet-0123456789abcdef0", validate=validators.subnet_id),
        Field("security-group-ids", "Security group IDs",
              "Security groups for the file system's network interfaces (repeat the flag or separate with commas).",
              type="list", required=True, example="sg-0123456789abcdef0", validate=validators.security_group_id),
        Field("deployment-type", "Deployment type",
              "PERSISTENT_2 (latest persistent, SSD), PERSISTENT_1 (SSD or HDD), SCRATCH_2, or SCRATCH_1 "
              "(no encryption in transit). Only persistent types take your own KMS key.",
              type="choice", choices=FSX_DEPLOYMENTS, default="PERSISTENT_2"),
        Field("kms-key-id", "KMS key",
              "Customer managed KMS key for a persistent file system (a key ARN is best); empty uses the FSx "
              "managed key. Scratch types cannot take one.",
              example=validators.EXAMPLE_KEY_ARN, validate=validators.kms_key),
        Field("storage-type", "Storage type",
              "SSD, or HDD (PERSISTENT_1 only).",
              type="choice", choices=FSX_STORAGE_TYPES, default="SSD"),
        Field("per-unit-storage-throughput", "Throughput per TiB",
              "MB/s per TiB of storage, required for persistent types: PERSISTENT_2 SSD 125/250/500/1000, "
              "PERSISTENT_1 SSD 50/100/200, PERSISTENT_1 HDD 12/40. Empty picks 250 for PERSISTENT_2, 200 for "
              "PERSISTENT_1 SSD and 40 for PERSISTENT_1 HDD.",
              type="choice", choices=FSX_THROUGHPUT_CHOICES, example="250",
              when=lambda a: a.get("deployment-type") in FSX_PERSISTENT),
        Field("drive-cache-type", "HDD read cache",
              "Read cache for HDD storage (required with HDD): READ caches frequently read data on SSD, NONE turns "
              "it off.",
              type="choice", choices=("NONE", "READ"), required=True, example="READ",
              when=lambda a: a.get("storage-type") == "HDD"),
        Field("data-compression-type", "Compression",
              "LZ4 compresses data on the file system; NONE (the API default when empty) stores it as written.",
              type="choice", choices=("NONE", "LZ4")),
        Field("automatic-backup-retention-days", "Backup retention (days)",
              "Days to keep daily automatic backups of a persistent file system, 0-90; 0 or empty means no "
              "automatic backups.",
              type="int", minimum=0, maximum=90, example="7",
              when=lambda a: a.get("deployment-type") in FSX_PERSISTENT),
        Field("file-system-type-version", "Lustre version",
              "Lustre version of new file systems; 2.15 is recommended and works with every deployment type "
              "(2.10 not with PERSISTENT_2).",
              type="choice", choices=FSX_VERSIONS, default="2.15"),
        _reclaim_field("Delete", "What happens when a claim is deleted: Delete removes the FSx file system and "
                                 "its data, Retain keeps it."),
        Field("volume-binding-mode", "Volume binding",
              "Immediate starts creating the file system as soon as the claim exists (creation takes minutes; the "
              "subnet already fixes the zone); WaitForFirstConsumer waits for a pod.",
              type="choice", choices=("Immediate", "WaitForFirstConsumer"), default="Immediate"),
    ),
    render=render_fsx,
    checks=(
        _fsx_checks,
        lambda a: [FieldError("security-group-ids", "lists a group twice; give each group once, for example "
                                                    "--security-group-ids sg-0123456789abcdef0")]
        if len(set(a.get("security-group-ids") or ())) != len(a.get("security-group-ids") or ()) else [],
    ),
)

SPECS = (FSX_SPEC,)
