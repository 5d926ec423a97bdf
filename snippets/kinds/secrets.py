"""Kubernetes Secrets consumed safely: a pod that mounts a Secret as files, and a namespace
that keeps one application's Secrets away from another's.

Neither kind ever asks for or prints a secret value: they refer to Secrets by name only.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec

# --- validators this module needs (candidates for snippets/validators.py) -------------------

# The container image grammar of distribution/reference: [host[:port]/]path[:tag][@digest].
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
IMAGE_RE = re.compile(
    rf"^(?P<name>(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?$"
)
EXAMPLE_IMAGE = "public.ecr.aws/nginx/nginx:1.27"

# A mount path: absolute, plain characters (no '.' or '..' segments, checked separately).
MOUNT_PATH_RE = re.compile(r"(?:/[A-Za-z0-9._@+=,~-]+)+/?")
# Directories the image itself needs; a Secret mounted there hides them.
SYSTEM_DIRS = frozenset(
    "/ /bin /boot /dev /etc /home /lib /lib64 /opt /proc /root /run /sbin /srv /sys /tmp /usr /var".split()
)

# Where the kubelet mounts the service account token; a secret volume over or around it breaks the pod.
TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"

OCTAL_MODE_RE = re.compile(r"^0?[0-7]{3}$")
# Secret data keys (and so file names): IsConfigMapKey in k8s.io/apimachinery.
SECRET_KEY_RE = re.compile(r"^[-._a-zA-Z0-9]+$")
LABEL_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$")


def container_image(value: str) -> str | None:
    match = IMAGE_RE.fullmatch(value)
    if not match or len(match.group("name")) > 255:
        return (
            f"{value!r} is not a container image reference; use registry/repository:tag or @sha256 digest "
            f"such as {EXAMPLE_IMAGE}"
        )
    return None


def mount_path(value: str) -> str | None:
    if (
        len(value) > 1024
        or not MOUNT_PATH_RE.fullmatch(value)
        or any(part in (".", "..") for part in value.split("/"))
    ):
        return (
            f"{value!r} is not an absolute path of plain names; use one such as /etc/secrets "
            "(letters, digits, '.', '_', '-', no '..')"
        )
    path = value.rstrip("/") or "/"
    if path in SYSTEM_DIRS:
        return (
            f"{value!r} would hide the image's own {path} directory; "
            "mount into a directory of its own such as /etc/secrets"
        )
    if path == TOKEN_DIR or TOKEN_DIR.startswith(path + "/") or path.startswith(TOKEN_DIR + "/"):
        return (
            f"{value!r} overlaps {TOKEN_DIR}, where Kubernetes mounts the service account token; "
            "use a directory of its own such as /etc/secrets or /var/run/secrets/my-app"
        )
    return None


def octal_mode(value: str) -> str | None:
    if not OCTAL_MODE_RE.fullmatch(value):
        return f"{value!r} is not an octal file mode; use 0000 to 0777, such as 0400 (owner read only)"
    return None


def secret_key(value: str) -> str | None:
    if (
        len(value) > 253
        or not SECRET_KEY_RE.fullmatch(value)
        or value in (".", "..")
        or value.startswith("..")
    ):
        return (
            f"{value!r} is not a Secret key; use letters, digits, '-', '_' and '.' (not starting "
            "with '..'), such as tls.crt or password"
        )
    return None


def label_key_problem(key: str) -> str | None:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or validators.dns_subdomain(prefix)):
        return f"the prefix {prefix!r} of label key {key!r} is not a DNS subdomain such as example.com"
    if not name or len(name) > 63 or not LABEL_NAME_RE.fullmatch(name):
        return (
            f"label key {key!r} is not valid: the name part needs at most 63 letters, digits, "
            "'-', '_' or '.', starting and ending with a letter or digit"
        )
    return None


def label(value: str) -> str | None:
    """key=value, both following the Kubernetes label rules."""
    good = "such as team=payments or pod-security.kubernetes.io/enforce=restricted"
    key, eq, val = value.partition("=")
    if not eq:
        return f"{value!r} is not a label; write key=value, {good}"
    problem = label_key_problem(key)
    if problem:
        return f"{problem}; {good}"
    if key == "kubernetes.io/metadata.name":
        return "kubernetes.io/metadata.name is set by the API server to the namespace name; use another key, " + good
    if val and (len(val) > 63 or not LABEL_NAME_RE.fullmatch(val)):
        return (
            f"label value {val!r} is not valid: at most 63 letters, digits, '-', '_' or '.', "
            f"starting and ending with a letter or digit; {good}"
        )
    return None


SHARED_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})


def own_namespace(value: str) -> str | None:
    problem = validators.dns_label(value)
    if problem:
        return problem
    if value in SHARED_NAMESPACES:
        return f"{value!r} is a namespace every cluster shares; give the application its own, such as payments"
    return None


def own_service_account(value: str) -> str | None:
    problem = validators.dns_label(value)
    if problem:
        return problem
    if value == "default":
        return (
            "'default' is the ServiceAccount of every pod that names none; "
            "give the application its own, such as payments-api"
        )
    return None


def _duplicates(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for item in items:
        if item in seen and item not in dup:
            dup.append(item)
        seen.add(item)
    return dup


# --- pod-secret-volume -----------------------------------------------------------------------

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
    Field("image", "Container image", "Image of the application container; pin a tag or, better, a digest.",
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


# --- namespace-isolation ---------------------------------------------------------------------

ISOLATION_PRACTICES = ("separate-namespaces", "secrets-namespace-scope")

ISOLATION_FIELDS = (
    Field("namespace", "Namespace", "The application's own namespace; Secrets, pods and RBAC here are invisible to "
          "roles in other namespaces.", required=True, example="payments", validate=own_namespace),
    Field("service-account", "Service account", "ServiceAccount of the application; the only subject allowed to "
          "read the named Secrets through the API.", required=True, example="payments-api",
          validate=own_service_account),
    Field("secret-names", "Secret names", "The Secrets the application may read with get. Nothing else is granted: "
          "no list or watch, no other Secret.", type="list", required=True, example="payments-db,payments-tls",
          validate=validators.dns_subdomain),
    Field("labels", "Namespace labels", "Labels for the Namespace as key=value, for example a Pod Security "
          "Admission level.", type="list", example="pod-security.kubernetes.io/enforce=restricted",
          validate=label),
)


def _check_isolation(answers: dict[str, Any]) -> Iterable[FieldError]:
    dup = _duplicates(answers.get("secret-names") or ())
    if dup:
        yield FieldError("secret-names", f"lists {', '.join(dup)} more than once; name each Secret once, such as payments-db,payments-tls")
    keys = [item.partition("=")[0] for item in answers.get("labels") or ()]
    dup = _duplicates(keys)
    if dup:
        yield FieldError("labels", f"sets {', '.join(dup)} more than once; give each label key one value, such as team=payments")


def _render_isolation(answers: dict[str, Any]) -> Snippet:
    namespace = answers["namespace"]
    service_account = answers["service-account"]
    role = f"{service_account}-read-own-secrets"
    secret_names = list(answers["secret-names"])

    namespace_doc: dict[str, Any] = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    if answers["labels"]:
        namespace_doc["metadata"]["labels"] = {
            key: value for key, _, value in (item.partition("=") for item in answers["labels"])
        }
    documents = [
        namespace_doc,
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": service_account, "namespace": namespace},
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": role, "namespace": namespace},
            "rules": [
                {"apiGroups": [""], "resources": ["secrets"], "resourceNames": secret_names, "verbs": ["get"]},
            ],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": role, "namespace": namespace},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role},
            "subjects": [{"kind": "ServiceAccount", "name": service_account, "namespace": namespace}],
        },
    ]
    notes = [
        "Secrets are namespaced: a Role and RoleBinding only ever grant access inside their own namespace, so "
        "each application in its own namespace cannot read another's Secrets.",
        "The Role allows only get on the Secrets named in resourceNames. It grants no list or watch: those return "
        "the contents of every Secret in the namespace, and resourceNames cannot narrow a list.",
        "Mounting a Secret as a volume needs no RBAC (the kubelet fetches it for the pod); this Role is for "
        "applications that read their Secret through the Kubernetes API.",
        "RBAC is not the whole fence: anyone who can create pods or workloads in a namespace can mount every Secret "
        "in it. Keep those rights to the application's deployer, and audit get/list/watch on secrets.",
    ]
    text = emit.yaml_snippet("namespace-isolation", ISOLATION_PRACTICES, documents, notes)
    return Snippet(
        text=text,
        filename=f"{namespace}-isolation.yaml",
        )


NAMESPACE_ISOLATION = Spec(
    kind="namespace-isolation",
    title="Namespace per application with get-only access to its own Secrets",
    description="Namespace, ServiceAccount, and a Role/RoleBinding granting get on named Secrets only",
    language="yaml",
    practices=ISOLATION_PRACTICES,
    fields=ISOLATION_FIELDS,
    render=_render_isolation,
    checks=(_check_isolation,),
)

SPECS = (POD_SECRET_VOLUME, NAMESPACE_ISOLATION)
