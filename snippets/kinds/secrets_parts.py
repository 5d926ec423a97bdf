"""Validators the in-cluster Secret kinds share: container images, mount paths, file modes, Secret
keys, labels, and namespaces and service accounts of an application's own.

Neither kind ever asks for or prints a secret value: they refer to Secrets by name only.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .. import validators


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
# An application image of your own: the pod runs it as a non-root UID with a read-only root filesystem,
# which stock images such as nginx (root, writes to /var/cache) cannot do.
EXAMPLE_IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments-api:1.4.2"

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
