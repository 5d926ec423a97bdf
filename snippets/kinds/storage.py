"""Storage snippets: encrypted EBS, EFS and FSx for Lustre classes and a static EFS volume.

Four kinds, each a StorageClass or PersistentVolume for one of the AWS CSI drivers:

- ebs-storageclass  -- EBS CSI driver class that always writes `encrypted: "true"`.
- efs-storageclass  -- EFS CSI driver class that provisions access points (`efs-ap`).
- efs-pv            -- static EFS PersistentVolume (and optionally its claim) with TLS stated.
- fsx-storageclass  -- FSx for Lustre CSI driver class with the API's deployment rules.

The rules checked here come from the drivers' documentation and source (kubernetes-sigs
aws-ebs-csi-driver docs/parameters.md, aws-efs-csi-driver docs/parameters.md, aws-fsx-csi-driver
examples) and the AWS API models shipped in botocore. Every StorageClass parameter is a
string: the Kubernetes schema types `parameters` as map[string]string.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec

# ---------------------------------------------------------------------------------------------
# Shared pieces

RECLAIM_POLICIES = ("Delete", "Retain")
BINDING_MODES = ("WaitForFirstConsumer", "Immediate")


def _name_field(default: str | None, example: str, what: str, help_default: str = "") -> Field:
    return Field(
        "name", "Name",
        f"Name of the {what} (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.')."
        + (f" {help_default}" if help_default else ""),
        default=default, example=example, validate=validators.dns_subdomain,
    )


def _reclaim_field(default: str, help_text: str) -> Field:
    return Field(
        "reclaim-policy", "Reclaim policy", help_text,
        type="choice", choices=RECLAIM_POLICIES, default=default,
    )


def _storage_class(name: str, provisioner: str, parameters: dict[str, str], *,
                   reclaim: str, binding: str | None = None, expansion: bool | None = None,
                   annotations: dict[str, str] | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if annotations:
        metadata["annotations"] = annotations
    doc: dict[str, Any] = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": metadata,
        "provisioner": provisioner,
        "parameters": parameters,
        "reclaimPolicy": reclaim,
    }
    if expansion is not None:
        doc["allowVolumeExpansion"] = expansion
    if binding is not None:
        doc["volumeBindingMode"] = binding
    return doc


def _one_line_text(value: str) -> str | None:
    """Free text that must stay on one line and carry no control characters."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "\u0085\u2028\u2029" for ch in value):
        return "must be a single line of printable text"
    return None


# ---------------------------------------------------------------------------------------------
# ebs-storageclass

EBS_TYPES = ("gp3", "io1", "io2", "gp2", "sc1", "st1", "standard")
EBS_FS_TYPES = ("ext4", "xfs", "ext3")
# EC2 CreateVolume limits (botocore ec2 model): provisioned IOPS per volume type.
EBS_IOPS_RANGES = {"gp3": (3000, 80000), "io1": (100, 64000), "io2": (100, 256000)}
EBS_THROUGHPUT_RANGE = (125, 2000)  # MiB/s, gp3 only
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
        'encrypted is the string "true" in lower case: the driver treats any other value, "True" included, as '
        "unencrypted, and StorageClass parameters must be strings anyway.",
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
        notes.append("The driver lowers iops to what the requested volume size allows for this type.")
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
              "gp2, st1/sc1 (HDD) or standard (magnetic).",
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
              "gp3 throughput in MiB/s, 125-2000; empty means the gp3 baseline of 125.",
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


# ---------------------------------------------------------------------------------------------
# efs-storageclass

EFS_PRACTICES_SC = ("efs-access-points", "efs-encryption-at-rest", "encrypt-data-at-rest")
POSIX_ID_MAX = 4294967295  # EFS API Uid/Gid range
EFS_PATH_MAX = 100  # EFS access point root directory path length (EFS API and driver)
EFS_PATH_MAX_SEGMENTS = 4  # EFS API: at most four directories below /
_SUBPATH_VARIABLES = {"${.PV.name}": 40, "${.PVC.name}": 1, "${.PVC.namespace}": 1}  # shortest expansion
_PV_NAME_LENGTH = 40  # "pvc-" + UUID: the access point directory when no pattern is given
_UNIQUE_SUFFIX_LENGTH = 37  # "-" + UUID appended when ensureUniqueDirectory is true
_EFS_PATH_FORBIDDEN = set("$#<>;`|&?{}^*\\")
_DIRECTORY_PERMS_RE = re.compile(r"^[0-7]{3,4}$")
_VARIABLE_RE = re.compile(r"\$\{\.(?:PV\.name|PVC\.name|PVC\.namespace)\}")


