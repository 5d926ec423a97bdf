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


def wrapped_row(text: str, line: int, width: int) -> int:
    """The screen row on which 0-based `line` of `text` starts once lines wrap at `width`."""
    width = max(width, 1)
    return sum(max(1, -(-len(row.rstrip()) // width)) for row in text.splitlines()[:line])


class SnippetPreview(Vertical):
    """Shows the latest rendered snippet, its lines wrapped to the pane (so no comment is cut
    off at 80 columns); when the answers have errors it dims the last text, says it is not the
    output, and names the fields to fix. Re-coloured when the app's theme changes."""

    def __init__(self, *, id: str | None = None, speak=lambda text: text) -> None:
        super().__init__(id=id, classes="snippet-preview")
        self.text = ""  # the text on show (may contain stand-in example values)
        self.snippet: Snippet | None = None
        self.stand_ins: list[str] = []
        self.changed: set[int] = set()  # 0-based lines that differ from the previous text
        self.syntax_theme = ""  # the Pygments theme the text on show was coloured with
        self.speak = speak  # turns command-line wording (flags) into the form's (field labels)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme) -> None:
        if self.snippet is not None:
            self._highlight(self.snippet, set())

    def compose(self) -> ComposeResult:
        yield Static("Preview", classes="preview-title")
        with VerticalScroll(classes="preview-scroll"):
            yield Static("", classes="preview-code")
        yield Static("", classes="preview-notes")

    def show(self, snippet: Snippet, stand_ins: list[str]) -> None:
        changed = changed_lines(self.text, snippet.text) if self.text else set()
        self.snippet = snippet
        self.stand_ins = list(stand_ins)
        self.text = snippet.text
        self.changed = changed
        self.remove_class("-stale")
        self.query_one(".preview-title", Static).update(
            Content.from_markup("[b]Preview[/b] · $name · $lines lines", name=snippet.filename,
                                lines=str(len(snippet.text.splitlines())))
        )
        self._highlight(snippet, changed)
        if changed:
            first = min(changed)
            scroll = self.query_one(".preview-scroll", VerticalScroll)
            self.call_after_refresh(self._reveal, scroll, snippet.text, first)
        notes: list[Content] = []
        if stand_ins:
            notes.append(Content.from_markup(
                "[$text-warning]Examples stand in for:[/] $names",
                names=", ".join(stand_ins)))
        for warning in snippet.warnings:
            notes.append(Content.from_markup("[$text-warning]⚠[/] $warning", warning=self.speak(warning)))
        self._notes(notes)

    def _highlight(self, snippet: Snippet, changed: set[int]) -> None:
        """Colour the text for the current theme; every changed line is highlighted."""
        lexer = LEXERS.get(snippet.language, "text")
        theme = self.syntax_theme = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
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

    @staticmethod
    def _reveal(scroll: VerticalScroll, text: str, line: int) -> None:
        row = wrapped_row(text, line, scroll.scrollable_content_region.width)
        top, height = scroll.scroll_y, scroll.scrollable_content_region.height
        if not top <= row < top + height - 1:
            scroll.scroll_to(y=max(row - 2, 0), animate=False)

    def stale(self, errors: list[FieldError], labels: dict[str, str]) -> None:
        """The answers do not render: dim the last preview, say it is not the output, and name
        what to fix (the form shows each message beside its field)."""
        self.add_class("-stale")
        self.query_one(".preview-title", Static).update(
            Content.from_markup("[b]Preview paused[/b] · [$text-error]not valid output; fix the fields below[/]"))
        names = ", ".join(dict.fromkeys(labels.get(error.field, error.field) for error in errors))
        note = Content.from_markup("[$text-error]Preview paused; fix:[/] $names", names=names)
        if len(errors) == 1 and errors[0].field not in labels:
            note = Content.from_markup("[$text-error]Preview paused:[/] $message", message=errors[0].message)
        self._notes([note])

    def _notes(self, notes: list[Content]) -> None:
        widget = self.query_one(".preview-notes", Static)
        widget.update(Content("\n").join(notes))
        widget.display = bool(notes)
