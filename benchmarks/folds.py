"""Cross-validation folds over the FAQ and the neighbouring subjects, shared by quality.py
(which scores them) and fit_decision.py (which fits the engine's answer/no-answer model on them).

Leave one style out: for each FAQ style (new engineer, terse, typos, ...), an engine is built
without any question of that style (neither as an example nor in the practices' FAQ fields) and
asked them. The neighbouring subjects' questions are held out five folds at a time; each must
get no answer from an engine built without it.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import load_knowledge  # noqa: E402
from knowledge.faq import load_neighbours  # noqa: E402
from knowledge.record import replace  # noqa: E402
from knowledge.search import SearchEngine  # noqa: E402

NEIGHBOUR_FOLDS = 5


def folds() -> Iterator[tuple[str, SearchEngine, list[tuple[str, list[str]]]]]:
    """(fold name, engine without the fold's questions, [(question, acceptable ids)])."""
    practices = load_knowledge().practices
    neighbours = load_neighbours(known_practices=[p.id for p in practices])
    for style in sorted({entry.style for p in practices for entry in p.faq}):
        kept = [replace(p, faq=tuple(e for e in p.faq if e.style != style)) for p in practices]
        held = [(e.q, [p.id]) for p in practices for e in p.faq if e.style == style]
        yield style, SearchEngine(kept, neighbours=neighbours), held
    for fold in range(NEIGHBOUR_FOLDS):
        held, kept_neighbours = [], []
        for n in neighbours:
            questions = list(n.questions)
            held.extend((q, []) for q in questions[fold::NEIGHBOUR_FOLDS])
            kept_neighbours.append(replace(
                n, questions=tuple(q for i, q in enumerate(questions) if i % NEIGHBOUR_FOLDS != fold)))
        yield "neighbours", SearchEngine(practices, neighbours=tuple(kept_neighbours)), held
