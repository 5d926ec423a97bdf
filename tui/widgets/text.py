"""Turning knowledge-base content into Markdown and markup-safe text for the app's widgets.

Nothing here draws anything: these are pure functions, shared by the Ask, Browse and
Walkthrough screens, and easy to test. Text that comes from content or from the user is
escaped before it meets Markdown (`md_escape`) or Textual markup (`Content.from_markup` with
template variables, which are inserted literally).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge import LEVELS, Practice

# [text](practice:other-id) inside a practice body.
PRACTICE_LINK_RE = re.compile(r"\[(?P<text>[^\]]+)\]\(practice:(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\)")
PRACTICE_SCHEME = "practice:"

# Markdown punctuation that could start emphasis, links, code, HTML or a table cell anywhere in
# a line, and what could open a heading, list or quote at its start.
_MD_INLINE_RE = re.compile(r"([\\`*_{}\[\]()<>|~!])")
_MD_LINE_START_RE = re.compile(r"^([#+=-]|\d+[.)])")


LEVEL_SYMBOLS: dict[str, str] = {
    "essential": "●",
    "recommended": "◐",
    "caution": "▲",
}


def md_escape(text: str) -> str:
    """`text` as literal Markdown: every character that could mean something is backslash-escaped."""
    escaped = _MD_INLINE_RE.sub(r"\\\1", " ".join(text.split()))
    return _MD_LINE_START_RE.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)


def level_phrase(level: str) -> str:
    """'essential: do this', the level with what it means."""
    meaning = LEVELS.get(level)
    return f"{level}: {meaning}" if meaning else level


def linked_practice_ids(practice: Practice) -> list[str]:
    """Ids of the practices a practice points to: links in its body first, then `related`."""
    seen: list[str] = []
    for match in PRACTICE_LINK_RE.finditer(practice.body):
        if match.group("id") not in seen and match.group("id") != practice.id:
            seen.append(match.group("id"))
    for other in practice.related:
        if other not in seen and other != practice.id:
            seen.append(other)
    return seen


def practice_markdown(practice: Practice, *, heading: str = "#") -> str:
    """A whole practice as one Markdown document: title, level, summary, body, sources, updates.

    `heading` is the Markdown heading marker of the title; the body keeps its own headings.
    """
    parts = [
        f"{heading} {md_escape(practice.title)}",
        f"*{md_escape(practice.area_title)}* · **{md_escape(level_phrase(practice.level))}**",
        f"> {md_escape(practice.summary)}",
        practice.body.strip(),
    ]
    if practice.sources:
        lines = ["## Sources", ""]
        for source in practice.sources:
            lines.append(f"- [{md_escape(source.title)}](<{source.url}>)")
        parts.append("\n".join(lines))
    if practice.updates:
        lines = ["## What changed since the old guide", ""]
        for update in practice.updates:
            lines.append(f"- *It said:* {md_escape(update.old)}")
            lines.append(f"  \n  *Today:* {md_escape(update.now)}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)
