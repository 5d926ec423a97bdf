"""The registry: one module per snippet kind, named after it, and the old grouped modules still
export what they did before the split."""
from __future__ import annotations

import ast
import importlib
import subprocess
import sys

import pytest

from snippets import registry


OLD_MODULES = {
    "storage": ("ebs-storageclass", "efs-storageclass", "efs-pv", "fsx-storageclass"),
    "audit": ("secret-reads-query", "secret-readers-query", "secret-read-alarm"),
    "secret_stores": ("secret-provider-class", "external-secret", "sealed-secret"),
    "secrets": ("pod-secret-volume", "namespace-isolation"),
    "keys": ("envelope-encryption", "kms-key-rotation"),
}


@pytest.mark.parametrize("kind", list(registry.KIND_MODULES))
def test_each_kind_has_a_module_of_its_own(kind):
    module_name = registry.KIND_MODULES[kind]
    assert module_name == kind.replace("-", "_")
    module = importlib.import_module(f"snippets.kinds.{module_name}")
    assert [spec.kind for spec in module.SPECS] == [kind]
    assert registry.get(kind) is module.SPECS[0]


@pytest.mark.parametrize("old", list(OLD_MODULES))
def test_grouped_modules_keep_their_specs_and_names(old):
    module = importlib.import_module(f"snippets.kinds.{old}")
    assert tuple(spec.kind for spec in module.SPECS) == OLD_MODULES[old]
    assert all(registry.get(spec.kind) is spec for spec in module.SPECS)


def test_old_public_names_still_resolve():
    from snippets.kinds import audit, keys, secret_stores, secrets, storage

    assert storage.efs_volume_handle("fs-1", None, None) == "fs-1"
    assert secret_stores.go_duration_ns("1m") == 60 * 10**9
    assert secrets.mount_path("/etc/secrets") is None
    assert keys.key_region("arn:aws:kms:eu-west-1:111122223333:key/x") == "eu-west-1"
    assert audit.cluster_name("prod") is None


def test_one_kind_loads_only_its_own_module():
    code = ("import sys, snippets; snippets.get('efs-pv'); "
            "print(sorted(m for m in sys.modules if m.startswith('snippets.kinds.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert ast.literal_eval(out) == ["snippets.kinds.efs_pv", "snippets.kinds.storage_parts"]
