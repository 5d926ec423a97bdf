"""The machine-readable forms of a check: JSON and SARIF 2.1.0, and the rule list.

SARIF is written for GitHub code scanning: every rule in `tool.driver.rules` with its help
text, a link to the practice's primary source and a `security-severity`; each result points at
the file and line of the field; silenced findings are results with an in-source suppression.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from .engine import Report
from .model import LEVEL_RANK, Finding, Rule
from .rules import RULES

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SECURITY_SEVERITY = {"error": "7.5", "warning": "5.0", "info": "2.0"}
INFORMATION_URI = "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html"


def to_json(report: Report, min_level: str = "info") -> dict[str, Any]:
    return {"files": report.files, "objects": len(report.objects),
            "findings": [f.to_dict() for f in report.shown(min_level)]}


def rule_dict(rule: Rule) -> dict[str, Any]:
    return {"id": rule.id, "level": rule.level, "practice": rule.practice, "kinds": list(rule.kinds),
            "title": rule.title, "help": rule.help}


def rules_json() -> list[dict[str, Any]]:
    return [rule_dict(rule) for rule in RULES]


def _camel(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("-"))


def _practice(practices: Mapping[str, Any], practice_id: str) -> tuple[str, str | None]:
    practice = practices.get(practice_id)
    if practice is None:
        return practice_id, None
    url = practice.sources[0].url if practice.sources else None
    return practice.title, url


def _sarif_rule(rule: Rule, practices: Mapping[str, Any]) -> dict[str, Any]:
    title, url = _practice(practices, rule.practice)
    see = f"Practice: {title} (eksguide show {rule.practice})."
    entry: dict[str, Any] = {
        "id": rule.id,
        "name": _camel(rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.help},
        "help": {
            "text": f"{rule.help}\n\n{see}" + (f"\nSource: {url}" if url else ""),
            "markdown": f"{rule.help}\n\n**Practice:** {title} (`eksguide show {rule.practice}`)"
                        + (f"\n\n[Primary source]({url})" if url else ""),
        },
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.level]},
        "properties": {"tags": ["security", "kubernetes", rule.practice], "practice": rule.practice,
                       "security-severity": SECURITY_SEVERITY[rule.level]},
    }
    if url:
        entry["helpUri"] = url
    return entry


def _uri(file: str) -> str:
    if file == "-":
        return "stdin"
    path = PurePath(file)
    if path.is_absolute():
        return "file://" + quote(path.as_posix())
    return quote(path.as_posix().removeprefix("./"))


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    message = finding.message + (f"\nFix: {finding.fix.command()}" if finding.fix else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule.id,
        "ruleIndex": index[finding.rule.id],
        "level": SARIF_LEVEL[finding.level],
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(finding.obj.file)},
            "region": {"startLine": max(finding.line, 1)},
        }}],
        "properties": {"kind": finding.obj.kind, "name": finding.obj.name, "namespace": finding.obj.namespace},
    }
    if finding.suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
    return result


def to_sarif(report: Report, practices: Mapping[str, Any], version: str, min_level: str = "info") -> dict[str, Any]:
    """SARIF 2.1.0; silenced findings at `min_level` or above are included as suppressed results."""
    index = {rule.id: i for i, rule in enumerate(RULES)}
    rank = LEVEL_RANK[min_level]
    findings = [f for f in report.findings if LEVEL_RANK[f.level] >= rank]
    invocation: dict[str, Any] = {"executionSuccessful": not report.problems}
    if report.problems:
        invocation["toolExecutionNotifications"] = [{
            "level": "error", "message": {"text": p.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(p.file)},
                                                "region": {"startLine": max(p.line, 1)}}}],
        } for p in report.problems]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "eksguide",
                "version": version,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(rule, practices) for rule in RULES],
            }},
            "invocations": [invocation],
            "results": [_result(f, index) for f in findings],
        }],
    }
