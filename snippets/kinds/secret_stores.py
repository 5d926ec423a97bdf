"""Secret stores outside the cluster: the Secrets Store CSI Driver with the AWS provider (ASCP),
the External Secrets Operator, and Sealed Secrets.

None of these kinds asks for a secret value: the first two name secrets that live in AWS
Secrets Manager or SSM Parameter Store, and the Sealed Secrets script reads each value from a
file the user writes, so no value is ever typed on a command line or printed.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import yaml

from .. import emit, validators
from ..spec import Answers, Field, FieldError, Snippet, Spec

# ---------------------------------------------------------------------------------------------
# Shared formats

# Kubernetes Secret (and ConfigMap) data keys: IsConfigMapKey in apimachinery.
SECRET_KEY_RE = re.compile(r"[-._a-zA-Z0-9]{1,253}")

# Secrets Manager secret names: ASCII letters, digits and /_+=.@- (CreateSecret Name).
SM_NAME_RE = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
# SSM parameter names: a plain name, or a hierarchy that starts with '/'.
SSM_NAME_RE = re.compile(r"[A-Za-z0-9_.-]+|(?:/[A-Za-z0-9_.-]+)+")
SSM_NAME_MAX = 1011
SSM_MAX_LEVELS = 15
_REGION = rf"(?P<region>{validators.REGION_PATTERN})"
SM_ARN_RE = re.compile(rf"arn:aws[a-z-]*:secretsmanager:{_REGION}:\d{{12}}:secret:(?P<name>[A-Za-z0-9/_+=.@-]{{1,512}})")
SSM_ARN_RE = re.compile(rf"arn:aws[a-z-]*:ssm:{_REGION}:\d{{12}}:parameter/(?P<name>[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)")

EXAMPLE_SM_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"
EXAMPLE_SSM_ARN = "arn:aws:ssm:us-east-1:111122223333:parameter/prod/db/password"

# A JMESPath identifier that needs no quoting; anything else is written as a quoted identifier.
_JMES_BARE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Container image references (the grammar of distribution/reference, simplified).
_IMAGE_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?/)"
IMAGE_RE = re.compile(
    rf"(?P<name>{_IMAGE_DOMAIN}?{_IMAGE_COMPONENT}(?:/{_IMAGE_COMPONENT})*)"
    r"(?P<tag>:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
    r"(?P<digest>@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?"
)

_MOUNT_SEGMENT_RE = re.compile(r"[A-Za-z0-9._-]+")

# Go's time.ParseDuration, without signs: one or more <number><unit>, or a bare 0.
_DURATION_PART_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ns|us|µs|μs|ms|s|m|h)")
_NS_PER_UNIT = {
    "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
    "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
}
_MAX_DURATION_NS = 2**63 - 1


def secret_key(value: str) -> str | None:
    """A key of a Kubernetes Secret's data (also a safe file name: no '/', not '.' or '..')."""
    if not SECRET_KEY_RE.fullmatch(value) or value in (".", "..") or value.startswith(".."):
        return (
            f"{value!r} is not a valid Secret key; use letters, digits, '-', '_' and '.' "
            "(at most 253, not starting with '..'), such as db-password or tls.crt"
        )
    return None


def sm_name_or_arn(value: str) -> str | None:
    """A Secrets Manager secret, by name or by ARN."""
    if value.startswith("arn:"):
        if not SM_ARN_RE.fullmatch(value):
            return f"{value!r} is not a Secrets Manager secret ARN; use one such as {EXAMPLE_SM_ARN}"
        return None
    if not SM_NAME_RE.fullmatch(value):
        return (
            f"{value!r} is not a Secrets Manager secret name; use letters, digits and /_+=.@- "
            "(at most 512), such as prod/db, or the secret's ARN"
        )
    return None


def ssm_name_or_arn(value: str) -> str | None:
    """An SSM Parameter Store parameter, by name or by ARN."""
    if value.startswith("arn:"):
        if not SSM_ARN_RE.fullmatch(value):
            return f"{value!r} is not an SSM parameter ARN; use one such as {EXAMPLE_SSM_ARN}"
        return None
    if (
        not SSM_NAME_RE.fullmatch(value)
        or len(value) > SSM_NAME_MAX
        or value.count("/") > SSM_MAX_LEVELS
    ):
        return (
            f"{value!r} is not an SSM parameter name; use letters, digits and _.- with a leading '/' "
            "for each level of a hierarchy (at most 15 levels), such as /prod/db/password"
        )
    return None


