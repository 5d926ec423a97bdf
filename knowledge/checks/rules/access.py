"""Who can read Secrets, and Secrets written into the repository.

RBAC: `list` and `watch` on secrets return every Secret's data, so a Role or ClusterRole that
grants them (or `*`, on secrets or on every resource) is read access to all the Secrets in its
scope; binding such a role to everyone authenticated, or to every service account, hands
that to the whole cluster.
"""
from __future__ import annotations

from collections.abc import Iterator
from ..model import Context, Hit, Obj, Rule, fix, get, items, mapping, text

READ_ALL_VERBS = {"list", "watch", "*"}
BROAD_GROUPS = {"system:authenticated", "system:unauthenticated", "system:serviceaccounts"}
# Built-in ClusterRoles that can list Secrets (Kubernetes user-facing roles).
BUILT_IN_READERS = {"cluster-admin", "admin", "edit"}


def _reading_rules(obj: Obj) -> Iterator[tuple[int, list[str]]]:
    for index, rule in enumerate(items(obj.body.get("rules"))):
        groups = {text(g) for g in items(get(rule, "apiGroups"))}
        resources = {text(r) for r in items(get(rule, "resources"))}
        verbs = {text(v).lower() for v in items(get(rule, "verbs"))}
        if not (groups & {"", "*"}) or not (resources & {"secrets", "*"}):
            continue
        if items(get(rule, "resourceNames")):
            continue  # limited to named Secrets
        granted = sorted(verbs & READ_ALL_VERBS)
        if granted:
            yield index, granted


def _isolation_fix(namespace: str):
    return fix("namespace-isolation", ("namespace", namespace or None),
               todo=(["namespace"] if not namespace else []) + ["service-account", "secret-names"])


def rbac_reads_all(obj: Obj, ctx: Context) -> Iterator[Hit]:
    scope = "every Secret in the cluster" if obj.kind == "ClusterRole" else f"every Secret in namespace {obj.namespace or 'default'}"
    for index, verbs in _reading_rules(obj):
        rule = obj.body["rules"][index]
        on = "every resource" if "*" in {text(r) for r in items(get(rule, "resources"))} else "secrets"
        yield Hit(f"{obj.kind} {obj.name} grants {', '.join(verbs)} on {on}: that returns the data of {scope}. Grant "
                  "get on named Secrets (resourceNames) instead.", ("rules", index),
                  _isolation_fix("" if obj.kind == "ClusterRole" else obj.namespace or "default"))


def _role_reads_all(obj: Obj, ctx: Context) -> bool:
    ref = mapping(obj.body.get("roleRef"))
    kind, name = text(ref.get("kind")), text(ref.get("name"))
    if kind == "ClusterRole" and name in BUILT_IN_READERS:
        return True
    role = ctx.find(kind, "" if kind == "ClusterRole" else obj.namespace, name)
    if role is None and kind == "Role" and not obj.namespace:
        role = ctx.find(kind, "default", name)
    return role is not None and any(True for _ in _reading_rules(role))


def broad_binding(obj: Obj, ctx: Context) -> Iterator[Hit]:
    broad = [(i, text(get(s, "name"))) for i, s in enumerate(items(obj.body.get("subjects")))
             if text(get(s, "kind")) == "Group" and (text(get(s, "name")) in BROAD_GROUPS
                                                   or text(get(s, "name")).startswith("system:serviceaccounts:"))]
    if not broad or not _role_reads_all(obj, ctx):
        return
    ref = mapping(obj.body.get("roleRef"))
    for index, group in broad:
        yield Hit(f"{obj.kind} {obj.name} gives group {group} the {text(ref.get('kind'))} {text(ref.get('name'))}, "
                  "which can list or watch Secrets: every member can read them all. Bind it to one service account.",
                  ("subjects", index), _isolation_fix(obj.namespace if obj.kind == "RoleBinding" else ""))


def plaintext_secret(obj: Obj, ctx: Context) -> Iterator[Hit]:
    data = mapping(obj.body.get("data"))
    strings = mapping(obj.body.get("stringData"))
    keys = sorted(str(k) for k in {**data, **strings})
    if not keys:
        return
    field = "stringData" if strings else "data"
    how = "in plain text" if strings else "only base64-encoded, which anyone can decode"
    yield Hit(f"Secret {obj.name} holds {len(keys)} value(s) in {field}, {how}: whoever can read the repository or "
              "its history has them. Commit a SealedSecret or an ExternalSecret instead.", (field,),
              fix("sealed-secret", ("name", obj.name), ("namespace", obj.namespace or "default"),
                  ("keys", ",".join(keys))))


RULES = (
    Rule("rbac-secrets-list-watch", "warning", "secrets-namespace-scope", ("Role", "ClusterRole"),
         "A Role or ClusterRole that can list or watch every Secret",
         "list and watch on secrets (or * on secrets or on all resources) return every Secret's data in the role's "
         "scope. Grant get on the Secrets an application needs, by resourceNames.", rbac_reads_all),
    Rule("rbac-secrets-broad-binding", "error", "secrets-namespace-scope", ("RoleBinding", "ClusterRoleBinding"),
         "A role that reads every Secret bound to a broad group",
         "Binding a role that can list or watch Secrets to system:authenticated, system:unauthenticated or "
         "system:serviceaccounts lets every member read all of them.", broad_binding),
    Rule("secret-in-manifest", "error", "sealed-secrets", ("Secret",),
         "A Secret with data or stringData in the files",
         "A Secret manifest in a repository carries its values in plain text or base64. Keep the values out of the "
         "repository: a SealedSecret (encrypted for one cluster) or an ExternalSecret (fetched from a store).",
         plaintext_secret),
)
