"""The live preview of a wizard's output: a title line, the highlighted text, and notes."""
from __future__ import annotations

import difflib

from rich.syntax import Syntax
from snippets import FieldError, Snippet
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

# Pygments lexers for the snippet languages (Logs Insights has none; plain text reads fine).
LEXERS = {"yaml": "yaml", "shell": "bash", "logs-insights": "text"}


def changed_lines(old: str, new: str) -> set[int]:
    """0-based numbers of the lines of `new` that are not in `old` (inserted or replaced)."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    changed: set[int] = set()
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            changed.update(range(j1, j2))
    return changed


class SnippetPreview(Vertical):
    """Shows the latest rendered snippet; when the answers have errors it keeps the last good
    text, dimmed, and says what to fix."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="snippet-preview")
        self.text = ""  # the text on show (may contain stand-in example values)
        self.snippet: Snippet | None = None
        self.changed: set[int] = set()  # 0-based lines that differ from the previous text

    def compose(self) -> ComposeResult:
        yield Static("Preview", classes="preview-title")
        with VerticalScroll(classes="preview-scroll"):
            yield Static("", classes="preview-code")
        yield Static("", classes="preview-notes")

    def show(self, snippet: Snippet, stand_ins: list[str]) -> None:
        changed = changed_lines(self.text, snippet.text) if self.text else set()
        self.snippet = snippet
        self.text = snippet.text
        self.changed = changed
        self.remove_class("-stale")
        self.query_one(".preview-title", Static).update(
            Content.from_markup("[b]Preview[/b] · $name · $lines lines", name=snippet.filename,
                                lines=str(len(snippet.text.splitlines())))
        )
        lexer = LEXERS.get(snippet.language, "text")
        # Lines are not wrapped (the pane scrolls sideways), so line n is row n: the first changed
        # line is scrolled into view and every changed line is highlighted.
        theme = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
        syntax = Syntax(snippet.text, lexer, theme=theme, background_color="default")
        highlighted = syntax.highlight(snippet.text)
        highlighted.rstrip()
        if changed:
            mark = self.app.get_css_variables().get("primary-muted", "#0C304C")
            starts = [0]
            for line in snippet.text.splitlines(keepends=True):
                starts.append(starts[-1] + len(line))
            for number in changed:
                highlighted.stylize(f"on {mark}", starts[number], max(starts[number + 1] - 1, starts[number] + 1))
        # Highlighted once, here, into Content: cheaper to draw on every refresh than Syntax.
        self.query_one(".preview-code", Static).update(Content.from_rich_text(highlighted))
        if changed:
            first = min(changed)
            scroll = self.query_one(".preview-scroll", VerticalScroll)
            self.call_after_refresh(self._reveal, scroll, first)
        notes: list[Content] = []
        if stand_ins:
            notes.append(Content.from_markup(
                "[$text-warning]Examples stand in for:[/] $names",
                names=", ".join(stand_ins)))
        for warning in snippet.warnings:
            notes.append(Content.from_markup("[$text-warning]⚠[/] $warning", warning=warning))
        self._notes(notes)

    @staticmethod
    def _reveal(scroll: VerticalScroll, line: int) -> None:
        top, height = scroll.scroll_y, scroll.scrollable_content_region.height
        if not top <= line < top + height - 1:
            scroll.scroll_to(y=max(line - 2, 0), animate=False)

    def stale(self, errors: list[FieldError], labels: dict[str, str]) -> None:
        """The answers do not render: keep the last preview, dimmed, and name what to fix (the
        form shows each message beside its field)."""
        self.add_class("-stale")
        names = ", ".join(dict.fromkeys(labels.get(error.field, error.field) for error in errors))
        note = Content.from_markup("[$text-error]Preview paused; fix:[/] $names", names=names)
        if len(errors) == 1 and errors[0].field not in labels:
            note = Content.from_markup("[$text-error]Preview paused:[/] $message", message=errors[0].message)
        self._notes([note])

    def _notes(self, notes: list[Content]) -> None:
        widget = self.query_one(".preview-notes", Static)
        widget.update(Content("\n").join(notes))
        widget.display = bool(notes)
