"""Nearest questions: the FAQ's questions (and the neighbouring subjects') as evidence.

Each example question is analysed exactly as a user's question is (synonyms, typo correction,
pairs), giving weighted terms. A question is compared with every example that shares a term
with it through an inverted index. The similarity asks two things at once: how much of the
example the question says (so a long pasted situation that contains a FAQ question's salient
words still meets it), and how much of the question the example says (so a short question is
not matched by a long example on one common word). Each label (a practice id, or a neighbouring
subject's id) is scored by its three best examples.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .packed import PackedPostings

RECALL_WEIGHT = 0.65  # against precision, in the geometric mean that makes a similarity


class ExampleIndex:
    """An inverted index over weighted example questions, each with a label."""

    def __init__(self, examples: Iterable[tuple[str, Mapping[str, float]]]):
        self.labels: list[str] = []
        self.norms: list[float] = []
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        rows = [(label, dict(weights)) for label, weights in examples]
        n = len(rows) or 1
        df: dict[str, int] = defaultdict(int)
        for _, weights in rows:
            for term in weights:
                df[term] += 1
        # a word pair only one example uses cannot connect two questions: leave it out
        rows = [(label, {t: w for t, w in weights.items() if " " not in t or df[t] > 1}) for label, weights in rows]
        df = {t: c for t, c in df.items() if " " not in t or c > 1}
        self.shared = frozenset(t for t, c in df.items() if c > 1)  # terms more than one example uses
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.default_idf = math.log(1 + n)
        for index, (label, weights) in enumerate(rows):
            self.labels.append(label)
            norm = 0.0
            for term, weight in weights.items():
                value = weight * self.idf[term]
                postings[term].append((index, value))
                norm += value
            self.norms.append(norm or 1.0)
        self.postings = PackedPostings(postings)

    def __len__(self) -> int:
        return len(self.labels)

    def query_norm(self, weights: Mapping[str, float]) -> float:
        return sum(w * self.idf.get(t, self.default_idf) for t, w in weights.items()) or 1.0

    def similarities(self, weights: Mapping[str, float], exclude: frozenset[int] = frozenset(),
                     recall_weight: float = RECALL_WEIGHT) -> dict[int, float]:
        """Similarity in [0, 1] of the question to each example that shares a term with it;
        `recall_weight` says how much "the question says most of the example" counts against
        "the example says most of the question"."""
        overlap: dict[int, float] = defaultdict(float)
        for term, q_weight in weights.items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            cap = q_weight * idf  # the smaller of the two weights: a synonym meets a typed word at its own weight
            for index, value in self.postings[term].items():
                overlap[index] += value if value < cap else cap
        q_norm = self.query_norm(weights)
        out: dict[int, float] = {}
        for index, shared in overlap.items():
            if index in exclude:
                continue
            recall = shared / self.norms[index]
            precision = shared / q_norm
            out[index] = recall ** recall_weight * precision ** (1 - recall_weight)
        return out

    def by_label(self, weights: Mapping[str, float], exclude: frozenset[int] = frozenset()
                 ) -> dict[str, tuple[tuple[float, float, float], int]]:
        """Each label's three best similarities (zeros where it has fewer) and its best
        example's index, for the labels with any example that shares a term with the question."""
        best: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for index, sim in self.similarities(weights, exclude).items():
            best[self.labels[index]].append((sim, index))
        out: dict[str, tuple[tuple[float, float, float], int]] = {}
        for label, sims in best.items():
            top = sorted(sims, reverse=True)[:3]
            values = [sim for sim, _ in top] + [0.0] * (3 - len(top))
            out[label] = ((values[0], values[1], values[2]), top[0][1])
        return out


class LabelModel:
    """Which label a question's words point to, pooled over all of the label's examples.

    A multinomial naive Bayes model over the example questions' single words (pairs left out):
    where the nearest example needs one question worded like the user's, this one lets every
    word count for the labels whose questions use it, however they are spread among them. It
    is the evidence that holds when the user's wording is like no single example's.
    `posteriors` gives each label's probability, with equal priors; the temperature softens
    the model's overconfidence (its words are not independent).
    """

    def __init__(self, examples: Iterable[tuple[str, Mapping[str, float]]],
                 smoothing: float = 0.1, temperature: float = 3.0):
        counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for label, weights in examples:
            for term, weight in weights.items():
                if " " not in term:
                    counts[label][term] += weight
        self.labels = sorted(counts)
        self.temperature = temperature
        self.log_smoothing = math.log(smoothing)
        vocabulary = {t for terms in counts.values() for t in terms}
        # log P(term | label) = log(count + smoothing) - denominator[label]
        self.denominators = {label: math.log(sum(terms.values()) + smoothing * len(vocabulary))
                             for label, terms in counts.items()}
        # per term, the labels that use it (by number) and log((count + smoothing) / smoothing)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, label in enumerate(self.labels):
            for term, count in counts[label].items():
                postings[term].append((number, math.log((count + smoothing) / smoothing)))
        self.postings = PackedPostings(postings)

    def posteriors(self, weights: Mapping[str, float]) -> dict[str, float]:
        """P(label | question) for every label; empty when no word of the question is known."""
        known = [(t, w) for t, w in weights.items() if t in self.postings]
        if not known:
            return {}
        total = sum(w for _, w in known)
        logits = [total * (self.log_smoothing - self.denominators[label]) for label in self.labels]
        for term, weight in known:
            for number, boost in self.postings[term].items():
                logits[number] += weight * boost
        top = max(logits)
        exp = [math.exp((value - top) / self.temperature) for value in logits]
        norm = sum(exp)
        return {label: value / norm for label, value in zip(self.labels, exp)}
