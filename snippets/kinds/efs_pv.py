"""efs-pv: a static EFS PersistentVolume (and optionally its claim) mounted over TLS.

The volume handle and attributes follow the EFS CSI driver (kubernetes-sigs/aws-efs-csi-driver).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .storage_parts import _name_field, _path_segments, _reclaim_field


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


def _efs_pv_checks(a: dict[str, Any]) -> Iterable[FieldError]:
    # external-provisioner finalizes static CSI volumes too (HonorPVReclaimPolicy, GA in Kubernetes 1.33;
    # the EFS chart ships csi-provisioner v6), so Delete makes it call the driver's DeleteVolume, which
    # deletes the access point named in the handle (and its directory with --delete-access-point-root-dir).
    if a.get("reclaim-policy") == "Delete" and a.get("access-point-id"):
        yield FieldError("reclaim-policy", "Delete on a volume with --access-point-id makes the EFS driver delete that "
                                           "access point (and, with --delete-access-point-root-dir, its directory and "
                                           "files) when the claim is deleted; use --reclaim-policy Retain")


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
    if a["reclaim-policy"] == "Delete":
        notes.append("Delete removes this PersistentVolume when its claim is deleted; the handle names no access "
                     "point, so the driver deletes nothing on EFS.")
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
        _reclaim_field("Retain", "What happens when the claim is deleted: Retain (recommended) keeps the volume and "
                                 "data. Delete asks the driver to delete the volume: it removes the PersistentVolume "
                                 "and, with an access point, deletes that access point, so Delete is refused then."),
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
    checks=(_efs_pv_checks,),
)

SPECS = (EFS_PV_SPEC,)
