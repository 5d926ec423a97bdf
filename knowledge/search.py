"""Answering questions typed in plain words: a small, explainable search engine.

How a question is answered:

1. Analysis (`analysis.py`, `ranker.PracticeIndex.analyse`): words and compounds, stems, stop
   words, synonyms and abbreviations from `vocabulary.yaml`, typos corrected to words the
   knowledge base uses.
2. Two kinds of evidence, each a pure function of the knowledge base:
   - the practice's own text (`ranker.py`): BM25F over its fields plus "aboutness";
   - the questions people ask (`examples.py`): every practice's FAQ questions, and questions
     about the neighbouring subjects the guide does not cover (`neighbours.yaml`). A user's
     question is compared with each of them.
3. Fusion. Each practice's score is a weighted sum of its text relevance and its FAQ
   similarity. The best practice answers when its evidence is strong enough and beats the best
   neighbouring subject's; otherwise the honest reply is no answer, naming the neighbouring
   subject when one was recognised.
4. Each answer carries its nearest FAQ entry when that entry is close enough to quote.

`SearchEngine(practices).ask(question)` is a pure function of the knowledge base and the question.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

from . import cache
from .analysis import VOCABULARY_FILE, Vocabulary, analyze, stem  # noqa: F401 - the public names
from .examples import ExampleIndex, LabelModel
from .linear import LinearModel
from .model import FaqEntry, Neighbour, Practice
from .record import record, replace
from .ranker import FOLLOWER_RATIO, PracticeIndex, _rank_kinds

CACHE_ENV = cache.CACHE_ENV

# Fusion weights and decision thresholds, chosen by cross-validation over the FAQ
# (benchmarks/quality.py prints the figures they give). A document's score is
#   TEXT_WEIGHT * text relevance + best example similarity + THIRD_WEIGHT * third best
#   + POOLED_WEIGHT * the label model's probability + LINEAR_WEIGHT * the linear model's.
TEXT_WEIGHT = 3.0  # text relevance is score / ceiling, usually 0 to 0.6
THIRD_WEIGHT = 0.3  # a third close example says the question is squarely in the subject
POOLED_WEIGHT = 0.5  # and the label model's probability (examples.LabelModel), pooled over all examples
LINEAR_WEIGHT = 1.0  # and the probability under the softmax regression over the examples (linear.py)

# Answer or not: a logistic model over what the scores say, fitted on the cross-validation
# folds by benchmarks/fit_decision.py (which prints these numbers); MIN_CONFIDENCE is the
# probability from which eksguide answers.
DECISION_FEATURES = ("practice score", "neighbour score", "practice text", "practice nearest FAQ",
                     "neighbour nearest", "runner-up score", "coverage", "foreign words", "log terms",
                     "margin", "share", "coverage shortfall", "pooled practices", "pooled best",
                     "linear practices", "linear best")
DECISION_WEIGHTS = (0.333, -0.787, 2.492, -0.477, -1.728, 0.435, 2.143, -3.150, 0.469, 0.345, 3.144, -1.462, 0.081,
                    -0.654, 2.228, 1.372)
DECISION_BIAS = -6.336
MIN_CONFIDENCE = 0.5
MIN_COVERAGE = 0.3  # and the best practice must explain at least this share of the question's content words
QUOTE_FAQ = 0.4  # an answer quotes its best FAQ entry from this similarity up
QUOTE_LEAD = 1.15  # ... and only when it leads the next entry by this factor
QUOTE_RECALL = 0.2  # an entry to quote must above all say what the question asks
QUOTE_GENERIC = 0.8  # the weight of an everyday word ("existing", "delete") when choosing what to quote
ANSWER_WEIGHT = 0.5  # an entry's answer words, against its question words, when choosing what to quote
NEIGHBOUR_PREFIX = "~"
SALIENT_TERMS = 32  # a longer question is answered from its most telling words



@record
class Judgement:
    """What the evidence says about a question: the confidence that the guide answers it,
    the practices best first (document numbers), every document's score, the best
    neighbouring subject, and the decision model's features (None when no practice matched)."""

    confidence: float
    order: list[int]
    scores: dict[int, float]
    neighbour: Neighbour | None
    features: tuple[float, ...] | None


@record
class Answer:
    practice: Practice
    score: float  # relevance in [0, 1)
    matched: tuple[str, ...] = ()  # the question's words this practice matched
    snippets: tuple[str, ...] = ()  # snippet kinds offered when the question asks to make something
    faq: FaqEntry | None = None  # the practice's FAQ entry nearest to the question, when close

    def to_dict(self) -> dict:
        return {
            "id": self.practice.id,
            "title": self.practice.title,
            "score": round(self.score, 4),
            "snippets": list(self.snippets),
            "faq": {"q": self.faq.q, "a": self.faq.a, "source": self.faq.source} if self.faq else None,
        }


