"""Answering questions typed in plain words: a small, explainable search engine.

How a question is answered:

1. Analysis. Text is split into words; compound identifiers (`kmsKeyId`, `ebs.csi.aws.com`,
   `external-secrets`) yield the whole and the parts; words are lower-cased and stemmed with
   the Snowball English stemmer. Documents and questions go through the same analyser.
2. Vocabulary (`vocabulary.yaml`). Stop words are dropped; domain-generic words ("eks",
   "cluster", "pod") count a little; synonyms and abbreviations ("creds", "k8s", "cmk",
   "ascp") add the knowledge base's own words to the question; a word the knowledge base has
   never seen is corrected to the nearest word it has (rapidfuzz, Damerau-style edit distance).
3. Ranking. BM25F over the fields of every practice (title, aliases, tags, summary, body),
   with adjacent-word pairs as extra terms so that phrases outrank scattered words, plus
   "aboutness": a word in a practice's title, aliases, tags or summary counts extra, the more
   so the fewer practices name it there. Each term's contribution per practice is computed
   once, when the index is built.
4. Confidence. The best practice must explain at least half of the question's content words
   (a word in a prominent field counts fully, one only in the body half) and match at least
   one of them prominently. When the question names a subject next to this guide's (an
   ingress, Velero, RDS, listed in the vocabulary) or words the guide never uses, the
   practice must name more of the guide's own subjects than that. Otherwise the honest
   reply is no answer.

`SearchEngine(kb).ask(question)` is a pure function of the knowledge base and the question.
"""
from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# PyYAML and rapidfuzz are imported where they are used: a process that finds the engine in
# its cache and meets no typo needs neither, which keeps `eksguide ask` quick to start.

from .model import Practice

try:
    import Stemmer  # PyStemmer: Snowball stemmers compiled to C

    _stem_word = Stemmer.Stemmer("english").stemWord
except ImportError:  # pragma: no cover - PyStemmer is a declared dependency
    def _stem_word(word: str) -> str:
        return word

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")

# Field weights for BM25F and the length normalisation of each field.
FIELDS: dict[str, tuple[float, float]] = {
    # name: (weight, b)
    "title": (5.0, 0.3),
    "aliases": (4.0, 0.3),
    "tags": (2.5, 0.3),
    "summary": (1.5, 0.5),
    "body": (1.0, 0.75),
}
STRONG_FIELDS = ("title", "aliases", "tags", "summary")
K1 = 2.0
ABOUT = 1.0  # weight of aboutness against BM25F

WEIGHT_TYPED = 1.0
WEIGHT_GENERIC = 0.25
WEIGHT_SYNONYM = 0.7
WEIGHT_LITERAL = 0.4
WEIGHT_CORRECTED = 0.85
WEIGHT_PAIR = 0.5

