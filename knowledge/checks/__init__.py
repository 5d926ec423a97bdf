"""`eksguide check`: the guide's practices applied as code to manifests, offline.

Headless like the rest of `knowledge`: no Textual and no `snippets` here. Rules are data plus
small pure functions (`rules/`); `loader` reads YAML and JSON keeping line numbers and turns
hostile input into `file:line: what` problems; `engine` runs the rules; `report` writes JSON
and SARIF. A fix names a snippet kind and its flags by string; the front ends join them.
"""
from __future__ import annotations

from .engine import Report, check
from .loader import Loaded, Problem, load_bytes, load_text, paused_gc
from .model import IGNORE_PREFIX, LEVELS, Finding, Fix, Obj, Rule
from .rules import BY_ID, RULES

__all__ = [
    "BY_ID", "IGNORE_PREFIX", "LEVELS", "RULES", "Finding", "Fix", "Loaded", "Obj", "Problem", "Report", "Rule",
    "check", "check_text", "load_bytes", "load_text",
]


def check_text(text: str, file: str = "-", ignore=()) -> Report:
    """Check one YAML/JSON text (standard input, the app's pasted YAML)."""
    with paused_gc():
        return check([load_text(text, file)], ignore)
