"""Tests the audit kinds share: odd corners of every field."""
from __future__ import annotations

import pytest

from snippets.spec import SnippetError, build
from tests.kinds_audit_helpers import READS, READERS, ALARM, filter_literals


# ---------------------------------------------------------------------------- odd corners


def test_validators_called_directly_refuse_trailing_newline():
    from snippets.kinds import audit

    assert audit.cluster_name("prod\n") is not None
    assert audit.cluster_name("prod") is None
    assert audit.username("alice\n") is not None
    assert audit.read_verb("get\n") is not None


@pytest.mark.parametrize("spec", [READS, READERS, ALARM])
def test_blank_values_never_crash(spec):
    """Every field given as empty text, None or an empty list: rendered or refused, never a crash."""
    base = {"cluster-name": "c1"} if spec is ALARM else {}
    for f in spec.fields:
        for blank in ("", "   ", None, []):
            raw = {**base, f.id: blank}
            try:
                build(spec, raw)
            except SnippetError as exc:
                assert {e.field for e in exc.errors} == {f.id}


def test_longest_user_of_quotes_fits_the_query_limit():
    user = '"\\' * 512  # 1024 characters, each escaped
    for spec in (READS, READERS):
        text = build(spec, {"user": user, "cluster-name": "a" * 100, "namespace": "n" * 63,
                            "secret-name": "s" * 253}).text
        assert len(text) <= 10000
        assert filter_literals(text)[-1] == user
