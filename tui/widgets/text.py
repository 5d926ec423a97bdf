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


_SECTION_RE = re.compile(r"^##\s+(.+?)\s*$", re.M)
_FENCE_RE = re.compile(r"^```[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.M | re.S)


def body_sections(body: str) -> list[tuple[str, str]]:
    """A practice body cut at its `## ` headings: [(heading, text)], text before the first
    heading under the heading ""."""
    sections: list[tuple[str, str]] = []
    matches = list(_SECTION_RE.finditer(body))
    lead = body[: matches[0].start()] if matches else body
    if lead.strip():
        sections.append(("", lead.strip()))
    for match, following in zip(matches, [*matches[1:], None]):
        end = following.start() if following is not None else len(body)
        sections.append((match.group(1), body[match.end():end].strip()))
    return sections


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """The fenced code blocks of a Markdown text: [(language, code)], in order."""
    return [(match.group("lang") or "text", match.group("code")) for match in _FENCE_RE.finditer(markdown)]


class AnswerLayout:
    """An answer, answer first: `lead` (Markdown shown at once), then `sections` folded
    [(title, Markdown)], and the code blocks of its steps (each gets a copy key)."""

    def __init__(self, lead: str, sections: list[tuple[str, str]]) -> None:
        self.lead = lead
        self.sections = sections
        # The lead's code, then that of a folded "How" (when an FAQ answer leads instead).
        self.code = code_blocks(lead) + [block for title, text in sections if title == "How"
                                         for block in code_blocks(text)]


def answer_layout(practice: Practice, *, faq=None, preface: str = "") -> AnswerLayout:
    """A practice as a reply: the preface (a glossary definition, "showing answers for"), the
    title, then the FAQ answer when there is one, else the summary and the "How" steps. What,
    Why, the other sections, Sources and What changed fold below."""
    faq_answer = (getattr(faq, "a", "") or "").strip() if faq is not None else ""
    head = [preface] if preface else []
    head += [
        f"# {md_escape(practice.title)}",
        f"*{md_escape(practice.area_title)}* · **{md_escape(level_phrase(practice.level))}**",
    ]
    sections = body_sections(practice.body)
    folded: list[tuple[str, str]] = []
    if faq_answer:
        head.append(f"> {md_escape(faq_answer)}")
        source = (getattr(faq, "source", "") or "").strip()
        if source.startswith(("https://", "http://")):
            head.append(f"Source: [{md_escape(source)}](<{source}>)")
        elif source:
            head.append(f"Source: {md_escape(source)}")
        head.append(f"*In short:* {md_escape(practice.summary)}")
        folded = [(title or "Overview", text) for title, text in sections]
    else:
        head.append(f"> {md_escape(practice.summary)}")
        for title, text in sections:
            if title.lower() == "how":
                head.append(f"## How\n\n{text}")
            else:
                folded.append((title or "Overview", text))
    if practice.sources:
        folded.append(("Sources", "\n".join(f"- [{md_escape(s.title)}](<{s.url}>)" for s in practice.sources)))
    if practice.updates:
        lines = []
        for update in practice.updates:
            lines.append(f"- *It said:* {md_escape(update.old)}")
            lines.append(f"  \n  *Today:* {md_escape(update.now)}")
        folded.append(("What changed since the old guide", "\n".join(lines)))
    return AnswerLayout("\n\n".join(head) + "\n", folded)
