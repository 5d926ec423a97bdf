"""Workload rules: how pods consume Secrets (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController, Job, CronJob).

Secrets in environment variables leak (process environment, crash dumps, logs) and never
update; files in a secret volume stay in tmpfs and do. A secret volume's files get mode 0644
unless `defaultMode` (or an item's `mode`) says otherwise.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Context, Hit, Obj, Rule, fix, get, items, mapping, text

POD_SPEC_PATHS = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
WORKLOADS = tuple(POD_SPEC_PATHS)
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
DEFAULT_SECRET_MODE = 0o644
MOST_OPEN_MODE = 0o440
SECRETS_STORE_DRIVER = "secrets-store.csi.k8s.io"


def _pod(obj: Obj) -> tuple[tuple[str, ...], dict[str, Any]]:
    path = POD_SPEC_PATHS.get(obj.kind, ("spec",))
    return path, dict(mapping(get(obj.body, *path)))


def _containers(obj: Obj) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    path, spec = _pod(obj)
    for group in CONTAINER_LISTS:
        for index, container in enumerate(items(spec.get(group))):
            if isinstance(container, dict):
                yield path + (group, index), container


def _volume_fix(obj: Obj, secret: str, **extra: Any):
    path, spec = _pod(obj)
    containers = [c for _, c in _containers(obj)]
    image = text(containers[0].get("image")) if containers else ""
    account = text(spec.get("serviceAccountName") or spec.get("serviceAccount"))
    return fix(
        "pod-secret-volume", ("name", obj.name), ("namespace", obj.namespace or "default"),
        ("workload", "Pod" if obj.kind == "Pod" else "Deployment"), ("image", image or None),
        ("secret-name", secret or None), ("service-account", account if account != "default" else None),
        *extra.items(), todo=[flag for flag, value in (("image", image), ("secret-name", secret)) if not value],
    )


def secret_env(obj: Obj, ctx: Context) -> Iterator[Hit]:
    for path, container in _containers(obj):
        name = text(container.get("name"))
        for index, env in enumerate(items(container.get("env"))):
            ref = mapping(get(env, "valueFrom", "secretKeyRef"))
            if ref:
                secret = text(ref.get("name"))
                yield Hit(f"Container {name} reads Secret {secret} key {text(ref.get('key'))} into the environment "
                          f"variable {text(get(env, 'name'))}: environment variables leak through the process "
                          "environment, crash dumps and logs, and never update. Mount the Secret as files.",
                          path + ("env", index, "valueFrom"), _volume_fix(obj, secret))
        for index, source in enumerate(items(container.get("envFrom"))):
            ref = mapping(get(source, "secretRef"))
            if ref:
                secret = text(ref.get("name"))
                yield Hit(f"Container {name} loads every key of Secret {secret} as environment variables (envFrom): "
                          "they leak through the process environment, crash dumps and logs, and never update. "
                          "Mount the Secret as files.", path + ("envFrom", index, "secretRef"), _volume_fix(obj, secret))


def _mode(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _who(mode: int) -> str:
    if mode & 0o007:
        return "every user in the container can reach its files"
    return "its files can be written or executed" if mode & 0o333 else "its files are too open"


def secret_mode(obj: Obj, ctx: Context) -> Iterator[Hit]:
    path, spec = _pod(obj)
    for index, volume in enumerate(items(spec.get("volumes"))):
        if not isinstance(get(volume, "secret"), dict):
            continue
        secret = volume["secret"]
        name = text(get(volume, "name"))
        given = _mode(secret.get("defaultMode"))
        mode = DEFAULT_SECRET_MODE if given is None else given
        where = path + ("volumes", index, "secret") + (("defaultMode",) if given is not None else ())
        if mode & ~MOST_OPEN_MODE & 0o777:
            said = f"defaultMode {mode:04o}" if given is not None else "no defaultMode, so 0644"
            yield Hit(f"Secret volume {name} has {said}, more open than 0440: {_who(mode)}. Use defaultMode 0400 "
                      "(0440 when a group must read them).",
                      where, _volume_fix(obj, text(secret.get("secretName")), **{"file-mode": "0400"}))
        for item_index, item in enumerate(items(secret.get("items"))):
            item_mode = _mode(get(item, "mode"))
            if item_mode is not None and item_mode & ~MOST_OPEN_MODE & 0o777:
                yield Hit(f"Secret volume {name} gives the file {text(get(item, 'path'))} mode {item_mode:04o}, more "
                          "open than 0440. Use 0400.", path + ("volumes", index, "secret", "items", item_index, "mode"),
                          _volume_fix(obj, text(secret.get("secretName")), **{"file-mode": "0400"}))


def _secret_volumes(spec: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """volume name -> ('secret' | 'csi', its source) for Secret and Secrets Store CSI volumes."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for volume in items(spec.get("volumes")):
        if not isinstance(volume, dict):
            continue
        if isinstance(volume.get("secret"), dict):
            found[text(volume.get("name"))] = ("secret", volume["secret"])
        csi = mapping(volume.get("csi"))
        if text(csi.get("driver")) == SECRETS_STORE_DRIVER:
            found[text(volume.get("name"))] = ("csi", dict(csi))
    return found


