"""Storage rules: StorageClasses and PersistentVolumes of the AWS EBS, EFS and FSx CSI drivers.

What a parameter means is what the driver's code does with it:
- EBS (aws-ebs-csi-driver pkg/driver/controller.go): parameter keys are compared lower-cased;
  `encrypted` counts only when it is exactly "true"; a non-empty `kmsKeyId` forces encryption
  (pkg/cloud/cloud.go); `iops` and `iopsPerGB` set provisioned IOPS; EC2 refuses io1/io2
  without IOPS and gp3 throughput above 0.25 MiB/s per IOPS (3000 IOPS when none is given).
- EFS (aws-efs-csi-driver pkg/driver/node.go): volume attribute keys are lower-cased and
  `encryptInTransit` is read with Go's strconv.ParseBool; `tls` in mountOptions is deprecated,
  and an error together with encryptInTransit false.
- FSx for Lustre (aws-fsx-csi-driver pkg/driver/controller.go): keys are exact; no
  `deploymentType` leaves the API default, SCRATCH_1, which has no encryption in transit;
  `kmsKeyId` is accepted by the API only for PERSISTENT_1 and PERSISTENT_2.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Context, Hit, Obj, Rule, fix, get, items, lower_keys, mapping, text

EBS = "ebs.csi.aws.com"
EBS_IN_TREE = "kubernetes.io/aws-ebs"
EFS = "efs.csi.aws.com"
FSX = "fsx.csi.aws.com"

EBS_TYPES = ("gp3", "io1", "io2", "gp2", "sc1", "st1", "standard")
EBS_FS_TYPES = ("ext4", "xfs", "ext3")
GP3_BASELINE_IOPS = 3000
GP3_MIB_PER_IOPS = 0.25
TRUE_LOOKING = {"true", "yes", "y", "on", "1", "t"}
GO_FALSE = {"0", "f", "F", "FALSE", "false", "False"}  # strconv.ParseBool's false words
GO_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
FSX_SCRATCH = ("SCRATCH_1", "SCRATCH_2")
FSX_PERSISTENT = ("PERSISTENT_1", "PERSISTENT_2")


def _params(obj: Obj) -> dict[str, Any]:
    return dict(mapping(obj.body.get("parameters")))


def _provisioner(obj: Obj) -> str:
    return text(obj.body.get("provisioner"))


def _choice(value: str, choices: tuple[str, ...]) -> str | None:
    return value if value in choices else None


def _int(value: Any) -> int | None:
    try:
        return int(text(value).strip())
    except ValueError:
        return None


# ------------------------------------------------------------------------------ StorageClass


def not_string(obj: Obj, ctx: Context) -> Iterator[Hit]:
    for key, value in _params(obj).items():
        if not isinstance(value, str):
            shown = text(value) if value is not None else "null"
            yield Hit(f"parameters.{key} is written as {shown} without quotes, but StorageClass parameters are "
                      f"strings: kubectl apply refuses the class. Quote it: {key}: \"{shown}\".",
                      ("parameters", key), _ebs_fix(obj) if _provisioner(obj) == EBS else None)


def _ebs_fix(obj: Obj, **changes: Any):
    p = {k: text(v) for k, (_, v) in lower_keys(_params(obj)).items()}
    volume_type = changes.get("type") or _choice(p.get("type", "gp3").lower(), EBS_TYPES) or "gp3"
    iops = changes.get("iops", _int(p.get("iops")) if volume_type in ("gp3", "io1", "io2") else None)
    throughput = _int(p.get("throughput")) if volume_type == "gp3" else None
    if throughput is not None and throughput > (iops or GP3_BASELINE_IOPS) * GP3_MIB_PER_IOPS:
        iops = max(GP3_BASELINE_IOPS, throughput * 4)  # so the fix does not repeat the ratio mistake
    tags = [text(v) for k, (_, v) in sorted(lower_keys(_params(obj)).items()) if k.startswith("tagspecification_")]
    expansion = obj.body.get("allowVolumeExpansion")
    default = text(obj.annotations.get("storageclass.kubernetes.io/is-default-class")) == "true"
    return fix(
        "ebs-storageclass", ("name", obj.name), ("type", volume_type),
        ("kms-key-id", p.get("kmskeyid")), ("fs-type", _choice(text(_params(obj).get("csi.storage.k8s.io/fstype")), EBS_FS_TYPES)),
        ("iops", iops), ("throughput", throughput),
        ("reclaim-policy", _choice(text(obj.body.get("reclaimPolicy")), ("Delete", "Retain"))),
        ("volume-binding-mode", _choice(text(obj.body.get("volumeBindingMode")), ("WaitForFirstConsumer", "Immediate"))),
        ("allow-volume-expansion", expansion if isinstance(expansion, bool) else None),
        ("default-class", True if default else None), ("tags", ",".join(tags) or None),
    )


def _is_ebs(obj: Obj) -> bool:
    return _provisioner(obj) in (EBS, EBS_IN_TREE)


def ebs_unencrypted(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if not _is_ebs(obj):
        return
    p = lower_keys(_params(obj))
    if text(p.get("kmskeyid", ("", ""))[1]).strip():
        return
    key, value = p.get("encrypted", ("encrypted", None))
    word = text(value)
    if word == "true" or word.lower() in TRUE_LOOKING:
        return  # encrypted, or the value is wrong in another way (ebs-encrypted-not-true)
    said = f'encrypted is "{word}"' if value is not None else "there is no encrypted parameter"
    yield Hit(f"Volumes of this class are not encrypted: {said} and there is no kmsKeyId. They are encrypted "
              "only if EBS encryption by default is on for the account and Region, which cannot be seen offline.",
              ("parameters", key) if value is not None else ("provisioner",), _ebs_fix(obj))


def ebs_not_true(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if not _is_ebs(obj):
        return
    p = lower_keys(_params(obj))
    key, value = p.get("encrypted", ("encrypted", None))
    word = text(value)
    if value is None or word == "true" or word.lower() not in TRUE_LOOKING:
        return
    has_key = bool(text(p.get("kmskeyid", ("", ""))[1]).strip())
    then = ("kmsKeyId still encrypts new volumes, but clones of them are refused ('Cannot make an unencrypted clone')"
            if has_key else "so volumes are not encrypted (unless the account encrypts by default)")
    yield Hit(f'encrypted is "{word}": the EBS CSI driver counts only the exact lower-case string "true", {then}.',
              ("parameters", key), _ebs_fix(obj))


def ebs_in_tree(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if _provisioner(obj) == EBS_IN_TREE:
        yield Hit("The in-tree provisioner kubernetes.io/aws-ebs was removed in Kubernetes 1.27; on EKS its claims are "
                  "redirected to the EBS CSI driver. Use provisioner ebs.csi.aws.com with encrypted: \"true\".",
                  ("provisioner",), _ebs_fix(obj))


def _ebs_type(obj: Obj) -> tuple[str, dict[str, tuple[str, Any]]]:
    p = lower_keys(_params(obj))
    return text(p.get("type", ("type", "gp3"))[1]).lower() or "gp3", p


def ebs_throughput(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if _provisioner(obj) != EBS:
        return
    volume_type, p = _ebs_type(obj)
    if volume_type != "gp3" or "throughput" not in p or "iopspergb" in p:
        return  # with iopsPerGB the IOPS depend on each claim's size
    throughput = _int(p["throughput"][1])
    iops = _int(p["iops"][1]) if "iops" in p else GP3_BASELINE_IOPS
    if throughput is None or iops is None or throughput <= iops * GP3_MIB_PER_IOPS:
        return
    needed = max(GP3_BASELINE_IOPS, throughput * 4)  # 4 IOPS per MiB/s is the 0.25 ratio
    said = f"{iops} IOPS" if "iops" in p else f"the baseline {GP3_BASELINE_IOPS} IOPS (no iops given)"
    yield Hit(f"gp3 throughput {throughput} MiB/s is more than 0.25 MiB/s per IOPS allows with {said}: EC2 refuses to "
              f"create the volumes. Lower throughput to {int(iops * GP3_MIB_PER_IOPS)} or raise iops to {needed}.",
              ("parameters", p["throughput"][0]), _ebs_fix(obj))


def ebs_io_iops(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if _provisioner(obj) != EBS:
        return
    volume_type, p = _ebs_type(obj)
    if volume_type in ("io1", "io2") and "iops" not in p and "iopspergb" not in p:
        yield Hit(f"{volume_type} volumes need provisioned IOPS, and this class sets neither iops nor iopsPerGB: EC2 "
                  "refuses to create them. Add iops (for example \"3000\").",
                  ("parameters", p["type"][0]), _ebs_fix(obj, iops=3000))


# ------------------------------------------------------------------------------ EFS


def _efs_pv(obj: Obj) -> tuple[dict[str, Any], str] | None:
    csi = mapping(get(obj.body, "spec", "csi"))
    if text(csi.get("driver")) != EFS:
        return None
    return dict(mapping(csi.get("volumeAttributes"))), text(csi.get("volumeHandle"))


def _in_transit_off(attributes: dict[str, Any]) -> tuple[str, str] | None:
    for key, value in attributes.items():
        if str(key).lower() == "encryptintransit" and text(value) in GO_FALSE:
            return str(key), text(value)
    return None


def _handle_parts(handle: str) -> tuple[str, str, str]:
    for prefix in ("efs:", "s3files:"):
        if handle.startswith(prefix):
            handle = handle[len(prefix):]
    parts = (handle.split(":") + ["", ""])[:3]
    return parts[0], parts[1], parts[2]


def _efs_fix(obj: Obj, handle: str, **changes: Any):
    fs_id, sub_path, ap_id = _handle_parts(handle)
    spec = mapping(obj.body.get("spec"))
    modes = [text(m) for m in items(spec.get("accessModes"))]
    claim = mapping(spec.get("claimRef"))
    reclaim = changes.get("reclaim-policy") or _choice(text(spec.get("persistentVolumeReclaimPolicy")), ("Delete", "Retain"))
    return fix(
        "efs-pv", ("name", obj.name), ("file-system-id", fs_id), ("access-point-id", ap_id),
        ("sub-path", sub_path if sub_path not in ("", "/") else None),
        ("capacity", text(get(spec, "capacity", "storage"))),
        ("access-mode", _choice(modes[0], ("ReadWriteMany", "ReadWriteOnce")) if modes else None),
        ("reclaim-policy", reclaim), ("storage-class-name", text(spec.get("storageClassName"))),
        ("with-claim", True if claim.get("name") else None), ("claim-name", text(claim.get("name"))),
        ("namespace", text(claim.get("namespace")) if claim.get("name") else None),
    )


def _mount_options(obj: Obj) -> list[Any]:
    return items(get(obj.body, "spec", "mountOptions") if obj.kind == "PersistentVolume" else obj.body.get("mountOptions"))


def efs_in_transit_off(obj: Obj, ctx: Context) -> Iterator[Hit]:
    found = _efs_pv(obj)
    if found is None:
        return
    off = _in_transit_off(found[0])
    if off is not None:
        yield Hit(f'encryptInTransit is "{off[1]}": NFS traffic between the node and EFS is sent unencrypted. Remove '
                  "the attribute (TLS is the driver's default) or set it to \"true\".",
                  ("spec", "csi", "volumeAttributes", off[0]), _efs_fix(obj, found[1]))


def _tls_index(obj: Obj) -> int | None:
    for index, option in enumerate(_mount_options(obj)):
        if text(option).strip().lower() == "tls":
            return index
    return None


def efs_tls_option(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if obj.kind == "StorageClass":
        if _provisioner(obj) != EFS or (index := _tls_index(obj)) is None:
            return
        yield Hit("tls in mountOptions is deprecated: the EFS CSI driver mounts with TLS by default and logs a warning "
                  "for it. Remove it.", ("mountOptions", index))
        return
    found = _efs_pv(obj)
    if found is None or (index := _tls_index(obj)) is None or _in_transit_off(found[0]) is not None:
        return
    yield Hit("tls in mountOptions is deprecated: the EFS CSI driver mounts with TLS by default and logs a warning for "
              "it. Remove it and leave encryptInTransit out or \"true\".", ("spec", "mountOptions", index),
              _efs_fix(obj, found[1]))


def efs_tls_conflict(obj: Obj, ctx: Context) -> Iterator[Hit]:
    found = _efs_pv(obj)
    if found is None or (index := _tls_index(obj)) is None or _in_transit_off(found[0]) is None:
        return
    yield Hit("tls in mountOptions together with encryptInTransit \"false\": the EFS CSI driver refuses to mount the "
              "volume ('Found tls in mountOptions but encryptInTransit is false'). Remove both.",
              ("spec", "mountOptions", index), _efs_fix(obj, found[1]))


def efs_ap_delete(obj: Obj, ctx: Context) -> Iterator[Hit]:
    found = _efs_pv(obj)
    if found is None or not _handle_parts(found[1])[2]:
        return
    if text(get(obj.body, "spec", "persistentVolumeReclaimPolicy")) != "Delete":
        return
    if text(obj.annotations.get("pv.kubernetes.io/provisioned-by")) == EFS:
        return  # made by the driver: Delete is how dynamic volumes are cleaned up
    yield Hit("A static PersistentVolume on an access point has reclaimPolicy Delete: when its claim goes, the volume "
              "cannot be deleted cleanly (it is left Failed, or the access point and its data go with it). Use Retain.",
              ("spec", "persistentVolumeReclaimPolicy"), _efs_fix(obj, found[1], **{"reclaim-policy": "Retain"}))


# ------------------------------------------------------------------------------ FSx for Lustre


def _fsx_fix(obj: Obj, deployment: str):
    p = {k: text(v) for k, v in _params(obj).items()}
    persistent = deployment in FSX_PERSISTENT
    return fix(
        "fsx-storageclass", ("name", obj.name), ("subnet-id", p.get("subnetId")),
        ("security-group-ids", p.get("securityGroupIds")), ("deployment-type", deployment),
        ("kms-key-id", p.get("kmsKeyId") if persistent else None),
        ("storage-type", _choice(p.get("storageType", ""), ("SSD", "HDD"))),
        ("per-unit-storage-throughput", p.get("perUnitStorageThroughput") if persistent else None),
        ("drive-cache-type", _choice(p.get("driveCacheType", ""), ("NONE", "READ"))),
        ("data-compression-type", _choice(p.get("dataCompressionType", ""), ("NONE", "LZ4"))),
        ("file-system-type-version", _choice(p.get("fileSystemTypeVersion", ""), ("2.15", "2.12", "2.10"))),
        ("reclaim-policy", _choice(text(obj.body.get("reclaimPolicy")), ("Delete", "Retain"))),
        ("volume-binding-mode", _choice(text(obj.body.get("volumeBindingMode")), ("Immediate", "WaitForFirstConsumer"))),
    )


def _fsx(obj: Obj) -> tuple[dict[str, Any], str] | None:
    if _provisioner(obj) != FSX:
        return None
    params = _params(obj)
    return params, text(params.get("deploymentType"))


def fsx_kms_scratch(obj: Obj, ctx: Context) -> Iterator[Hit]:
    found = _fsx(obj)
    if found is None or not text(found[0].get("kmsKeyId")).strip() or found[1] in FSX_PERSISTENT:
        return
    which = found[1] or "no deploymentType (the API default, SCRATCH_1)"
    yield Hit(f"kmsKeyId with {which}: scratch file systems always use a key FSx manages, and creating this one fails. "
              "Use deploymentType PERSISTENT_2 for your own key, or drop kmsKeyId.",
              ("parameters", "kmsKeyId"), _fsx_fix(obj, "PERSISTENT_2"))


def fsx_no_deployment(obj: Obj, ctx: Context) -> Iterator[Hit]:
    found = _fsx(obj)
    if found is None or "deploymentType" in found[0]:
        return
    yield Hit("No deploymentType: FSx creates SCRATCH_1, the API default, which does not encrypt data in transit. "
              "Set deploymentType, for example SCRATCH_2 or PERSISTENT_2.",
              ("parameters",), _fsx_fix(obj, "PERSISTENT_2" if text(found[0].get("kmsKeyId")) else "SCRATCH_2"))


def fsx_scratch_1(obj: Obj, ctx: Context) -> Iterator[Hit]:
    found = _fsx(obj)
    if found is None or found[1] != "SCRATCH_1":
        return
    yield Hit("deploymentType SCRATCH_1 does not encrypt data in transit between nodes and the file system. Use "
              "SCRATCH_2 or a persistent type.", ("parameters", "deploymentType"), _fsx_fix(obj, "SCRATCH_2"))


SC = ("StorageClass",)
PV = ("PersistentVolume",)
RULES = (
    Rule("storageclass-parameter-not-string", "error", "encrypt-data-at-rest", SC,
         "A StorageClass parameter that is not a string",
         "StorageClass parameters are a map of strings; an unquoted true or 3000 makes kubectl apply fail. "
         "Quote every value (encrypted: \"true\").", not_string),
    Rule("ebs-unencrypted", "error", "ebs-encryption", SC,
         "An EBS StorageClass that does not encrypt its volumes",
         "An EBS CSI class encrypts only with encrypted: \"true\" or a kmsKeyId. Without them, volumes are encrypted "
         "only when the account turned on EBS encryption by default, which a manifest cannot show.", ebs_unencrypted),
    Rule("ebs-encrypted-not-true", "error", "ebs-encryption", SC,
         'EBS encrypted written "True", "yes" or another word for true',
         'The EBS CSI driver compares encrypted with the exact string "true"; "True", "TRUE" or "yes" mean '
         "unencrypted (and with a kmsKeyId, clones are refused).", ebs_not_true),
    Rule("ebs-in-tree-provisioner", "warning", "ebs-encryption", SC,
         "The removed in-tree kubernetes.io/aws-ebs provisioner",
         "The in-tree EBS plugin was removed in Kubernetes 1.27; use the EBS CSI driver (ebs.csi.aws.com) with "
         "encrypted: \"true\".", ebs_in_tree),
    Rule("ebs-gp3-throughput-over-iops", "error", "ebs-encryption", SC,
         "gp3 throughput above 0.25 MiB/s per provisioned IOPS",
         "EC2 allows gp3 throughput of at most 0.25 MiB/s per IOPS (750 MiB/s at the 3000 IOPS baseline); volumes "
         "of a class above that are never created.", ebs_throughput),
    Rule("ebs-io-without-iops", "error", "ebs-encryption", SC,
         "An io1 or io2 class without iops or iopsPerGB",
         "io1 and io2 volumes need provisioned IOPS; without iops or iopsPerGB EC2 refuses to create them.", ebs_io_iops),
    Rule("efs-in-transit-disabled", "error", "efs-encryption-in-transit", PV,
         'An EFS PersistentVolume with encryptInTransit "false"',
         "encryptInTransit false mounts EFS without TLS, so file data crosses the network in plaintext. TLS is the "
         "driver's default: leave the attribute out.", efs_in_transit_off),
    Rule("efs-tls-mount-option", "warning", "efs-encryption-in-transit", PV + SC,
         "The deprecated tls mount option on an EFS volume",
         "The EFS CSI driver uses TLS by default and logs the tls mount option as deprecated; remove it.", efs_tls_option),
    Rule("efs-tls-with-in-transit-off", "error", "efs-encryption-in-transit", PV,
         'tls in mountOptions with encryptInTransit "false"',
         "The EFS CSI driver refuses to mount a volume that asks for tls and turns encryption in transit off.",
         efs_tls_conflict),
    Rule("efs-static-access-point-delete", "warning", "efs-access-points", PV,
         "A static EFS access-point volume with reclaimPolicy Delete",
         "A PersistentVolume you wrote yourself should keep its access point and data when its claim is deleted: "
         "use persistentVolumeReclaimPolicy Retain.", efs_ap_delete),
    Rule("fsx-kms-on-scratch", "error", "fsx-lustre-encryption", SC,
         "FSx for Lustre kmsKeyId with a scratch deployment type",
         "Only PERSISTENT_1 and PERSISTENT_2 file systems take a customer managed KMS key; with a scratch type "
         "(also the default, SCRATCH_1) file system creation fails.", fsx_kms_scratch),
    Rule("fsx-no-deployment-type", "warning", "fsx-lustre-encryption", SC,
         "An FSx for Lustre class without deploymentType",
         "Without deploymentType FSx creates SCRATCH_1, which does not encrypt data in transit; say which type you "
         "want.", fsx_no_deployment),
    Rule("fsx-scratch-1", "warning", "fsx-lustre-encryption", SC,
         "An FSx for Lustre SCRATCH_1 class",
         "SCRATCH_1 file systems do not encrypt data in transit; SCRATCH_2 and the persistent types do, from EC2 "
         "instance types that support it.", fsx_scratch_1),
)
