"""The command palette's eksguide commands (Ctrl+P): jump to any practice, wizard, lesson or section."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

if TYPE_CHECKING:
    from .app import EksGuideApp


@dataclass(frozen=True)
class Target:
    text: str  # what is matched and shown, e.g. "Practice: Encrypted EBS volumes ..."
    help: str
    command: Callable[[], Any]


def targets(app: EksGuideApp) -> list[Target]:
    """Everything the palette can jump to, in the order shown before anything is typed."""
    out = [
        Target("Go to Ask", "Ask a question (F2)", partial(app.run_action, "section('ask')")),
        Target("Go to Browse", "The knowledge base as a tree (F3)", partial(app.run_action, "section('browse')")),
        Target("Go to Wizards", "Every snippet wizard (F4)", partial(app.run_action, "section('wizards')")),
        Target("Go to Walkthrough", "The onboarding course (F5)", partial(app.run_action, "section('tour')")),
        Target("Show keys", "Every key of the app (F1)", partial(app.run_action, "help")),
    ]
    for practice in app.kb.practices:
        out.append(Target(f"Practice: {practice.title}", practice.summary, partial(app.show_practice, practice.id)))
    for spec in app.specs.values():
        out.append(Target(f"Wizard: {spec.title}", spec.description, partial(app.open_wizard, spec.kind)))
    for number, lesson in enumerate(app.lessons, start=1):
        done = " (done)" if app.progress.is_done(lesson.id) else ""
        out.append(Target(f"Lesson {number}: {lesson.title}", f"Walkthrough lesson {number}{done}",
                          partial(app.open_lesson, lesson.id)))
    return out


def highlight(matcher: Matcher, text: str) -> Content:
    """`text` with the matched letters styled. (Matcher.highlight would read `text` as markup.)"""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class GuideCommands(Provider):
    """Practices, wizards, lessons and sections."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = cast("EksGuideApp", self.app)
        for target in targets(app):
            score = matcher.match(target.text)
            if score > 0:
                # The palette reads `help` as markup: content text is escaped first.
                yield Hit(score, highlight(matcher, target.text), target.command, text=target.text,
                          help=escape(target.help))

    async def discover(self) -> Hits:
        app = cast("EksGuideApp", self.app)
        for target in targets(app):
            yield DiscoveryHit(Content(target.text), target.command, text=target.text, help=escape(target.help))
