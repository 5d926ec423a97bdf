#!/usr/bin/env python3
"""Answer quality of the question engine: cross-validation over the FAQ, and question sets.

    python benchmarks/quality.py [SET.jsonl ...] [--misses] [--no-cv]

1. Leave-one-style-out cross-validation over the FAQ questions: for each style (new engineer,
   terse, typos, ...), every FAQ question of that style is taken out of the evidence and asked;
   the neighbouring subjects' questions are taken out five folds at a time and must get no answer.
2. Question sets: one JSON object per line, {"q": question, "ids": [acceptable ids, best first]};
   an empty ids list marks a question the knowledge base does not cover. Prints top-1, top-3 and
   the share of off-topic questions rejected, per set (and per "kind" where a set has one).

The held-out sets (benchmarks/questions_d.jsonl and questions_e.jsonl) were written by people who
saw neither the FAQ nor the engine; their first score, before any change they prompted, is in
the README.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from knowledge.search import default_engine  # noqa: E402

DEFAULT_SETS = [ROOT / "benchmarks" / "questions_e.jsonl", ROOT / "benchmarks" / "questions_d.jsonl",
                ROOT / "tests" / "questions.jsonl",
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
    """Leave-one-style-out over the FAQ, and the neighbouring subjects in five folds (folds.py)."""
    from folds import folds

    tallies: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    for name, engine, held in folds():
        for question, want in held:
            got = [a.practice.id for a in engine.ask(question).answers]
            total.add(want, got)
            if tallies[name].add(want, got) and show_misses:
                print(f"  MISS [{name}] {question[:300]!r}\n       want {want or 'no answer'} got {got[:3] or 'no answer'}")
    print("Leave-one-style-out cross-validation over the FAQ questions (neighbouring subjects: 5 folds):")
    for name, tally in tallies.items():
        print(f"  {name:<13} {tally.line()}")
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