def directory_perms(value: str) -> str | None:
    if not _DIRECTORY_PERMS_RE.fullmatch(value):
        return f"{value!r} is not octal permissions; use 3 or 4 octal digits such as 700 or 0750"
    return None


def _path_segments(value: str) -> list[str] | str:
    """The segments of a path written with an optional leading '/', or an error message."""
    body = value[1:] if value.startswith("/") else value
    if not body:
        return []
    segments = body.split("/")
    if any(s == "" for s in segments):
        return "has an empty directory name ('//' or a trailing '/')"
    return segments


def _segment_problem(segment: str) -> str | None:
    if segment.startswith("."):
        return f"directory name {segment!r} starts with '.'"
    if _one_line_text(segment) or any(ch in _EFS_PATH_FORBIDDEN for ch in segment):
        return f"directory name {segment!r} contains a character EFS does not allow ($ # < > ; ` | & ? {{ }} ^ * \\)"
    return None


def efs_base_path(value: str) -> str | None:
    segments = _path_segments(value)
    if isinstance(segments, str):
        return f"{value!r} {segments}; use a path such as /dynamic or /teams/data"
    if not segments:
        return "is the file system root; leave it empty instead, or use a path such as /dynamic"
    for segment in segments:
        problem = _segment_problem(segment)
        if problem:
            return f"{problem}; use a path such as /dynamic"
    return None


def efs_subpath_pattern(value: str) -> str | None:
    segments = _path_segments(value)
    if isinstance(segments, str):
        return f"{value!r} {segments}; use a pattern such as /${{.PVC.namespace}}/${{.PVC.name}}"
    if not segments:
        return "names no directory; use a pattern such as /${.PVC.namespace}/${.PVC.name}"
    for segment in segments:
        literal = _VARIABLE_RE.sub("", segment)
        if any(ch in literal for ch in "${}"):
            return (f"{value!r} uses an unknown variable; the driver fills in only ${{.PVC.name}}, "
                    "${.PVC.namespace} and ${.PV.name}, for example /${.PVC.namespace}/${.PVC.name}")
        # A segment that starts with a variable starts with a name, never with '.'.
        problem = _segment_problem(segment if segment.startswith(".") else literal.lstrip("."))
        if problem:
            return f"{problem}; use a pattern such as /${{.PVC.namespace}}/${{.PVC.name}}"
    return None


def _shortest_expansion(pattern: str) -> int:
    length = len(pattern)
    for variable, shortest in _SUBPATH_VARIABLES.items():
        length += pattern.count(variable) * (shortest - len(variable))
    return length


def _efs_sc_checks(a: dict[str, Any]) -> Iterable[FieldError]:
    start, end = a.get("gid-range-start"), a.get("gid-range-end")
    if (start is None) != (end is None):
        missing = "gid-range-end" if end is None else "gid-range-start"
        yield FieldError(missing, "is needed too: give both ends of the GID range or neither, "
                                  "for example --gid-range-start 50000 --gid-range-end 60000")
    elif start is not None and end is not None and end <= start:
        yield FieldError("gid-range-end", f"must be greater than --gid-range-start ({start}); "
                                          f"for example --gid-range-end {start + 10000}")
    # The access point root directory is /<base path>/<pattern or PV name>: EFS allows at most four
    # directories and 100 characters.
    base = a.get("base-path")
    pattern = a.get("subpath-pattern")
    if (base and efs_base_path(base)) or (pattern and efs_subpath_pattern(pattern)):
        return  # already reported on the field itself
    base_segments = _path_segments(base) if base else []
    pattern_segments = _path_segments(pattern) if pattern else ["pv"]
    if isinstance(base_segments, str) or isinstance(pattern_segments, str):
        return
    field = "subpath-pattern" if pattern else "base-path"
    depth = len(base_segments) + len(pattern_segments)
    if depth > EFS_PATH_MAX_SEGMENTS:
        yield FieldError(field, f"makes access point directories {depth} levels deep; EFS allows at most "
                                f"{EFS_PATH_MAX_SEGMENTS} (base path plus pattern), for example "
                                "--base-path /dynamic --subpath-pattern /${.PVC.namespace}/${.PVC.name}")
        return
    shortest = 1 + sum(len(s) + 1 for s in base_segments)
    if pattern:
        shortest += _shortest_expansion("/".join(pattern_segments))
        if a.get("ensure-unique-directory") is not False:
            shortest += _UNIQUE_SUFFIX_LENGTH
    else:
        shortest += _PV_NAME_LENGTH
    if shortest > EFS_PATH_MAX:
        yield FieldError(field, f"makes access point paths at least {shortest} characters long; EFS allows "
                                f"{EFS_PATH_MAX}, so shorten it, for example --base-path /dynamic")


