"""Browse: the knowledge base as a tree (areas, then practices with their level) beside the
selected practice, rendered as Markdown. Practice links work with the mouse (in the text) and
with the keyboard (the list under the text)."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Markdown, OptionList, Static, Tree
from textual.widgets.option_list import Option

from ..widgets.guide_markdown import GuideMarkdown
from ..widgets.practice_tree import PracticeTree
from ..widgets.text import LEVEL_SYMBOLS, PRACTICE_SCHEME, linked_practice_ids, practice_markdown
from .base import SectionScreen

PREVIEW_DELAY = 0.1  # seconds the tree cursor rests on a practice before its text is drawn
LEVEL_STYLES = {"essential": "$text-success", "recommended": "$text-primary", "caution": "$text-warning"}


def level_mark(level: str) -> Content:
    return Content.from_markup(f"[{LEVEL_STYLES.get(level, '')}]$mark[/]", mark=LEVEL_SYMBOLS.get(level, "·"))


class BrowseScreen(SectionScreen):
    SECTION = "browse"
    AUTO_FOCUS = "#practice-tree"
    BINDINGS = [
        Binding("backspace", "back", "Back", tooltip="Back to the practice you followed a link from"),
        Binding("ctrl+o", "open_wizard", "Open wizard", tooltip="Open the wizard of the practice on show"),
        Binding("ctrl+t", "focus_tree", "Tree", show=False, tooltip="Back to the tree of practices"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.history: list[str] = []  # practices left by following links, for Back
        self._preview: Timer | None = None  # drawing of the practice under the cursor, put off
        self._preview_id: str | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="browse"):
            with Vertical(id="browse-side"):
                yield PracticeTree(self.guide.kb, id="practice-tree")
                legend = Content(" ").join(
                    level_mark(level) + Content(f" {label}")
                    for level, label in (("essential", "do"), ("recommended", "worth it"), ("caution", "risk"))
                )
                yield Static(legend, id="level-legend")
            with VerticalScroll(id="practice-doc"):
                yield GuideMarkdown(id="practice-text")
                yield Static("Links", id="links-title")
                yield OptionList(id="practice-links")

    def on_mount(self) -> None:
        if self.guide.kb.practices and self.current is None:
            self.show_practice(self.guide.kb.practices[0].id, remember=False)
            # Keep the first area's heading in view above the first practice.
            self.call_after_refresh(self.query_one("#practice-tree").scroll_home, animate=False)

    # ---------------------------------------------------------------- showing a practice

    def show_practice(self, practice_id: str, *, remember: bool = True) -> bool:
        """Show a practice; with `remember`, Back returns to the one shown before."""
        practice = self.guide.kb.get(practice_id)
        if practice is None:
            self.notify(f"There is no practice called {practice_id!r}.", severity="warning", markup=False)
            return False
        self._cancel_preview()
        if practice_id == self.current:
            return True
        if remember and self.current is not None:
            self.history.append(self.current)
            del self.history[:-50]
        self.current = practice_id
        self.query_one("#practice-text", Markdown).update(practice_markdown(practice))
        self._fill_links(practice_id)
        self.query_one("#practice-doc", VerticalScroll).scroll_home(animate=False)
        tree = self.query_one("#practice-tree", PracticeTree)
        node = tree.node_of(practice_id)
        if node is not None and tree.cursor_node is not node:
            tree.move_cursor(node, animate=False)
        self.refresh_bindings()
        return True

    def _preview_soon(self, practice_id: str) -> None:
        """Show the practice under the tree cursor once the cursor rests (moving through the
        tree only moves the cursor; the Markdown is drawn for where it stops)."""
        self._preview_id = practice_id
        if self._preview is not None:
            self._preview.reset()
        else:
            self._preview = self.set_timer(PREVIEW_DELAY, self.flush_preview, name="browse preview")

    def _cancel_preview(self) -> None:
        if self._preview is not None:
            self._preview.stop()
        self._preview = None
        self._preview_id = None

    def flush_preview(self) -> None:
        """Show now the practice the cursor rests on, if its drawing was put off."""
        practice_id = self._preview_id
        self._cancel_preview()
        if practice_id is not None:
            self.show_practice(practice_id, remember=False)

    def _fill_links(self, practice_id: str) -> None:
        kb = self.guide.kb
        practice = kb.get(practice_id)
        links = self.query_one("#practice-links", OptionList)
        links.clear_options()
        options: list[Option] = []
        for kind in practice.snippets:
            spec = self.guide.specs.get(kind)
            if spec is not None:
                options.append(Option(Content.from_markup("[b $accent]⚙ Open wizard:[/] $title", title=spec.title),
                                      id=f"wizard:{kind}"))
        for other_id in linked_practice_ids(practice):
            other = kb.get(other_id)
            if other is not None:
                options.append(Option(level_mark(other.level) + Content(f" {other.title}"), id=f"practice:{other_id}"))
        links.add_options(options)
        links.display = bool(options)
        self.query_one("#links-title").display = bool(options)

    # ---------------------------------------------------------------- events

    @on(Tree.NodeHighlighted, "#practice-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        # A highlight that the cursor has already left (after two quick jumps) is stale:
        # following it would move the cursor back and start a ping-pong.
        if event.node is not event.control.cursor_node:
            return
        if event.node.data and event.node.data != self.current:
            self._preview_soon(event.node.data)

    @on(Tree.NodeSelected, "#practice-tree")
    def _selected(self, event: Tree.NodeSelected) -> None:
        """Enter on a practice shows it (the one under the cursor, drawn now if it was not yet)
        and moves to its text, to read or scroll it."""
        if event.node.data:
            self.show_practice(event.node.data, remember=False)
            self.query_one("#practice-doc").focus()

    @on(OptionList.OptionSelected, "#practice-links")
    async def _link_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        what, _, target = (event.option.id or "").partition(":")
        if what == "wizard":
            await self.guide.open_wizard(target)
        elif what == "practice":
            self.show_practice(target)
            self.query_one("#practice-doc").focus()

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        href = event.href
        if href.startswith(PRACTICE_SCHEME):
            self.show_practice(href[len(PRACTICE_SCHEME):])
        elif href.startswith(("https://", "http://")):
            self.app.open_url(href)

    # ---------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return True if self.history else None
        if action == "open_wizard":
            practice = self.guide.kb.get(self.current or "")
            offered = practice is not None and any(kind in self.guide.specs for kind in practice.snippets)
            return True if offered else None
        return True

    def action_back(self) -> None:
        if self.history:
            self.show_practice(self.history.pop(), remember=False)

    async def action_open_wizard(self) -> None:
        self.flush_preview()
        practice = self.guide.kb.get(self.current or "")
        if practice is None:
            return
        for kind in practice.snippets:
            if kind in self.guide.specs:
                await self.guide.open_wizard(kind)
                return

    def action_focus_tree(self) -> None:
        self.query_one("#practice-tree").focus()