# Calibrated on tests/questions.jsonl; benchmarks/quality.py prints the figures on every set.
MIN_COVERAGE = 0.5
MIN_RELEVANCE = 0.04
FOLLOWER_RATIO = 0.3

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[._/'-][A-Za-z0-9]+)*")
_CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_PART_RE = re.compile(r"[a-z0-9]+")
_CHUNK_RE = re.compile(r"[.;:,!?()]\s|\s\.\s|\n")
_MARKUP_RE = re.compile(r"```.*?```|\]\([^)]*\)|https?://\S+", re.S)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Answer:
    practice: Practice
    score: float  # relevance in [0, 1)
    matched: tuple[str, ...] = ()  # the question's words this practice matched
    snippets: tuple[str, ...] = ()  # snippet kinds offered when the question asks to make something

    def to_dict(self) -> dict:
        return {
            "id": self.practice.id,
            "title": self.practice.title,
            "score": round(self.score, 4),
            "snippets": list(self.snippets),
        }


@dataclass(frozen=True)
class Reply:
    question: str
    answers: tuple[Answer, ...]
    corrections: tuple[tuple[str, str], ...] = ()  # (typed word, the word it was read as)
    wants_snippet: bool = False
    unknown_words: tuple[str, ...] = ()  # words of the question the knowledge base never uses

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
        out = {"question": self.question, "answers": [a.to_dict() for a in self.answers]}
        if self.did_you_mean:
            out["did_you_mean"] = self.did_you_mean
        return out


# --------------------------------------------------------------------------- vocabulary


@dataclass
class Vocabulary:
    stopwords: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()  # stems
    make_words: frozenset[str] = frozenset()  # surface words
    synonyms: dict[tuple[str, ...], str] = field(default_factory=dict)  # surface words -> what they mean
    aspects: frozenset[str] = frozenset()  # stems
    phrases: frozenset[tuple[str, str]] = frozenset()  # stem pairs that name one thing
    off_topic: frozenset[tuple[str, ...]] = frozenset()  # surface word sequences
    longest_phrase: int = 1
    _expanded: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False)
    _by_stems: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        import yaml

        # The base loader keeps every scalar a string: "on", "no" and "yes" are words here, not
        # YAML 1.1 booleans. (libyaml's loader where PyYAML has it.)
        loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
        data = yaml.load((path or VOCABULARY_FILE).read_text(encoding="utf-8"), Loader=loader) or {}
        stopwords = frozenset(str(w).lower() for w in data.get("stopwords", []))
        vocab = cls(stopwords=stopwords)
        vocab.generic = frozenset(_stem_word(str(w).lower()) for w in data.get("generic", []))
        vocab.make_words = frozenset(str(w).lower() for w in data.get("make_words", []))
        vocab.phrases = frozenset(
            tuple(analyze(str(w), stopwords)) for w in data.get("phrases", []) if len(analyze(str(w), stopwords)) == 2)
        vocab.aspects = frozenset(_stem_word(str(w).lower()) for w in data.get("aspects", []))
        vocab.off_topic = frozenset(tuple(stem(w) for w in _surface_words(str(w))) for w in data.get("off_topic", [])
                                    if _surface_words(str(w)))
        for phrase in vocab.off_topic:
            vocab.longest_phrase = max(vocab.longest_phrase, len(phrase))
        for key, value in (data.get("synonyms") or {}).items():
            words = tuple(_surface_words(str(key)))
            if not words:
                continue
            vocab.synonyms[words] = str(value)
            vocab._by_stems.setdefault(tuple(stem(w) for w in words), words)
            vocab.longest_phrase = max(vocab.longest_phrase, len(words))
        return vocab

    def expand(self, stems: tuple[str, ...]) -> tuple[str, ...] | None:
        """The stemmed terms a word or phrase (given as stems) stands for, or None.

        Matching on stems lets "persistent volumes" find "persistent volume". Expansions are
        analysed on first use: a question touches only a few of them."""
        words = self._by_stems.get(stems)
        meaning = self.synonyms.get(words) if words is not None else None
        if meaning is None:
            return None
        expanded = self._expanded.get(words)
        if expanded is None:
            expanded = self._expanded[words] = tuple(t for t in analyze(meaning, self.stopwords) if t)
        return expanded


def _surface_words(text: str) -> list[str]:
    """Lower-case words of a text, compounds split on punctuation (used for phrase lookup)."""
    return _PART_RE.findall(text.lower())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stem_word(word)


@lru_cache(maxsize=65536)
def _word_variants(word: str) -> tuple[str, ...]:
    """A word as typed, plus its parts when it is a compound (camelCase, dotted, hyphenated)."""
    lower = word.lower()
    parts: list[str] = []
    if re.search(r"[._/'-]", word):
        for piece in re.split(r"[._/'-]", word):
            parts.extend(_camel_parts(piece))
    else:
        parts = _camel_parts(word)
    parts = [p.lower() for p in parts if p]
    if len(parts) <= 1:
        return (lower.replace("'", ""),)
    whole = re.sub(r"[^a-z0-9]", "", lower)
    return (whole, *parts)


def _camel_parts(word: str) -> list[str]:
    if word.islower() or word.isupper() or word.isdigit():
        return [word]
    return _CAMEL_RE.findall(word) or [word]


