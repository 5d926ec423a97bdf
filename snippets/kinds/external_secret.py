"""external-secret: a SecretStore or ClusterSecretStore and an ExternalSecret for the External
Secrets Operator (external-secrets.io/v1) reading AWS Secrets Manager or Parameter Store.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


from .. import emit, validators
from ..spec import Field, FieldError, Snippet, Spec
from .store_parts import (
    EXAMPLE_SM_ARN, arn_region, _documents, go_duration, go_duration_ns, secret_key, sm_name_or_arn,
    ssm_name_or_arn, _valid,
)

ESO_API = "external-secrets.io/v1"
ESO_SERVICES = ("SecretsManager", "ParameterStore")
ESO_AUTH = ("service-account", "controller")
KEY_EXAMPLE = "username=prod/db:username"
ESO_PRACTICES = ("external-secrets-operator", "external-secrets-provider", "rotate-secrets")
_PROPERTY_RE = re.compile(r"[A-Za-z0-9_.-]{1,256}")


@dataclass(frozen=True)
class KeyMapping:
    secret_key: str
    remote_key: str
    property: str | None


def _remote_key_problem(value: str) -> str | None:
    """Syntax check that holds for either service; the service-specific check is a cross-field rule."""
    if sm_name_or_arn(value) is None or ssm_name_or_arn(value) is None:
        return None
    return (
        f"{value!r} is not a Secrets Manager or SSM parameter name or ARN; use one such as prod/db, "
        f"/prod/db/password or {EXAMPLE_SM_ARN}"
    )


def parse_key(text: str) -> KeyMapping:
    """Parse SECRET_KEY=REMOTE_KEY[:PROPERTY]; raises ValueError with a message showing a good item."""
    secret, sep, remote = text.partition("=")
    if not sep or not secret or not remote:
        raise ValueError(f"{text!r} is not SECRET_KEY=REMOTE_KEY[:PROPERTY]; for example {KEY_EXAMPLE}")
    if secret_key(secret):
        raise ValueError(f"{secret!r} (before '=') is not a valid Secret key; use one such as username, for example {KEY_EXAMPLE}")
    if _remote_key_problem(remote) is None:
        return KeyMapping(secret, remote, None)
    base, colon, prop = remote.rpartition(":")
    if colon and base and _remote_key_problem(base) is None:
        if not _PROPERTY_RE.fullmatch(prop):
            raise ValueError(
                f"property {prop!r} in {text!r} is not a JSON key; use letters, digits, '_', '-' and '.' "
                f"(dots reach nested keys), for example {KEY_EXAMPLE}"
            )
        return KeyMapping(secret, base, prop)
    raise ValueError(_remote_key_problem(remote) + f"; write each item as {KEY_EXAMPLE}")


def _key_item(value: str) -> str | None:
    try:
        parse_key(value)
    except ValueError as exc:
        return str(exc)
    return None


def _extract_item(value: str) -> str | None:
    return _remote_key_problem(value)


def _service_problem(service: str, remote: str) -> str | None:
    if service == "SecretsManager":
        return sm_name_or_arn(remote)
    return ssm_name_or_arn(remote)


def _eso_checks(answers: dict[str, Any]) -> Iterator[FieldError]:
    keys = answers.get("key") or ()
    extracts = answers.get("extract") or ()
    if not keys and not extracts:
        yield FieldError("key", f"give at least one --key (such as --key {KEY_EXAMPLE}) or --extract (such as --extract prod/db)")
    service = answers.get("service")
    region = answers.get("region")
    region_ok = _valid(region, validators.region)
    mappings = []
    for item in keys:
        try:
            mappings.append(parse_key(item))
        except ValueError:
            continue
    seen: set[str] = set()
    for mapping in mappings:
        if mapping.secret_key in seen:
            yield FieldError("key", f"the Secret key {mapping.secret_key!r} is given twice; each --key needs its own, such as password=prod/db:password")
        seen.add(mapping.secret_key)
    remotes = [("key", m.remote_key) for m in mappings]
    remotes += [("extract", r) for r in extracts if _remote_key_problem(r) is None]
    for field_id, remote in remotes:
        if service in ESO_SERVICES:
            problem = _service_problem(service, remote)
            if problem:
                yield FieldError(field_id, f"--service is {service}: {problem}")
                continue
        if region_ok and arn_region(remote) not in (None, region):
            yield FieldError(field_id, f"{remote!r} is in {arn_region(remote)}, but --region is {region}; the store reads one Region")


def _render_external_secret(a: dict[str, Any]) -> Snippet:
    cluster_wide = a["cluster-wide"]
    store_kind = "ClusterSecretStore" if cluster_wide else "SecretStore"
    store_name = a["store-name"] or ("aws-secretsmanager" if a["service"] == "SecretsManager" else "aws-parameterstore")
    aws: dict[str, Any] = {"service": a["service"], "region": a["region"]}
    if a["role-arn"]:
        aws["role"] = a["role-arn"]
    if a["auth"] == "service-account":
        account: dict[str, str] = {"name": a["service-account"]}
        if cluster_wide:
            account["namespace"] = a["service-account-namespace"] or a["namespace"]
        aws["auth"] = {"jwt": {"serviceAccountRef": account}}
    store_meta: dict[str, str] = {"name": store_name}
    if not cluster_wide:
        store_meta["namespace"] = a["namespace"]
    store = {
        "apiVersion": ESO_API,
        "kind": store_kind,
        "metadata": store_meta,
        "spec": {"provider": {"aws": aws}},
    }

    spec: dict[str, Any] = {
        "refreshInterval": a["refresh-interval"],
        "secretStoreRef": {"name": store_name, "kind": store_kind},
        "target": {"name": a["target-name"] or a["name"], "creationPolicy": "Owner"},
    }
    if a["key"]:
        data = []
        for mapping in (parse_key(item) for item in a["key"]):
            remote: dict[str, str] = {"key": mapping.remote_key}
            if mapping.property:
                remote["property"] = mapping.property
            data.append({"secretKey": mapping.secret_key, "remoteRef": remote})
        spec["data"] = data
    if a["extract"]:
        spec["dataFrom"] = [{"extract": {"key": remote}} for remote in a["extract"]]
    external_secret = {
        "apiVersion": ESO_API,
        "kind": "ExternalSecret",
        "metadata": {"name": a["name"], "namespace": a["namespace"]},
        "spec": spec,
    }

    if a["service"] == "SecretsManager":
        actions = "secretsmanager:GetSecretValue, DescribeSecret, GetResourcePolicy and ListSecretVersionIds"
    else:
        actions = "ssm:GetParameter* (and kms:Decrypt for SecureString parameters under a customer managed key)"
    if a["auth"] == "service-account":
        account_namespace = a["service-account-namespace"] or a["namespace"]
        auth = (
            f"Auth: the store presents a token of service account {a['service-account']} in namespace "
            f"{account_namespace} (IRSA: annotate it with eks.amazonaws.com/role-arn); the operator itself "
            "needs no AWS credentials."
        )
    else:
        auth = (
            "Auth: no auth block, so the operator's own identity is used (its IRSA role or an EKS Pod Identity "
            "association; Pod Identity cannot be combined with serviceAccountRef, and it does not work for an "
            "operator that runs on Fargate, which needs IRSA)."
        )
    notes = [
        "Use external-secrets.io/v1: v1beta1 is no longer served since ESO v0.17.0, and the old "
        "kubernetes-external-secrets project (kubernetes-client.io/v1) is deprecated.",
        auth,
        f"IAM: {actions} on the named objects only."
        + (" With role set, those permissions belong on that role, and the identity above only needs "
           "sts:AssumeRole on it." if a["role-arn"] else ""),
        "refreshInterval: how often the operator re-reads AWS, so a value rotated there reaches the Secret; "
        "0s reads once. Pods see the change through volume mounts, not environment variables.",
        "creationPolicy Owner: the ExternalSecret owns the Secret, which is deleted with it.",
    ]
    if cluster_wide:
        notes.append(
            "ClusterSecretStore: any namespace can reference this store; restrict it with spec.conditions "
            "or use a namespaced SecretStore per team."
        )
    warnings = []
    interval = go_duration_ns(a["refresh-interval"]) or 0
    if interval == 0:
        warnings.append("refreshInterval 0 reads the secret only once: values rotated in AWS never reach the cluster.")
    elif interval < 60 * 10**9:
        warnings.append("a refreshInterval under a minute calls AWS very often (cost and throttling); 1h suits most secrets.")
    text = emit.header("external-secret", ESO_PRACTICES, notes) + _documents([store, external_secret])
    return Snippet(
        text=text,
        filename=f"{a['name']}-externalsecret.yaml",
        warnings=tuple(warnings),
    )


EXTERNAL_SECRET = Spec(
    kind="external-secret",
    title="ExternalSecret and SecretStore (External Secrets Operator, AWS)",
    description="Sync Secrets Manager or Parameter Store values into a Kubernetes Secret with the External Secrets Operator",
    language="yaml",
    practices=ESO_PRACTICES,
    fields=(
        Field("name", "ExternalSecret name",
              "Name of the ExternalSecret.", required=True, example="db-creds", validate=validators.dns_subdomain),
        Field("namespace", "Namespace",
              "Namespace of the ExternalSecret, its Secret and (unless cluster-wide) the SecretStore.",
              required=True, example="my-app", validate=validators.dns_label),
        Field("service", "AWS service",
              "Where the values live: SecretsManager or ParameterStore.",
              type="choice", choices=ESO_SERVICES, default="SecretsManager"),
        Field("region", "AWS Region", "Region the store reads from.",
              required=True, example="us-east-1", validate=validators.region),
        Field("cluster-wide", "Cluster-wide store",
              "Write a ClusterSecretStore that every namespace can use, instead of a SecretStore in --namespace.",
              type="bool", default=False),
        Field("store-name", "Store name",
              "Name of the (Cluster)SecretStore; defaults to aws-secretsmanager or aws-parameterstore.",
              example="aws-secretsmanager", validate=validators.dns_subdomain),
        Field("auth", "Authentication",
              "service-account: the store uses a token of --service-account (IRSA); controller: the operator's "
              "own identity (its IRSA role or EKS Pod Identity).",
              type="choice", choices=ESO_AUTH, default="service-account"),
        Field("service-account", "Service account",
              "Service account whose IRSA role can read the secrets (in --namespace for a SecretStore).",
              required=True, example="db-creds-reader", validate=validators.dns_subdomain,
              when=lambda a: a.get("auth") == "service-account"),
        Field("service-account-namespace", "Service account namespace",
              "Namespace of that service account, for a ClusterSecretStore; defaults to --namespace.",
              example="external-secrets", validate=validators.dns_label,
              when=lambda a: bool(a.get("cluster-wide")) and a.get("auth") == "service-account"),
        Field("role-arn", "Role to assume",
              "Optional IAM role the store assumes (sts:AssumeRole) before reading, to scope access per store.",
              example="arn:aws:iam::111122223333:role/team-a-secrets", validate=validators.iam_role_arn),
        Field("refresh-interval", "Refresh interval",
              "How often the values are read again, as a Go duration (1h, 30m, 1h30m); 0s reads them once.",
              default="1h", example="1h", validate=go_duration),
        Field("target-name", "Secret name",
              "Name of the Kubernetes Secret to create; defaults to the ExternalSecret name.",
              example="db-creds", validate=validators.dns_subdomain),
        Field("key", "Keys",
              "SECRET_KEY=REMOTE_KEY[:PROPERTY]: the Secret key, the secret or parameter name (or ARN), and "
              "optionally a JSON property of its value.",
              type="list", example=KEY_EXAMPLE, validate=_key_item),
        Field("extract", "Extract whole secrets",
              "Secret or parameter names (or ARNs) whose JSON value is copied key by key into the Secret "
              "(dataFrom.extract).",
              type="list", example="prod/db", validate=_extract_item),
    ),
    render=_render_external_secret,
    checks=(_eso_checks,),
)

SPECS = (EXTERNAL_SECRET,)
