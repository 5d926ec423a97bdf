"""ebs-storageclass: an EBS CSI driver StorageClass that always writes `encrypted: "true"`.

The rules come from the driver's docs/parameters.md and source (kubernetes-sigs/aws-ebs-csi-driver)
and the EC2 API model in botocore.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .storage_parts import BINDING_MODES, _name_field, _reclaim_field, _storage_class


EBS_TYPES = ("gp3", "io1", "io2", "gp2", "sc1", "st1", "standard")
EBS_FS_TYPES = ("ext4", "xfs", "ext3")
# EC2 CreateVolume limits (botocore ec2 model): provisioned IOPS per volume type.
EBS_IOPS_RANGES = {"gp3": (3000, 80000), "io1": (100, 64000), "io2": (100, 256000)}
EBS_THROUGHPUT_RANGE = (125, 2000)  # MiB/s, gp3 only
# gp3: EC2 allows at most 0.25 MiB/s of throughput per provisioned IOPS, and a volume without
# iops gets the 3,000 baseline; the driver caps IOPS at 500 per GiB for small volumes (capIOPS).
GP3_BASELINE_IOPS = 3000
GP3_IOPS_PER_MIBPS = 4
EBS_IOPS_PER_GIB = {"gp3": 500, "io1": 50, "io2": 1000}  # EC2 maximum IOPS per GiB of size
HDD_MIN_SIZE_GIB = 125  # st1 and sc1: 125 GiB to 16 TiB
EBS_MAX_TAGS = 50  # EC2 allows 50 tags per resource; the driver adds a few of its own

_TAG_PLACEHOLDER_RE = re.compile(r"\{\{ *\.(?:PVCName|PVCNamespace|PVName) *\}\}")
_TAG_PUNCTUATION = set(" _.:/=+-@")
# Tag keys the EBS CSI driver refuses (pkg/driver/validation.go validateExtraTags).
_RESERVED_TAG_KEYS = ("CSIVolumeName", "CSIVolumeSnapshotName", "ebs.csi.aws.com/cluster-name")
_RESERVED_TAG_PREFIXES = ("kubernetes.io", "ebs.csi.aws.com/")


def _tag_text_ok(text: str) -> bool:
    return all(ch.isalnum() or ch in _TAG_PUNCTUATION for ch in text)


def ebs_tag(item: str) -> str | None:
    """One `key=value` tag for tagSpecification_N."""
    if "=" not in item:
        return f"{item!r} is not key=value; write a tag such as team=payments (an empty value is written team=)"
    key, value = item.split("=", 1)
    if not key or key != key.strip():
        return f"{item!r} has an empty key or spaces around it; write a tag such as team=payments"
    if len(key) > 128 or not _tag_text_ok(key):
        return (f"tag key {key!r} is not a valid AWS tag key; use up to 128 letters, digits, spaces "
                "and _ . : / + - @, such as cost-center")
    if key.lower().startswith("aws:"):
        return f"tag key {key!r} uses the reserved aws: prefix; choose another key such as team"
    if key in _RESERVED_TAG_KEYS or key.startswith(_RESERVED_TAG_PREFIXES):
        return (f"tag key {key!r} is reserved by the EBS CSI driver (CSIVolumeName, kubernetes.io*, "
                "ebs.csi.aws.com/*); choose another key such as team")
    literal = _TAG_PLACEHOLDER_RE.sub("", value)
    if len(literal) > 256 or not _tag_text_ok(literal):
        return (f"tag value {value!r} is not a valid AWS tag value; use up to 256 letters, digits, spaces "
                "and _ . : / = + - @, optionally with {{ .PVCName }}, {{ .PVCNamespace }} or {{ .PVName }}")
    return None


def _ebs_checks(a: dict[str, Any]) -> Iterable[FieldError]:
    volume_type = a.get("type")
    iops = a.get("iops")
    if volume_type in EBS_IOPS_RANGES:
        low, high = EBS_IOPS_RANGES[volume_type]
        if iops is None and volume_type in ("io1", "io2"):
            yield FieldError("iops", f"is required for {volume_type} volumes (EC2 needs provisioned IOPS); "
                                     f"for example --iops {max(low, 3000)}")
        elif iops is not None and not low <= iops <= high:
            yield FieldError("iops", f"{volume_type} volumes take {low} to {high} IOPS (got {iops}); "
                                     f"for example --iops {max(low, 3000)}")
    throughput = a.get("throughput")
    if volume_type == "gp3" and throughput is not None:
        provisioned = iops if iops is not None and iops >= GP3_BASELINE_IOPS else GP3_BASELINE_IOPS
        if throughput * GP3_IOPS_PER_MIBPS > provisioned:
            needed = throughput * GP3_IOPS_PER_MIBPS
            given = f"--iops {iops}" if iops is not None else f"no --iops (so the baseline {GP3_BASELINE_IOPS})"
            yield FieldError("throughput", f"{throughput} MiB/s needs at least {needed} IOPS, but the class gives {given}: "
                                           "EC2 allows 0.25 MiB/s per provisioned IOPS and every claim would stay Pending; "
                                           f"add --iops {min(max(needed, GP3_BASELINE_IOPS), EBS_IOPS_RANGES['gp3'][1])} "
                                           f"or lower it, for example --throughput {provisioned // GP3_IOPS_PER_MIBPS}")
    tags = a.get("tags") or ()
    if len(tags) > EBS_MAX_TAGS:
        yield FieldError("tags", f"has {len(tags)} tags; AWS allows at most {EBS_MAX_TAGS} per volume, "
                                 "and the driver adds its own, so keep the list short (for example team=payments)")
    seen: set[str] = set()
    for item in tags:
        key = item.split("=", 1)[0]
        if key in seen:
            yield FieldError("tags", f"tag key {key!r} is given twice; give each key once, for example {key}=value")
            break
        seen.add(key)


KMS_CLONE_WARNING = (
    "--kms-key-id is {form}, not a full key ARN. EC2 accepts it, but it checks the key only after "
    "CreateVolume returns, so a wrong key shows up later as a volume that failed. Cloning breaks too: "
    "when a PVC clones another PVC, the EBS CSI driver compares kmsKeyId character for character with "
    "the source volume's key, which EC2 reports as a full key ARN, so the clone is refused "
    "('different KMS key'). Use the key ARN, for example " + validators.EXAMPLE_KEY_ARN + "."
)
_KMS_FORM_WORDS = {"alias-arn": "an alias ARN", "key-id": "a bare key ID", "mrk-id": "a bare multi-Region key ID",
                   "alias": "a key alias"}


def render_ebs(a: dict[str, Any]) -> Snippet:
    volume_type = a["type"]
    name = a["name"] or f"encrypted-{volume_type}"
    parameters: dict[str, str] = {
        "type": volume_type,
        "csi.storage.k8s.io/fstype": a["fs-type"],
        "encrypted": "true",
    }
    if a["kms-key-id"]:
        parameters["kmsKeyId"] = a["kms-key-id"]
    if a["iops"] is not None:
        parameters["iops"] = str(a["iops"])
    if a["throughput"] is not None:
        parameters["throughput"] = str(a["throughput"])
    for number, tag in enumerate(a["tags"], start=1):
        parameters[f"tagSpecification_{number}"] = tag
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if a["default-class"] else None
    expansion = a["allow-volume-expansion"] if a["allow-volume-expansion"] is not None else True
    doc = _storage_class(name, "ebs.csi.aws.com", parameters, reclaim=a["reclaim-policy"],
                         binding=a["volume-binding-mode"], expansion=expansion, annotations=annotations)

    notes = [
        'encrypted is the string "true" in lower case: the driver requests encryption only for that exact value '
        '("True" does not count; then only kmsKeyId or the account\'s encryption by default would still encrypt), '
        "and StorageClass parameters must be strings anyway.",
    ]
    if a["kms-key-id"]:
        notes.append("kmsKeyId picks the customer managed key (the old guide's \"CMK\"); the driver's IAM role needs "
                     "kms:CreateGrant, kms:Decrypt and kms:GenerateDataKeyWithoutPlaintext on it.")
    else:
        notes.append("No kmsKeyId: EC2 uses the account's default EBS key for the Region (alias/aws/ebs unless changed). "
                     "Set --kms-key-id to a customer managed key ARN to control key policy and rotation yourself.")
    notes.append("provisioner ebs.csi.aws.com: the in-tree kubernetes.io/aws-ebs provisioner the old guide offered was "
                 "removed in Kubernetes 1.27. The driver chart's optional default class does not set encrypted.")
    if a["volume-binding-mode"] == "WaitForFirstConsumer":
        notes.append("WaitForFirstConsumer creates each volume in the Availability Zone of the pod that uses it.")
    if a["iops"] is not None and volume_type in EBS_IOPS_RANGES:
        notes.append(f"The driver lowers iops to what the requested volume size allows ({volume_type}: "
                     f"{EBS_IOPS_PER_GIB[volume_type]} per GiB), but it never lowers throughput.")
    if volume_type == "gp3" and a["throughput"] is not None:
        needed = a["throughput"] * GP3_IOPS_PER_MIBPS
        if needed > GP3_BASELINE_IOPS:
            smallest = -(-needed // EBS_IOPS_PER_GIB["gp3"])
            notes.append(f"throughput {a['throughput']} MiB/s needs {needed} IOPS (0.25 MiB/s per IOPS). The driver caps "
                         f"IOPS at 500 per GiB and leaves throughput as it is, so claims under {smallest} GiB cannot "
                         "be created (the claim stays Pending); request at least that much.")
    if volume_type in ("st1", "sc1"):
        notes.append(f"{volume_type} volumes are {HDD_MIN_SIZE_GIB} GiB to 16 TiB: a claim for less fails "
                     f"(the driver does not round it up), so request at least {HDD_MIN_SIZE_GIB}Gi.")
    if any(_TAG_PLACEHOLDER_RE.search(t) for t in a["tags"]):
        notes.append("Tag placeholders are filled in only when the external-provisioner runs with "
                     "--extra-create-metadata (on by default in the driver's Helm chart: controller.extraCreateMetadata).")

    warnings: list[str] = []
    form = validators.kms_key_form(a["kms-key-id"]) if a["kms-key-id"] else None
    if form is not None and form != "key-arn":
        warnings.append(KMS_CLONE_WARNING.format(form=_KMS_FORM_WORDS.get(form, form)))
    if a["volume-binding-mode"] == "Immediate":
        warnings.append("volumeBindingMode Immediate creates the EBS volume before the pod is scheduled, possibly "
                        "in an Availability Zone where the pod cannot run; WaitForFirstConsumer avoids that.")
    return Snippet(
        text=emit.yaml_snippet("ebs-storageclass", EBS_PRACTICES, [doc], notes),
        filename=f"{name}-storageclass.yaml", warnings=tuple(warnings),
    )


EBS_PRACTICES = ("ebs-encryption", "encrypt-data-at-rest")

EBS_SPEC = Spec(
    kind="ebs-storageclass",
    title="Encrypted EBS StorageClass",
    description='EBS CSI driver StorageClass that always encrypts volumes (encrypted: "true", optional KMS key)',
    language="yaml",
    practices=EBS_PRACTICES,
    fields=(
        _name_field(None, "encrypted-gp3", "StorageClass",
                    "Empty means encrypted-<type>, for example encrypted-gp3."),
        Field("kms-key-id", "KMS key",
              "Customer managed KMS key for the volumes. A full key ARN is best; a key ID, alias or alias ARN "
              "also works but breaks PVC cloning. Empty uses the account's default EBS key (aws/ebs unless changed).",
              example=validators.EXAMPLE_KEY_ARN, validate=validators.kms_key),
        Field("type", "Volume type",
              "EBS volume type: gp3 (general purpose SSD, the driver's default), io1/io2 (provisioned IOPS SSD), "
              "gp2, st1/sc1 (HDD, claims of at least 125 GiB) or standard (magnetic).",
              type="choice", choices=EBS_TYPES, default="gp3", example="gp3"),
        Field("fs-type", "File system",
              "File system the node formats the volume with (parameter csi.storage.k8s.io/fstype).",
              type="choice", choices=EBS_FS_TYPES, default="ext4", example="ext4"),
        Field("iops", "Provisioned IOPS",
              "IOPS per volume: gp3 3000-80000 (empty means the gp3 baseline of 3000), io1 100-64000, "
              "io2 100-256000 (required for io1 and io2).",
              type="int", minimum=100, maximum=256000, example="3000",
              when=lambda a: a.get("type") in EBS_IOPS_RANGES),
        Field("throughput", "Throughput (MiB/s)",
              "gp3 throughput in MiB/s, 125-2000; empty means the gp3 baseline of 125. EC2 allows 0.25 MiB/s per "
              "IOPS, so above 750 also set --iops (at least 4 per MiB/s).",
              type="int", minimum=EBS_THROUGHPUT_RANGE[0], maximum=EBS_THROUGHPUT_RANGE[1], example="250",
              when=lambda a: a.get("type") == "gp3"),
        _reclaim_field("Delete", "What happens to a volume when its claim is deleted: Delete removes the EBS "
                                 "volume, Retain keeps it for manual cleanup or reuse."),
        Field("allow-volume-expansion", "Allow expansion",
              "Let claims grow by editing their requested size (the driver resizes the volume online).",
              type="bool", default=True),
        Field("volume-binding-mode", "Volume binding",
              "WaitForFirstConsumer (recommended) creates the volume once a pod is scheduled, in that pod's zone; "
              "Immediate creates it as soon as the claim exists.",
              type="choice", choices=BINDING_MODES, default="WaitForFirstConsumer"),
        Field("default-class", "Default class",
              "Mark this class as the cluster default (annotation storageclass.kubernetes.io/is-default-class), so "
              "claims without a storageClassName get encrypted volumes. Unmark any other default class.",
              type="bool", default=False),
        Field("tags", "Volume tags",
              "Tags for each volume as key=value (repeat the flag or separate with commas); values may use "
              "{{ .PVCName }}, {{ .PVCNamespace }} or {{ .PVName }}. Written as tagSpecification_1..N.",
              type="list", example="team=payments", validate=ebs_tag),
    ),
    render=render_ebs,
    checks=(_ebs_checks,),
)

SPECS = (EBS_SPEC,)