def arn_region(value: str) -> str | None:
    """The Region of a Secrets Manager or SSM ARN, or None when the value is not such an ARN."""
    match = SM_ARN_RE.fullmatch(value) or SSM_ARN_RE.fullmatch(value)
    return match.group("region") if match else None


def go_duration_ns(value: str) -> int | None:
    """Nanoseconds in a Go duration string such as 1h, 30m or 1h30m ('0' and '0s' are zero)."""
    if value == "0":
        return 0
    if not value:
        return None
    total = Fraction(0)
    position = 0
    while position < len(value):
        match = _DURATION_PART_RE.match(value, position)
        if match is None:
            return None
        total += Fraction(match.group(1)) * _NS_PER_UNIT[match.group(2)]
        position = match.end()
    nanoseconds = int(total)
    return nanoseconds if nanoseconds <= _MAX_DURATION_NS else None


def go_duration(value: str) -> str | None:
    if go_duration_ns(value) is None:
        return (
            f"{value!r} is not a duration; use a number and a unit (h, m, s), "
            "such as 1h, 30m or 1h30m (0s reads the secret only once)"
        )
    return None


def image_reference(value: str) -> str | None:
    match = IMAGE_RE.fullmatch(value)
    if not match or len(match.group("name")) > 255:
        return (
            f"{value!r} is not a container image reference; use one such as "
            "111122223333.dkr.ecr.us-east-1.amazonaws.com/my-app:1.4.2"
        )
    return None


def mount_path(value: str) -> str | None:
    segments = value.split("/")
    if (
        len(value) > 1024
        or not value.startswith("/")
        or len(segments) < 2
        or not all(_MOUNT_SEGMENT_RE.fullmatch(s) and s not in (".", "..") for s in segments[1:])
    ):
        return (
            f"{value!r} is not a usable mount path; use an absolute directory path of letters, digits "
            "and ._- with no '..' parts, such as /mnt/secrets-store"
        )
    return None


def _one_of(fields: Iterable[str]) -> str:
    return ", ".join(fields)


