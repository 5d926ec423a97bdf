"""Running the rules over loaded files: findings, ignore annotations, levels.

An object silences a rule for itself with the annotation `eksguide.dev/ignore-<rule-id>`, whose
value is the reason (required: an empty reason silences nothing and is reported as a note).
Silenced findings are kept, marked with the reason (SARIF reports them as suppressed).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .loader import Loaded, Problem, paused_gc
from .model import IGNORE_PREFIX, LEVEL_RANK, Context, Finding, Obj
from .rules import BY_ID, BY_KIND


@dataclass
class Report:
    files: int = 0
    objects: list[Obj] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # silenced ones included (see .suppressed)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def shown(self, min_level: str = "info") -> list[Finding]:
        """The findings to report: not silenced, at `min_level` or above."""
        rank = LEVEL_RANK[min_level]
        return [f for f in self.findings if f.suppressed is None and LEVEL_RANK[f.level] >= rank]

    def exit_code(self, min_level: str = "info") -> int:
        """2 for bad input, 1 for a finding at warning or above, else 0."""
        if self.problems:
            return 2
        rank = max(LEVEL_RANK["warning"], LEVEL_RANK[min_level])
        return 1 if any(LEVEL_RANK[f.level] >= rank for f in self.shown()) else 0


def _ignores(obj: Obj, report: Report) -> dict[str, str]:
    silenced: dict[str, str] = {}
    for key, value in obj.annotations.items():
        key = str(key)
        if not key.startswith(IGNORE_PREFIX):
            continue
        rule_id = key[len(IGNORE_PREFIX):]
        reason = value.strip() if isinstance(value, str) else ""
        where = Problem(obj.file, obj.line_of(("metadata", "annotations", key)), "")
        if rule_id not in BY_ID:
            report.notes.append(Problem(where.file, where.line, f"{key}: there is no rule {rule_id!r} "
                                                                "(eksguide check --list-rules); nothing silenced"))
        elif not reason:
            report.notes.append(Problem(where.file, where.line, f"{key} gives no reason; {rule_id} is not silenced "
                                                                "until the annotation says why"))
        else:
            silenced[rule_id] = reason
    return silenced


def check(loaded: Sequence[Loaded], ignore: Iterable[str] = ()) -> Report:
    """Check the objects of every loaded file; rules in `ignore` are not run."""
    with paused_gc():
        return _check(loaded, ignore)


def _check(loaded: Sequence[Loaded], ignore: Iterable[str]) -> Report:
    report = Report(files=len(loaded))
    for item in loaded:
        report.objects.extend(item.objects)
        report.notes.extend(item.notes)
        report.problems.extend(item.problems)
    skip = set(ignore)
    ctx = Context(report.objects)
    for obj in report.objects:
        rules = BY_KIND.get(obj.kind)
        if not rules:
            continue
        silenced = _ignores(obj, report) if obj.annotations else {}
        for rule in rules:
            if rule.id in skip:
                continue
            for hit in rule.test(obj, ctx):
                line = obj.line_of(hit.path) + hit.offset if hit.path else obj.line
                report.findings.append(Finding(rule, obj, line, hit.message, hit.fix, silenced.get(rule.id)))
    return report
