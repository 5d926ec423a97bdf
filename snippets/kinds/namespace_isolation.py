"""namespace-isolation: a Namespace, ServiceAccount, and a Role and RoleBinding that grant get on
named Secrets only.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .secrets_parts import _duplicates, label, own_namespace, own_service_account


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
        "Secret contents, and resourceNames narrows a list or watch only when the client asks for that one name "
        "with a metadata.name field selector; a plain list of the namespace would be refused.",
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

SPECS = (NAMESPACE_ISOLATION,)
