"""Markdown as eksguide shows it: links are handled by the screen (practice links jump inside
the app), and bare words that look like host names (ebs.csi.aws.com) are not turned into links."""
from __future__ import annotations

from markdown_it import MarkdownIt
from textual.widgets import Markdown


def parser() -> MarkdownIt:
    """GitHub-like Markdown without linkify: only written links are links."""
    return MarkdownIt("gfm-like", options_update={"linkify": False})


class GuideMarkdown(Markdown):
    def __init__(self, markdown: str | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(markdown, id=id, classes=classes, open_links=False, parser_factory=parser)
