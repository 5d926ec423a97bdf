"""Plain-terminal rendering of practices and answers, for the command line (no Textual).

Markdown is readable as it is, so the body is printed nearly verbatim: headings and the
title are emphasised when the output is a terminal, practice links become a pointer to the
`eksguide show` command, and long prose lines are wrapped to the terminal width.
"""
from __future__ import annotations

import os
import sys
import re
import textwrap
from collections.abc import Iterable

from knowledge import LEVELS, Practice

_LINK_RE = re.compile(r"\[([^\]]+)\]\(practice:([a-z0-9-]+)\)")


class Style:
    """ANSI emphasis, switched off when the output is not a terminal (or NO_COLOR is set)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def heading(self, text: str) -> str:
        return self._wrap("1;36", text)

    def warn(self, text: str) -> str:
        return self._wrap("33", text)


def width() -> int:
    # shutil.get_terminal_size's rule (COLUMNS, then the terminal, then a default) without
    # importing shutil, which `eksguide ask` would pay for at every start
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 88
    return max(40, min(100, columns))


def markdown_text(body: str, style: Style, columns: int | None = None) -> str:
    """The Markdown body for a terminal: links spelled out, prose wrapped, code left alone."""
    columns = columns or width()
    out: list[str] = []
    in_code = False
    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line)
            continue
        line = _LINK_RE.sub(lambda m: f"{m.group(1)} (eksguide show {m.group(2)})", line)
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            out.append(style.heading(heading.group(2)))
            continue
        bullet = re.match(r"^(\s*(?:[-*]|\d+\.)\s+)(.*)$", line)
        if bullet:
            indent = " " * len(bullet.group(1))
            out.append(textwrap.fill(bullet.group(2), columns, initial_indent=bullet.group(1),
                                     subsequent_indent=indent, break_on_hyphens=False, break_long_words=False))
        elif line.startswith("|") or not line.strip():
            out.append(line)
        else:
            out.append(textwrap.fill(line, columns, break_on_hyphens=False, break_long_words=False))
    return "\n".join(out).strip("\n") + "\n"  # not strip(): a leading code line keeps its indent


def practice_text(practice: Practice, style: Style, *, body: bool = True) -> str:
    """One practice, as `eksguide show` prints it."""
    columns = width()
    parts = [
        style.bold(practice.title),
        style.dim(f"{practice.id} · {practice.area_title} · {practice.level} ({LEVELS[practice.level]})"),
        "",
        textwrap.fill(practice.summary, columns),
        "",
    ]
    if body:
        parts.append(markdown_text(practice.body, style, columns))
    if practice.updates:
        parts.append(style.heading("Changed since the old EKS best-practices guide"))
        for update in practice.updates:
            parts.append(textwrap.fill(f"Old guide: {update.old}", columns, initial_indent="- ", subsequent_indent="  "))
            parts.append(textwrap.fill(f"Today: {update.now}", columns, initial_indent="  ", subsequent_indent="  "))
        parts.append("")
    parts.append(style.heading("Sources"))
    parts.extend(f"- {s.title}: {s.url}" for s in practice.sources)
    if practice.snippets:
        parts.append("")
        parts.append(style.heading("Generate it"))
        parts.extend(f"- eksguide snippet {kind} --help" for kind in practice.snippets)
    if practice.related:
        parts.append("")
        parts.append(style.heading("Related"))
        parts.extend(f"- eksguide show {rid}" for rid in practice.related)
    return "\n".join(parts).rstrip() + "\n"


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)