def render_efs_sc(a: dict[str, Any]) -> Snippet:
    parameters: dict[str, str] = {
        "provisioningMode": "efs-ap",
        "fileSystemId": a["file-system-id"],
        "directoryPerms": a["directory-perms"],
    }
    for field_id, key in (("uid", "uid"), ("gid", "gid"), ("gid-range-start", "gidRangeStart"),
                          ("gid-range-end", "gidRangeEnd")):
        if a[field_id] is not None:
            parameters[key] = str(a[field_id])
    if a["base-path"]:
        parameters["basePath"] = a["base-path"]
    if a["subpath-pattern"]:
        parameters["subPathPattern"] = a["subpath-pattern"]
        parameters["ensureUniqueDirectory"] = "true" if a["ensure-unique-directory"] is not False else "false"
    doc = _storage_class(a["name"], "efs.csi.aws.com", parameters, reclaim=a["reclaim-policy"])

    notes = [
        "Encryption at rest is chosen when the EFS file system is created and cannot be changed later; "
        "make sure this file system was created encrypted (the IAM condition elasticfilesystem:Encrypted can enforce it).",
        "Each claim gets its own access point, and access-point mounts always use TLS, so data is encrypted in transit.",
        "The old guide said the EFS driver cannot provision dynamically and allows 120 volumes per file system: "
        "access-point provisioning exists since driver 1.2 and a file system takes up to 10,000 access points.",
        "Access points enforce a POSIX user and group on every file operation.",
    ]
    if a["uid"] is None or a["gid"] is None:
        notes.append("Where uid or gid is unset, the driver gives each access point its own ID from the GID range "
                     "(its built-in range when none is set).")
    if a["reclaim-policy"] == "Delete":
        notes.append("Delete removes the access point; the directory's data stays unless the controller runs "
                     "with --delete-access-point-root-dir.")
    warnings: list[str] = []
    if a["uid"] is not None and a["gid"] is not None and a["gid-range-start"] is not None:
        warnings.append("--uid and --gid are both set, so the driver never draws from the GID range; drop "
                        "--gid-range-start/--gid-range-end or one of the fixed IDs.")
    if a["subpath-pattern"] and a["ensure-unique-directory"] is False:
        warnings.append("ensureUniqueDirectory is false: claims whose pattern expands to the same path share one "
                        "directory (a re-created claim finds its old data). Include ${.PVC.namespace} and "
                        "${.PVC.name} if that is the intent.")
    return Snippet(
        text=emit.yaml_snippet("efs-storageclass", EFS_PRACTICES_SC, [doc], notes),
        filename=f"{a['name']}-storageclass.yaml", warnings=tuple(warnings),
    )


