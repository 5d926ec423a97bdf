"""Walkthrough: the onboarding course. Lessons on the left (ticked when done), the lesson on the
right: an introduction, one thing to try in eksguide, and a check question. Progress is saved
after every answer and resumed on the next start."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..progress import Progress, next_lesson
from ..widgets.guide_markdown import GuideMarkdown
from ..widgets.text import PRACTICE_SCHEME, md_escape
from .base import SectionScreen
from .dialogs import ConfirmScreen

TRY_VERBS = {"ask": "Ask it", "show": "Read it", "wizard": "Open the wizard"}


class TourScreen(SectionScreen):
    SECTION = "tour"
    AUTO_FOCUS = "#lesson-list"
    BINDINGS = [
        Binding("t", "try_it", "Try it", tooltip="Do the lesson's 'try it' step (ask, read or open a wizard)"),
        Binding("n", "step(1)", "Next lesson"),
        Binding("p", "step(-1)", "Previous", show=False, tooltip="Previous lesson"),
        Binding("ctrl+r", "reset", "Reset progress", tooltip="Forget all walkthrough progress (asks first)"),
        Binding("a", "answer(0)", "Answer a", show=False, tooltip="Answer the check with choice a"),
        Binding("b", "answer(1)", "Answer b", show=False, tooltip="Answer the check with choice b"),
        Binding("c", "answer(2)", "Answer c", show=False, tooltip="Answer the check with choice c"),
        Binding("d", "answer(3)", "Answer d", show=False, tooltip="Answer the check with choice d"),
        Binding("e", "answer(4)", "Answer e", show=False, tooltip="Answer the check with choice e"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lesson_id: str | None = None

    @property
    def lessons(self) -> tuple:
        return self.guide.lessons

    @property
    def progress(self) -> Progress:
        return self.guide.progress

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="tour"):
            with Vertical(id="tour-side"):
                yield Static("", id="tour-status")
                yield OptionList(id="lesson-list")
            yield VerticalScroll(id="lesson")

    async def on_mount(self) -> None:
        self._fill_list()
        if not self.lessons:
            await self.query_one("#lesson").mount(
                Static("The walkthrough has no lessons to show (see the notification for why).", classes="lesson-empty")
            )
            return
        if self.lesson_id is None:  # (a jump to a lesson may have come first)
            upcoming = next_lesson(self.progress, self.lessons) or self.lessons[-1]
            await self.open_lesson(upcoming.id, save=False)

    # ---------------------------------------------------------------- the lesson list

    def _index(self, lesson_id: str | None) -> int | None:
        for index, lesson in enumerate(self.lessons):
            if lesson.id == lesson_id:
                return index
        return None

    def _fill_list(self) -> None:
        done = sum(1 for lesson in self.lessons if self.progress.is_done(lesson.id))
        status = self.query_one("#tour-status", Static)
        status.update(Content.from_markup("[b]Walkthrough[/b] · $done of $total done", done=str(done),
                                          total=str(len(self.lessons))))
        options = self.query_one("#lesson-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for number, lesson in enumerate(self.lessons, start=1):
            mark = "[$text-success]✓[/]" if self.progress.is_done(lesson.id) else "[dim]·[/]"
            options.add_option(Option(Content.from_markup(f"{mark} $number. $title", number=str(number),
                                                          title=lesson.title), id=lesson.id))
        current = self._index(self.lesson_id)
        if current is not None:
            options.highlighted = current
        elif highlighted is not None and self.lessons:
            options.highlighted = min(highlighted, len(self.lessons) - 1)

    @on(OptionList.OptionSelected, "#lesson-list")
    async def _lesson_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.open_lesson(event.option.id or "")
        self.query_one("#lesson").focus()

    # ---------------------------------------------------------------- one lesson

    def lesson(self):
        index = self._index(self.lesson_id)
        return self.lessons[index] if index is not None else None

    async def open_lesson(self, lesson_id: str, *, save: bool = True) -> None:
        index = self._index(lesson_id)
        if index is None:
            return
        lesson = self.lessons[index]
        self.lesson_id = lesson.id
        if save and self.progress.current != lesson.id:
            self.guide.save_progress(self.progress.with_current(lesson.id))
        pane = self.query_one("#lesson", VerticalScroll)
        await pane.remove_children()
        await pane.mount_all(self._lesson_widgets(index, lesson))
        answered = self.progress.answers.get(lesson.id)
        if answered is not None and 0 <= answered < len(lesson.check.choices):
            self._show_result(lesson, answered)
        pane.scroll_home(animate=False)
        self._fill_list()
        self.refresh_bindings()

    def _lesson_widgets(self, index: int, lesson) -> list[Widget]:
        kb = self.guide.kb
        intro = f"# {index + 1}. {md_escape(lesson.title)}\n\n{lesson.intro.strip()}\n"
        widgets: list[Widget] = [GuideMarkdown(intro, id="lesson-intro")]
        reading = [kb.get(pid) for pid in lesson.practices]
        reading = [p for p in reading if p is not None]
        if reading:
            widgets.append(Static("Read", classes="lesson-heading"))
            widgets.append(OptionList(
                *[Option(Content.from_markup("→ $title", title=p.title), id=p.id) for p in reading],
                id="lesson-reading",
            ))
        step = lesson.try_step
        widgets.append(Static("Try it", classes="lesson-heading"))
        widgets.append(Static(Content(step.text), classes="lesson-text"))
        widgets.append(Static(self._try_target(step), classes="lesson-text try-target"))
        available = step.action != "wizard" or step.target in self.guide.specs
        widgets.append(Button(Content(f"{TRY_VERBS.get(step.action, 'Try')} (t)"), id="try-button",
                              disabled=not available, compact=True))
        check = lesson.check
        letters = "abcde"[: len(check.choices)]
        letters = f"{', '.join(letters[:-1])} or {letters[-1]}"
        widgets.append(Static(Content.from_markup("Check [dim](press $letters to answer)[/]", letters=letters),
                              classes="lesson-heading"))
        widgets.append(Static(Content(check.question), classes="lesson-text", id="check-question"))
        widgets.append(OptionList(*self._choice_options(lesson, None), id="check-choices"))
        widgets.append(Static("", id="check-result"))
        last = index == len(self.lessons) - 1
        widgets.append(Button("Finish" if last else "Next lesson (n)", id="next-button", compact=True,
                              variant="primary"))
        return widgets

    def _try_target(self, step) -> Content:
        if step.action == "show":
            practice = self.guide.kb.get(step.target)
            return Content.from_markup("[dim]Practice:[/] $title", title=practice.title if practice else step.target)
        if step.action == "wizard":
            spec = self.guide.specs.get(step.target)
            if spec is None:
                return Content.from_markup("[dim]Wizard:[/] $kind (not available in this version)", kind=step.target)
            return Content.from_markup("[dim]Wizard:[/] $title", title=spec.title)
        return Content.from_markup("[dim]Question:[/] $question", question=step.target)

    def _choice_options(self, lesson, chosen: int | None) -> list[Option]:
        """The check's choices; once answered, the choice made and the right one are marked."""
        options = []
        for number, choice in enumerate(lesson.check.choices):
            letter = "abcde"[number]
            if chosen is None:
                mark = "[dim]○[/]"
            elif number == lesson.check.answer:
                mark = "[$text-success]✓[/]"
            elif number == chosen:
                mark = "[$text-error]✗[/]"
            else:
                mark = "[dim]○[/]"
            options.append(Option(Content.from_markup(f"{mark} $letter) $choice", letter=letter, choice=choice),
                                  id=str(number)))
        return options

    def _show_result(self, lesson, choice: int) -> None:
        check = lesson.check
        choices = self.query_one("#check-choices", OptionList)
        choices.clear_options()
        choices.add_options(self._choice_options(lesson, choice))
        choices.highlighted = choice
        result = self.query_one("#check-result", Static)
        if check.is_correct(choice):
            head = Content.from_markup("[b $text-success]✓ Right.[/] ")
        else:
            head = Content.from_markup("[b $text-error]✗ Not quite.[/] The answer is: $right. ",
                                       right=check.choices[check.answer])
        result.update(head + Content(check.explanation))
        result.set_class(check.is_correct(choice), "-right")
        result.set_class(not check.is_correct(choice), "-wrong")
        result.display = True

    def answer(self, choice: int) -> None:
        """Answer the open lesson's check with choice number `choice` (0-based)."""
        lesson = self.lesson()
        if lesson is None or not 0 <= choice < len(lesson.check.choices):
            return
        already = self.progress.is_done(lesson.id) and self.progress.answers.get(lesson.id) == choice
        if not already:
            index = self._index(lesson.id) or 0
            following = self.lessons[index + 1].id if index + 1 < len(self.lessons) else lesson.id
            self.guide.save_progress(self.progress.with_completed(lesson.id, choice, current=following))
            self._fill_list()
            self.refresh_bindings()
        self._show_result(lesson, choice)
        self.call_after_refresh(self.query_one("#check-result").scroll_visible)

    @on(OptionList.OptionSelected, "#check-choices")
    def _answered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.answer(int(event.option.id or 0))

    @on(OptionList.OptionSelected, "#lesson-reading")
    async def _read(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.guide.show_practice(event.option.id or "")

    @on(Markdown.LinkClicked)
    async def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        if event.href.startswith(PRACTICE_SCHEME):
            await self.guide.show_practice(event.href[len(PRACTICE_SCHEME):])
        elif event.href.startswith(("https://", "http://")):
            self.app.open_url(event.href)

    @on(Button.Pressed, "#try-button")
    async def _try_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_try_it()

    @on(Button.Pressed, "#next-button")
    async def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self._index(self.lesson_id) == len(self.lessons) - 1:
            done = sum(1 for lesson in self.lessons if self.progress.is_done(lesson.id))
            self.notify(f"You have finished {done} of {len(self.lessons)} lessons. Ask anything with F2.",
                        title="Walkthrough", markup=False)
            return
        await self.action_step(1)

    # ---------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        index = self._index(self.lesson_id)
        if action == "step":
            if index is None:
                return None
            target = index + int(parameters[0]) if parameters else index
            return True if 0 <= target < len(self.lessons) else None
        if action == "answer":
            lesson = self.lesson()
            return bool(lesson is not None and parameters and int(parameters[0]) < len(lesson.check.choices))
        if action == "try_it":
            return True if index is not None else None
        if action == "reset":
            return True if self.progress.completed or self.progress.answers else None
        return True

    def action_answer(self, choice: int) -> None:
        self.answer(choice)

    async def action_step(self, step: int) -> None:
        index = self._index(self.lesson_id)
        if index is None:
            return
        target = index + step
        if 0 <= target < len(self.lessons):
            await self.open_lesson(self.lessons[target].id)

    async def action_try_it(self) -> None:
        lesson = self.lesson()
        if lesson is None:
            return
        step = lesson.try_step
        if step.action == "ask":
            await self.guide.ask_question(step.target)
        elif step.action == "show":
            await self.guide.show_practice(step.target)
        elif step.action == "wizard":
            await self.guide.open_wizard(step.target)

    def action_reset(self) -> None:
        done = sum(1 for lesson in self.lessons if self.progress.is_done(lesson.id))

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.guide.progress_store.reset()
            except OSError as exc:
                self.notify(f"Could not remove {self.guide.progress_store.path}: {exc}", severity="error",
                            markup=False)
                return
            self.guide.progress = Progress()
            self.notify("Walkthrough progress cleared.", title="Reset", markup=False)
            if self.lessons:
                await self.open_lesson(self.lessons[0].id, save=False)
            self._fill_list()
            self.refresh_bindings()

        self.app.push_screen(
            ConfirmScreen(f"Forget your walkthrough progress ({done} of {len(self.lessons)} lessons done)?",
                          yes="Forget it"),
            confirmed,
        )
