#!/usr/bin/env python3
"""Speed and size of the question engine, next to a plain baseline measured in the same run.

    python benchmarks/speed.py [--entries 5000] [--questions 60] [--starts 5]

Prints, for the real knowledge base and for a synthetic one of --entries practices made from
the real text (sentences shuffled across entries, titles and tags recombined, a unique made-up
word or two per entry so the vocabulary grows as a real base would):

- index build time and the growth of the process's peak memory (max RSS) while building,
- per-question latency, median and p95, of `SearchEngine.ask`,
- the same for the baseline: rapidfuzz `process.extract` with `WRatio` over each entry's text,
- top-1 accuracy of both on tests/questions.jsonl (real base only: the synthetic one has no truth),
- cold start of the whole `eksguide ask "..."` process against `python -c "import yaml, rapidfuzz"`.

Figures, not assertions: nothing here fails a build. Runs in well under a minute on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
import resource
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from knowledge import Practice, Source, load_knowledge  # noqa: E402
from knowledge.search import SearchEngine  # noqa: E402

QUESTIONS = ROOT / "tests" / "questions.jsonl"
LONG_QUESTIONS = ROOT / "benchmarks" / "questions_d.jsonl"  # has long pasted situations


def synthetic_base(real: tuple[Practice, ...], size: int, seed: int = 7) -> list[Practice]:
    rng = random.Random(seed)
    sentences = [s.strip() for p in real for s in p.body.replace("\n", " ").split(". ") if len(s.split()) > 4]
    title_words = sorted({w for p in real for w in p.title.split() if w.isalpha() and len(w) > 3})
    tags = sorted({t for p in real for t in p.tags})
    areas = sorted({p.area for p in real})
    syllables = ["ka", "zo", "ri", "mu", "te", "vo", "la", "shi", "pen", "dra", "qu", "nix"]
    out = []
    for n in range(size):
        made_up = "".join(rng.choice(syllables) for _ in range(4))
        title = " ".join(rng.sample(title_words, 5)) + f" {made_up}"
        body = ". ".join(rng.sample(sentences, 12)) + f". The {made_up} setting matters here."
        out.append(Practice(
            id=f"synthetic-{n}", title=title, area=rng.choice(areas), level="recommended",
            summary=". ".join(rng.sample(sentences, 1)) + ".", body=body,
            tags=tuple(rng.sample(tags, 5)) + (made_up,), aliases=(f"{made_up} practice",),
            sources=(Source("synthetic", "https://example.com"),),
        ))
    return out


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def build(practices) -> tuple[SearchEngine, float, float]:
    before = _max_rss_mib()
    start = time.perf_counter()
    engine = SearchEngine(practices)
    seconds = time.perf_counter() - start
    return engine, seconds, _max_rss_mib() - before


def latencies(fn, questions) -> list[float]:
    """CPU ms per question (process time: a loaded machine does not inflate it)."""
    out = []
    for q in questions:
        start = time.process_time()
        fn(q)
        out.append((time.process_time() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def baseline(practices):
    texts = [f"{p.title} {' '.join(p.aliases)} {' '.join(p.tags)} {p.summary} {p.body}" for p in practices]

    def ask(question: str):
        return process.extract(question, texts, scorer=fuzz.WRatio, limit=5)

    return ask


def accuracy(ask_ids, rows) -> float:
    rows = [r for r in rows if r["ids"]]
    return sum(1 for r in rows if (got := ask_ids(r["q"])) and got[0] in r["ids"]) / len(rows)


def cold_start(starts: int) -> tuple[float, float]:
    """Median CPU ms (user + system) of `eksguide ask` with a warm cache, and of the baseline
    `python -c "import yaml, rapidfuzz"`, in the same run. CPU time, not wall time: a loaded
    machine stretches wall time, not the work done. Bytecode is compiled first, as an installed
    package has it (PYTHONDONTWRITEBYTECODE would otherwise make every start compile the source)."""
    import compileall
    import resource

    for package in ("knowledge", "snippets", "tui"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    script = Path(sys.executable).with_name("eksguide")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]

    def median_cpu(argv) -> float:
        subprocess.run(argv, capture_output=True, check=True, cwd=ROOT)  # warms the cache and the page cache
        times = []
        for _ in range(starts):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(argv, capture_output=True, check=True, cwd=ROOT)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append(1000 * (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
        return statistics.median(times)

    return (median_cpu(command + ["ask", "how do I encrypt EBS volumes with my own KMS key"]),
            median_cpu([sys.executable, "-c", "import yaml, rapidfuzz"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=2000, help="size of the synthetic knowledge base")
    parser.add_argument("--questions", type=int, default=60, help="questions timed per base")
    parser.add_argument("--baseline-questions", type=int, default=10,
                        help="questions timed for the baseline on the synthetic base (it takes about a second each)")
    parser.add_argument("--starts", type=int, default=15, help="process starts timed for the cold start")
    args = parser.parse_args()

    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(1)
    sample = [r["q"] for r in rng.sample(rows, min(args.questions, len(rows)))]
    long_rows = [json.loads(line) for line in LONG_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    sample += [r["q"] for r in long_rows if r.get("kind") == "long"][: args.questions // 2]
    real = load_knowledge().practices

    print(f"{'base':<16}{'entries':>8}{'build ms':>10}{'+RSS MiB':>10}  {'engine p50/p95 ms':>18}  {'baseline p50/p95 ms':>20}  {'p95 ratio':>9}")
    for name, practices in (("real", real), ("synthetic", synthetic_base(real, args.entries))):
        engine, seconds, peak = build(practices)
        ours = latencies(engine.ask, sample)
        base_ask = baseline(practices)
        theirs = latencies(base_ask, sample if name == "real" else sample[: args.baseline_questions])
        print(f"{name:<16}{len(practices):>8}{seconds * 1000:>10.1f}{peak:>10.1f}  "
              f"{statistics.median(ours):>8.3f} /{p95(ours):>8.3f}  {statistics.median(theirs):>9.3f} /{p95(theirs):>8.3f}"
              f"  {p95(ours) / p95(theirs):>9.2f}")
        if name == "real":
            ours_top1 = accuracy(lambda q: [a.practice.id for a in engine.ask(q).answers], rows)
            theirs_top1 = accuracy(lambda q: [practices[i].id for _, _, i in base_ask(q)], rows)
            real_summary = f"top-1 on {QUESTIONS.name}: engine {ours_top1:.3f}, baseline {theirs_top1:.3f}"

    print(real_summary)
    ours_ms, python_ms = cold_start(args.starts)
    print(f"cold start, CPU ms (median of {args.starts}): eksguide ask {ours_ms:.1f}; "
          f"python -c 'import yaml, rapidfuzz' {python_ms:.1f}; ratio {ours_ms / python_ms:.2f} (target at most 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