def writable_mount(obj: Obj, ctx: Context) -> Iterator[Hit]:
    path, spec = _pod(obj)
    volumes = _secret_volumes(spec)
    if not volumes:
        return
    for index, volume in enumerate(items(spec.get("volumes"))):
        csi = mapping(get(volume, "csi"))
        if text(csi.get("driver")) == SECRETS_STORE_DRIVER and csi.get("readOnly") is not True:
            yield Hit(f"Secrets Store CSI volume {text(get(volume, 'name'))} does not set readOnly: true; the driver "
                      "documents the volume as read-only, and a writable mount lets the pod change what it was given.",
                      path + ("volumes", index, "csi"))
    for cpath, container in _containers(obj):
        for index, mount in enumerate(items(container.get("volumeMounts"))):
            source = volumes.get(text(get(mount, "name")))
            if source is None or get(mount, "readOnly") is True:
                continue
            what = "Secret volume" if source[0] == "secret" else "Secrets Store CSI volume"
            secret = text(source[1].get("secretName")) if source[0] == "secret" else ""
            yield Hit(f"Container {text(container.get('name'))} mounts the {what} {text(get(mount, 'name'))} at "
                      f"{text(get(mount, 'mountPath'))} without readOnly: true. Mount secrets read-only, so the "
                      "intent is explicit and no process can write next to them.", cpath + ("volumeMounts", index),
                      _volume_fix(obj, secret) if source[0] == "secret" else None)


def token_automount(obj: Obj, ctx: Context) -> Iterator[Hit]:
    path, spec = _pod(obj)
    account = text(spec.get("serviceAccountName") or spec.get("serviceAccount"))
    if spec.get("automountServiceAccountToken") is False or account not in ("", "default"):
        return  # a named service account is asked for on purpose; the token may be what it is for
    secrets = [text(source.get("secretName")) for kind, source in _secret_volumes(spec).values() if kind == "secret"]
    yield Hit("The pod runs as the default service account and does not set automountServiceAccountToken: false, so "
              "an API token is mounted that nothing asked for. Set it to false unless the pod calls the API.",
              path, _volume_fix(obj, next((s for s in secrets if s), "")))


RULES = (
    Rule("secret-in-env", "warning", "volume-mounts-over-env", WORKLOADS,
         "A Secret read into environment variables (secretKeyRef or envFrom)",
         "env[].valueFrom.secretKeyRef and envFrom[].secretRef copy secret values into the process environment, where "
         "they leak (/proc, crash dumps, logs) and never update. Mount the Secret as a read-only volume.", secret_env),
    Rule("secret-volume-mode-open", "warning", "volume-mounts-over-env", WORKLOADS,
         "A secret volume whose files are more open than 0440",
         "Secret volume files get mode 0644 unless defaultMode says otherwise; 0400 lets only the container's user "
         "read them.", secret_mode),
    Rule("secret-mount-writable", "warning", "volume-mounts-over-env", WORKLOADS,
         "A Secret or Secrets Store CSI volume mounted without readOnly: true",
         "Mount secret volumes read-only (volumeMounts[].readOnly and, for CSI, csi.readOnly), so no process can "
         "write beside the secrets.", writable_mount),
    Rule("service-account-token-automount", "info", "separate-namespaces", WORKLOADS,
         "An API token mounted into a pod that runs as the default service account",
         "Pods that do not call the Kubernetes API need no token: set automountServiceAccountToken: false, or run "
         "them as a service account of their own.", token_automount),
)
