"""External secret stores and keys: SecretProviderClass (Secrets Store CSI driver), External
Secrets Operator, Sealed Secrets, and the KMS key of an eksctl cluster.

- The Secrets Store CSI driver's CRD still serves v1alpha1 but marks it deprecated (use v1).
  `spec.parameters.objects` is a string the provider parses as YAML: a mistake there shows up
  only when a pod mounts the volume.
- External Secrets Operator stopped serving v1beta1 in 0.17 (v1 is served and stored), so a
  v1beta1 manifest is refused by any current installation.
- A cluster-wide SealedSecret can be decrypted under any name in any namespace.
- An EKS envelope-encryption association can never be changed, while an alias can be pointed
  at another key later: the cluster config should name the key ARN.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from ..loader import parse_value
from ..model import Context, Hit, Obj, Rule, fix, get, mapping, text

SPC_GROUP = "secrets-store.csi.x-k8s.io"
ESO_GROUP = "external-secrets.io"
ESO_KINDS = ("ExternalSecret", "SecretStore", "ClusterSecretStore", "ClusterExternalSecret", "PushSecret",
             "ClusterPushSecret")
ESO_UNSERVED = ("v1alpha1", "v1beta1")
CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide"
ALIAS_RE = re.compile(r"^(?:arn:aws[-a-z]*:kms:[^:]*:[0-9]*:)?alias/")


def _version(obj: Obj) -> tuple[str, str]:
    group, _, version = obj.api_version.rpartition("/")
    return group, version


def spc_v1alpha1(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if _version(obj) == (SPC_GROUP, "v1alpha1"):
        yield Hit("secrets-store.csi.x-k8s.io/v1alpha1 is deprecated: the driver's CRD still serves it but warns, and "
                  "v1 has the same fields. Change apiVersion to secrets-store.csi.x-k8s.io/v1.", ("apiVersion",))


def spc_objects(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if _version(obj)[0] != SPC_GROUP:
        return
    params = get(obj.body, "spec", "parameters")
    objects = get(params, "objects")
    if objects is None:
        return
    where = ("spec", "parameters", "objects")
    if not isinstance(objects, str):
        yield Hit("spec.parameters.objects must be a string holding YAML (objects: |), not a YAML structure: the "
                  "parameters are a map of strings.", where)
        return
    value, problem = parse_value(objects)
    provider = text(get(obj.body, "spec", "provider"))
    if problem is None and provider == "aws":
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) and v.get("objectName") for v in value):
            problem = (1, "the AWS provider wants a list of entries, each with an objectName")
    if problem is None:
        return
    line, what = problem
    offset = line if "\n" in objects.rstrip("\n") or objects.endswith("\n") else 0  # a block (objects: |)
    yield Hit(f"spec.parameters.objects is not valid: {what} (line {line} of the string). The provider reads it only "
              "when a pod mounts the volume, so the pod fails to start.", where, None, offset)


def eso_unserved(obj: Obj, ctx: Context) -> Iterator[Hit]:
    group, version = _version(obj)
    if group == ESO_GROUP and version in ESO_UNSERVED:
        yield Hit(f"{obj.api_version} is no longer served: External Secrets Operator 0.17 and later serve only "
                  f"{ESO_GROUP}/v1, so the API server refuses this {obj.kind}. Change apiVersion to {ESO_GROUP}/v1.",
                  ("apiVersion",), _eso_fix(obj))


def _eso_fix(obj: Obj):
    if obj.kind != "ExternalSecret":
        return None
    return fix("external-secret", ("name", obj.name), ("namespace", obj.namespace or None),
               ("target-name", text(get(obj.body, "spec", "target", "name"))),
               ("refresh-interval", text(get(obj.body, "spec", "refreshInterval"))),
               ("store-name", text(get(obj.body, "spec", "secretStoreRef", "name"))),
               ("cluster-wide", True if text(get(obj.body, "spec", "secretStoreRef", "kind")) == "ClusterSecretStore" else None),
               todo=(["namespace"] if not obj.namespace else []) + ["region", "service-account"])


def sealed_cluster_wide(obj: Obj, ctx: Context) -> Iterator[Hit]:
    for path in (("metadata", "annotations"), ("spec", "template", "metadata", "annotations")):
        if text(get(obj.body, *path, CLUSTER_WIDE)) == "true":
            keys = sorted(str(k) for k in mapping(get(obj.body, "spec", "encryptedData")))
            yield Hit(f"SealedSecret {obj.name} is sealed cluster-wide: anyone who can create a SealedSecret can "
                      "unseal it under any name in any namespace. Seal it strict (the default) unless that is the point.",
                      path + (CLUSTER_WIDE,),
                      fix("sealed-secret", ("name", obj.name), ("namespace", obj.namespace or None),
                          ("keys", ",".join(keys) or None), ("scope", "strict"),
                          todo=(["namespace"] if not obj.namespace else []) + (["keys"] if not keys else [])))
            return


def eksctl_alias(obj: Obj, ctx: Context) -> Iterator[Hit]:
    if not obj.api_version.startswith("eksctl.io/"):
        return
    key = text(get(obj.body, "secretsEncryption", "keyARN"))
    if not ALIAS_RE.match(key):
        return
    yield Hit(f"secretsEncryption.keyARN is an alias ({key}): the cluster's envelope-encryption key can never be changed, "
              "but an alias can be pointed at another key later, so the config may no longer say which key the "
              "cluster uses. Give the key ARN (aws kms describe-key --key-id ALIAS).", ("secretsEncryption", "keyARN"),
              fix("envelope-encryption", ("cluster-name", text(get(obj.body, "metadata", "name")) or None),
                  ("region", text(get(obj.body, "metadata", "region")) or None), todo=["key-arn"]))


RULES = (
    Rule("spc-v1alpha1", "warning", "secrets-store-csi-driver", ("SecretProviderClass",),
         "A SecretProviderClass on the deprecated v1alpha1 API",
         "secrets-store.csi.x-k8s.io/v1alpha1 is deprecated in the driver's CRD; v1 has the same schema.", spc_v1alpha1),
    Rule("spc-objects-invalid", "error", "secrets-store-csi-driver", ("SecretProviderClass",),
         "SecretProviderClass parameters.objects that is not valid YAML",
         "parameters.objects is a YAML document inside a string; the provider parses it only when a pod mounts the "
         "volume, so a mistake there stops the pod from starting.", spc_objects),
    Rule("eso-v1beta1-unserved", "error", "external-secrets-operator", ESO_KINDS,
         "An External Secrets Operator object on v1beta1 (or v1alpha1)",
         "External Secrets Operator 0.17 and later no longer serve v1beta1; use external-secrets.io/v1.", eso_unserved),
    Rule("sealed-secret-cluster-wide", "info", "sealed-secrets", ("SealedSecret",),
         "A SealedSecret sealed with the cluster-wide scope",
         "Cluster-wide SealedSecrets can be unsealed under any name in any namespace; the strict scope binds the "
         "ciphertext to one name and namespace.", sealed_cluster_wide),
    Rule("eksctl-key-alias", "warning", "kms-envelope-encryption", ("ClusterConfig",),
         "An eksctl ClusterConfig whose secretsEncryption.keyARN is an alias",
         "The envelope-encryption association is permanent, an alias is not: name the KMS key by its key ARN.",
         eksctl_alias),
)
