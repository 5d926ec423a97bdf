"""secret-readers-query: a Logs Insights query that lists each secret read: who, which secret, when,
from where, with which client and what answer.
"""
from __future__ import annotations

from typing import Any

from .. import emit, insights
from ..spec import Snippet, Spec
from .audit_parts import PRACTICES, QUERY_FIELDS, _given, _query_notes, _query_warnings, _read_conditions


READER_FIELDS = (
    "@timestamp", "user.username", "verb", "objectRef.namespace", "objectRef.name",
    "sourceIPs.0", "userAgent", "responseStatus.code",
)


def render_readers(answers: dict[str, Any]) -> Snippet:
    notes = _query_notes(answers) + [
        "One row per read, newest first: who (user.username), which secret, from which address "
        "(sourceIPs.0, the first entry: X-Forwarded-For addresses come first, and every entry but the last "
        "can be set by the client; only the last is the address the API server saw), with which client (userAgent, set "
        "by the client and easy to fake) and the answer (responseStatus.code: 200 means the "
        "secret was returned, 403 that RBAC refused it).",
        "list and watch events have no objectRef.name: they read every secret in the namespace.",
    ]
    text = insights.query(
        [
            insights.fields_command(READER_FIELDS),
            insights.filter_command(_read_conditions(answers)),
            insights.sort_command("@timestamp"),
            insights.limit_command(_given(QUERY_FIELDS, answers, "limit")),
        ],
        header=emit.header("secret-readers-query", PRACTICES, notes),
    )
    return Snippet(
        text=text, filename="secret-readers.insights",
        warnings=_query_warnings(answers),
    )


SECRET_READERS_QUERY = Spec(
    kind="secret-readers-query",
    title="List secret readers (Logs Insights)",
    description="Logs Insights query: who read which Secret, when, from where and with what result",
    language="logs-insights",
    practices=PRACTICES,
    fields=QUERY_FIELDS,
    render=render_readers,
)

SPECS = (SECRET_READERS_QUERY,)