class _BlockText(str):
    """A multi-line string that reads best as a YAML literal block (`|`)."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes _BlockText as a literal block when YAML allows one for the text;
    otherwise PyYAML falls back to a quoted scalar by itself, so any text stays exact. Repeated
    objects are written out in full, never as &anchor/*alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    _BlockText, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")
)


def _documents(docs: list[dict[str, Any]]) -> str:
    # Same settings as emit.yaml_documents, plus literal blocks for embedded YAML strings.
    return yaml.dump_all(
        docs, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
        explicit_start=True, allow_unicode=True, width=1000,
    )


# ---------------------------------------------------------------------------------------------
# secret-provider-class: Secrets Store CSI Driver + AWS provider (ASCP)

OBJECT_EXAMPLE = "name=prod/db,type=secretsmanager,alias=db-creds,keys=username;password"
OBJECT_ITEM_KEYS = ("name", "type", "alias", "keys", "failover")
OBJECT_TYPES = ("secretsmanager", "ssmparameter")
CSI_DRIVER = "secrets-store.csi.k8s.io"
SPC_PRACTICES = ("secrets-store-csi-driver", "external-secrets-provider", "rotate-secrets")


@dataclass(frozen=True)
class CsiObject:
    """One entry of the SecretProviderClass `objects` parameter."""

    name: str
    type: str
    alias: str | None
    keys: tuple[tuple[str, str], ...]  # (JSON key, file name)
    failover: str | None

    @property
    def file_name(self) -> str:
        """The file ASCP writes: the alias, else the name with '/' turned into '_' (pathTranslation)."""
        return self.alias or self.name.replace("/", "_")

    def synced_files(self) -> tuple[str, ...]:
        """The files a synced Secret takes: each extracted key, or the whole object without keys."""
        return tuple(alias for _, alias in self.keys) or (self.file_name,)

    def all_files(self) -> tuple[str, ...]:
        return (self.file_name,) + tuple(alias for _, alias in self.keys)

    def as_parameter(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"objectName": self.name, "objectType": self.type}
        if self.alias:
            entry["objectAlias"] = self.alias
        if self.failover:
            entry["failoverObject"] = {"objectName": self.failover}
        if self.keys:
            entry["jmesPath"] = [{"path": jmes_path(key), "objectAlias": alias} for key, alias in self.keys]
        return entry


def jmes_path(key: str) -> str:
    """The JMESPath expression for a top-level JSON key: bare when it is an identifier, quoted
    otherwise (a hyphen or a dot would be read as an operator)."""
    return key if _JMES_BARE_RE.fullmatch(key) else '"' + key + '"'


def _object_name_problem(name: str, object_type: str) -> str | None:
    if object_type == "secretsmanager":
        return sm_name_or_arn(name)
    return ssm_name_or_arn(name)


def parse_object(text: str) -> CsiObject:
    """Parse one --object item; raises ValueError with a message that shows a good item."""
    hint = f"; for example {OBJECT_EXAMPLE}"
    if any(ch.isspace() for ch in text):
        raise ValueError(f"{text!r} has a space or line break; write one object as key=value pairs joined by ','{hint}")
    parts: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise ValueError(f"{part!r} in {text!r} is not key=value{hint}")
        if key not in OBJECT_ITEM_KEYS:
            raise ValueError(f"{key!r} in {text!r} is not one of {_one_of(OBJECT_ITEM_KEYS)}{hint}")
        if key in parts:
            raise ValueError(f"{key}= appears twice in {text!r}{hint}")
        parts[key] = value
    name = parts.get("name")
    if name is None:
        raise ValueError(f"{text!r} has no name= (the secret name or ARN){hint}")

    arn_service = None
    if name.startswith("arn:"):
        if SM_ARN_RE.fullmatch(name):
            arn_service = "secretsmanager"
        elif SSM_ARN_RE.fullmatch(name):
            arn_service = "ssmparameter"
        else:
            raise ValueError(
                f"{name!r} is not a Secrets Manager or SSM parameter ARN; use one such as {EXAMPLE_SM_ARN}"
            )
    object_type = parts.get("type", arn_service)
    if object_type is None:
        raise ValueError(f"{text!r} needs type=secretsmanager or type=ssmparameter (only an ARN implies its type){hint}")
    if object_type not in OBJECT_TYPES:
        raise ValueError(f"type={object_type} in {text!r} is not secretsmanager or ssmparameter{hint}")
    if arn_service and arn_service != object_type:
        raise ValueError(
            f"{name!r} is an ARN of a {arn_service} object but the item says type={object_type}; "
            f"use type={arn_service} or leave type= out"
        )
    problem = _object_name_problem(name, object_type)
    if problem:
        raise ValueError(problem)

    alias = parts.get("alias")
    if alias is not None and secret_key(alias):
        raise ValueError(
            f"alias={alias} is not a safe file name; use letters, digits, '-', '_' and '.' such as db-creds"
        )
    if alias is None and arn_service:
        raise ValueError(
            f"{text!r} names an ARN; add alias= with a file name for it, for example name={name},alias=db-creds"
        )
    if alias is None and name.replace("/", "_") in (".", ".."):
        raise ValueError(f"name={name} would be written as the file {name!r}; add alias= such as alias=db-creds")

    failover = parts.get("failover")
    if failover is not None:
        problem = _object_name_problem(failover, object_type)
        if problem:
            raise ValueError(f"failover={failover}: {problem}")
        if alias is None:
            raise ValueError(f"{text!r} has failover= and so needs alias= (the provider requires one), such as alias=db-creds")

    keys: list[tuple[str, str]] = []
    if "keys" in parts:
        for entry in parts["keys"].split(";"):
            key, sep, key_alias = entry.partition(":")
            if not key:
                raise ValueError(f"keys={parts['keys']} has an empty key; list JSON keys joined by ';', such as keys=username;password")
            if secret_key(key):
                raise ValueError(
                    f"key {key!r} in keys= is not a plain JSON key; use letters, digits, '-', '_' and '.', "
                    "such as keys=username;password"
                )
            if sep and not key_alias:
                raise ValueError(f"key {key!r} in keys= has ':' but no file name after it, such as password:db-password")
            file_name = key_alias if sep else key
            if secret_key(file_name):
                raise ValueError(
                    f"{file_name!r} in keys= is not a safe file name; use letters, digits, '-', '_' and '.', "
                    "such as password:db-password"
                )
            if any(key == seen for seen, _ in keys):
                raise ValueError(f"key {key!r} appears twice in keys={parts['keys']}")
            keys.append((key, file_name))
    return CsiObject(name=name, type=object_type, alias=alias, keys=tuple(keys), failover=failover)


def _object_item(value: str) -> str | None:
    try:
        parse_object(value)
    except ValueError as exc:
        return str(exc)
    return None


def _parsed_objects(answers: Answers) -> list[CsiObject]:
    """The objects that parse; the ones that do not already have a field error."""
    objects = []
    for item in answers.get("object") or ():
        try:
            objects.append(parse_object(item))
        except ValueError:
            continue
    return objects


def _valid(value: Any, validator) -> bool:
    return isinstance(value, str) and bool(value) and validator(value) is None


def _spc_checks(answers: dict[str, Any]) -> Iterator[FieldError]:
    region = answers.get("region")
    failover_region = answers.get("failover-region")
    region_ok = _valid(region, validators.region)
    failover_ok = _valid(failover_region, validators.region)
    if region_ok and failover_ok and region == failover_region:
        yield FieldError("failover-region", f"is the same as --region {region}; name a second Region such as us-west-2")

    objects = _parsed_objects(answers)
    seen: dict[str, str] = {}
    for obj in objects:
        where = f"name={obj.name}"
        if region_ok and arn_region(obj.name) not in (None, region):
            yield FieldError(
                "object", f"{where} is an ARN in {arn_region(obj.name)}, but --region is {region}; "
                "the provider only accepts ARNs in the primary Region"
            )
        if obj.failover and not failover_region:
            yield FieldError("object", f"{where} has failover= but there is no --failover-region; add one such as --failover-region us-west-2")
        if obj.failover and failover_ok and arn_region(obj.failover) not in (None, failover_region):
            yield FieldError(
                "object", f"failover={obj.failover} is an ARN in {arn_region(obj.failover)}, "
                f"but --failover-region is {failover_region}"
            )
        if failover_region and obj.name.startswith("arn:") and not obj.failover:
            yield FieldError(
                "object", f"{where} is an ARN, which pins it to one Region, so the failover Region cannot read it; "
                "name the secret by its name (a replica keeps it) or add failover=<ARN in the failover Region>"
            )
        for file_name in obj.all_files():
            if file_name in seen:
                yield FieldError(
                    "object", f"two objects are written to the same file {file_name!r} ({seen[file_name]} and {where}); "
                    "give one a different alias= or key file name such as password:db-password"
                )
            else:
                seen[file_name] = where
        if answers.get("sync-secret-name"):
            for file_name in obj.synced_files():
                if secret_key(file_name):
                    yield FieldError(
                        "object", f"{where} is written to {file_name!r}, which cannot be a key of the synced Secret; "
                        "add alias= with letters, digits, '-', '_' and '.', such as alias=db-creds"
                    )
    name = answers.get("name")
    if not answers.get("deployment-name") and _valid(name, validators.dns_subdomain) and validators.dns_label(name):
        yield FieldError(
            "deployment-name", f"is needed because --name {name!r} is not a valid Deployment label value; "
            "give one such as --deployment-name my-app"
        )


def _render_secret_provider_class(a: dict[str, Any]) -> Snippet:
    objects = [parse_object(item) for item in a["object"]]
    parameters: dict[str, str] = {
        "objects": _BlockText(yaml.safe_dump(
            [obj.as_parameter() for obj in objects], sort_keys=False, default_flow_style=False,
            allow_unicode=True, width=1000,
        )),
        "region": a["region"],
    }
    if a["failover-region"]:
        parameters["failoverRegion"] = a["failover-region"]
    if a["use-pod-identity"]:
        parameters["usePodIdentity"] = "true"
    spec: dict[str, Any] = {"provider": "aws", "parameters": parameters}
    if a["sync-secret-name"]:
        files = [f for obj in objects for f in obj.synced_files()]
        spec["secretObjects"] = [{
            "secretName": a["sync-secret-name"],
            "type": "Opaque",
            "data": [{"objectName": f, "key": f} for f in files],
        }]
    spc = {
        "apiVersion": "secrets-store.csi.x-k8s.io/v1",
        "kind": "SecretProviderClass",
        "metadata": {"name": a["name"], "namespace": a["namespace"]},
        "spec": spec,
    }

    app = a["deployment-name"] or a["name"]
    labels = {"app.kubernetes.io/name": app}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": app, "namespace": a["namespace"], "labels": dict(labels)},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "serviceAccountName": a["service-account"],
                    "containers": [{
                        "name": "app",
                        "image": a["image"],
                        "volumeMounts": [{"name": "secrets-store", "mountPath": a["mount-path"], "readOnly": True}],
                    }],
                    "volumes": [{
                        "name": "secrets-store",
                        "csi": {
                            "driver": CSI_DRIVER,
                            "readOnly": True,
                            "volumeAttributes": {"secretProviderClass": a["name"]},
                        },
                    }],
                },
            },
        },
    }
    documents: list[dict[str, Any]] = [spc]
    if a["role-arn"]:
        documents.append({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "name": a["service-account"],
                "namespace": a["namespace"],
                "annotations": {"eks.amazonaws.com/role-arn": a["role-arn"]},
            },
        })
    documents.append(deployment)

    types = {obj.type for obj in objects}
    actions = []
    if "secretsmanager" in types:
        actions += ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    if "ssmparameter" in types:
        actions.append("ssm:GetParameters")
    if a["use-pod-identity"]:
        identity = (
            "Auth: EKS Pod Identity (usePodIdentity \"true\"); associate the IAM role with the service account "
            "(aws eks create-pod-identity-association) and run the EKS Pod Identity Agent add-on; a driver "
            "installed on its own must list the token audience pods.eks.amazonaws.com in its CSIDriver tokenRequests."
        )
    else:
        identity = (
            "Auth: IRSA (the default): the pod's service account carries the eks.amazonaws.com/role-arn "
            "annotation of a role that trusts the cluster's OIDC provider; a driver installed on its own must "
            "list the token audience sts.amazonaws.com in its CSIDriver tokenRequests."
        )
    notes = [
        "The Secrets Store CSI Driver and the AWS provider (ASCP) fetch the objects when the pod starts and write "
        "each one as a file on a read-only tmpfs volume; nothing is stored in etcd unless you sync a Secret.",
        identity,
        f"IAM for that role: {', '.join(actions)} on these objects only (add kms:Decrypt if a customer managed "
        "key encrypts them).",
        "Rotation: the driver's rotation reconciler is alpha and off by default (Helm enableSecretRotation=true, "
        "rotationPollInterval; the ASCP README suggests 3600s to limit API cost); files then change in place, "
        "but environment variables and subPath mounts keep the old value.",
        "Not on Fargate: the driver and ASCP run as DaemonSets, which Fargate does not support.",
    ]
    if a["sync-secret-name"]:
        notes.append(
            "secretObjects copies the files into a Kubernetes Secret (needs Helm syncSecret.enabled=true); it exists "
            "only while a pod mounts this volume, and it is an ordinary Secret in etcd, so limit who can read it."
        )
    if a["failover-region"]:
        notes.append(
            "failoverRegion: ASCP reads every object in both Regions, so each must exist in both (replicate the "
            "secret; create SSM parameters twice); a 4xx error in either Region fails the mount."
        )
    warnings = []
    if a["failover-region"] and "ssmparameter" in types:
        warnings.append(
            "SSM parameters are not replicated across Regions: create each one in the failover Region too, "
            "or the mount fails there."
        )
    image = IMAGE_RE.fullmatch(a["image"])
    if image and not image.group("tag") and not image.group("digest"):
        warnings.append("the image has no tag or digest, so it means :latest; pin a version or a digest.")
    text = emit.header("secret-provider-class", SPC_PRACTICES, notes) + _documents(documents)
    return Snippet(
        text=text,
        filename=f"{a['name']}-secretproviderclass.yaml",
        warnings=tuple(warnings),
    )


SECRET_PROVIDER_CLASS = Spec(
    kind="secret-provider-class",
    title="SecretProviderClass (Secrets Store CSI Driver, AWS provider)",
    description="Mount Secrets Manager secrets and SSM parameters as files with the Secrets Store CSI Driver and ASCP",
    language="yaml",
    practices=SPC_PRACTICES,
    fields=(
        Field("name", "SecretProviderClass name",
              "Name of the SecretProviderClass; the pod's CSI volume refers to it.",
              required=True, example="db-creds", validate=validators.dns_subdomain),
        Field("namespace", "Namespace",
              "Namespace of the SecretProviderClass and of the pod that mounts it (they must match).",
              required=True, example="my-app", validate=validators.dns_label),
        Field("object", "Objects to mount",
              "One secret or parameter per item: name= (a name or ARN), type=secretsmanager|ssmparameter "
              "(implied by an ARN), alias= (the file name; required for an ARN), keys= (JSON keys to extract "
              "into their own files, joined by ';', each optionally key:file-name), failover= (the object's "
              "name or ARN in --failover-region).",
              type="list", separator=" ", required=True, example=OBJECT_EXAMPLE, validate=_object_item),
        Field("region", "AWS Region",
              "Region of the secrets; ARNs in objects must be in this Region.",
              required=True, example="us-east-1", validate=validators.region),
        Field("failover-region", "Failover Region",
              "Optional second Region; ASCP reads each object there too and uses it when the primary "
              "Region has a server-side failure. Leave empty for none.",
              example="us-west-2", validate=validators.region),
        Field("use-pod-identity", "Use EKS Pod Identity",
              "Authenticate with EKS Pod Identity instead of IRSA (the default); writes usePodIdentity: \"true\".",
              type="bool", default=False),
        Field("role-arn", "IAM role for IRSA",
              "Optional: also write the ServiceAccount annotated with this role (IRSA). Leave empty if the "
              "service account already exists.",
              example="arn:aws:iam::111122223333:role/my-app-secrets", validate=validators.iam_role_arn,
              when=lambda a: not a.get("use-pod-identity")),
        Field("sync-secret-name", "Synced Secret name",
              "Optional: also copy the mounted files into a Kubernetes Secret of this name (type Opaque). "
              "Leave empty to keep the values out of etcd.",
              example="db-creds", validate=validators.dns_subdomain),
        Field("service-account", "Service account",
              "The pod's service account: the one with the IRSA annotation or the Pod Identity association.",
              required=True, example="my-app", validate=validators.dns_subdomain),
        Field("image", "Container image",
              "Image of the container that reads the files.",
              required=True, example="111122223333.dkr.ecr.us-east-1.amazonaws.com/my-app:1.4.2",
              validate=image_reference),
        Field("mount-path", "Mount path",
              "Directory in the container where the files appear (read-only).",
              default="/mnt/secrets-store", example="/mnt/secrets-store", validate=mount_path),
        Field("deployment-name", "Deployment name",
              "Name of the example Deployment; defaults to the SecretProviderClass name.",
              example="my-app", validate=validators.dns_label),
    ),
    render=_render_secret_provider_class,
    checks=(_spc_checks,),
)


# ---------------------------------------------------------------------------------------------
# external-secret: External Secrets Operator (external-secrets.io/v1)

ESO_API = "external-secrets.io/v1"
ESO_SERVICES = ("SecretsManager", "ParameterStore")
ESO_AUTH = ("service-account", "controller")
KEY_EXAMPLE = "username=prod/db:username"
ESO_PRACTICES = ("external-secrets-operator", "external-secrets-provider", "rotate-secrets")
_PROPERTY_RE = re.compile(r"[A-Za-z0-9_.-]{1,256}")


@dataclass(frozen=True)
class KeyMapping:
    secret_key: str
    remote_key: str
    property: str | None


def _remote_key_problem(value: str) -> str | None:
    """Syntax check that holds for either service; the service-specific check is a cross-field rule."""
    if sm_name_or_arn(value) is None or ssm_name_or_arn(value) is None:
        return None
    return (
        f"{value!r} is not a Secrets Manager or SSM parameter name or ARN; use one such as prod/db, "
        f"/prod/db/password or {EXAMPLE_SM_ARN}"
    )


def parse_key(text: str) -> KeyMapping:
    """Parse SECRET_KEY=REMOTE_KEY[:PROPERTY]; raises ValueError with a message showing a good item."""
    secret, sep, remote = text.partition("=")
    if not sep or not secret or not remote:
        raise ValueError(f"{text!r} is not SECRET_KEY=REMOTE_KEY[:PROPERTY]; for example {KEY_EXAMPLE}")
    if secret_key(secret):
        raise ValueError(f"{secret!r} (before '=') is not a valid Secret key; use one such as username, for example {KEY_EXAMPLE}")
    if _remote_key_problem(remote) is None:
        return KeyMapping(secret, remote, None)
    base, colon, prop = remote.rpartition(":")
    if colon and base and _remote_key_problem(base) is None:
        if not _PROPERTY_RE.fullmatch(prop):
            raise ValueError(
                f"property {prop!r} in {text!r} is not a JSON key; use letters, digits, '_', '-' and '.' "
                f"(dots reach nested keys), for example {KEY_EXAMPLE}"
            )
        return KeyMapping(secret, base, prop)
    raise ValueError(_remote_key_problem(remote) + f"; write each item as {KEY_EXAMPLE}")


def _key_item(value: str) -> str | None:
    try:
        parse_key(value)
    except ValueError as exc:
        return str(exc)
    return None


def _extract_item(value: str) -> str | None:
    return _remote_key_problem(value)


def _service_problem(service: str, remote: str) -> str | None:
    if service == "SecretsManager":
        return sm_name_or_arn(remote)
    return ssm_name_or_arn(remote)


def _eso_checks(answers: dict[str, Any]) -> Iterator[FieldError]:
    keys = answers.get("key") or ()
    extracts = answers.get("extract") or ()
    if not keys and not extracts:
        yield FieldError("key", f"give at least one --key (such as --key {KEY_EXAMPLE}) or --extract (such as --extract prod/db)")
    service = answers.get("service")
    region = answers.get("region")
    region_ok = _valid(region, validators.region)
    mappings = []
    for item in keys:
        try:
            mappings.append(parse_key(item))
        except ValueError:
            continue
    seen: set[str] = set()
    for mapping in mappings:
        if mapping.secret_key in seen:
            yield FieldError("key", f"the Secret key {mapping.secret_key!r} is given twice; each --key needs its own, such as password=prod/db:password")
        seen.add(mapping.secret_key)
    remotes = [("key", m.remote_key) for m in mappings]
    remotes += [("extract", r) for r in extracts if _remote_key_problem(r) is None]
    for field_id, remote in remotes:
        if service in ESO_SERVICES:
            problem = _service_problem(service, remote)
            if problem:
                yield FieldError(field_id, f"--service is {service}: {problem}")
                continue
        if region_ok and arn_region(remote) not in (None, region):
            yield FieldError(field_id, f"{remote!r} is in {arn_region(remote)}, but --region is {region}; the store reads one Region")


def _render_external_secret(a: dict[str, Any]) -> Snippet:
    cluster_wide = a["cluster-wide"]
    store_kind = "ClusterSecretStore" if cluster_wide else "SecretStore"
    store_name = a["store-name"] or ("aws-secretsmanager" if a["service"] == "SecretsManager" else "aws-parameterstore")
    aws: dict[str, Any] = {"service": a["service"], "region": a["region"]}
    if a["role-arn"]:
        aws["role"] = a["role-arn"]
    if a["auth"] == "service-account":
        account: dict[str, str] = {"name": a["service-account"]}
        if cluster_wide:
            account["namespace"] = a["service-account-namespace"] or a["namespace"]
        aws["auth"] = {"jwt": {"serviceAccountRef": account}}
    store_meta: dict[str, str] = {"name": store_name}
    if not cluster_wide:
        store_meta["namespace"] = a["namespace"]
    store = {
        "apiVersion": ESO_API,
        "kind": store_kind,
        "metadata": store_meta,
        "spec": {"provider": {"aws": aws}},
    }

    spec: dict[str, Any] = {
        "refreshInterval": a["refresh-interval"],
        "secretStoreRef": {"name": store_name, "kind": store_kind},
        "target": {"name": a["target-name"] or a["name"], "creationPolicy": "Owner"},
    }
    if a["key"]:
        data = []
        for mapping in (parse_key(item) for item in a["key"]):
            remote: dict[str, str] = {"key": mapping.remote_key}
            if mapping.property:
                remote["property"] = mapping.property
            data.append({"secretKey": mapping.secret_key, "remoteRef": remote})
        spec["data"] = data
    if a["extract"]:
        spec["dataFrom"] = [{"extract": {"key": remote}} for remote in a["extract"]]
    external_secret = {
        "apiVersion": ESO_API,
        "kind": "ExternalSecret",
        "metadata": {"name": a["name"], "namespace": a["namespace"]},
        "spec": spec,
    }

    if a["service"] == "SecretsManager":
        actions = "secretsmanager:GetSecretValue, DescribeSecret, GetResourcePolicy and ListSecretVersionIds"
    else:
        actions = "ssm:GetParameter* (and kms:Decrypt for SecureString parameters under a customer managed key)"
    if a["auth"] == "service-account":
        account_namespace = a["service-account-namespace"] or a["namespace"]
        auth = (
            f"Auth: the store presents a token of service account {a['service-account']} in namespace "
            f"{account_namespace} (IRSA: annotate it with eks.amazonaws.com/role-arn); the operator itself "
            "needs no AWS credentials."
        )
    else:
        auth = (
            "Auth: no auth block, so the operator's own identity is used (its IRSA role or an EKS Pod Identity "
            "association; Pod Identity cannot be combined with serviceAccountRef)."
        )
    notes = [
        "Use external-secrets.io/v1: v1beta1 is no longer served since ESO v0.17.0, and the old "
        "kubernetes-external-secrets project (kubernetes-client.io/v1) is archived.",
        auth,
        f"IAM: {actions} on the named objects only."
        + (" With role set, those permissions belong on that role, and the identity above only needs "
           "sts:AssumeRole on it." if a["role-arn"] else ""),
        "refreshInterval: how often the operator re-reads AWS, so a value rotated there reaches the Secret; "
        "0s reads once. Pods see the change through volume mounts, not environment variables.",
        "creationPolicy Owner: the ExternalSecret owns the Secret, which is deleted with it.",
    ]
    if cluster_wide:
        notes.append(
            "ClusterSecretStore: any namespace can reference this store; restrict it with spec.conditions "
            "or use a namespaced SecretStore per team."
        )
    warnings = []
    interval = go_duration_ns(a["refresh-interval"]) or 0
    if interval == 0:
        warnings.append("refreshInterval 0 reads the secret only once: values rotated in AWS never reach the cluster.")
    elif interval < 60 * 10**9:
        warnings.append("a refreshInterval under a minute calls AWS very often (cost and throttling); 1h suits most secrets.")
    text = emit.header("external-secret", ESO_PRACTICES, notes) + _documents([store, external_secret])
    return Snippet(
        text=text,
        filename=f"{a['name']}-externalsecret.yaml",
        warnings=tuple(warnings),
    )


EXTERNAL_SECRET = Spec(
    kind="external-secret",
    title="ExternalSecret and SecretStore (External Secrets Operator, AWS)",
    description="Sync Secrets Manager or Parameter Store values into a Kubernetes Secret with the External Secrets Operator",
    language="yaml",
    practices=ESO_PRACTICES,
    fields=(
        Field("name", "ExternalSecret name",
              "Name of the ExternalSecret.", required=True, example="db-creds", validate=validators.dns_subdomain),
        Field("namespace", "Namespace",
              "Namespace of the ExternalSecret, its Secret and (unless cluster-wide) the SecretStore.",
              required=True, example="my-app", validate=validators.dns_label),
        Field("service", "AWS service",
              "Where the values live: SecretsManager or ParameterStore.",
              type="choice", choices=ESO_SERVICES, default="SecretsManager"),
        Field("region", "AWS Region", "Region the store reads from.",
              required=True, example="us-east-1", validate=validators.region),
        Field("cluster-wide", "Cluster-wide store",
              "Write a ClusterSecretStore that every namespace can use, instead of a SecretStore in --namespace.",
              type="bool", default=False),
        Field("store-name", "Store name",
              "Name of the (Cluster)SecretStore; defaults to aws-secretsmanager or aws-parameterstore.",
              example="aws-secretsmanager", validate=validators.dns_subdomain),
        Field("auth", "Authentication",
              "service-account: the store uses a token of --service-account (IRSA); controller: the operator's "
              "own identity (its IRSA role or EKS Pod Identity).",
              type="choice", choices=ESO_AUTH, default="service-account"),
        Field("service-account", "Service account",
              "Service account whose IRSA role can read the secrets (in --namespace for a SecretStore).",
              required=True, example="db-creds-reader", validate=validators.dns_subdomain,
              when=lambda a: a.get("auth") == "service-account"),
        Field("service-account-namespace", "Service account namespace",
              "Namespace of that service account, for a ClusterSecretStore; defaults to --namespace.",
              example="external-secrets", validate=validators.dns_label,
              when=lambda a: bool(a.get("cluster-wide")) and a.get("auth") == "service-account"),
        Field("role-arn", "Role to assume",
              "Optional IAM role the store assumes (sts:AssumeRole) before reading, to scope access per store.",
              example="arn:aws:iam::111122223333:role/team-a-secrets", validate=validators.iam_role_arn),
        Field("refresh-interval", "Refresh interval",
              "How often the values are read again, as a Go duration (1h, 30m, 1h30m); 0s reads them once.",
              default="1h", example="1h", validate=go_duration),
        Field("target-name", "Secret name",
              "Name of the Kubernetes Secret to create; defaults to the ExternalSecret name.",
              example="db-creds", validate=validators.dns_subdomain),
        Field("key", "Keys",
              "SECRET_KEY=REMOTE_KEY[:PROPERTY]: the Secret key, the secret or parameter name (or ARN), and "
              "optionally a JSON property of its value.",
              type="list", example=KEY_EXAMPLE, validate=_key_item),
        Field("extract", "Extract whole secrets",
              "Secret or parameter names (or ARNs) whose JSON value is copied key by key into the Secret "
              "(dataFrom.extract).",
              type="list", example="prod/db", validate=_extract_item),
    ),
    render=_render_external_secret,
    checks=(_eso_checks,),
)


# ---------------------------------------------------------------------------------------------
# sealed-secret: the kubeseal workflow

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
        "(a trailing newline becomes part of the value); write them with an editor, not echo.",
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
        "# 2. Build the Secret from the key files locally (--dry-run=client sends nothing) and seal it in one",
        "#    pipe, so the plaintext Secret (base64 is not encryption) is never written to disk.",
        pipeline,
        "",
        f"# 3. Commit and apply {sealed_file}; the controller creates the Secret from it.",
        f"#    Then delete the plaintext key files ({key_files}); never commit them.",
        "",
        f"# {sealed_file} will look like this (ciphertext left out; apply the file kubeseal wrote, not this):",
        *(f"#   {line}" for line in shape_lines),
    ]
    text = emit.header("sealed-secret", SEALED_PRACTICES, notes) + "\n".join(body) + "\n"
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


SPECS = (SECRET_PROVIDER_CLASS, EXTERNAL_SECRET, SEALED_SECRET)
