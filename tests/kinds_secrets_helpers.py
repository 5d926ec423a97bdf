"""Helpers and hypothesis strategies shared by the pod-secret-volume and namespace-isolation tests."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from snippets.kinds import secrets


POD = {
    "name": "payments-api",
    "namespace": "payments",
    "image": "public.ecr.aws/nginx/nginx:1.27",
    "secret-name": "payments-db",
}
ISOLATION = {
    "namespace": "payments",
    "service-account": "payments-api",
    "secret-names": "payments-db",
}

HOSTILE = [
    'a"b',
    "it's",
    "key: value",
    "# comment",
    "---",
    "| block",
    "> folded",
    "line\nbreak",
    "tab\there",
    "üñí©ødé",
    "$(reboot)",
    "`id`",
    "a,b",
    "a=b",
    "/etc/../root",
    "*",
    "&anchor",
    "!!python/object",
    "null",
    "true",
    "0400",
    " ",
    "",
]


def _walk(node: Any):
    """Every (key, value) pair in a nested document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _kinds(docs: list[dict]) -> dict[str, dict]:
    return {doc["kind"]: doc for doc in docs}


def _pod_spec(docs: list[dict]) -> dict:
    by_kind = _kinds(docs)
    if "Deployment" in by_kind:
        return by_kind["Deployment"]["spec"]["template"]["spec"]
    return by_kind["Pod"]["spec"]


# --- pod-secret-volume: properties -----------------------------------------------------------------
#
# Three sources of input: every field good (must render and read back exactly), one field
# hostile among good ones, and anything at all. The last two must render exactly what was given
# or raise SnippetError naming fields of the kind; never anything else.

DNS_LABEL = st.from_regex(r"\A[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?\Z").filter(lambda v: v != "default")
SUBDOMAIN = st.from_regex(r"\A[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?(\.[a-z0-9]{1,5}){0,2}\Z")
IMAGE = st.from_regex(
    r"\A([a-z0-9]{1,8}\.[a-z]{2,3}(:[0-9]{2,4})?/)?[a-z0-9]{1,8}(/[a-z0-9]{1,6}){0,2}"
    r"(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,10})?(@sha256:[0-9a-f]{64})?\Z"
)
MOUNT = st.from_regex(r"\A(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,8}){1,4}\Z").filter(
    lambda v: secrets.mount_path(v) is None
)
MODE = st.from_regex(r"\A0?[0-7]{3}\Z")
KEY = st.from_regex(r"\A[-_a-zA-Z0-9][-._a-zA-Z0-9]{0,12}\Z")
ANYTHING = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20), st.integers(), st.booleans(), st.none())
# A list field given a bare number makes spec.coerce raise TypeError (reported to the lead):
# list fields get text, lists of anything, or None.
ANY_LIST = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20), st.lists(ANYTHING, max_size=3), st.none())

POD_GOOD = {
    "name": DNS_LABEL,
    "namespace": DNS_LABEL,
    "image": IMAGE,
    "secret-name": SUBDOMAIN,
    "mount-path": MOUNT,
    "file-mode": MODE,
    "items": st.lists(KEY, max_size=3, unique=True),
    "workload": st.sampled_from(["Deployment", "Pod", "pod", "DEPLOYMENT"]),
    "replicas": st.integers(0, 1000),
    "service-account": DNS_LABEL,
    "needs-api-access": st.sampled_from([True, False, "yes", "no"]),
    "run-as-user": st.integers(1, 2**31 - 1),
}


def _as_list(value) -> list[str]:
    """A list answer as the engine reads it: one string or several, each split on commas."""
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    return [part.strip() for v in values for part in str(v).split(",") if part.strip()]


def _hostile_for(spec, field_id: str) -> st.SearchStrategy:
    return ANY_LIST if spec.field(field_id).type == "list" else ANYTHING


def _one_hostile(spec, good: dict) -> st.SearchStrategy:
    return st.sampled_from(sorted(good)).flatmap(
        lambda fid: st.tuples(st.fixed_dictionaries(good), st.just(fid), _hostile_for(spec, fid))
    ).map(lambda t: {**t[0], t[1]: t[2]})


def _anything(spec, good: dict) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {}, optional={k: st.one_of(v, _hostile_for(spec, k)) for k, v in good.items()}
    )
