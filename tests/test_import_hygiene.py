"""The headless layers stay headless: knowledge and snippets never import Textual (or each
other), and neither do the command-line paths, so `eksguide ask` and `snippet` start fast."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import snippets

SAMPLE = Path(__file__).parent / "fixtures" / "check" / "sample"
HEADLESS = ["knowledge", "knowledge.search", "knowledge.glossary", "knowledge.tour", "snippets",
            "snippets.validators", "snippets.emit", "tui.cli", "tui.render", "tui.progress", "tui.files",
            "knowledge.checks", "knowledge.checks.report", "tui.cli_check"]


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return set(json.loads(run.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual(module):
    loaded = modules_after(f"import {module}")
    assert "textual" not in loaded


def test_every_snippet_kind_is_headless_and_independent_of_knowledge():
    loaded = modules_after("import snippets\nsnippets.available()")
    assert "textual" not in loaded and "knowledge" not in loaded


def test_knowledge_does_not_import_snippets():
    loaded = modules_after("import knowledge.search\nknowledge.search.default_engine().ask('ebs')")
    assert "snippets" not in loaded and "textual" not in loaded


@pytest.mark.parametrize("argv", [["ask", "efs tls"], ["snippet", "ebs-storageclass"], ["list"], ["show", "rotate-cmks"],
                                  ["check", str(SAMPLE), "--format", "sarif"]])
def test_command_paths_do_not_import_textual(argv):
    loaded = modules_after(f"from tui.cli import main\nmain({argv!r})")
    assert "textual" not in loaded


def test_every_registered_kind_is_present():
    from snippets.registry import KIND_MODULES

    assert snippets.kind_names() == list(KIND_MODULES)


def test_checks_never_import_snippets():
    fixture = SAMPLE.parent / "secret-in-env" / "bad.yaml"
    loaded = modules_after(f"from knowledge.checks import check_text\ncheck_text(open({str(fixture)!r}).read())")
    assert "snippets" not in loaded and "textual" not in loaded