EFS_SC_SPEC = Spec(
    kind="efs-storageclass",
    title="EFS StorageClass (access points)",
    description="EFS CSI driver StorageClass that provisions one access point per claim (provisioningMode efs-ap)",
    language="yaml",
    practices=EFS_PRACTICES_SC,
    fields=(
        _name_field("efs-sc", "efs-sc", "StorageClass"),
        Field("file-system-id", "File system ID",
              "The existing EFS file system (created with encryption at rest) to create access points in.",
              required=True, example="fs-0123456789abcdef0", validate=validators.efs_file_system_id),
        Field("directory-perms", "Directory permissions",
              "Octal permissions of each access point's root directory; 700 keeps it private to the owner.",
              default="700", example="700", validate=directory_perms),
        Field("uid", "POSIX user ID",
              "Fixed owner user ID for every access point; empty lets the driver pick one from the GID range.",
              type="int", minimum=0, maximum=POSIX_ID_MAX, example="1000"),
        Field("gid", "POSIX group ID",
              "Fixed group ID for every access point; empty lets the driver pick one from the GID range.",
              type="int", minimum=0, maximum=POSIX_ID_MAX, example="1000"),
        Field("gid-range-start", "GID range start",
              "First ID the driver may assign (give both ends or neither; empty leaves the range to the driver).",
              type="int", minimum=1, maximum=POSIX_ID_MAX, example="50000"),
        Field("gid-range-end", "GID range end",
              "Last ID of the range; must be greater than the start.",
              type="int", minimum=1, maximum=POSIX_ID_MAX, example="60000"),
        Field("base-path", "Base path",
              "Directory under which access point directories are created, such as /dynamic; empty means the "
              "file system root.",
              example="/dynamic", validate=efs_base_path),
        Field("subpath-pattern", "Sub-path pattern",
              "Directory name pattern for each access point, using ${.PVC.namespace}, ${.PVC.name} and "
              "${.PV.name}; empty means the PV name.",
              example="/${.PVC.namespace}/${.PVC.name}", validate=efs_subpath_pattern),
        Field("ensure-unique-directory", "Unique directories",
              "Append a UUID to each pattern-built directory so no two claims share one; turn off only to let a "
              "re-created claim find its old data.",
              type="bool", default=True, when=lambda a: bool(a.get("subpath-pattern"))),
        _reclaim_field("Delete", "What happens when a claim is deleted: Delete removes its access point, Retain "
                                 "keeps the PersistentVolume and access point."),
    ),
    render=render_efs_sc,
    checks=(_efs_sc_checks,),
)


# ---------------------------------------------------------------------------------------------
# efs-pv

EFS_PV_PRACTICES = ("efs-encryption-in-transit", "efs-access-points", "efs-encryption-at-rest")
EFS_ACCESS_MODES = ("ReadWriteMany", "ReadWriteOnce")  # the EFS node service supports these two
_SUB_PATH_SEGMENT_RE = re.compile(r"^[A-Za-z0-9._@+=~-]+$")


def efs_sub_path(value: str) -> str | None:
    good = "use an absolute path such as /shared/data"
    if not value.startswith("/"):
        return f"{value!r} is not an absolute path; {good}"
    if ":" in value:
        return f"{value!r} contains ':', which separates the parts of the volume handle; {good}"
    segments = _path_segments(value)
    if isinstance(segments, str):
        return f"{value!r} {segments}; {good}"
    for segment in segments:
        if segment in (".", ".."):
            return f"{value!r} contains '{segment}'; {good}"
        if not _SUB_PATH_SEGMENT_RE.fullmatch(segment):
            return (f"{value!r} has a directory name with characters other than letters, digits and "
                    f". _ @ + = ~ -; {good}")
    return None


def efs_volume_handle(file_system_id: str, sub_path: str | None, access_point_id: str | None) -> str:
    """The static volume handle in the form every driver version reads: fs[:path[:fsap]]."""
    if access_point_id:
        return f"{file_system_id}:{sub_path or ''}:{access_point_id}"
    if sub_path:
        return f"{file_system_id}:{sub_path}"
    return file_system_id


def render_efs_pv(a: dict[str, Any]) -> Snippet:
    storage_class = a["storage-class-name"] or ""
    handle = efs_volume_handle(a["file-system-id"], a["sub-path"], a["access-point-id"])
    pv_spec: dict[str, Any] = {
        "capacity": {"storage": a["capacity"]},
        "volumeMode": "Filesystem",
        "accessModes": [a["access-mode"]],
        "persistentVolumeReclaimPolicy": a["reclaim-policy"],
        "storageClassName": storage_class,
    }
    if a["with-claim"]:
        pv_spec["claimRef"] = {"namespace": a["namespace"], "name": a["claim-name"]}
    pv_spec["csi"] = {
        "driver": "efs.csi.aws.com",
        "volumeHandle": handle,
        "volumeAttributes": {"encryptInTransit": "true"},
    }
    documents: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": a["name"]}, "spec": pv_spec},
    ]
    if a["with-claim"]:
        documents.append({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": a["claim-name"], "namespace": a["namespace"]},
            "spec": {
                "accessModes": [a["access-mode"]],
                "storageClassName": storage_class,
                "volumeName": a["name"],
                "resources": {"requests": {"storage": a["capacity"]}},
            },
        })

    notes = [
        'encryptInTransit "true" states the driver default explicitly: every mount goes through TLS.',
        "No tls in mountOptions: the old guide added it, but TLS is now the default and the driver logs the "
        "option as deprecated (with encryptInTransit false it is an error).",
        "Encryption at rest is fixed when the file system is created; use a file system created encrypted.",
    ]
    if a["access-point-id"]:
        notes.append("The access point enforces its POSIX identity and root directory; access-point mounts always use TLS.")
    if a["sub-path"] and a["access-point-id"]:
        notes.append("The sub-path is resolved inside the access point's root directory.")
    notes.append("volumeHandle uses the fs-id[:path[:fsap-id]] form every driver version reads "
                 "(driver 3.x also accepts an efs: prefix).")
    notes.append("EFS is elastic: capacity is required by Kubernetes but does not limit the file system.")
    if not storage_class:
        notes.append('storageClassName "" keeps the volume out of every class: a claim binds to it only if it also '
                     'sets storageClassName ""; a claim that leaves the field out is given the default class instead.')
    if a["with-claim"]:
        notes.append("claimRef on the volume and volumeName on the claim bind the two to each other only.")
    return Snippet(
        text=emit.yaml_snippet("efs-pv", EFS_PV_PRACTICES, documents, notes),
        filename=f"{a['name']}.yaml",
    )


