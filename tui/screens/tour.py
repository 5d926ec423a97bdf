"""Walkthrough: the onboarding course. Lessons on the left (done, answered wrongly, or not tried
yet), the lesson on the right: an introduction, one thing to try in eksguide, and a check
question whose choices are shuffled on every attempt. A lesson is done only when its check is
answered right; a wrong answer says why that choice is wrong and offers another try. Progress is
saved after every answer and resumed on the next start."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..progress import DONE, WRONG, Progress, done_count, lesson_state, next_lesson
from ..widgets.guide_markdown import GuideMarkdown
from ..widgets.text import PRACTICE_SCHEME, md_escape
from .base import SectionScreen
from .dialogs import ConfirmScreen

TRY_VERBS = {"ask": "Ask it", "show": "Read it", "wizard": "Open the wizard"}
LETTERS = "abcde"
MARKS = {DONE: "[$text-success]✓[/]", WRONG: "[$text-error]✗[/]"}


class TourScreen(SectionScreen):
    SECTION = "tour"
    AUTO_FOCUS = "#lesson-list"
    BINDINGS = [
        Binding("t", "try_it", "Try it", tooltip="Do the lesson's 'try it' step (ask, read or open a wizard)"),
        Binding("n", "step(1)", "Next lesson"),
        Binding("p", "step(-1)", "Previous", show=False, tooltip="Previous lesson"),
        Binding("r", "retry", "Try again", tooltip="Answer the check again, its choices shuffled anew"),
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
        self.retrying = False  # a new attempt at a lesson answered wrongly
        self.order: tuple[int, ...] = ()  # the open check's choices (indexes in the file) as shown

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
        states = [lesson_state(self.progress, lesson) for lesson in self.lessons]
        status = Content.from_markup("[b]Walkthrough[/b] · $done of $total done", done=str(states.count(DONE)),
                                     total=str(len(self.lessons)))
        if WRONG in states:
            status += Content.from_markup(" · [$text-error]$wrong wrong[/]", wrong=str(states.count(WRONG)))
        self.query_one("#tour-status", Static).update(status)
        options = self.query_one("#lesson-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for number, (lesson, state) in enumerate(zip(self.lessons, states), start=1):
            mark = MARKS.get(state, "[dim]·[/]")
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
        if lesson.id != self.lesson_id:
            self.retrying = False
        self.lesson_id = lesson.id
        if save and self.progress.current != lesson.id:
            self.guide.save_progress(self.progress.with_current(lesson.id))
        pane = self.query_one("#lesson", VerticalScroll)
        await pane.remove_children()
        await pane.mount_all(self._lesson_widgets(index, lesson))
        self._show_check(lesson)
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
        letters = LETTERS[: len(check.choices)]
        letters = f"{', '.join(letters[:-1])} or {letters[-1]}"
        widgets.append(Static(Content.from_markup("Check [dim](press $letters to answer)[/]", letters=letters),
                              classes="lesson-heading"))
        widgets.append(Static(Content(check.question), classes="lesson-text", id="check-question"))
        widgets.append(OptionList(id="check-choices"))
        widgets.append(Static("", id="check-result"))
        widgets.append(Button("Try again (r)", id="retry-button", compact=True))
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

    # ---------------------------------------------------------------- the check

    def _answered_choice(self, lesson) -> int | None:
        """The stored answer to show as the result, or None while the check waits for an answer."""
        chosen = self.progress.answers.get(lesson.id)
        state = lesson_state(self.progress, lesson)
        if chosen is None or not 0 <= chosen < len(lesson.check.choices):
            return None
        if state == DONE or (state == WRONG and not self.retrying):
            return chosen
        return None

    def _attempt(self, lesson, chosen: int | None) -> int:
        """Which attempt's order to show: the one answered (a wrong answer counted a miss), or the next."""
        misses = self.progress.misses.get(lesson.id, 0)
        if chosen is not None and not lesson.check.is_correct(chosen):
            return max(misses - 1, 0)
        return misses

    def _show_check(self, lesson) -> None:
        """The choices in this attempt's shuffled order, and the result once answered."""
        chosen = self._answered_choice(lesson)
        self.order = lesson.choice_order(self._attempt(lesson, chosen))
        choices = self.query_one("#check-choices", OptionList)
        choices.clear_options()
        for position, number in enumerate(self.order):
            mark = "[dim]○[/]"
            if number == chosen:
                mark = "[$text-success]✓[/]" if lesson.check.is_correct(number) else "[$text-error]✗[/]"
            choices.add_option(Option(Content.from_markup(f"{mark} $letter) $choice", letter=LETTERS[position],
                                                          choice=lesson.check.choices[number]), id=str(number)))
        result = self.query_one("#check-result", Static)
        retry = self.query_one("#retry-button", Button)
        result.display = chosen is not None
        retry.display = chosen is not None and not lesson.check.is_correct(chosen)
        if chosen is None:
            return
        choices.highlighted = self.order.index(chosen)
        right = lesson.check.is_correct(chosen)
        if right:
            text = Content.from_markup("[b $text-success]✓ Right.[/] ") + Content(lesson.check.explanation)
        else:
            text = (Content.from_markup("[b $text-error]✗ Not quite.[/] ") + Content(lesson.check.reason(chosen))
                    + Content.from_markup(" [dim]Press r to try again; the choices are shuffled.[/]"))
        result.update(text)
        result.set_class(right, "-right")
        result.set_class(not right, "-wrong")

    def waiting_for_answer(self) -> bool:
        lesson = self.lesson()
        return lesson is not None and self._answered_choice(lesson) is None

    def answer(self, position: int) -> None:
        """Answer the open lesson's check with the choice shown at `position` (0 is a)."""
        lesson = self.lesson()
        if lesson is None or not self.waiting_for_answer() or not 0 <= position < len(self.order):
            return
        choice = self.order[position]
        index = self._index(lesson.id) or 0
        if lesson.check.is_correct(choice):
            following = self.lessons[index + 1].id if index + 1 < len(self.lessons) else lesson.id
            self.guide.save_progress(self.progress.with_completed(lesson.id, choice, current=following))
        else:
            self.guide.save_progress(self.progress.with_miss(lesson.id, choice).with_current(lesson.id))
        self.retrying = False
        self._show_check(lesson)
        self._fill_list()
        self.refresh_bindings()
        self.call_after_refresh(self.query_one("#check-result").scroll_visible)

    def action_retry(self) -> None:
        lesson = self.lesson()
        if lesson is None or lesson_state(self.progress, lesson) != WRONG or self.waiting_for_answer():
            return
        self.retrying = True
        self._show_check(lesson)
        self.refresh_bindings()
        choices = self.query_one("#check-choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def finish_summary(self) -> str:
        """What the walkthrough's end says: how many are done, and which were wrong or not tried."""
        done = done_count(self.progress, self.lessons)
        lines = [f"You have finished {done} of {len(self.lessons)} lessons."]
        for state, label in ((WRONG, "Answered wrongly"), ("new", "Not tried yet")):
            numbered = [f"{n}. {lesson.title}" for n, lesson in enumerate(self.lessons, start=1)
                        if lesson_state(self.progress, lesson) == state]
            if numbered:
                lines.append(f"{label}: {'; '.join(numbered)}.")
        if done < len(self.lessons):
            lines.append("Pick a lesson from the list to try it again.")
        else:
            lines.append("Ask anything with F2.")
        return "\n".join(lines)

    @on(OptionList.OptionSelected, "#check-choices")
    def _answered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.answer(event.option_index)

    @on(Button.Pressed, "#retry-button")
    def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_retry()

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
        await self.action_step(1)

    # ---------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        index = self._index(self.lesson_id)
        if action == "step":
            if index is None:
                return None
            target = index + int(parameters[0]) if parameters else index
            return True if 0 <= target <= len(self.lessons) else None  # past the last one: finish
        if action == "answer":
            lesson = self.lesson()
            return bool(lesson is not None and parameters and int(parameters[0]) < len(lesson.check.choices)
                        and self.waiting_for_answer())
        if action == "retry":
            lesson = self.lesson()
            return bool(lesson is not None and lesson_state(self.progress, lesson) == WRONG
                        and not self.waiting_for_answer()) or None
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
        elif target == len(self.lessons):
            self.notify(self.finish_summary(), title="Walkthrough", timeout=15, markup=False)

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
        done = done_count(self.progress, self.lessons)

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
            self.retrying = False
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
