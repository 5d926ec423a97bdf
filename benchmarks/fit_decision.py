#!/usr/bin/env python3
"""Fit the engine's answer/no-answer model on the cross-validation folds and print it.

    python benchmarks/fit_decision.py

For every held-out question of every fold (folds.py), the engine built without it computes its
decision features (SearchEngine.judge); a logistic regression (plain gradient descent
on standardised features, L2 penalty) learns whether the guide answers the question. Prints the
weights to put in knowledge/search.py (DECISION_WEIGHTS, DECISION_BIAS) and the cross-validated
figures each threshold would give. Only the folds are used: no held-out set shapes the model.
"""
from __future__ import annotations

import math
import sys
from collections import defaultdict

from folds import folds

from knowledge.search import DECISION_FEATURES


def collect() -> list[tuple[str, list[str], list[str], tuple[float, ...] | None]]:
    """(fold, acceptable ids, the three best practices, the decision features) per held-out question."""
    rows = []
    for name, engine, held in folds():
        for question, want in held:
            judged = engine.judge(engine.ranker.analyse(question))
            features = judged.features if judged is not None else None
            order = [engine.practices[d].id for d in judged.order[:3]] if features is not None else []
            rows.append((name, want, order, features))
    return rows


def fit(data: list[tuple[tuple[float, ...], int]], epochs: int = 600, rate: float = 0.1, l2: float = 1e-3):
    d = len(data[0][0])
    mean = [sum(x[i] for x, _ in data) / len(data) for i in range(d)]
    std = [max(1e-6, math.sqrt(sum((x[i] - mean[i]) ** 2 for x, _ in data) / len(data))) for i in range(d)]
    z = [([(v - mean[i]) / std[i] for i, v in enumerate(x)], y) for x, y in data]
    w, b = [0.0] * d, 0.0
    for _ in range(epochs):
        grad, grad_b = [0.0] * d, 0.0
        for x, y in z:
            error = 1 / (1 + math.exp(-(sum(a * c for a, c in zip(w, x)) + b))) - y
            for i in range(d):
                grad[i] += error * x[i]
            grad_b += error
        w = [w[i] - rate * (grad[i] / len(z) + l2 * w[i]) for i in range(d)]
        b -= rate * grad_b / len(z)
    weights = [w[i] / std[i] for i in range(d)]
    return weights, b - sum(w[i] * mean[i] / std[i] for i in range(d))


def main() -> int:
    rows = collect()
    data = [(features, 1 if want else 0) for _, want, _, features in rows if features is not None]
    weights, bias = fit(data)
    print("DECISION_WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in weights) + ")")
    print(f"DECISION_BIAS = {bias:.3f}")
    for name, w in zip(DECISION_FEATURES, weights):
        print(f"  {name:<22} {w:+.3f}")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        counts = defaultdict(int)
        for _, want, order, features in rows:
            p = 0.0 if features is None else 1 / (1 + math.exp(-(bias + sum(a * c for a, c in zip(weights, features)))))
            got = order if p >= threshold else []
            if want:
                counts["in"] += 1
                counts["top1"] += bool(got) and got[0] in want
                counts["top3"] += any(g in want for g in got)
            else:
                counts["out"] += 1
                counts["rejected"] += not got
        print(f"threshold {threshold:.1f}: top1 {counts['top1'] / counts['in']:.3f}  top3 {counts['top3'] / counts['in']:.3f}"
              f"  off-topic rejected {counts['rejected'] / counts['out']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
