"""Ranking practices by their own text: BM25F over their fields plus "aboutness".

BM25F runs over each practice's title, aliases, tags, summary and body, with adjacent-word pairs
as extra terms so that phrases outrank scattered words. "Aboutness" adds weight to a word in a
practice's title, aliases, tags or summary, the more so the fewer practices name it there.
Questions are analysed here too (`PracticeIndex.analyse`): stop words dropped, synonyms and
abbreviations expanded, typos corrected to words the knowledge base uses, and the words that name
subjects outside the guide counted. `credit` and `coverage` tell how much of a
question a practice explains; the engine in `search.py` weighs that with the FAQ evidence.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from .analysis import (_CHUNK_RE, _MARKUP_RE, _WORD_RE, Vocabulary, _word_variants, analyze,  # noqa: F401
                       stem)
from .model import Neighbour, Practice
from .packed import PackedPostings
from .record import field, record

# Field weights for BM25F and the length normalisation of each field.
FIELDS: dict[str, tuple[float, float]] = {
    # name: (weight, b)
    "title": (5.0, 0.3),
    "aliases": (4.0, 0.3),
    "tags": (2.5, 0.3),
    "summary": (1.5, 0.5),
    "body": (1.0, 0.75),
    "questions": (1.5, 0.75),  # the FAQ's questions: how people ask about the practice
    "answers": (0.7, 0.75),  # the FAQ's answers: the specifics the body may not spell out
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

FOLLOWER_RATIO = 0.3  # an answer after the first is listed from this share of the best one's score

class PracticeIndex:
    """BM25F and aboutness over the practices' own fields, built once."""

    def __init__(self, practices: Iterable[Practice], vocabulary: Vocabulary | None = None,
                 neighbours: Iterable[Neighbour] = ()):
        self.vocab = vocabulary or Vocabulary.load()
        self.practices: tuple[Practice, ...] = tuple(practices)
        # Documents 0..len(practices)-1 are the practices; after them come the neighbouring
        # subjects, ranked in the same index so that a question about resizing volumes finds
        # its own subject above any practice that merely shares its words.
        self.neighbours: tuple[Neighbour, ...] = tuple(neighbours)
        self._build()

    # ---- building

    def _fields_of(self, practice: Practice | Neighbour) -> dict[str, str]:
        if isinstance(practice, Neighbour):
            empty = dict.fromkeys(FIELDS, "")
            return {**empty, "title": practice.about, "questions": " . ".join(practice.questions)}
        body = _MARKUP_RE.sub(" ", practice.body)
        updates = " ".join(f"{u.old} {u.now}" for u in practice.updates)
        return {
            "title": f"{practice.title} {practice.id.replace('-', ' ')}",
            "aliases": " . ".join(practice.aliases),
            "tags": " . ".join(practice.tags),
            "summary": practice.summary,
            "body": f"{body} {updates}",
            "questions": " . ".join(entry.q for entry in practice.faq),
            "answers": " . ".join(_MARKUP_RE.sub(" ", entry.a) for entry in practice.faq),
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
        documents = (*self.practices, *self.neighbours)
        n_docs = len(documents)
        field_counts: list[dict[str, Counter]] = []
        lengths: dict[str, list[int]] = {f: [] for f in FIELDS}
        surface: Counter = Counter()
        asked: Counter = Counter()  # words of FAQ and neighbours' questions, typos and all
        for practice in documents:
            counts: dict[str, Counter] = {}
            for name, text in self._fields_of(practice).items():
                terms = self._terms_with_pairs(text, asked if name == "questions" else surface)
                counts[name] = Counter(terms)
                lengths[name].append(sum(1 for t in terms if " " not in t))
            field_counts.append(counts)
        avg = {f: (sum(v) / len(v) if v and sum(v) else 1.0) for f, v in lengths.items()}
        # A word pair written once in the whole knowledge base is a chance neighbour, not a
        # phrase: keeping such pairs would triple the index (and the start-up that loads it).
        pair_total: Counter = Counter()
        for counts in field_counts:
            for counter in counts.values():
                pair_total.update({t: c for t, c in counter.items() if " " in t})
        once = {t for t, c in pair_total.items() if c < 2}
        for counts in field_counts:
            for counter in counts.values():
                for term in once & counter.keys():
                    del counter[term]

        doc_freq: Counter = Counter()
        for counts in field_counts:
            doc_freq.update(set().union(*(c.keys() for c in counts.values())))
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
        self.postings = PackedPostings(self.postings)

        # Words the knowledge base uses, for typo correction: surface form -> frequency. The
        # example questions are written as people type, misspellings included: a word only
        # they use is known unless it is a near miss of a word the written text uses.
        def variants_of(counter: Counter) -> Counter:
            out: Counter = Counter()
            for word, count in counter.items():
                for variant in _word_variants(word):
                    if len(variant) > 2 and not variant.isdigit() and variant not in self.vocab.stopwords:
                        out[variant] += count
            return out

        known = {w: c for w, c in variants_of(surface).items() if stem(w) in self.idf}
        self._term_cache = {}
        for phrase in self.vocab.synonyms:
            for word in phrase:
                if len(word) > 2:
                    known.setdefault(word, 1)
        self.known_words = known
        self._known_list = list(known)
        typos: set[str] = set()
        for word, count in variants_of(asked).items():
            if word in known or stem(word) not in self.idf:
                continue
            if self._correct(word) is not None:
                typos.add(stem(word))
            else:
                known[word] = count
        self._known_list = list(known)
        self._known_stems = ({stem(w) for w in known} | {t for t in self.idf if " " not in t}) - typos
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

    def analyse(self, question: str) -> _Question:
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

        # Adjacent words as a pair ("access point", "secrets manager"): a known phrase counts in
        # full, any other pair of specific words a little.
        primary = [stem(v[0]) for v in units if not self._is_stop(v[0])]
        for a, b in zip(primary, primary[1:]):
            if a == b or a in vocab.generic and b in vocab.generic:
                continue
            q.add(f"{a} {b}", WEIGHT_TYPED if (a, b) in vocab.phrases else WEIGHT_PAIR)
        q.units = [unit_terms[i] for i in sorted(set(content_units))]
        return q

    def score(self, q: _Question) -> tuple[list[tuple[int, float]], float]:
        """Practices ranked by BM25F + aboutness for an analysed question, and the score a
        practice matching every term fully would get (to turn a score into a relevance)."""
        scores: dict[int, float] = defaultdict(float)
        for term, weight in q.weights.items():
            for doc, value in self.postings.get(term, {}).items():
                scores[doc] += weight * value
        ceiling = sum(w * (self.idf.get(t, self.max_idf) * (K1 + 1) + self.about.get(t, 0.0))
                      for t, w in q.weights.items()) or 1.0
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])), ceiling

    def matched(self, doc: int, q: _Question) -> tuple[str, ...]:
        """The question's words that practice `doc` matched."""
        return tuple(sorted(t for t in q.weights if " " not in t and doc in self.postings.get(t, {})))

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


@record(frozen=False)
class _Question:
    weights: dict[str, float] = field(factory=dict)
    units: list[set[str]] = field(factory=list)  # the terms of each content word
    corrections: tuple[tuple[str, str], ...] = ()
    unknown: tuple[str, ...] = ()
    wants_snippet: bool = False
    foreign: float = 0.0  # words naming subjects outside the guide (1 each), or unknown to it (0.5)

    def add(self, term: str, weight: float) -> None:
        if weight > self.weights.get(term, 0.0):
            self.weights[term] = weight


def _rank_kinds(kinds: Sequence[str], weights: dict[str, float]) -> tuple[str, ...]:
    """A practice's snippet kinds, those whose name shares words with the question first."""
    def overlap(kind: str) -> float:
        return sum(weights.get(stem(part), 0.0) for part in kind.split("-"))
    return tuple(sorted(kinds, key=lambda k: (-overlap(k), kinds.index(k))))
