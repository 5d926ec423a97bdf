"""Shared test helpers: golden files and manifest validation.

Golden files live in tests/golden/<kind>/<case>.<ext>. Run the tests with
EKSGUIDE_UPDATE_GOLDEN=1 to (re)write them after a deliberate change, then review the diff.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
CRD_SCHEMAS = HERE / "crd_schemas"

# Kubernetes versions the built-in kinds are validated against: the oldest and newest that
# kubernetes-validate ships schemas for and that EKS has supported.
K8S_VERSIONS = ("1.30.0", "1.33.0")

CRDS = {
    ("secrets-store.csi.x-k8s.io/v1", "SecretProviderClass"): "secretproviderclass_v1.json",
    ("external-secrets.io/v1", "ExternalSecret"): "externalsecret_v1.json",
    ("external-secrets.io/v1", "SecretStore"): "secretstore_v1.json",
    ("external-secrets.io/v1", "ClusterSecretStore"): "clustersecretstore_v1.json",
    ("bitnami.com/v1alpha1", "SealedSecret"): "sealedsecret_v1alpha1.json",
}


def assert_golden(kind: str, case: str, text: str, ext: str = "yaml") -> None:
    path = GOLDEN / kind / f"{case}.{ext}"
    if os.environ.get("EKSGUIDE_UPDATE_GOLDEN") or not path.exists():
        if not os.environ.get("EKSGUIDE_UPDATE_GOLDEN") and os.environ.get("CI"):
            raise AssertionError(f"golden file {path} is missing; run with EKSGUIDE_UPDATE_GOLDEN=1 and commit it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"output differs from {path}; rerun with EKSGUIDE_UPDATE_GOLDEN=1 if the change is deliberate"


@lru_cache(maxsize=None)
def _crd_validator(filename: str):
    """One checked validator per schema: the store schemas are large, so build each once."""
    schema = json.loads((CRD_SCHEMAS / filename).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_manifests(text: str) -> list[dict]:
    """Parse a YAML stream and validate every document; returns the documents.

    Built-in kinds are checked with kubernetes-validate in strict mode (unknown fields are
    errors) against each version in K8S_VERSIONS; the custom resources against their
    published CRD schemas. An unknown kind fails the test.
    """
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    assert docs, "no YAML documents in the output"
    for doc in docs:
        key = (doc.get("apiVersion"), doc.get("kind"))
        if key in CRDS:
            error = jsonschema.exceptions.best_match(_crd_validator(CRDS[key]).iter_errors(doc))
            if error is not None:
                raise AssertionError(f"{key} does not match its CRD schema: {error.message} at {list(error.absolute_path)}")
            continue
        for version in K8S_VERSIONS:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                raise AssertionError(f"{key} is invalid for Kubernetes {version}: {exc.message} at {list(exc.path)}") from None
    return docs
