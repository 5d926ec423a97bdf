"""The question engine: its behaviours, and its quality on our own regression set.

tests/questions.jsonl was written independently of the engine, the way people type (full
questions, fragments, abbreviations, typos, everyday words, and questions the guide does
not cover). The thresholds below are floors that a change must not break; the figures
themselves are printed by benchmarks/quality.py.
"""
from __future__ import annotations

import json
from types import SimpleNamespace
from pathlib import Path

import pytest

from knowledge import Practice, Source, load_knowledge
from knowledge.search import SearchEngine, analyze, default_engine

QUESTIONS = Path(__file__).with_name("questions.jsonl")
MIN_TOP1 = 0.82
MIN_TOP3 = 0.94
MIN_OFF_TOPIC_REJECTED = 0.85


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    return default_engine()


def top_id(engine: SearchEngine, question: str) -> str | None:
    answers = engine.ask(question).answers
    return answers[0].practice.id if answers else None


def test_regression_set_quality(engine):
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    in_domain = [r for r in rows if r["ids"]]
    off_topic = [r for r in rows if not r["ids"]]
    assert len(rows) >= 150 and len(off_topic) >= 30
    top1 = top3 = rejected = 0
    for row in in_domain:
        got = [a.practice.id for a in engine.ask(row["q"]).answers]
        top1 += bool(got) and got[0] in row["ids"]
        top3 += any(g in row["ids"] for g in got[:3])
    for row in off_topic:
        rejected += not engine.ask(row["q"]).answers
    assert top1 / len(in_domain) >= MIN_TOP1
    assert top3 / len(in_domain) >= MIN_TOP3
    assert rejected / len(off_topic) >= MIN_OFF_TOPIC_REJECTED


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("efs tls", "efs-encryption-in-transit"),
        ("creds in git", "sealed-secrets"),
        ("kubeseal", "sealed-secrets"),
        ("ascp", "secrets-store-csi-driver"),
        ("eso", "external-secrets-operator"),
        ("cmk rotation", "rotate-cmks"),
        ("dek kek", "kms-envelope-encryption"),
        ("secrets as env vars", "volume-mounts-over-env"),
        ("fsx lustre kms key", "fsx-lustre-encryption"),
        ("kubelet can read secrets", "node-authorizer-secrets"),
    ],
)
def test_abbreviations_and_fragments(engine, question, expected):
    assert top_id(engine, question) == expected


def test_typos_are_corrected_and_reported(engine):
    reply = engine.ask("kuberentes secrts encrpyted?")
    assert reply.answers
    assert dict(reply.corrections) == {"kuberentes": "kubernetes", "secrts": "secrets", "encrpyted": "encrypted"}
    assert reply.did_you_mean == "kubernetes secrets encrypted?"
    assert engine.ask("efs tls").did_you_mean is None


@pytest.mark.parametrize(
    "question",
    ["what's the best pizza in naples", "configure horizontal pod autoscaler", "how to upgrade my eks cluster version",
     "set up an ingress with an alb", "reduce my eks bill", "", "???", "the and of"],
)
def test_off_topic_and_empty_questions_get_no_answer(engine, question):
    assert engine.ask(question).answers == ()


def test_make_intent_offers_the_matching_snippet_kinds(engine):
    reply = engine.ask("logs insights query for secret reads")
    assert reply.wants_snippet
    top = reply.answers[0]
    assert top.practice.id == "audit-secret-access"
    assert top.snippets[0] in ("secret-reads-query", "secret-readers-query")
    assert set(top.snippets) == set(top.practice.snippets)
    assert engine.ask("who read my secrets").answers[0].snippets == ()


def test_answers_are_ordered_and_scored_between_0_and_1(engine):
    answers = engine.ask("encrypt ebs volumes with my own kms key", limit=5).answers
    assert 1 <= len(answers) <= 5
    scores = [a.score for a in answers]
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)
    assert len({a.practice.id for a in answers}) == len(answers)


def test_limit_is_respected(engine):
    assert len(engine.ask("secrets", limit=2).answers) <= 2


def test_analyzer_splits_compounds_and_stems():
    assert analyze("kmsKeyId") == ["kmskeyid", "km", "key", "id"] or "kmskeyid" in analyze("kmsKeyId")
    assert set(analyze("external-secrets")) >= {"extern", "secret"}
    assert analyze("rotating rotation rotated") == [analyze("rotate")[0]] * 3


