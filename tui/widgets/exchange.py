"""One question and its reply in the Ask transcript, built to keep a long conversation light.

The latest exchange is shown in full: the answer first (a Markdown lead), the suggestions, and
the rest of the practice folded into sections whose Markdown is only built when opened. Older
exchanges collapse to one line (their question and the title of the reply) holding no
Markdown at all, so however long the conversation, layout and resizes cost what one reply
costs; Enter or a click on that line opens it again (the toolong/dolphie idea: render what
is looked at, keep the rest as data).
"""
from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Collapsible, OptionList, Static
from textual.widgets.option_list import Option

from .guide_markdown import GuideMarkdown


class ActionList(OptionList):
    """The suggestions under one reply: wizards, copy keys, other matches, related practices."""


class Section(Collapsible):
    """A folded part of a reply; its Markdown is built the first time it is opened."""

    def __init__(self, title: str, markdown: str) -> None:
        super().__init__(title=title, collapsed=True, classes="reply-section")
        self.markdown = markdown
        self.built = False

    def _watch_collapsed(self, collapsed: bool) -> None:
        if not collapsed and not self.built and self.is_mounted:
            self.built = True
            self.query_one(Collapsible.Contents).mount(GuideMarkdown(self.markdown, classes="section-text"))
        super()._watch_collapsed(collapsed)


class Summary(Static, can_focus=True):
    """The one line an older exchange collapses to."""

    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Show this earlier answer again"),
        Binding("up", "move(-1)", "Earlier", show=False, tooltip="The earlier answer above"),
        Binding("down", "move(1)", "Later", show=False, tooltip="The later answer below"),
    ]

    class Open(Message):
        def __init__(self, exchange: Exchange) -> None:
            super().__init__()
            self.exchange = exchange

    def __init__(self, exchange: Exchange) -> None:
        super().__init__(exchange.summary_line(), classes="summary")
        self.exchange = exchange

    def on_click(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        self.post_message(self.Open(self.exchange))

    def action_move(self, step: int) -> None:
        summaries = list(self.screen.query(Summary))
        index = summaries.index(self) + step
        if 0 <= index < len(summaries):
            summaries[index].focus()
            summaries[index].scroll_visible(animate=False)


class Exchange(Vertical):
    """One question (or request) and the reply to it: `lead` Markdown shown at once, folded
    `sections`, suggestion `actions`; `code` holds the lead's code blocks for the copy keys."""

    def __init__(self, prompt: Content | None, markdown: str, actions: list[Option], *,
                 wizards: Iterable[str] = (), sections: Iterable[tuple[str, str]] = (),
                 code: Iterable[tuple[str, str]] = (), title: str = "", classes: str = "") -> None:
        super().__init__(classes=f"exchange {classes}".strip())
        self.prompt = prompt
        self.markdown = markdown
        self.actions = actions
        self.wizards = tuple(wizards)  # snippet kinds offered, best first
        self.sections = tuple(sections)
        self.code = tuple(code)
        self.title = title
        self.collapsed = False

    def summary_line(self) -> Content:
        asked = self.prompt if self.prompt is not None else Content("Welcome")
        if self.title:
            return Content("▸ ") + asked + Content.from_markup(" [dim]·[/dim] $title", title=self.title)
        return Content("▸ ") + asked

    def compose(self) -> ComposeResult:
        if self.collapsed:
            yield Summary(self)
            return
        if self.prompt is not None:
            yield Static(self.prompt, classes="prompt")
        yield GuideMarkdown(self.markdown, classes="reply")
        if self.actions:
            yield ActionList(*self.actions, classes="actions")
        for title, text in self.sections:
            yield Section(title, text)

    async def set_collapsed(self, collapsed: bool) -> None:
        """Fold to one line (dropping every widget of the reply) or unfold again."""
        if collapsed == self.collapsed:
            return
        self.collapsed = collapsed
        self.set_class(collapsed, "-collapsed")
        await self.recompose()

    @property
    def action_list(self) -> ActionList | None:
        found = self.query_children(ActionList)
        return found.first() if found else None

    async def expand_all(self) -> None:
        """The whole practice: every section open."""
        await self.set_collapsed(False)
        for section in self.query_children(Section):
            section.collapsed = False

    @on(Summary.Open)
    async def _open(self, event: Summary.Open) -> None:
        event.stop()
        await self.set_collapsed(False)
        self.call_after_refresh(self.screen.set_focus, self.action_list or self)
