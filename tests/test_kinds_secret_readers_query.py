"""secret-readers-query: golden files, structure, and properties of both queries."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import assert_golden
from snippets.spec import SnippetError, build, check
from tests.kinds_audit_helpers import (
    READS, READERS, keyword, filter_literals, check_query_structure, expected_filter, hostile_text,
)


# ---------------------------------------------------------------------- secret-readers-query

READERS_CASES = {
    "default": {},
    "filtered": {"namespace": "payments", "secret-name": "db-credentials", "user": "alice", "limit": 50,
                 "cluster-name": "prod-eu-1"},
}


@pytest.mark.parametrize("case", READERS_CASES)
def test_readers_query_golden(case):
    snippet = build(READERS, READERS_CASES[case])
    assert_golden("secret-readers-query", case, snippet.text, "insights")
    assert snippet.language == "logs-insights"
    assert snippet.filename == "secret-readers.insights"


def test_readers_query_structure():
    commands = check_query_structure(build(READERS, {"limit": 20}).text, ["fields", "filter", "sort", "limit"])
    assert commands[0] == (
        "fields @timestamp, user.username, verb, objectRef.namespace, objectRef.name, sourceIPs.0, userAgent, "
        "responseStatus.code",
        [],
    )
    assert commands[1] == expected_filter(["get", "list", "watch"])
    assert commands[2] == ("sort @timestamp desc", [])
    assert commands[3] == ("limit 20", [])


def test_readers_query_filters_match_reads_query():
    raw = {"namespace": "ns1", "secret-name": "s1", "user": 'u"1', "verbs": "list"}
    assert filter_literals(build(READERS, raw).text) == filter_literals(build(READS, raw).text)


# -------------------------------------------------------------------------- query properties


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spec=st.sampled_from([READS, READERS]),
    namespace=st.one_of(st.none(), hostile_text, st.from_regex(r"[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?", fullmatch=True)),
    secret=st.one_of(st.none(), hostile_text, st.from_regex(r"[a-z0-9]([-.a-z0-9]{0,10}[a-z0-9])?", fullmatch=True)),
    user=st.one_of(st.none(), hostile_text),
    verbs=st.one_of(st.none(), st.lists(st.sampled_from(["get", "list", "watch", "GET", "delete", ""]), max_size=4),
                    hostile_text),
    limit=st.one_of(st.none(), st.integers(-5, 10005), hostile_text),
)
def test_query_renders_exact_values_or_refuses(spec, namespace, secret, user, verbs, limit):
    raw = {k: v for k, v in {"namespace": namespace, "secret-name": secret, "user": user, "verbs": verbs,
                             "limit": limit}.items() if v is not None}
    try:
        snippet = build(spec, raw)
    except SnippetError as exc:
        assert exc.errors
        return
    answers, _ = check(spec, raw)
    keywords = ["filter", "stats", "sort", "limit"] if spec is READS else ["fields", "filter", "sort", "limit"]
    commands = check_query_structure(snippet.text, keywords)
    (filt,) = [c for c in commands if keyword(c) == "filter"]
    verbs_used = list(dict.fromkeys(answers["verbs"] or ("get", "list", "watch")))
    assert filt == expected_filter(verbs_used, answers["namespace"], answers["secret-name"], answers["user"])
    assert commands[-1] == (f"limit {answers['limit'] or 100}", [])


# Point 6: sourceIPs lists X-Forwarded-For first; all but the last entry can be set by the client.
def test_readers_query_describes_source_ips_as_the_audit_api_does():
    text = build(READERS, {}).text
    assert "the first address the API server saw" not in text
    assert "X-Forwarded-For" in text and "only the last is the address the API server saw" in text