EFS_PV_SPEC = Spec(
    kind="efs-pv",
    title="Static EFS PersistentVolume",
    description="Static EFS PersistentVolume (optionally with its claim) mounted over TLS, by file system or access point",
    language="yaml",
    practices=EFS_PV_PRACTICES,
    fields=(
        _name_field("efs-pv", "efs-pv", "PersistentVolume"),
        Field("file-system-id", "File system ID",
              "The existing EFS file system (created with encryption at rest).",
              required=True, example="fs-0123456789abcdef0", validate=validators.efs_file_system_id),
        Field("access-point-id", "Access point ID",
              "Mount through this EFS access point, which enforces a POSIX identity and root directory; empty mounts "
              "the file system directly.",
              example="fsap-0123456789abcdef0", validate=validators.efs_access_point_id),
        Field("sub-path", "Sub-path",
              "Absolute directory to mount (inside the access point's root when one is given); empty mounts the root.",
              example="/shared/data", validate=efs_sub_path),
        Field("capacity", "Capacity",
              "Size stated on the volume (Kubernetes requires one; EFS itself grows as needed).",
              default="5Gi", example="5Gi", validate=validators.quantity),
        Field("access-mode", "Access mode",
              "ReadWriteMany lets pods on many nodes mount the volume; ReadWriteOnce limits it to one node.",
              type="choice", choices=EFS_ACCESS_MODES, default="ReadWriteMany"),
        _reclaim_field("Retain", "What happens when the claim is deleted: Retain (recommended for static volumes) "
                                 "keeps the volume and data; Delete removes the PersistentVolume object."),
        Field("storage-class-name", "StorageClass name",
              'storageClassName that the volume and its claim share, such as efs-sc. Empty (the default) writes '
              'storageClassName: "" (no class), so no default class can provision a different volume for the claim.',
              example="efs-sc", validate=validators.dns_subdomain),
        Field("with-claim", "Add a claim",
              "Also write a PersistentVolumeClaim bound to this volume by volumeName.",
              type="bool", default=False),
        Field("claim-name", "Claim name",
              "Name of the PersistentVolumeClaim.",
              default="efs-claim", example="efs-claim", validate=validators.dns_subdomain,
              when=lambda a: bool(a.get("with-claim"))),
        Field("namespace", "Namespace",
              "Namespace of the claim (the pods that mount it run there).",
              default="default", example="default", validate=validators.dns_label,
              when=lambda a: bool(a.get("with-claim"))),
    ),
    render=render_efs_pv,
)


# ---------------------------------------------------------------------------------------------
# fsx-storageclass

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
    if a["per-unit-storage-throughput"] is not None:
        parameters["perUnitStorageThroughput"] = str(a["per-unit-storage-throughput"])
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
    notes.append("securityGroupIds is one comma-separated string; the groups must allow Lustre traffic on TCP port 988.")
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
              "PERSISTENT_1 SSD 50/100/200, PERSISTENT_1 HDD 12/40.",
              type="choice", choices=FSX_THROUGHPUT_CHOICES, default="250", example="250",
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


SPECS = (EBS_SPEC, EFS_SC_SPEC, EFS_PV_SPEC, FSX_SPEC)
