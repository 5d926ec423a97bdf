"""The eksguide app: four sections (Ask, Browse, Wizards, Walkthrough) as Textual modes.

This module only wires things together: the content the screens share (knowledge base, search
engine, snippet specs, lessons, glossary, walkthrough progress), the app-wide keys, and the
jumps between sections that the command palette and the screens use. Screens live in
`tui/screens/`, widgets in `tui/widgets/`, styles in the .tcss files beside them.
"""
from __future__ import annotations

import tempfile
import threading
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path

import snippets
from knowledge import KnowledgeBase, load_knowledge
from knowledge.problems import ContentError
from knowledge.search import SearchEngine, default_engine
from snippets import Spec
from textual.app import App
from textual.binding import Binding

from .config import restore_theme
from .palette import GuideCommands
from .progress import Progress, ProgressStore, data_directory
from .screens.ask import AskScreen
from .screens.browse import BrowseScreen
from .screens.check import CheckScreen
from .screens.help import HelpScreen
from .screens.tour import TourScreen
from .screens.wizards import WizardPickerScreen, WizardScreen
from .widgets import option_paging

option_paging.install()

SECTION_MODES = ("ask", "browse", "wizards", "tour", "check")


class EksGuideApp(App[None]):
    """eksguide in the terminal. Everything it shows can be injected (tests use small fixtures)."""

    TITLE = "eksguide"
    SUB_TITLE = "encryption and secrets on Amazon EKS"
    CSS_PATH = [
        "app.tcss",
        "widgets/widgets.tcss",
        "screens/ask.tcss",
        "screens/browse.tcss",
        "screens/wizards.tcss",
        "screens/tour.tcss",
        "screens/dialogs.tcss",
        "screens/check.tcss",
    ]
    MODES = {
        "ask": AskScreen,
        "browse": BrowseScreen,
        "wizards": WizardPickerScreen,
        "tour": TourScreen,
        "check": CheckScreen,
    }
    # No DEFAULT_MODE: the app starts on Textual's blank default screen and switches to its first
    # section in on_mount. Textual 8.2.8 registers (and so mounts) a MODES screen before it
    # appends it to its stack; on Python 3.12+ Textual runs tasks eagerly, so the Ask screen's
    # Input mounted while the stack was still empty and its selection watcher's
    # App.clear_selection() raised ScreenStackError. Switching from a screen that is already on
    # a stack never meets an empty one.
    COMMANDS = App.COMMANDS | {GuideCommands}
    # The section keys are shown in the navigation bar, so the Footer keeps its room for the
    # keys of the screen at hand.
    BINDINGS = [
        Binding("f1", "help", "Help", show=False, tooltip="This list of keys"),
        Binding("f2", "section('ask')", "Ask", show=False, tooltip="Ask: questions and answers"),
        Binding("f3", "section('browse')", "Browse", show=False, tooltip="Browse: every practice by area"),
        Binding("f4", "section('wizards')", "Wizards", show=False, tooltip="Wizards: make snippets"),
        Binding("f5", "section('tour')", "Walkthrough", show=False, tooltip="Walkthrough: the onboarding course"),
        Binding("f6", "section('check')", "Check", show=False, tooltip="Check: audit manifests against the practices"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self,
        *,
        start: str | None = None,
        knowledge: KnowledgeBase | None = None,
        engine: SearchEngine | None = None,
        specs: Iterable[Spec] | None = None,
        lessons: Sequence | None = None,
        glossary: Sequence | None = None,
        progress_dir: str | Path | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.cursor_blink = cursor_blink  # False: steady text cursors (deterministic snapshots)
        self.start_mode = start if start in SECTION_MODES else "ask"
        self.kb = knowledge if knowledge is not None else load_knowledge()
        self._shipped_content = knowledge is None
        self._engine = engine
        self._engine_lock = threading.Lock()
        self.specs: dict[str, Spec] = {
            spec.kind: spec for spec in (specs if specs is not None else snippets.available())
        }
        self.content_problems: list[str] = []
        self.lessons = tuple(lessons) if lessons is not None else self._load_lessons()
        self.glossary = tuple(glossary) if glossary is not None else self._load_glossary()
        self.progress_store = ProgressStore(progress_dir)
        self.progress = Progress()
        self.progress_warning: str | None = None
        self.crash: BaseException | None = None  # the error that stopped the app, if one did

    # ---------------------------------------------------------------- content

    def _load_lessons(self) -> tuple:
        from knowledge.tour import load_tour

        try:
            return load_tour(known_practices=self.kb.ids)
        except ContentError as exc:
            self.content_problems.append(f"The walkthrough could not be loaded:\n{exc}")
            return ()

    def _load_glossary(self) -> tuple:
        from knowledge.glossary import load_glossary

        try:
            return load_glossary(known_practices=self.kb.ids)
        except ContentError as exc:
            self.content_problems.append(f"The glossary could not be loaded:\n{exc}")
            return ()

    def engine(self) -> SearchEngine:
        """The search engine, built on first use (safe to call from a worker thread)."""
        with self._engine_lock:
            if self._engine is None:
                # The shipped content's engine is cached on disk by knowledge.search.
                self._engine = default_engine() if self._shipped_content else SearchEngine(self.kb.practices)
            return self._engine

    def save_progress(self, progress: Progress) -> None:
        """Keep and store walkthrough progress; a failed write is a warning, never a crash."""
        self.progress = progress
        try:
            self.progress = self.progress_store.save(progress)
        except OSError as exc:
            self.notify(f"Could not save walkthrough progress to {self.progress_store.path}: {exc}",
                        title="Progress not saved", severity="warning", timeout=8, markup=False)

    # ---------------------------------------------------------------- lifecycle

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error stops the app as in Textual, but keeps the error for the command
        line to report in one line (with the traceback in a file) instead of a full-screen dump."""
        self.crash = error
        super()._handle_exception(error)
        self._exit_renderables.clear()

    async def on_mount(self) -> None:
        self.progress, self.progress_warning = self.progress_store.load()
        if self.progress_warning:
            self.notify(self.progress_warning, title="Walkthrough progress", severity="warning",
                        timeout=12, markup=False)
        restore_theme(self)  # the theme saved last time, and save each change (tui/config.py)
        for problem in self.content_problems:
            self.notify(problem, title="Content problem", severity="error", timeout=12, markup=False)
        # Build the search index off the UI thread, so the first question answers at once.
        self.run_worker(self.engine, thread=True, group="engine", name="build search index")
        await self.switch_mode(self.start_mode)

    # ---------------------------------------------------------------- actions and jumps

    async def action_section(self, mode: str) -> None:
        if mode in SECTION_MODES and self.current_mode != mode:
            await self.switch_mode(mode)

    def action_help(self) -> None:
        # Built once and kept: the list of keys does not change while the app runs.
        if not isinstance(self.screen, HelpScreen):
            if not self.is_screen_installed("help"):
                self.install_screen(HelpScreen(), "help")
            self.push_screen("help")

    async def show_practice(self, practice_id: str) -> None:
        """Open a practice in Browse."""
        if self.kb.get(practice_id) is None:
            self.notify(f"There is no practice called {practice_id!r}.", severity="warning", markup=False)
            return
        await self.switch_mode("browse")
        screen = self.screen
        if isinstance(screen, BrowseScreen):
            screen.show_practice(practice_id)

    async def open_wizard(self, kind: str) -> None:
        """Open the wizard of a snippet kind (in the Wizards section)."""
        spec = self.specs.get(kind)
        if spec is None:
            self.notify(f"The {kind} wizard is not available in this version.", severity="warning", markup=False)
            return
        origin = self.current_mode if self.current_mode in SECTION_MODES else "wizards"
        await self.switch_mode("wizards")
        while isinstance(self.screen, WizardScreen):
            if self.screen.spec.kind == kind:
                return
            await self.pop_screen()
        # Each wizard's screen is built once and kept: reopening it is instant and shows the
        # answers as they were left.
        name = f"wizard:{kind}"
        if not self.is_screen_installed(name):
            self.install_screen(WizardScreen(spec), name)
        wizard = self.get_screen(name)
        if isinstance(wizard, WizardScreen):
            wizard.origin = origin
        await self.push_screen(name)

    async def ask_question(self, question: str) -> None:
        """Ask a question on the Ask screen."""
        await self.switch_mode("ask")
        screen = self.screen
        if isinstance(screen, AskScreen):
            screen.ask(question)

    async def open_lesson(self, lesson_id: str) -> None:
        await self.switch_mode("tour")
        screen = self.screen
        if isinstance(screen, TourScreen):
            await screen.open_lesson(lesson_id)


def write_crash_report(error: BaseException) -> Path:
    """Write the traceback of `error` to a new file (under the eksguide home, else the temporary
    directory) and return its path."""
    text = "".join(traceback.format_exception(error))
    for directory in (lambda: data_directory() / "crashes", lambda: Path(tempfile.gettempdir())):
        try:
            folder = directory()
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix="crash-", suffix=".txt", dir=folder)
            with open(handle, "w", encoding="utf-8", errors="replace") as file:
                file.write(text)
            return Path(name)
        except (OSError, RuntimeError, ValueError):
            continue
    raise OSError("no directory to write the crash report to")


def run(start: str | None = None) -> EksGuideApp:
    """Open the app (what `eksguide` with no command does); `start` names the first section.
    Returns the app once it has closed (its `crash` is the error that stopped it, if any)."""
    app = EksGuideApp(start=start)
    app.run()
    return app


if __name__ == "__main__":
    run()
