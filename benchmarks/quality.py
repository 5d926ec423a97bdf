#!/usr/bin/env python3
"""Answer quality of the question engine: cross-validation over the FAQ, and question sets.

    python benchmarks/quality.py [SET.jsonl ...] [--misses] [--no-cv]

1. Leave-one-style-out cross-validation over the FAQ questions: for each style (new engineer,
   terse, typos, ...), every FAQ question of that style is taken out of the evidence and asked;
   the neighbouring subjects' questions are taken out five folds at a time and must get no answer.
2. Question sets: one JSON object per line, {"q": question, "ids": [acceptable ids, best first]};
   an empty ids list marks a question the knowledge base does not cover. Prints top-1, top-3 and
   the share of off-topic questions rejected, per set (and per "kind" where a set has one).

The held-out sets (benchmarks/questions_d.jsonl) were written by someone who saw neither the
FAQ nor the engine; their first score, before any change they prompted, is in the README.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.search import SearchEngine, default_engine  # noqa: E402

DEFAULT_SETS = [ROOT / "benchmarks" / "questions_d.jsonl", ROOT / "tests" / "questions.jsonl",
                ROOT / "benchmarks" / "questions_b.jsonl", ROOT / "benchmarks" / "questions_c.jsonl"]


class Tally:
    def __init__(self) -> None:
        self.top1 = self.top3 = self.n_in = self.ood_ok = self.n_ood = 0

    def add(self, want: list[str], got: list[str]) -> bool:
        """Count one question; True when it is a miss."""
        if want:
            self.n_in += 1
            hit1 = bool(got) and got[0] in want
            self.top1 += hit1
            self.top3 += any(g in want for g in got[:3])
            return not hit1
        self.n_ood += 1
        self.ood_ok += not got
        return bool(got)

    def line(self) -> str:
        return (f"top1 {self.top1 / max(self.n_in, 1):.3f}  top3 {self.top3 / max(self.n_in, 1):.3f}  "
                f"ood-rejected {self.ood_ok / max(self.n_ood, 1):.3f}  ({self.n_in} in, {self.n_ood} off-topic)")


def cross_validate(show_misses: bool) -> None:
    """Leave one FAQ style out at a time: an engine built without those questions (neither as
    examples nor in the practices' FAQ fields) answers them; then the neighbouring subjects'
    questions, five folds at a time."""
    from knowledge import load_knowledge
    from knowledge.faq import load_neighbours

    practices = load_knowledge().practices
    neighbours = load_neighbours(known_practices=[p.id for p in practices])
    styles = sorted({entry.style for p in practices for entry in p.faq})
    total = Tally()
    print("Leave-one-style-out cross-validation over the FAQ questions:")
    for style in styles:
        kept = [dataclasses.replace(p, faq=tuple(e for e in p.faq if e.style != style)) for p in practices]
        engine = SearchEngine(kept, neighbours=neighbours)
        tally = Tally()
        for practice in practices:
            for entry in practice.faq:
                if entry.style != style:
                    continue
                got = [a.practice.id for a in engine.ask(entry.q).answers]
                for t in (tally, total):
                    miss = t.add([practice.id], got)
                if miss and show_misses:
                    print(f"  MISS [{style}] {entry.q[:300]!r}\n       want {practice.id} got {got[:3] or 'no answer'}")
        print(f"  {style:<13} {tally.line()}")
    folds = 5
    tally = Tally()
    for fold in range(folds):
        held: list[str] = []
        kept_neighbours = []
        for n in neighbours:
            questions = list(n.questions)
            held.extend(questions[fold::folds])
            kept_neighbours.append(dataclasses.replace(n, questions=tuple(
                q for i, q in enumerate(questions) if i % folds != fold)))
        engine = SearchEngine(practices, neighbours=tuple(kept_neighbours))
        for question in held:
            got = [a.practice.id for a in engine.ask(question).answers]
            for t in (tally, total):
                miss = t.add([], got)
            if miss and show_misses:
                print(f"  MISS [neighbour] {question[:300]!r}\n       got {got[:3]}")
    print(f"  {'neighbours':<13} {tally.line()}")
    print(f"  {'all':<13} {total.line()}")


def evaluate(path: Path, show_misses: bool) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = default_engine()
    total = Tally()
    kinds: dict[str, Tally] = defaultdict(Tally)
    start = time.perf_counter()
    for row in rows:
        got = [a.practice.id for a in engine.ask(row["q"]).answers]
        miss = total.add(row["ids"], got)
        if "kind" in row:
            kinds[row["kind"]].add(row["ids"], got)
        if miss and show_misses:
            print(f"  MISS {row['q'][:300]!r}\n       want {row['ids'] or 'no answer'} got {got[:3] or 'no answer'}")
    ms = 1000 * (time.perf_counter() - start) / max(len(rows), 1)
    print(f"{path.name}: {len(rows)} questions  {total.line()}  {ms:.2f} ms/question")
    for kind, tally in sorted(kinds.items()):
        print(f"  {kind:<10} {tally.line()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args()
    if not args.no_cv and not args.sets:
        cross_validate(args.misses)
    for path in args.sets or [p for p in DEFAULT_SETS if p.exists()]:
        evaluate(path, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
