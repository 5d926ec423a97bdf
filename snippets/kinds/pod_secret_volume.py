"""pod-secret-volume: a Deployment or Pod that mounts an existing Secret as read-only files, with no
environment variables and no API token.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .secrets_parts import (
    EXAMPLE_IMAGE, IMAGE_RE, SHARED_NAMESPACES, container_image, _duplicates, mount_path, octal_mode,
    own_service_account, secret_key,
)

POD_VOLUME_PRACTICES = ("volume-mounts-over-env", "kubernetes-secrets-basics")
VOLUME_NAME = "secret-files"


def _is_deployment(answers: dict[str, Any]) -> bool:
    return answers.get("workload") in ("Deployment", None)


POD_VOLUME_FIELDS = (
    Field("name", "App name", "Name of the workload, its container and (by default) its ServiceAccount; also the "
          "app.kubernetes.io/name label.", required=True, example="payments-api", validate=validators.dns_label),
    Field("namespace", "Namespace", "Namespace the workload runs in; it must be the Secret's namespace, since a pod "
          "can only mount Secrets of its own namespace.", required=True, example="payments",
          validate=validators.dns_label),
    Field("workload", "Workload", "Deployment (kept running, rolled out by a controller) or a bare Pod (for a quick test).",
          type="choice", choices=("Deployment", "Pod"), default="Deployment"),
    Field("replicas", "Replicas", "How many pods the Deployment keeps running.", type="int", default=1,
          minimum=0, maximum=1000, when=_is_deployment),
    Field("image", "Container image", "Image of the application container; pin a tag or, better, a digest. It must run as a non-root user "
          "(--run-as-user) with a read-only root filesystem, which stock nginx cannot.",
          required=True, example=EXAMPLE_IMAGE, validate=container_image),
    Field("secret-name", "Secret name", "Name of the existing Kubernetes Secret to mount. Create it beforehand "
          "(for example with kubectl create secret, Sealed Secrets or External Secrets); this snippet never holds "
          "its values.", required=True, example="payments-db", validate=validators.dns_subdomain),
    Field("mount-path", "Mount path", "Absolute directory inside the container where each key of the Secret appears "
          "as a file.", default="/etc/secrets", example="/etc/secrets", validate=mount_path),
    Field("file-mode", "File mode", "Octal permissions of the files (the volume's defaultMode); 0400 lets only the "
          "owner read. Written to the manifest as the decimal number the API stores (0400 is 256).",
          default="0400", example="0400", validate=octal_mode),
    Field("items", "Keys to mount", "Only these keys of the Secret become files (each named after its key); empty "
          "mounts every key. A listed key missing from the Secret stops the pod from starting.",
          type="list", example="tls.crt,tls.key", validate=secret_key),
    Field("service-account", "Service account", "Name of the ServiceAccount created for the workload; empty means "
          "the app name.", example="payments-api", validate=own_service_account),
    Field("needs-api-access", "Needs Kubernetes API access", "Mount a service account token in the pod. Leave off "
          "unless the application calls the Kubernetes API: reading the mounted Secret needs no token.",
          type="bool", default=False),
    Field("run-as-user", "Run as user ID", "Non-root user ID the container runs as; the same number is used as "
          "group ID and fsGroup, which gives that group read access to the secret files.",
          type="int", default=10001, minimum=1, maximum=2147483647),
)


def _check_pod_volume(answers: dict[str, Any]) -> Iterable[FieldError]:
    if not answers.get("service-account") and answers.get("name") == "default":
        yield FieldError(
            "service-account",
            "would default to the app name 'default', the ServiceAccount every pod shares; "
            "name the application's own, such as --service-account payments-api",
        )
    items = answers.get("items") or ()
    dup = _duplicates(items)
    if dup:
        yield FieldError("items", f"lists {', '.join(dup)} more than once; name each key once, such as tls.crt,tls.key")


def _render_pod_volume(answers: dict[str, Any]) -> Snippet:
    name = answers["name"]
    namespace = answers["namespace"]
    service_account = answers["service-account"] or name
    needs_api = bool(answers["needs-api-access"])
    mode_text = answers["file-mode"]
    mode = int(mode_text, 8)
    uid = answers["run-as-user"]
    labels = {"app.kubernetes.io/name": name}

    secret_volume: dict[str, Any] = {"secretName": answers["secret-name"], "defaultMode": mode}
    if answers["items"]:
        secret_volume["items"] = [{"key": key, "path": key} for key in answers["items"]]

    container = {
        "name": name,
        "image": answers["image"],
        "volumeMounts": [{"name": VOLUME_NAME, "mountPath": answers["mount-path"], "readOnly": True}],
        "securityContext": {
            "runAsNonRoot": True,
            "readOnlyRootFilesystem": True,
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
        },
    }
    pod_spec: dict[str, Any] = {
        "serviceAccountName": service_account,
        "automountServiceAccountToken": needs_api,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": uid,
            "runAsGroup": uid,
            "fsGroup": uid,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container],
        "volumes": [{"name": VOLUME_NAME, "secret": secret_volume}],
    }

    service_account_doc: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": service_account, "namespace": namespace, "labels": dict(labels)},
    }
    if not needs_api:
        service_account_doc["automountServiceAccountToken"] = False

    if answers["workload"] == "Deployment":
        workload = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace, "labels": dict(labels)},
            "spec": {
                "replicas": answers["replicas"],
                "selector": {"matchLabels": dict(labels)},
                "template": {"metadata": {"labels": dict(labels)}, "spec": pod_spec},
            },
        }
    else:
        workload = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": dict(labels)},
            "spec": pod_spec,
        }

    notes = [
        "The Secret reaches the container only as read-only files: no environment variables. Values in env vars "
        "can leak through /proc/<pid>/environ, crash dumps, child processes and logs, and they never change "
        "without a restart.",
        "The kubelet keeps secret volumes in tmpfs (memory, never the node's disk) and removes them with the pod. "
        "When the Secret changes the files are updated in place after a short delay, except for subPath mounts, "
        "which never update: mount the whole directory as here.",
        f"defaultMode {mode_text} is written as the decimal {mode} because the API stores modes as plain numbers. "
        "fsGroup adds group read permission for the pod's group, so the non-root user can read owner-only files.",
        "The pod does not start until the Secret exists (optional is left false), so a missing Secret fails loudly.",
        "readOnlyRootFilesystem: if the application writes temporary files, give it an emptyDir volume at that path.",
    ]
    if needs_api:
        notes.append(
            "A service account token is mounted because the application calls the Kubernetes API; grant the "
            "ServiceAccount only the RBAC it needs (see namespace-isolation)."
        )
    else:
        notes.append(
            "automountServiceAccountToken is false on the ServiceAccount and the pod: reading the mounted Secret "
            "needs no token, and a stolen token is one less thing to worry about."
        )
    notes.append(
        "Anyone who can create pods in this namespace can mount this Secret; keep such rights narrow and give "
        "each application its own namespace."
    )

    warnings = []
    if namespace in SHARED_NAMESPACES:
        warnings.append(
            f"--namespace {namespace} is shared by the whole cluster; every workload there can mount this Secret. "
            "Give the application its own namespace (see namespace-isolation)"
        )
    if not mode & 0o400:
        warnings.append(
            f"--file-mode {mode_text} gives the owner no read permission; the mode is octal, so for owner "
            "read only write 0400 (not its decimal value 256)"
        )
    if mode & 0o077:
        warnings.append(
            f"--file-mode {mode_text} lets users other than the owner read the files (the kubelet already adds "
            "group read for fsGroup); 0400 is enough for most applications"
        )
    match = IMAGE_RE.fullmatch(answers["image"])
    if match and not match.group("tag") and not match.group("digest"):
        warnings.append(
            f"--image {answers['image']} has no tag or digest, so it means :latest; pin a version such as {EXAMPLE_IMAGE}"
        )
    if needs_api:
        warnings.append("--needs-api-access mounts a service account token; give the ServiceAccount the least RBAC it needs")

    text = emit.yaml_snippet("pod-secret-volume", POD_VOLUME_PRACTICES, [service_account_doc, workload], notes)
    return Snippet(
        text=text,
        filename=f"{name}-secret-volume.yaml",
        warnings=tuple(warnings),
    )


POD_SECRET_VOLUME = Spec(
    kind="pod-secret-volume",
    title="Pod that reads a Secret from a read-only volume",
    description="Deployment or Pod mounting an existing Secret as read-only files, no env vars, no API token",
    language="yaml",
    practices=POD_VOLUME_PRACTICES,
    fields=POD_VOLUME_FIELDS,
    render=_render_pod_volume,
    checks=(_check_pod_volume,),
)

SPECS = (POD_SECRET_VOLUME,)