def test_engine_works_on_any_knowledge_base():
    practices = [
        Practice(id="alpha", title="Frobnicate the widget", area="storage", level="essential",
                 summary="Frobnicate widgets daily.", body="Widgets need frobnication.", tags=("widget",),
                 sources=(Source("s", "https://example.com"),)),
        Practice(id="beta", title="Polish the gadget", area="secrets", level="caution",
                 summary="Polish gadgets weekly.", body="Gadgets shine when polished.", tags=("gadget",),
                 sources=(Source("s", "https://example.com"),)),
    ]
    engine = SearchEngine(practices)
    assert engine.ask("how to frobnicate a widget").answers[0].practice.id == "alpha"
    assert engine.ask("gadgt polish").answers[0].practice.id == "beta"
    assert engine.ask("weather in paris").answers == ()


def test_every_practice_is_found_by_its_own_title(engine):
    for practice in load_knowledge():
        assert top_id(engine, practice.title) == practice.id, practice.title


def test_engine_cache_is_used_and_survives_a_corrupt_file(tmp_path, monkeypatch):
    import knowledge
    import knowledge.search as search

    # the cache's behaviour, on an engine over two practices (building the full one thrice is slow)
    full = knowledge.load_knowledge()
    two = SimpleNamespace(practices=[p for p in full.practices if p.id in {"efs-encryption-in-transit", "sealed-secrets"}])
    monkeypatch.setattr(knowledge, "load_knowledge", lambda: two)
    monkeypatch.setattr(search, "_shipped_neighbours", lambda known: ())
    builds = []
    index = search.PracticeIndex
    monkeypatch.setattr(search, "PracticeIndex", lambda *args: builds.append(1) or index(*args))
    monkeypatch.setenv(search.CACHE_ENV, str(tmp_path))
    search.default_engine.cache_clear()
    try:
        first = search.default_engine()
        (cached,) = tmp_path.glob("engine-*.pickle")
        search.default_engine.cache_clear()
        again = search.default_engine()
        assert len(builds) == 1, "the second process must load the cache, not build"
        assert again is not first and again.ask("efs tls").answers[0].practice.id == "efs-encryption-in-transit"
        cached.write_bytes(b"not a pickle")
        search.default_engine.cache_clear()
        rebuilt = search.default_engine()
        assert len(builds) == 2 and rebuilt.ask("kubeseal").answers[0].practice.id == "sealed-secrets"
        assert cached.read_bytes() != b"not a pickle"
        monkeypatch.setenv(search.CACHE_ENV, "off")
        search.default_engine.cache_clear()
        assert search._cache_file() is None and search.default_engine().practices and len(builds) == 3
    finally:
        search.default_engine.cache_clear()


def test_vocabulary_words_stay_words():
    from knowledge.search import Vocabulary

    vocab = Vocabulary.load()
    # YAML 1.1 would read these as booleans; the vocabulary keeps them as the words they are
    assert {"on", "no", "yes", "not"} <= vocab.stopwords
    assert all(isinstance(w, str) for w in vocab.stopwords | vocab.make_words)
    assert vocab.expand(("k8s",)) == ("kubernet",)


def test_an_existing_efs_file_system_gets_the_faq_answer_that_says_no(engine):
    reply = engine.ask("can I turn on encryption for an EFS file system that already exists")
    top = reply.answers[0]
    assert top.practice.id == "efs-encryption-at-rest"
    # the answer quoted says no, and what to do instead
    assert top.faq is not None and top.faq.id == "enable-on-existing"
    assert top.faq.a.startswith("No.") and "new file system" in top.faq.a
    assert reply.to_dict()["answers"][0]["faq"]["a"] == top.faq.a


def test_a_question_no_entry_answers_in_particular_quotes_none(engine):
    vague = engine.ask("efs encryption")
    assert vague.answers[0].practice.id in {"efs-encryption-at-rest", "efs-encryption-in-transit", "encrypt-data-at-rest"}
    assert vague.answers[0].faq is None


def test_every_answer_carries_a_faq_key_and_no_answer_names_the_neighbouring_subject(engine):
    data = engine.ask("how do I resize my gp3 persistent volume claim to 200Gi").to_dict()
    assert data["answers"] == []
    assert "resiz" in data["not_covered"]["about"]
    for answer in engine.ask("encrypt ebs volumes with my own kms key").to_dict()["answers"]:
        assert "faq" in answer and (answer["faq"] is None or set(answer["faq"]) == {"q", "a", "source"})


def test_a_faq_question_is_not_an_unknown_word_typo_source(engine):
    # FAQ questions are written with typos on purpose; those must not become known words
    reply = engine.ask("kuberentes secrts encrpyted?")
    assert dict(reply.corrections).get("encrpyted") == "encrypted"
