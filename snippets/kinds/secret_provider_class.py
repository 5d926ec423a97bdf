"""secret-provider-class: a SecretProviderClass for the Secrets Store CSI Driver with the AWS
provider (ASCP), and an example Deployment that mounts it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .store_parts import (
    IMAGE_RE, _BlockText, arn_region, _documents, image_reference, mount_path, secret_key, _valid,
)
from .spc_objects import OBJECT_EXAMPLE, parse_object, _object_item, _parsed_objects

CSI_DRIVER = "secrets-store.csi.k8s.io"
RUN_AS_USER = 10001  # the example container runs as this non-root UID and GID
SPC_PRACTICES = ("secrets-store-csi-driver", "external-secrets-provider", "rotate-secrets")


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
        "objects": _BlockText(emit.yaml_text([obj.as_parameter() for obj in objects])),
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
                    # Pod Security "restricted" (namespace-isolation's --labels example) refuses a pod without these.
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": RUN_AS_USER,
                        "runAsGroup": RUN_AS_USER,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [{
                        "name": "app",
                        "image": a["image"],
                        "securityContext": {
                            "allowPrivilegeEscalation": False,
                            "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]},
                        },
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
        "Rotation: alpha and off by default (Helm enableSecretRotation=true). Since driver 1.6.0 the driver re-reads "
        "the store when the kubelet republishes the volume, if rotationPollInterval (a minimum between rotations; the "
        "ASCP README suggests 3600s to limit API cost) has passed; files then change in place, "
        "but environment variables and subPath mounts keep the old value.",
        "Not on Fargate: the driver and ASCP run as DaemonSets, which Fargate does not support.",
        f"The example Deployment meets Pod Security \"restricted\": it runs as UID {RUN_AS_USER}, non-root, with a "
        "read-only root filesystem, no privilege escalation, no capabilities and the RuntimeDefault seccomp profile; "
        "the image must be able to run that way.",
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

SPECS = (SECRET_PROVIDER_CLASS,)