@record
class Reply:
    question: str
    answers: tuple[Answer, ...]
    corrections: tuple[tuple[str, str], ...] = ()  # (typed word, the word it was read as)
    wants_snippet: bool = False
    unknown_words: tuple[str, ...] = ()  # words of the question the knowledge base never uses
    neighbour: Neighbour | None = None  # the uncovered subject recognised, when there is no answer

    @property
    def did_you_mean(self) -> str | None:
        """The question with typos corrected, when any were."""
        if not self.corrections:
            return None
        text = self.question
        for typed, meant in self.corrections:
            text = re.sub(rf"\b{re.escape(typed)}\b", meant, text, flags=re.I)
        return text

    def to_dict(self) -> dict:
        out: dict = {"question": self.question, "answers": [a.to_dict() for a in self.answers]}
        if self.did_you_mean:
            out["did_you_mean"] = self.did_you_mean
        if self.neighbour is not None and not self.answers:
            out["not_covered"] = {"id": self.neighbour.id, "about": self.neighbour.about,
                                  "closest": list(self.neighbour.closest)}
        return out


class SearchEngine:
    """The practices' text index and the example-question index, built once."""

    def __init__(self, practices, vocabulary: Vocabulary | None = None,
                 neighbours: tuple[Neighbour, ...] | None = None):
        practices = tuple(practices)
        if neighbours is None:
            neighbours = _shipped_neighbours([p.id for p in practices])
        self.ranker = PracticeIndex(practices, vocabulary, neighbours)
        self.practices: tuple[Practice, ...] = self.ranker.practices
        self.vocab = self.ranker.vocab
        self._doc_of = {p.id: doc for doc, p in enumerate(self.practices)}
        self._doc_of.update({NEIGHBOUR_PREFIX + n.id: len(self.practices) + i for i, n in enumerate(neighbours)})
        rows: list[tuple[str, dict[str, float]]] = []
        self.example_entries: list[FaqEntry | None] = []  # per example: its FAQ entry (None: a neighbour's)
        self.example_questions: list[str] = []
        for practice in self.practices:
            for entry in practice.faq:
                rows.append((practice.id, self.ranker.analyse(entry.q).weights))
                self.example_entries.append(entry)
                self.example_questions.append(entry.q)
        for neighbour in neighbours:
            for question in neighbour.questions:
                rows.append((NEIGHBOUR_PREFIX + neighbour.id, self.ranker.analyse(question).weights))
                self.example_entries.append(None)
                self.example_questions.append(question)
        self.examples = ExampleIndex(rows)
        self.pooled = LabelModel(rows)
        self.linear = LinearModel(rows)
        # For choosing which FAQ entry of a practice to quote, one small index per practice over
        # its entries' questions and answers (so an entry whose answer speaks of the question's
        # specifics can win over one that only shares its wording). Among one practice's entries
        # the words every entry shares ("EFS", "encrypt") say little and the everyday words the
        # ranking plays down ("existing", "turn on", "delete") tell one question from another,
        # so those count in full here.
        self.entries: dict[str, tuple[ExampleIndex, tuple[FaqEntry, ...]]] = {
            practice.id: (ExampleIndex((practice.id, self._quote_terms(entry)) for entry in practice.faq), practice.faq)
            for practice in self.practices if practice.faq}

    def _quote_terms(self, entry: FaqEntry) -> dict[str, float]:
        return _merged(self._lifted(self.ranker.analyse(entry.q).weights),
                       self._lifted(self.ranker.analyse(entry.a).weights))

    def _lifted(self, weights: dict[str, float]) -> dict[str, float]:
        generic = self.vocab.generic
        return {t: max(w, QUOTE_GENERIC) if t in generic else w for t, w in weights.items()}

    @property
    def known_words(self) -> dict[str, int]:
        return self.ranker.known_words

    def _salient(self, q):
        """The question reduced to the words that can say what it is about.

        Terms neither index has ever seen cannot match anything, they would only dilute the
        scores, so they go. A long question (a pasted manifest, an error and three sentences of
        context) keeps its SALIENT_TERMS most telling words, rarest in the examples first, so
        that its length alone never makes the evidence look weak."""
        in_examples = self.examples.idf
        in_text = self.ranker.idf
        about = self.ranker.about
        singles: dict[str, float] = {}
        salience: dict[str, float] = {}
        for term, weight in q.weights.items():
            if " " in term or not (term in in_examples or term in in_text):
                continue
            if any(ch.isdigit() for ch in term) and term not in in_text:
                continue  # a date, a count, an id: says nothing about the subject
            singles[term] = weight
            # a word some practice names in its title, aliases, tags or summary says most about
            # the subject (the more so the fewer name it); then words several example questions use
            if term in about:
                salience[term] = weight * (1.0 + about[term])
            else:
                salience[term] = weight * (0.8 if term in self.examples.shared else 0.5)
        if len(singles) > SALIENT_TERMS:
            keep = sorted(singles, key=lambda t: (-salience[t], t))[:SALIENT_TERMS]
            singles = {t: singles[t] for t in keep}
        pairs = {t: w for t, w in q.weights.items() if " " in t and all(part in singles for part in t.split(" "))}
        return replace(q, weights={**singles, **pairs})

    def ask(self, question: str, limit: int = 5) -> Reply:
        """The answers to `question`, best first, or none when the guide does not answer it."""
        analysed = self.ranker.analyse(question)
        reply_args = dict(question=question, corrections=analysed.corrections, wants_snippet=analysed.wants_snippet,
                          unknown_words=analysed.unknown)
        judged = self.judge(analysed)
        if judged is None:
            return Reply(answers=(), **reply_args)
        confidence, order, scores, neighbour = judged.confidence, judged.order, judged.scores, judged.neighbour
        # The model weighs coverage too; the floor catches a question whose only known word is a
        # corrected typo ("the weather in Paris" read as "part"). It turns away no question of
        # any question set or fold that the model would answer, long pasted ones included.
        if confidence < MIN_CONFIDENCE or self.ranker.coverage(order[0], analysed) < MIN_COVERAGE:
            return Reply(answers=(), neighbour=neighbour, **reply_args)
        top = scores[order[0]]
        answers = []
        quote_terms = self._lifted(analysed.weights)
        for doc in order[:limit]:
            if scores[doc] < FOLLOWER_RATIO * top:
                break
            practice = self.practices[doc]
            entry = self._quote(practice.id, quote_terms) if len(answers) < 3 else None
            kinds = _rank_kinds(practice.snippets, analysed.weights) if analysed.wants_snippet else ()
            relevance = min(confidence * scores[doc] / top, 0.9999)
            answers.append(Answer(practice, relevance, self.ranker.matched(doc, analysed), kinds, entry))
        return Reply(answers=tuple(answers), **reply_args)

    def _quote(self, practice_id: str, terms: dict[str, float]) -> FaqEntry | None:
        """The practice's FAQ entry that best answers the question, when one is close enough."""
        if practice_id not in self.entries:
            return None
        index, faq = self.entries[practice_id]
        sims = index.similarities(terms, recall_weight=QUOTE_RECALL)
        ranked = sorted(((sim, i) for i, sim in sims.items()), reverse=True)[:2] + [(0.0, -1), (0.0, -1)]
        (best, i), (second, _) = ranked[0], ranked[1]
        # A wrong answer quoted first is worse than the practice's own summary: quote only an
        # entry that matches well and clearly better than the next one.
        if i < 0 or best < QUOTE_FAQ or best < QUOTE_LEAD * second:
            return None
        return faq[i]

    def judge(self, analysed) -> Judgement | None:
        """What the evidence says about the question (see Judgement), or None when the question
        has no word the guide could match."""
        q = self._salient(analysed)
        if not q.weights:
            return None
        scores, nearest, text, pooled, linear = self._scores(q)
        n = len(self.practices)
        order = sorted((doc for doc in scores if doc < n), key=lambda d: (-scores[d], d))
        others = sorted((doc for doc in scores if doc >= n), key=lambda d: (-scores[d], d))
        neighbour = self.ranker.neighbours[others[0] - n] if others else None
        if not order:
            return Judgement(0.0, order, scores, neighbour, None)
        features = self.decision_features(analysed, q, order, others, scores, nearest, text, pooled, linear)
        z = DECISION_BIAS + sum(w * x for w, x in zip(DECISION_WEIGHTS, features))
        return Judgement(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), order, scores, neighbour, features)

    def decision_features(self, analysed, q, order, others, scores, nearest, text, pooled, linear
                          ) -> tuple[float, ...]:
        """What the answer/no-answer model weighs, in DECISION_FEATURES order."""
        top = order[0]
        practice = scores[top]
        neighbour = scores[others[0]] if others else 0.0
        units = max(len(analysed.units), 1)
        coverage = self.ranker.coverage(top, analysed) if analysed.units else 0.0
        return (
            practice,
            neighbour,
            text.get(top, 0.0),
            nearest.get(top, (0.0, -1))[0],
            nearest.get(others[0], (0.0, -1))[0] if others else 0.0,
            scores[order[1]] if len(order) > 1 else 0.0,
            coverage,
            analysed.foreign / units,
            math.log(1 + sum(1 for t in q.weights if " " not in t)),
            practice - neighbour,
            practice / (practice + neighbour + 0.1),  # bounded: a ratio would run away when nothing competes
            max(0.0, 0.4 - coverage),  # a practice that explains under 40% of the question is suspect
            sum(p for doc, p in pooled.items() if doc < len(self.practices)),  # P(some practice), pooled
            pooled.get(top, 0.0),
            sum(p for doc, p in linear.items() if doc < len(self.practices)),  # P(some practice), linear
            linear.get(top, 0.0),
        )

    def _scores(self, q):
        """Every document's fused score (practices and neighbouring subjects alike), each
        document's nearest example question (similarity, example index), its text relevance,
        and its probabilities under the label model and the linear model."""
        ranked, ceiling = self.ranker.score(q)
        text = {doc: score / ceiling for doc, score in ranked}
        scores = {doc: TEXT_WEIGHT * value for doc, value in text.items()}
        nearest: dict[int, tuple[float, int]] = {}
        for label, (sims, example) in self.examples.by_label(q.weights).items():
            doc = self._doc_of[label]
            scores[doc] = scores.get(doc, 0.0) + sims[0] + THIRD_WEIGHT * sims[2]
            nearest[doc] = (sims[0], example)
        pooled = {self._doc_of[label]: p for label, p in self.pooled.posteriors(q.weights).items()}
        for doc, p in pooled.items():
            if doc in scores:  # evidence for a document nothing else connects to the question is no evidence
                scores[doc] += POOLED_WEIGHT * p
        linear = {self._doc_of[label]: p for label, p in self.linear.posteriors(q.weights).items()}
        for doc, p in linear.items():
            if doc in scores:
                scores[doc] += LINEAR_WEIGHT * p
        return scores, nearest, text, pooled, linear


