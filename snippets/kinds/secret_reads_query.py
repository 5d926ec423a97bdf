"""secret-reads-query: a Logs Insights query that counts secret reads per namespace, secret and
user, from the EKS control-plane audit log.
"""
from __future__ import annotations

from typing import Any

from .. import emit, insights
from ..spec import Snippet, Spec
from .audit_parts import PRACTICES, QUERY_FIELDS, _given, _query_notes, _query_warnings, _read_conditions


def render_reads(answers: dict[str, Any]) -> Snippet:
    notes = _query_notes(answers) + [
        "The filter comes before stats on purpose: after stats only the grouping fields and the "
        "count are left. The old EKS best-practices guide sorted, limited and counted first and "
        "filtered last, so its filter had nothing to test and it counted no secret reads.",
        "reads counts attempts: requests RBAC refused (403) and Secrets that do not exist (404) are included; "
        "secret-readers-query shows each one's responseStatus.code.",
        "list and watch events have no objectRef.name: their rows show an empty secret name and "
        "stand for reads of every secret in that namespace.",
    ]
    text = insights.query(
        [
            insights.filter_command(_read_conditions(answers)),
            insights.stats_count("reads", ["objectRef.namespace", "objectRef.name", "user.username"]),
            insights.sort_command("reads"),
            insights.limit_command(_given(QUERY_FIELDS, answers, "limit")),
        ],
        header=emit.header("secret-reads-query", PRACTICES, notes),
    )
    return Snippet(
        text=text, filename="secret-reads.insights",
        warnings=_query_warnings(answers),
    )


SECRET_READS_QUERY = Spec(
    kind="secret-reads-query",
    title="Count secret reads (Logs Insights)",
    description="Logs Insights query: reads of Secrets per namespace, secret and user, from the EKS audit log",
    language="logs-insights",
    practices=PRACTICES,
    fields=QUERY_FIELDS,
    render=render_reads,
)

SPECS = (SECRET_READS_QUERY,)
