"""A discriminative model of which label a question's words point to.

The nearest example (`examples.ExampleIndex`) needs one example worded like the question, and the
label model (`examples.LabelModel`, naive Bayes) counts every word for every label that uses it,
however common the word is among them. This one learns from the examples which words tell
labels apart: a softmax regression (multinomial logistic regression) over the example
questions' weighted terms, words and word pairs alike, trained here by plain stochastic
gradient descent.

It is trained when the engine is built (under a second on the shipped examples) and cached
with it. Two things keep it small and fast in pure Python: a class's weight on a term is
created only when the model, seeing an example with that term, gives the class a probability
over SPARSE_FLOOR (or the class is the example's own label), so each term holds weights for
the few classes it was ever confused with; and training stops after a fixed number of epochs
with a shrinking step, which regularises it well enough for this use (the fusion weighs it
against the other evidence). The example order is shuffled with a fixed seed, so the same
examples always give the same model.
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping

from .packed import PackedPostings

EPOCHS = 4
RATE = 0.3  # the step of the first epoch; epoch k uses RATE / (1 + k)
BIAS_RATE = 0.1  # a class's bias learns at this share of the step
SPARSE_FLOOR = 0.05  # a class other than the example's own is updated from this probability up
SEED = 0


class LinearModel:
    """Softmax regression over weighted terms: `posteriors(weights)` gives P(label | question)."""

    def __init__(self, examples: Iterable[tuple[str, Mapping[str, float]]], epochs: int = EPOCHS):
        rows = [(label, dict(weights)) for label, weights in examples]
        self.labels: list[str] = sorted({label for label, _ in rows})
        number = {label: i for i, label in enumerate(self.labels)}
        data = [(number[label], weights) for label, weights in rows if weights]
        bias = [0.0] * len(self.labels)
        weights_of: dict[str, dict[int, float]] = {}
        order = list(range(len(data)))
        shuffle = random.Random(SEED).shuffle
        for epoch in range(epochs):
            shuffle(order)
            step = RATE / (1 + epoch)
            for index in order:
                target, terms = data[index]
                probabilities = _softmax(_logits(bias, weights_of, terms))
                for label, p in enumerate(probabilities):
                    gradient = p - 1.0 if label == target else p
                    if label != target and p < SPARSE_FLOOR:
                        continue
                    bias[label] -= step * BIAS_RATE * gradient
                    for term, value in terms.items():
                        row = weights_of.setdefault(term, {})
                        row[label] = row.get(label, 0.0) - step * gradient * value
        self.bias = tuple(bias)
        self.weights = PackedPostings(weights_of)

    def posteriors(self, weights: Mapping[str, float]) -> dict[str, float]:
        """P(label | question) for every label; empty when no term of the question is known."""
        if not any(term in self.weights for term in weights):
            return {}
        probabilities = _softmax(_logits(self.bias, self.weights, weights))
        return dict(zip(self.labels, probabilities))


def _logits(bias, weights_of, terms: Mapping[str, float]) -> list[float]:
    logits = list(bias)
    for term, value in terms.items():
        row = weights_of.get(term)
        if row:
            for label, weight in row.items():
                logits[label] += value * weight
    return logits


def _softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exp = [math.exp(z - top) for z in logits]
    total = sum(exp)
    return [e / total for e in exp]
