#!/usr/bin/env python3
"""Answer quality of the question engine on a question set, with the misses.

    python benchmarks/quality.py [SET.jsonl ...] [--misses]

A set has one JSON object per line: {"q": question, "ids": [acceptable ids, best first]};
an empty ids list marks a question the knowledge base does not cover. Prints top-1, top-3
and the share of off-topic questions rejected, per set.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.search import default_engine  # noqa: E402


def evaluate(path: Path, show_misses: bool) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = default_engine()
    top1 = top3 = n_in = ood_ok = n_ood = 0
    misses = []
    start = time.perf_counter()
    for row in rows:
        got = [a.practice.id for a in engine.ask(row["q"]).answers]
        if row["ids"]:
            n_in += 1
            top1 += bool(got) and got[0] in row["ids"]
            top3 += any(g in row["ids"] for g in got[:3])
            if not got or got[0] not in row["ids"]:
                misses.append((row["q"], row["ids"], got[:3]))
        else:
            n_ood += 1
            ood_ok += not got
            if got:
                misses.append((row["q"], [], got[:3]))
    elapsed = time.perf_counter() - start
    if show_misses:
        for q, want, got in misses:
            print(f"MISS {q!r}\n     want {want or 'no answer'}\n     got  {got or 'no answer'}")
    return {
        "set": path.name, "questions": len(rows), "top1": top1 / max(n_in, 1), "top3": top3 / max(n_in, 1),
        "ood": ood_ok / max(n_ood, 1), "ms_per_question": 1000 * elapsed / max(len(rows), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", type=Path,
                        default=[ROOT / "tests" / "questions.jsonl", ROOT / "benchmarks" / "questions_b.jsonl",
                                 ROOT / "benchmarks" / "questions_c.jsonl"])
    parser.add_argument("--misses", action="store_true", help="print every miss")
    args = parser.parse_args()
    for path in args.sets:
        r = evaluate(path, args.misses)
        print(f"{r['set']}: {r['questions']} questions  top1 {r['top1']:.3f}  top3 {r['top3']:.3f}  "
              f"ood-rejected {r['ood']:.3f}  {r['ms_per_question']:.2f} ms/question")
    return 0


if __name__ == "__main__":
    sys.exit(main())