def _merged(question: dict[str, float], answer: dict[str, float]) -> dict[str, float]:
    """An entry's terms: its question's, and its answer's at half weight (pairs left out)."""
    out = {t: ANSWER_WEIGHT * w for t, w in answer.items() if " " not in t}
    for term, weight in question.items():
        out[term] = max(weight, out.get(term, 0.0))
    return out


def _shipped_neighbours(known: list[str]) -> tuple[Neighbour, ...]:
    """The shipped neighbouring subjects, suggesting only practices that this engine has (a test
    may build an engine over a few practices; `python -m knowledge` checks the ids in full)."""
    from .faq import NEIGHBOURS_FILE, load_neighbours

    if not NEIGHBOURS_FILE.exists():
        return ()
    have = set(known)
    return tuple(replace(n, closest=tuple(pid for pid in n.closest if pid in have))
                 for n in load_neighbours(NEIGHBOURS_FILE))


def _cache_inputs() -> list[Path]:
    # the same paths as loader.PRACTICES_DIR and faq.NEIGHBOURS_FILE, without importing those
    # modules (and PyYAML behind them) in a process that finds the engine cached
    here = Path(__file__).parent
    PRACTICES_DIR, NEIGHBOURS_FILE = here / "practices", here / "neighbours.yaml"
    code = [here / name for name in ("search.py", "ranker.py", "examples.py", "linear.py", "packed.py", "record.py",
                                     "analysis.py", "loader.py", "faq.py", "model.py")]
    content = sorted(PRACTICES_DIR.glob("*.md")) + sorted(PRACTICES_DIR.glob("*.faq.yaml"))
    return content + [VOCABULARY_FILE] + ([NEIGHBOURS_FILE] if NEIGHBOURS_FILE.exists() else []) + code


def _cache_file() -> Path | None:
    from .analysis import _stem_word

    return cache.cache_file("engine", _cache_inputs(), salt=_stem_word.__module__)


@lru_cache(maxsize=1)
def default_engine() -> SearchEngine:
    """The engine over the shipped knowledge base, built once per process and kept on disk.

    Any problem with the cache only means building afresh; a ContentError still surfaces when
    the content itself is broken."""
    path = _cache_file()
    engine = cache.read(path, SearchEngine)
    if isinstance(engine, SearchEngine):
        return engine
    from . import load_knowledge

    engine = SearchEngine(load_knowledge().practices)
    cache.write(path, engine)
    return engine