def analyze(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Stemmed terms of a text, stop words removed; compounds yield the whole and the parts."""
    terms: list[str] = []
    for word in _WORD_RE.findall(text):
        for variant in _word_variants(word):
            if variant and variant not in stopwords:
                terms.append(stem(variant))
    return terms


# --------------------------------------------------------------------------- index


class SearchEngine:
    """An index over a knowledge base's practices, built once."""

    def __init__(self, practices: Iterable[Practice], vocabulary: Vocabulary | None = None):
        self.vocab = vocabulary or Vocabulary.load()
        self.practices: tuple[Practice, ...] = tuple(practices)
        self._build()

    # ---- building

    def _fields_of(self, practice: Practice) -> dict[str, str]:
        body = _MARKUP_RE.sub(" ", practice.body)
        updates = " ".join(f"{u.old} {u.now}" for u in practice.updates)
        return {
            "title": f"{practice.title} {practice.id.replace('-', ' ')}",
            "aliases": " . ".join(practice.aliases),
            "tags": " . ".join(practice.tags),
            "summary": practice.summary,
            "body": f"{body} {updates}",
        }

    def _terms_with_pairs(self, text: str, surface: Counter) -> list[str]:
        """Terms of a field plus adjacent pairs ("access point") within each sentence or item.

        Also counts the field's words as written into `surface` (for typo correction)."""
        word_terms = self._word_terms
        out: list[str] = []
        for chunk in _CHUNK_RE.split(text):
            words = _WORD_RE.findall(chunk)
            surface.update(words)
            terms = [t for w in words for t in word_terms(w)]
            out.extend(terms)
            out.extend([f"{a} {b}" for a, b in zip(terms, terms[1:]) if a != b])
        return out

    def _word_terms(self, word: str) -> tuple[str, ...]:
        """Stemmed terms of one word as written (cached: documents repeat their words)."""
        cached = self._term_cache.get(word)
        if cached is None:
            stop = self.vocab.stopwords
            cached = tuple(stem(v) for v in _word_variants(word) if v not in stop)
            self._term_cache[word] = cached
        return cached

    def _build(self) -> None:
        self._term_cache: dict[str, tuple[str, ...]] = {}
        n_docs = len(self.practices)
        field_counts: list[dict[str, Counter]] = []
        lengths: dict[str, list[int]] = {f: [] for f in FIELDS}
        surface: Counter = Counter()
        for practice in self.practices:
            counts: dict[str, Counter] = {}
            for name, text in self._fields_of(practice).items():
                terms = self._terms_with_pairs(text, surface)
                counts[name] = Counter(terms)
                lengths[name].append(sum(1 for t in terms if " " not in t))
            field_counts.append(counts)
        avg = {f: (sum(v) / len(v) if v and sum(v) else 1.0) for f, v in lengths.items()}

        doc_freq: Counter = Counter()
        for counts in field_counts:
            doc_freq.update(set().union(*(c.keys() for c in counts.values())))
        self.doc_freq = doc_freq
        self.n_docs = n_docs
        self.idf = {t: math.log(1 + (n_docs - df + 0.5) / (df + 0.5)) for t, df in doc_freq.items()}
        self.max_idf = math.log(1 + (n_docs + 0.5) / 0.5)

        # postings: term -> {doc index: contribution}; strong: terms in prominent fields per doc
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.strong: list[frozenset[str]] = []
        for doc, counts in enumerate(field_counts):
            pseudo: dict[str, float] = defaultdict(float)
            for name, counter in counts.items():
                weight, b = FIELDS[name]
                norm = 1 - b + b * (lengths[name][doc] / avg[name] if avg[name] else 1)
                for term, tf in counter.items():
                    pseudo[term] += weight * tf / norm
            for term, tf in pseudo.items():
                self.postings[term][doc] = self.idf[term] * tf * (K1 + 1) / (K1 + tf)
            self.strong.append(frozenset().union(*(counts[f].keys() for f in STRONG_FIELDS)))
        # Aboutness: a term in a practice's title, aliases, tags or summary says what the
        # practice is about, the more so the fewer practices name it there.
        strong_freq = Counter(t for terms in self.strong for t in terms)
        self.about = {t: ABOUT * math.log(1 + n_docs / df) for t, df in strong_freq.items()}
        for doc, terms in enumerate(self.strong):
            for term in terms:
                self.postings[term][doc] += self.about[term]
        self.postings = dict(self.postings)

        # Words the knowledge base uses, for typo correction: surface form -> frequency.
        variants: Counter = Counter()
        for word, count in surface.items():
            for variant in _word_variants(word):
                if len(variant) > 2 and not variant.isdigit() and variant not in self.vocab.stopwords:
                    variants[variant] += count
        known = {w: c for w, c in variants.items() if stem(w) in self.idf}
        self._term_cache = {}
        for phrase in self.vocab.synonyms:
            for word in phrase:
                if len(word) > 2:
                    known.setdefault(word, 1)
        self.known_words = known
        self._known_list = list(known)
        self._known_stems = {stem(w) for w in known} | set(self.idf)
        self._phrase_words = {stem(w) for phrase in self.vocab.synonyms for w in phrase}
        self._stop_stems = {stem(w) for w in self.vocab.stopwords}
        self._foreign_words = {w for phrase in self.vocab.off_topic for w in phrase}  # stems

    # ---- questions

    def _correct(self, word: str) -> str | None:
        """The known word nearest to `word`, when `word` looks like a typo of it."""
        if len(word) < 4 or word.isdigit():
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        allowed = 1 if len(word) < 8 else 2
        candidates = process.extract(word, self._known_list, scorer=OSA.distance, score_cutoff=allowed, limit=8)
        if not candidates:
            return None
        best = min(candidates, key=lambda c: (c[1], -self.known_words[c[0]], c[0]))
        return best[0]

    def _is_stop(self, word: str) -> bool:
        return word in self.vocab.stopwords or stem(word) in self._stop_stems

    def _question_terms(self, question: str) -> _Question:
        """Weighted terms of a question, grouped by the typed word they come from."""
        vocab = self.vocab
        units: list[list[str]] = []  # per typed word: its variants (whole first, then parts)
        for word in _WORD_RE.findall(question):
            units.append(list(_word_variants(word)))

        corrections: list[tuple[str, str]] = []
        unknown: list[str] = []
        for index, variants in enumerate(units):
            word = variants[0]
            if (self._is_stop(word) or stem(word) in self._known_stems or stem(word) in vocab.generic
                    or stem(word) in self._phrase_words or stem(word) in self._foreign_words or any(stem(v) in self._known_stems for v in variants[1:])):
                continue
            meant = self._correct(word)
            if meant is not None:
                corrections.append((word, meant))
                units[index] = [meant]
            elif not any(ch.isdigit() for ch in word):
                unknown.append(word)
        corrected = {meant for _, meant in corrections}

        q = _Question(corrections=tuple(corrections), unknown=tuple(unknown),
                      wants_snippet=any(v[0] in vocab.make_words for v in units))

        # Synonyms and abbreviations: longest phrase first, over the words as typed (stop words
        # included, compounds split into their parts).
        sequence = [(stem(part), index) for index, variants in enumerate(units) for part in (variants[1:] or variants)]
        matches: list[tuple[set[int], tuple[str, ...]]] = []
        explained_by: dict[int, set[str]] = defaultdict(set)  # unit -> expansion terms
        i = 0
        while i < len(sequence):
            for n in range(min(vocab.longest_phrase, len(sequence) - i), 0, -1):
                expansion = vocab.expand(tuple(tok for tok, _ in sequence[i : i + n]))
                if expansion is None:
                    continue
                covered = {index for _, index in sequence[i : i + n]}
                matches.append((covered, expansion))
                for index in covered:
                    explained_by[index].update(expansion)
                i += n - 1
                break
            i += 1

        # Terms of each typed word; content words are the ones that say what the question is about.
        unit_terms: list[set[str]] = []
        content_units: list[int] = []
        for index, variants in enumerate(units):
            terms = {stem(v) for v in variants if not self._is_stop(v)}
            unit_terms.append(terms)
            if not terms:
                continue
            expansion = explained_by.get(index, set())
            generic = all(t in vocab.generic for t in terms) or (
                bool(expansion) and all(t in vocab.generic for t in expansion))
            if generic:
                weight = WEIGHT_GENERIC
            elif expansion and not terms & expansion:
                # an abbreviation or a word of a known phrase: its meaning is in the expansion
                weight = WEIGHT_LITERAL
            else:
                weight = WEIGHT_CORRECTED if variants[0] in corrected else WEIGHT_TYPED
            for term in terms:
                q.add(term, WEIGHT_GENERIC if term in vocab.generic else weight)
            word = variants[0]
            # numbers and identifiers (1.31, fs-0123abcd) say little about the subject
            idlike = any(ch.isdigit() for ch in word) and (
                not any(ch.isalpha() for ch in word) or not any(t in self._known_stems for t in terms))
            if not generic and not idlike:
                content_units.append(index)

        for covered, expansion in matches:
            for term in expansion:
                q.add(term, WEIGHT_GENERIC if term in vocab.generic else WEIGHT_SYNONYM)
                for index in covered:
                    unit_terms[index].add(term)
            if len(covered) > 1:
                # a phrase is one idea: keep one content unit for it
                first = min(covered)
                content_units = [u for u in content_units if u not in covered or u == first]
                if first not in content_units and any(t not in vocab.generic for t in expansion):
                    content_units.append(first)

        # Subjects this guide does not cover: those words explain nothing, whatever the body says.
        foreign: set[int] = {i for i, variants in enumerate(units) if (stem(variants[0]),) in vocab.off_topic}
        for i in range(len(sequence)):
            for n in range(min(vocab.longest_phrase, len(sequence) - i), 0, -1):
                if tuple(tok for tok, _ in sequence[i : i + n]) in vocab.off_topic:
                    foreign.update(index for _, index in sequence[i : i + n])
                    break
        # A named neighbouring subject weighs fully; a word the guide has never seen, half (it
        # may be a plain word such as "auditor" as well as a product such as "velero").
        foreign_words = {units[i][0] for i in foreign}
        q.foreign = len(foreign) + 0.5 * sum(1 for w in set(unknown) if w not in foreign_words)
        for index in foreign:
            unit_terms[index] = set()
            if index not in content_units:
                content_units.append(index)
        q.aspect_units = {i for i in content_units if unit_terms[i] and unit_terms[i] <= (vocab.aspects | vocab.generic)}
        q.aspect_units = [unit_terms[i] for i in sorted(set(content_units)) if i in q.aspect_units]

        # Adjacent words as a pair ("access point", "secrets manager"): a known phrase counts in
        # full, any other pair of specific words a little.
        primary = [stem(v[0]) for v in units if not self._is_stop(v[0])]
        for a, b in zip(primary, primary[1:]):
            if a == b or a in vocab.generic and b in vocab.generic:
                continue
            q.add(f"{a} {b}", WEIGHT_TYPED if (a, b) in vocab.phrases else WEIGHT_PAIR)
        q.units = [unit_terms[i] for i in sorted(set(content_units))]
        return q

    def ask(self, question: str, limit: int = 5) -> Reply:
        q = self._question_terms(question)
        scores: dict[int, float] = defaultdict(float)
        for term, weight in q.weights.items():
            for doc, value in self.postings.get(term, {}).items():
                scores[doc] += weight * value
        reply_args = dict(question=question, corrections=q.corrections, wants_snippet=q.wants_snippet,
                          unknown_words=q.unknown)
        if not scores or not q.units:
            return Reply(answers=(), **reply_args)
        ceiling = sum(w * (self.idf.get(t, self.max_idf) * (K1 + 1) + self.about.get(t, 0.0))
                      for t, w in q.weights.items()) or 1.0
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        top_doc, top_score = ranked[0]
        if not self.confident(top_doc, top_score / ceiling, q):
            return Reply(answers=(), **reply_args)
        answers = []
        for doc, score in ranked[:limit]:
            if score < FOLLOWER_RATIO * top_score:
                break
            practice = self.practices[doc]
            matched = tuple(sorted(t for t in q.weights if " " not in t and doc in self.postings.get(t, {})))
            kinds = _rank_kinds(practice.snippets, q.weights) if q.wants_snippet else ()
            answers.append(Answer(practice, score / ceiling, matched, kinds))
        return Reply(answers=tuple(answers), **reply_args)

    def credit(self, doc: int, terms: set[str]) -> float:
        """How well practice `doc` explains one word of a question: 1 in a prominent field, 0.5 in the body."""
        if any(t in self.strong[doc] for t in terms):
            return 1.0
        if any(doc in self.postings.get(t, {}) for t in terms):
            return 0.5
        return 0.0

    def coverage(self, doc: int, q: _Question) -> float:
        """The share of the question's content words that practice `doc` explains."""
        if not q.units:
            return 0.0
        return sum(self.credit(doc, terms) for terms in q.units) / len(q.units)

    def confident(self, doc: int, relevance: float, q: _Question) -> bool:
        """Is practice `doc` a real answer to the question, not a chance match?"""
        if relevance < MIN_RELEVANCE:
            return False
        credits = [self.credit(doc, terms) for terms in q.units]
        if max(credits) < 1.0 or sum(credits) / len(credits) < MIN_COVERAGE:
            return False
        if q.foreign:
            # Something outside the guide is named: answer only when one of the guide's own
            # subjects (not just an action such as "encrypt" or "rotate") is named too.
            subjects = [terms for terms in q.units if terms and terms not in q.aspect_units]
            named = sum(1 for terms in subjects if self.credit(doc, terms) == 1.0)
            return named > q.foreign
        return True


@dataclass
class _Question:
    weights: dict[str, float] = field(default_factory=dict)
    units: list[set[str]] = field(default_factory=list)  # the terms of each content word
    corrections: tuple[tuple[str, str], ...] = ()
    unknown: tuple[str, ...] = ()
    wants_snippet: bool = False
    foreign: float = 0.0  # words naming subjects outside the guide (1 each), or unknown to it (0.5)
    aspect_units: list[set[str]] = field(default_factory=list)

    def add(self, term: str, weight: float) -> None:
        if weight > self.weights.get(term, 0.0):
            self.weights[term] = weight


def _rank_kinds(kinds: Sequence[str], weights: dict[str, float]) -> tuple[str, ...]:
    """A practice's snippet kinds, those whose name shares words with the question first."""
    def overlap(kind: str) -> float:
        return sum(weights.get(stem(part), 0.0) for part in kind.split("-"))
    return tuple(sorted(kinds, key=lambda k: (-overlap(k), kinds.index(k))))


CACHE_FORMAT = 1
CACHE_ENV = "EKSGUIDE_CACHE_DIR"  # a directory, or "off"


@lru_cache(maxsize=1)
def default_engine() -> SearchEngine:
    """The engine over the shipped knowledge base, built once per process.

    The built engine is also kept in the user cache directory, keyed by the content and the
    code that shapes it, so that `eksguide ask` in a new process need not rebuild it. Any
    problem with the cache only means building afresh; a ContentError still surfaces when the
    content itself is broken.
    """
    cache = _cache_file()
    if cache is not None:
        try:
            with open(cache, "rb") as handle:
                engine = pickle.load(handle)
            if isinstance(engine, SearchEngine):
                return engine
        except FileNotFoundError:
            pass
        except Exception:  # a stale, truncated or foreign file: rebuild it  # noqa: BLE001
            pass
    from . import load_knowledge

    engine = SearchEngine(load_knowledge().practices)
    if cache is not None:
        _write_cache(cache, engine)
    return engine


def _cache_file() -> Path | None:
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() == "off":
        return None
    try:
        from .loader import PRACTICES_DIR

        inputs = sorted(PRACTICES_DIR.glob("*.md")) + [VOCABULARY_FILE] + [
            Path(__file__).with_name(name) for name in ("search.py", "loader.py", "model.py")]
        digest = hashlib.sha256(f"{CACHE_FORMAT} {sys.version} {_stem_word.__module__}".encode())
        for path in inputs:
            stat = path.stat()
            digest.update(f"{path.name} {stat.st_size} {stat.st_mtime_ns}\n".encode())
        if setting:
            directory = Path(setting).expanduser()
        else:
            import platformdirs

            directory = Path(platformdirs.user_cache_dir("eksguide"))
    except OSError:
        return None
    return directory / f"engine-{digest.hexdigest()[:24]}.pickle"


def _write_cache(path: Path, engine: SearchEngine) -> None:
    """Best effort: write atomically, drop older cache files; never fail the caller."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".engine-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(engine, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for old in path.parent.glob("engine-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
