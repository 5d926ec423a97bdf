"""`eksguide check PATH... | -`: audit manifests offline against the guide's practices.

Reads files, directories (recursively: *.yaml, *.yml, *.json) or standard input, runs the
rules of `knowledge.checks`, and prints the findings grouped by file (or as JSON or SARIF on
stdout). Notes and bad input go to stderr. Exit status: 0 when nothing at warning or above
is found, 1 when something is, 2 when an input could not be read (every other input is still
checked) or the command line is wrong.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path

EXTENSIONS = (".yaml", ".yml", ".json")
FORMATS = ("text", "json", "sarif")
LEVEL_COLOURS = {"error": "1;31", "warning": "33", "info": "36"}

USAGE_EXAMPLES = """examples:
  eksguide check manifests/
  helm template my-release ./chart | eksguide check -
  kustomize build overlays/prod | eksguide check - --format sarif > eksguide.sarif
  eksguide check --list-rules

Silence a rule for one object with an annotation that says why:
  metadata:
    annotations:
      eksguide.dev/ignore-secret-in-env: "the vendor image reads its token only from $API_TOKEN"

exit status: 0 nothing at warning or above, 1 findings, 2 bad input (every other file is still checked)
"""


class CheckUsage(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    from knowledge.checks.model import LEVELS

    parser = argparse.ArgumentParser(
        prog="eksguide check",
        description="Audit Kubernetes manifests offline against the guide's practices: storage encryption on the "
                    "AWS CSI drivers, how pods consume Secrets, RBAC on Secrets, and the secrets tooling.",
        epilog=USAGE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or directories (*.yaml, *.yml, *.json, recursively); - reads standard input")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (grouped by file), json ({files, objects, findings}) or sarif (SARIF 2.1.0)")
    parser.add_argument("--min-level", choices=LEVELS, default="info", help="leave out findings below this level")
    parser.add_argument("--ignore", action="append", default=[], metavar="RULE",
                        help="do not run RULE (repeatable); eksguide check --list-rules shows the ids")
    parser.add_argument("--list-rules", action="store_true", help="print the rules (with --format json: as JSON)")
    return parser


def _inputs(paths: Sequence[str]) -> Iterator[tuple[str, Path | OSError | None]]:
    """(display name, path) for each file to read; (name, None) for standard input, and
    (name, the error) for a directory that could not be listed."""
    for given in paths:
        if given == "-":
            yield "-", None
            continue
        path = Path(given)
        if path.is_dir():
            found: list[Path] = []
            unreadable: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=unreadable.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root, f) for f in files if f.lower().endswith(EXTENSIONS))
            yield from ((str(p), p) for p in sorted(found))
            yield from ((str(error.filename), error) for error in unreadable)
        else:
            yield given, path


def _read(name: str, path: Path | OSError | None):
    from knowledge.checks.loader import MAX_BYTES, Loaded, Problem, load_bytes

    if isinstance(path, OSError):
        return Loaded(problems=[Problem(name, 0, f"cannot list this directory: {path.strerror or path}")])
    try:
        if path is None:
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Loaded(problems=[Problem(name, 0, "no such file or directory")])
    except OSError as exc:
        return Loaded(problems=[Problem(name, 0, f"cannot read: {exc.strerror or exc}")])
    return load_bytes(data, name)


def _paint(enabled: bool, level: str, text: str) -> str:
    return f"\x1b[{LEVEL_COLOURS[level]}m{text}\x1b[0m" if enabled else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 or word == "info" else "s")


def format_text(report, min_level: str, colour: bool, columns: int) -> str:
    from .render import Style

    style = Style(colour)
    shown = sorted(report.shown(min_level), key=lambda f: (f.obj.file, f.line, f.rule.id))
    out: list[str] = []
    current = None
    for finding in shown:
        if finding.obj.file != current:
            current = finding.obj.file
            if out:
                out.append("")
            out.append(style.heading("<stdin>" if current == "-" else current))
        where = f"{finding.obj.kind} {finding.obj.namespace + '/' if finding.obj.namespace else ''}{finding.obj.name}"
        out.append(f"  {finding.line:>4}  {_paint(colour, finding.level, finding.level.ljust(7))}  "
                   f"{style.bold(finding.rule.id)}  {style.dim(where)}")
        out.extend(textwrap.wrap(finding.message, columns, initial_indent=" " * 8, subsequent_indent=" " * 8,
                                 break_on_hyphens=False))
        if finding.fix is not None:
            out.append(" " * 8 + style.dim("fix: ") + finding.fix.command())
        out.append(" " * 8 + style.dim(f"practice: eksguide show {finding.rule.practice}"))
    counts = {level: sum(1 for f in shown if f.level == level) for level in ("error", "warning", "info")}
    summary = ", ".join(_plural(n, level) for level, n in counts.items() if n) or "no findings"
    silenced = sum(1 for f in report.findings if f.suppressed is not None)
    tail = f" ({_plural(silenced, 'finding')} silenced by annotations)" if silenced else ""
    if out:
        out.append("")
    out.append(f"{summary} in {_plural(len(report.objects), 'object')} from {_plural(report.files, 'file')}{tail}")
    return "\n".join(out) + "\n"


def format_rules(colour: bool, columns: int) -> str:
    from knowledge.checks import RULES

    from .render import Style

    style = Style(colour)
    out = []
    for rule in RULES:
        out.append(f"{style.bold(rule.id)}  {_paint(colour, rule.level, rule.level)}  "
                   f"{style.dim('practice ' + rule.practice)}")
        out.extend(textwrap.wrap(f"{rule.title}. {rule.help}", columns, initial_indent="    ",
                                 subsequent_indent="    ", break_on_hyphens=False))
        out.append("    " + style.dim("applies to: " + ", ".join(rule.kinds)))
    out.append("")
    out.append(style.dim("Silence one for an object with the annotation eksguide.dev/ignore-<rule-id>: \"<reason>\"."))
    return "\n".join(out) + "\n"


def _practices():
    from knowledge import ContentError, load_knowledge

    try:
        return {p.id: p for p in load_knowledge()}
    except ContentError:
        return {}


def run(argv: Sequence[str]) -> int:
    from knowledge.checks import BY_ID, check
    from knowledge.checks.report import rules_json, to_json, to_sarif

    from .cli import _did_you_mean, _style, _version
    from .render import width

    args = build_parser().parse_args(list(argv))
    for rule_id in args.ignore:
        if rule_id not in BY_ID:
            hint = _did_you_mean(rule_id, list(BY_ID))
            raise CheckUsage(f"--ignore: no rule {rule_id!r}" + (f"; did you mean: {', '.join(hint)}" if hint else "")
                             + " (eksguide check --list-rules shows them)")
    colour = _style().enabled
    if args.list_rules:
        if args.paths:
            raise CheckUsage("--list-rules takes no PATH")
        if args.format == "sarif":
            raise CheckUsage("--list-rules prints text or --format json")
        if args.format == "json":
            sys.stdout.write(json.dumps(rules_json(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(format_rules(colour, width() - 4))
        return 0
    if not args.paths:
        raise CheckUsage("give files or directories to check, or - for standard input, for example: "
                         "eksguide check manifests/ (or: helm template ... | eksguide check -)")
    if args.paths.count("-") > 1:
        raise CheckUsage("- (standard input) can be given only once")
    from knowledge.checks.loader import paused_gc

    with paused_gc():
        loaded = [_read(name, path) for name, path in _inputs(args.paths)]
        report = check(loaded, args.ignore)
    for note in report.notes:
        sys.stderr.write(f"note: {note}\n")
    for problem in report.problems:
        sys.stderr.write(f"eksguide check: {problem}\n")
    if args.format == "json":
        sys.stdout.write(json.dumps(to_json(report, args.min_level), ensure_ascii=False) + "\n")
    elif args.format == "sarif":
        sarif = to_sarif(report, _practices(), _version(), args.min_level)
        sys.stdout.write(json.dumps(sarif, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_text(report, args.min_level, colour, width() - 8))
    return report.exit_code(args.min_level)


def main(argv: Sequence[str]) -> int:
    try:
        return run(argv)
    except CheckUsage as exc:
        sys.stderr.write(f"eksguide check: {exc}\n")
        return 2
