"""Where each snippet kind lives. Modules are imported on first use, so asking for one kind
does not load the others."""
from __future__ import annotations

from importlib import import_module

from .spec import Spec

# kind -> module under snippets.kinds that defines it (in `SPECS`), in listing order.
KIND_MODULES: dict[str, str] = {
    "ebs-storageclass": "ebs_storageclass",
    "efs-storageclass": "efs_storageclass",
    "efs-pv": "efs_pv",
    "fsx-storageclass": "fsx_storageclass",
    "secret-reads-query": "secret_reads_query",
    "secret-readers-query": "secret_readers_query",
    "secret-read-alarm": "secret_read_alarm",
    "secret-provider-class": "secret_provider_class",
    "external-secret": "external_secret",
    "sealed-secret": "sealed_secret",
    "pod-secret-volume": "pod_secret_volume",
    "namespace-isolation": "namespace_isolation",
    "envelope-encryption": "envelope_encryption",
    "kms-key-rotation": "kms_key_rotation",
}

_cache: dict[str, Spec] = {}


class UnknownKind(KeyError):
    pass


def _load_module(module: str) -> None:
    mod = import_module(f"snippets.kinds.{module}")
    for spec in mod.SPECS:
        _cache[spec.kind] = spec


def get(kind: str) -> Spec:
    """The spec of `kind`; raises UnknownKind for a kind that does not exist (or is not built yet)."""
    if kind not in _cache:
        module = KIND_MODULES.get(kind)
        if module is None:
            raise UnknownKind(kind)
        try:
            _load_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != f"snippets.kinds.{module}":
                raise
            raise UnknownKind(kind) from None
        if kind not in _cache:
            raise UnknownKind(kind)
    return _cache[kind]


def available() -> list[Spec]:
    """Every kind whose module is present, in listing order."""
    specs = []
    for kind in KIND_MODULES:
        try:
            specs.append(get(kind))
        except UnknownKind:
            continue
    return specs


def kind_names() -> list[str]:
    return [spec.kind for spec in available()]
