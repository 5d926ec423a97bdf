"""efs-storageclass: an EFS CSI driver StorageClass that provisions one access point per claim
(provisioningMode efs-ap).

The rules come from the driver's docs/parameters.md and source (kubernetes-sigs/aws-efs-csi-driver)
and the EFS API model in botocore.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .storage_parts import _name_field, _one_line_text, _path_segments, _reclaim_field, _storage_class


EFS_PRACTICES_SC = ("efs-access-points", "efs-encryption-at-rest", "encrypt-data-at-rest")
POSIX_ID_MAX = 4294967295  # EFS API Uid/Gid range
# The driver's GID range (pkg/driver/controller.go, since v1.7.7): 50000 to 50000 + 10,000 when none is
# given, and a wider range is cut to start + 10,000 (the access point limit per file system).
DEFAULT_GID_RANGE = (50000, 60000)
GID_RANGE_LIMIT = 10000
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
                     f"({DEFAULT_GID_RANGE[0]}-{DEFAULT_GID_RANGE[1]} when none is set, since driver 1.7.7).")
    if a["reclaim-policy"] == "Delete":
        notes.append("Delete removes the access point; the directory's data stays unless the controller runs "
                     "with --delete-access-point-root-dir.")
    warnings: list[str] = []
    if a["uid"] is not None and a["gid"] is not None and a["gid-range-start"] is not None:
        warnings.append("--uid and --gid are both set, so the driver never draws from the GID range; drop "
                        "--gid-range-start/--gid-range-end or one of the fixed IDs.")
    start, end = a["gid-range-start"], a["gid-range-end"]
    if start is not None and end is not None and end - start > GID_RANGE_LIMIT:
        warnings.append(f"the GID range {start}-{end} is wider than {GID_RANGE_LIMIT:,} IDs; the driver uses only "
                        f"{start}-{start + GID_RANGE_LIMIT} (one ID per access point, at most {GID_RANGE_LIMIT:,} per "
                        f"file system), so set --gid-range-end {start + GID_RANGE_LIMIT} to say what it does.")
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
              "First ID the driver may assign (give both ends or neither; empty means the driver's 50000-60000).",
              type="int", minimum=1, maximum=POSIX_ID_MAX, example="50000"),
        Field("gid-range-end", "GID range end",
              "Last ID of the range; must be greater than the start. The driver uses at most 10,000 IDs from the start.",
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

SPECS = (EFS_SC_SPEC,)
