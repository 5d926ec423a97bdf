"""Pieces the storage kinds share: name and reclaim-policy fields, the StorageClass document, and
EFS path checks.

Every StorageClass parameter is a string: the Kubernetes schema types `parameters` as
map[string]string.
"""
from __future__ import annotations

from typing import Any

from .. import validators
from ..spec import Field


RECLAIM_POLICIES = ("Delete", "Retain")
BINDING_MODES = ("WaitForFirstConsumer", "Immediate")


def _name_field(default: str | None, example: str, what: str, help_default: str = "") -> Field:
    return Field(
        "name", "Name",
        f"Name of the {what} (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.')."
        + (f" {help_default}" if help_default else ""),
        default=default, example=example, validate=validators.dns_subdomain,
    )


def _reclaim_field(default: str, help_text: str) -> Field:
    return Field(
        "reclaim-policy", "Reclaim policy", help_text,
        type="choice", choices=RECLAIM_POLICIES, default=default,
    )


def _storage_class(name: str, provisioner: str, parameters: dict[str, str], *,
                   reclaim: str, binding: str | None = None, expansion: bool | None = None,
                   annotations: dict[str, str] | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if annotations:
        metadata["annotations"] = annotations
    doc: dict[str, Any] = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": metadata,
        "provisioner": provisioner,
        "parameters": parameters,
        "reclaimPolicy": reclaim,
    }
    if expansion is not None:
        doc["allowVolumeExpansion"] = expansion
    if binding is not None:
        doc["volumeBindingMode"] = binding
    return doc


def _one_line_text(value: str) -> str | None:
    """Free text that must stay on one line and carry no control characters."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "\u0085\u2028\u2029" for ch in value):
        return "must be a single line of printable text"
    return None


def _path_segments(value: str) -> list[str] | str:
    """The segments of a path written with an optional leading '/', or an error message."""
    body = value[1:] if value.startswith("/") else value
    if not body:
        return []
    segments = body.split("/")
    if any(s == "" for s in segments):
        return "has an empty directory name ('//' or a trailing '/')"
    return segments
