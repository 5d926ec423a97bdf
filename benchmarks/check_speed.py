#!/usr/bin/env python3
"""Speed of `eksguide check` against PyYAML's own parsing of the same file.

    python benchmarks/check_speed.py [--objects 10000] [--runs 5]

Builds one multi-document YAML stream of --objects Kubernetes objects from the rule fixtures
(tests/fixtures/check/*/{bad,good}.yaml: StorageClasses, PersistentVolumes, Deployments, RBAC,
Secrets, SecretProviderClasses, ExternalSecrets, SealedSecrets, eksctl configs), each copy
renamed, and times, in CPU seconds (best and median of --runs):

- the baseline: `list(yaml.load_all(text, Loader=CSafeLoader))` (the C loader where PyYAML has
  it; the pure-Python SafeLoader otherwise, and the script says which);
- the check: loading with line numbers plus every rule (`knowledge.checks.check_text`, what
  `eksguide check -` runs), and the same followed by the JSON report the CLI prints.

The goal is a check at most 1.5 times the baseline. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from knowledge.checks import check_text  # noqa: E402
from knowledge.checks.report import to_json  # noqa: E402

try:
    from yaml import CSafeLoader as Loader
    LOADER = "CSafeLoader (libyaml)"
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]
    LOADER = "SafeLoader (pure Python: PyYAML was built without libyaml)"

FIXTURES = ROOT / "tests" / "fixtures" / "check"


def stream(count: int) -> tuple[str, int]:
    documents = []
    for path in sorted(FIXTURES.glob("*/*.yaml")):
        documents.extend(d.strip("\n") for d in path.read_text().split("\n---\n") if "apiVersion" in d)
    out = []
    for n in range(count):
        doc = documents[n % len(documents)]
        out.append(doc.replace("name: ", f"name: n{n}-", 1))
    return "---\n" + "\n---\n".join(out) + "\n", len(documents)


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text, distinct = stream(args.objects)
    print(f"{args.objects} objects ({distinct} distinct fixtures), {len(text) / 1e6:.1f} MB of YAML; baseline {LOADER}")

    baseline = timed(lambda: list(yaml.load_all(text, Loader=Loader)), args.runs)
    checked = timed(lambda: check_text(text, "bench.yaml"), args.runs)
    reported = timed(lambda: json.dumps(to_json(check_text(text, "bench.yaml"))), args.runs)
    report = check_text(text, "bench.yaml")
    assert len(report.objects) == args.objects and not report.problems

    def row(label: str, times: list[float]) -> None:
        print(f"  {label:<34} best {min(times) * 1000:8.1f} ms   median {statistics.median(times) * 1000:8.1f} ms")

    row("yaml.load_all (baseline)", baseline)
    row("check: load with lines + rules", checked)
    row("check + JSON report", reported)
    print(f"  findings: {len(report.findings)}")
    for label, times in (("check", checked), ("check + JSON", reported)):
        ratio = statistics.median(times) / statistics.median(baseline)
        verdict = "within" if ratio <= 1.5 else "ABOVE"
        print(f"  ratio {label:<13} {ratio:5.2f}x the baseline (median; goal 1.5x: {verdict})")


if __name__ == "__main__":
    main()
