"""What the audit kinds share (practice audit-secret-access): the read verbs, the validators of
cluster and user names, and the query fields, conditions and notes of both Logs Insights queries.

Queries are assembled with snippets.insights (one quoting function per language).
"""
from __future__ import annotations

import re
from typing import Any

from .. import insights, validators
from ..spec import Field


PRACTICES = ("audit-secret-access",)
READ_VERBS = ("get", "list", "watch")
RESOURCE = "secrets"  # objectRef.resource holds the plural resource name
STAGE = "ResponseComplete"  # one event per request; RequestReceived would count it twice

CLUSTER_NAME_RE = re.compile(r"[0-9A-Za-z][A-Za-z0-9_-]{0,99}")


MAX_USER_LENGTH = 1024


def cluster_name(value: str) -> str | None:
    """An EKS cluster name: 1-100 letters, digits, '-' and '_', starting with a letter or digit."""
    if not CLUSTER_NAME_RE.fullmatch(value):
        return (
            f"{value!r} is not an EKS cluster name; use 1-100 letters, digits, '-' and '_', "
            "starting with a letter or digit, such as prod-eu-1"
        )
    return None


def read_verb(value: str) -> str | None:
    if value not in READ_VERBS:
        return f"{value!r} is not a read verb; use get, list or watch in lower case, such as --verbs get,list"
    return None


def username(value: str) -> str | None:
    """A Kubernetes user name as the audit log records it: one line of visible text."""
    problem = insights.unsupported_character(value)
    if problem:
        return f"{problem}; give the user name as the audit log shows it, such as system:serviceaccount:payments:api"
    if len(value) > MAX_USER_LENGTH:
        return f"is {len(value)} characters long; at most {MAX_USER_LENGTH} fit in the query"
    return None


def _verbs(answers: dict[str, Any]) -> list[str]:
    """The chosen verbs, each once, in the order given (all read verbs when none is given)."""
    return list(dict.fromkeys(answers.get("verbs") or READ_VERBS))


def _given(spec_fields: tuple[Field, ...], answers: dict[str, Any], field_id: str) -> Any:
    """The answer, or the field's default when it was left empty."""
    value = answers.get(field_id)
    if value is None or value == "" or value == ():
        return next(f.default for f in spec_fields if f.id == field_id)
    return value


def _log_group(cluster: str | None) -> str:
    return f"/aws/eks/{cluster or '<cluster-name>'}/cluster"


VERBS_FIELD = Field(
    "verbs", "Verbs to count",
    "Which read requests count: get reads one secret; list and watch return every secret in the "
    "namespace (or cluster) with their contents, so all three are reads.",
    type="list", default=READ_VERBS, choices=READ_VERBS, example="get,list,watch",
    validate=read_verb,
)

QUERY_FIELDS = (
    VERBS_FIELD,
    Field(
        "namespace", "Namespace",
        "Only count reads in this namespace. Leave empty for every namespace (cluster-wide "
        "lists have no namespace and only show up then).",
        example="payments", validate=validators.dns_label,
    ),
    Field(
        "secret-name", "Secret name",
        "Only count reads of this Secret. list and watch requests name no secret, so they drop out "
        "when this is set.",
        example="db-credentials", validate=validators.dns_subdomain,
    ),
    Field(
        "user", "User name",
        "Only count reads by this user, exactly as the audit log records it (user.username), such "
        "as a service account or the name an access entry maps an IAM role to.",
        example="system:serviceaccount:payments:api", validate=username,
    ),
    Field(
        "limit", "Rows", "How many rows the query returns at most (1-10000).",
        type="int", default=100, minimum=1, maximum=insights.MAX_LIMIT, example="100",
    ),
    Field(
        "cluster-name", "Cluster name",
        "The EKS cluster whose log group you will query; used only to name the log group in the "
        "query's comments.",
        example="prod-eu-1", validate=cluster_name,
    ),
)


def _read_conditions(answers: dict[str, Any]) -> list[str]:
    conditions = [
        insights.compare("objectRef.resource", "=", RESOURCE),
        insights.compare("stage", "=", STAGE),
        insights.one_of("verb", _verbs(answers)),
    ]
    if answers.get("namespace"):
        conditions.append(insights.compare("objectRef.namespace", "=", answers["namespace"]))
    if answers.get("secret-name"):
        conditions.append(insights.compare("objectRef.name", "=", answers["secret-name"]))
    if answers.get("user"):
        conditions.append(insights.compare("user.username", "=", answers["user"]))
    return conditions


def _query_notes(answers: dict[str, Any]) -> list[str]:
    return [
        f"Run it in CloudWatch Logs Insights on the log group {_log_group(answers.get('cluster-name'))} "
        "and pick the time range there.",
        "It only finds anything when the cluster's 'audit' control-plane log type is turned on "
        "(every log type is off by default; the secret-read-alarm snippet turns it on), and only "
        "for events logged since then.",
        f'objectRef.resource is the plural "{RESOURCE}"; stage = "{STAGE}" keeps one event per '
        "request (the API server also logs the RequestReceived stage).",
    ]


def _query_warnings(answers: dict[str, Any]) -> tuple[str, ...]:
    wide = [v for v in _verbs(answers) if v in ("list", "watch")]
    if answers.get("secret-name") and wide:
        return (
            f"--secret-name drops {' and '.join(wide)} requests: they name no secret, yet they return "
            "the contents of every secret in the namespace. Run the query without --secret-name to see them.",
        )
    return ()
