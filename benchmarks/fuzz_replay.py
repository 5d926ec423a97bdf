#!/usr/bin/env python3
"""Replay hostile input through every field of every snippet kind, and through the paths and
state files the command line reads, and print what happened.

    python benchmarks/fuzz_replay.py [--processes 120] [--seed 1]

In-process: every field of every kind gets each hostile value (with the kind's example values
for the other fields). Each build must either render or raise SnippetError naming fields; a
YAML snippet must keep the document count, the keys and the scalar types it has with the
examples (a value may change a value, never the structure). As real processes: a seeded sample
of the same, plus --output and EKSGUIDE_HOME/EKSGUIDE_CACHE_DIR edge cases; every run must exit
0 or 2, print no traceback and finish within its time limit.

Figures, not assertions: the counts are printed, and the exit status is 1 when any crash,
structure change, traceback or hang was seen.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from snippets import SnippetError, available, build  # noqa: E402

HOSTILE = [
    "", " ", "-", "--", "---", "...", "y", "N", "08", "1e3", "0o17", "1e309", "null", "~", "<<", "*a", "&a", "!!python/object",
    "9" * 5000, "9" * 5000 + "h", "1" * 26 + "x", "-1", "0", "2147483648", "1.5", "NaN", "inf",
    "a\nb", "a\rb", "a\x00b", "a\tb", "\x1b[2J", "\x9b31m", "\u202etxt.yaml", "zero\u200bwidth", "\ufeffbom",
    "\ud800", "é", "名前", "١٢٣", "１２３", "eu-west-١",
    "$(id)", "`id`", "a;rm -rf /", "'", '"', "\\", "a' OR '1'='1", "| stats count(*)", "x # comment",
    "key: value", "{a: 1}", "[1, 2]", "- item", "a: b\nc: d", "%{x}", "${HOME}",
    "x" * 300, "x" * 100_000, "~nosuchuser/x", "../../etc/passwd", "/dev/null",
    "arn:aws-evil:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws-cn:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "alias/aws/ebs", "fs-0123", "subnet-zzzz", "sg-", "a,b,,c", ",", "5000000h", "1h1h", "-5m",
]


def examples(spec) -> dict:
    return {f.id: f.example for f in spec.fields if f.example and f.type in ("text", "list", "int")}


def shape(text: str):
    """Document count, keys and scalar types of a YAML stream (values themselves left out)."""
    def walk(node):
        if isinstance(node, dict):
            return {str(k): walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return ["list"]  # list lengths follow the values (keys, items)
        return type(node).__name__

    return [walk(doc) for doc in yaml.safe_load_all(text)]


def in_process() -> Counter:
    counts: Counter = Counter()
    for spec in available():
        base = examples(spec)
        for field in spec.fields:
            # an optional field left empty drops its key: that shape is as legitimate as the examples'
            shapes = []
            for answers in (base, {k: v for k, v in base.items() if k != field.id}):
                try:
                    shapes.append(shape(build(spec, answers).text) if spec.language == "yaml" else None)
                except (SnippetError, yaml.YAMLError):
                    pass
            for value in HOSTILE:
                started = time.process_time()
                try:
                    snippet = build(spec, {**base, field.id: value})
                except SnippetError as exc:
                    counts["rejected (field error)"] += 1
                    if not all(e.field for e in exc.errors):
                        counts["rejected without naming a field"] += 1
                    continue
                except Exception as exc:  # noqa: BLE001 - this is what the replay looks for
                    counts["CRASH"] += 1
                    print(f"CRASH {spec.kind} --{field.id} {value[:40]!r}: {type(exc).__name__}: {exc}"[:300])
                    continue
                finally:
                    if time.process_time() - started > 1.0:
                        counts["SLOW (over 1 s CPU)"] += 1
                counts["rendered"] += 1
                if spec.language == "yaml" and shapes and field.type in ("text", "int"):
                    try:
                        same = shape(snippet.text) in shapes
                    except yaml.YAMLError:
                        same = False
                    if not same:
                        counts["STRUCTURE CHANGED"] += 1
                        print(f"STRUCTURE {spec.kind} --{field.id} {value[:40]!r}")
    return counts


def run(argv: list[str], env: dict, cwd: str, timeout: float = 30) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout,
                              env=env, stdin=subprocess.DEVNULL, cwd=cwd)
    except subprocess.TimeoutExpired:
        return "HANG"
    if "Traceback" in done.stderr:
        return "TRACEBACK"
    return f"exit {done.returncode}" if done.returncode in (0, 1, 2) else f"EXIT {done.returncode}"


def processes(count: int, seed: int) -> Counter:
    rng = random.Random(seed)
    exe = Path(sys.executable).with_name("eksguide")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "tui.cli"]
    counts: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "EKSGUIDE_HOME": os.path.join(tmp, "home"), "EKSGUIDE_CACHE_DIR": os.path.join(tmp, "cache")}
        cwd = os.path.join(tmp, "cwd")  # relative --output names land here, not in the checkout
        os.mkdir(cwd)
        specs = available()
        for _ in range(count):
            spec = rng.choice(specs)
            field = rng.choice(spec.fields)
            value = rng.choice([v for v in HOSTILE if "\x00" not in v and "\ud800" not in v])  # argv cannot carry these
            outcome = run([*command, "snippet", spec.kind, f"--{field.id}={value}"], env, cwd)
            counts[f"snippet: {outcome}"] += 1
        fifo = os.path.join(tmp, "fifo")
        os.mkfifo(fifo)
        for output in ["-", "newdir/", "~nosuchuser/x.yaml", "x" * 250 + ".yaml", "x" * 300, "/dev/null", fifo,
                       os.path.join(tmp, "missing-dir", "x.yaml")]:
            counts[f"--output: {run([*command, 'snippet', 'ebs-storageclass', '--output', output], env, cwd, 20)}"] += 1
        for name, value in [("EKSGUIDE_HOME", "~nosuchuser/home"), ("EKSGUIDE_CACHE_DIR", "~nosuchuser/cache"),
                            ("EKSGUIDE_CACHE_DIR", fifo), ("EKSGUIDE_HOME", "/dev/null")]:
            for argv in (["ask", "encrypt ebs volumes"], ["tour", "--status"]):
                counts[f"{name}: {run([*command, *argv], {**env, name: value}, cwd, 20)}"] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=120, help="real `eksguide snippet` runs to sample")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    bad = 0
    for title, counts in (("in-process builds", in_process()), ("real processes", processes(args.processes, args.seed))):
        print(f"\n{title}: {sum(counts.values())}")
        for key, n in sorted(counts.items()):
            print(f"  {key:<44} {n:>7}")
            bad += n if any(word in key for word in ("CRASH", "STRUCTURE", "SLOW", "TRACEBACK", "HANG", "EXIT ")) else 0
    print(f"\n{bad} problem(s); {time.perf_counter() - started:.1f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
