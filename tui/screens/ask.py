"""Ask: a chat transcript. Type a question; the answer comes back answer first (the FAQ answer,
or the summary and the "How" steps), with the wizards, copy keys, other matches and related
practices as suggestions to pick (Tab, then Enter), and the rest of the practice folded into
sections. Older exchanges fold to one line each (see widgets/exchange.py)."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

from knowledge import AREAS, Practice
from knowledge.search import Reply
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Markdown, OptionList
from textual.widgets.option_list import Option

from ..progress import Progress, done_count
from ..widgets.exchange import ActionList, Exchange, Section, Summary
from ..widgets.history_input import HistoryInput
from ..widgets.text import PRACTICE_SCHEME, answer_layout, linked_practice_ids, md_escape
from .base import SectionScreen

# Questions shown to newcomers and after an off-topic question. Each must get an answer from the
# shipped knowledge base (a test asks them all).
EXAMPLE_QUESTIONS = (
    "How do I encrypt EBS volumes with my own KMS key?",
    "Should I mount secrets as files or environment variables?",
    "How does envelope encryption of Kubernetes secrets work?",
    "How can I see who read a secret?",
    "How do I sync secrets from AWS Secrets Manager?",
)

MAX_EXCHANGES = 200  # older ones are one line each, so many fit
MAX_RELATED = 4

_TERM_QUESTION_RE = re.compile(
    r"^\s*(?:what(?:'s|\s+is|\s+are|\s+does)|define|meaning\s+of|explain)\s+(?:an?\s+|the\s+)?(?P<term>.+?)"
    r"(?:\s+(?:mean|stand\s+for))?\s*\??\s*$",
    re.I,
)


def glossary_term(glossary: Iterable, question: str):
    """The glossary term a question asks about ("what is a DEK?", "IRSA"), or None."""
    from knowledge.glossary import lookup

    terms = tuple(glossary)
    if not terms:
        return None
    match = _TERM_QUESTION_RE.match(question)
    candidates = [match.group("term")] if match else []
    candidates.append(question.strip().rstrip("?"))
    for candidate in candidates:
        term = lookup(terms, candidate)
        if term is not None:
            return term
    return None


class AskScreen(SectionScreen):
    SECTION = "ask"
    AUTO_FOCUS = "#question"
    BINDINGS = [
        Binding("tab", "toggle_focus", "Suggestions",
                tooltip="Go to the suggestions under the latest reply, and back to the question"),
        Binding("ctrl+o", "open_wizard", "Open wizard", tooltip="Open the first wizard the latest reply offers"),
        Binding("ctrl+r", "whole_practice", "Read all",
                tooltip="Open every section of the latest answer (the whole practice)"),
        Binding("ctrl+y", "copy_code", "Copy code", tooltip="Copy the first code block of the latest answer"),
        Binding("ctrl+l", "clear", "Clear", tooltip="Clear the transcript"),
        Binding("shift+tab", "earlier", "Earlier answers", show=False,
                tooltip="Go to the earlier answers (one line each; Enter opens one)"),
        Binding("escape", "focus_question", "Question", show=False, tooltip="Back to the question box"),
        Binding("pageup", "scroll_transcript(-1)", "Scroll up", show=False, tooltip="Scroll the transcript up"),
        Binding("pagedown", "scroll_transcript(1)", "Scroll down", show=False, tooltip="Scroll the transcript down"),
    ]

    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(id="transcript", can_focus=False)
        yield HistoryInput(
            placeholder="Ask about EKS encryption or secrets, e.g. how do I encrypt EBS volumes?",
            id="question",
        )

    async def on_mount(self) -> None:
        await self.add_exchange(self._welcome())

    # ---------------------------------------------------------------- asking

    @on(Input.Submitted, "#question")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.ask(event.value)

    def ask(self, question: str) -> None:
        """Ask `question` (as if typed): remembered in the history, answered in the transcript."""
        question = " ".join(question.split())
        if not question:
            return
        box = self.query_one("#question", HistoryInput)
        box.remember(question)
        box.value = ""
        self._answer(question)

    @work(group="ask")
    async def _answer(self, question: str) -> None:
        engine = self.guide.engine
        reply = await asyncio.to_thread(lambda: engine().ask(question, limit=5))
        await self.add_exchange(self.reply_exchange(reply))

    async def add_exchange(self, exchange: Exchange) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        old = list(transcript.query_children(Exchange))
        excess = len(old) - MAX_EXCHANGES + 1
        if excess > 0:
            await transcript.remove_children(old[:excess])
            old = old[excess:]
        for earlier in old:
            await earlier.set_collapsed(True)
        await transcript.mount(exchange)
        self.refresh_bindings()
        # Show the new reply from its top, once it has been laid out.
        self.call_after_refresh(transcript.scroll_to_widget, exchange, top=True, animate=False)

    # ---------------------------------------------------------------- building replies

    def _practice_title(self, practice_id: str) -> str | None:
        practice = self.guide.kb.get(practice_id)
        return practice.title if practice else None

    def _welcome(self) -> Exchange:
        kb = self.guide.kb
        lessons = self.guide.lessons
        progress = self.guide.progress
        if progress == Progress():  # when this screen first mounts, the app has not read the file yet
            progress = self.guide.progress_store.peek()
        done = done_count(progress, lessons)
        lines = [
            f"**Welcome to eksguide.** Ask about **data encryption and secrets management on Amazon EKS** in your own words. "
            f"Answers come from a knowledge base of {len(kb)} practices, each with its primary sources.",
            "",
            "- **F3 Browse** every practice by area",
            "- **F4 Wizards** make StorageClasses, Secret manifests and audit queries",
        ]
        if lessons:
            lines.append(f"- **F5 Walkthrough** a short course, {done} of {len(lessons)} lessons done")
        lines += ["", "Press **Tab** to pick a suggestion below, **F1** for every key."]
        actions = [self._ask_option(question) for question in EXAMPLE_QUESTIONS]
        if lessons and done < len(lessons):
            actions.append(Option(Content.from_markup("[b]▶ Walkthrough:[/b] learn the basics step by step"),
                                  id="tour:"))
        return Exchange(None, "\n".join(lines), actions, classes="welcome")

    def _ask_option(self, question: str, label: str = "Ask") -> Option:
        return Option(Content.from_markup("[b]? $label:[/b] $question", label=label, question=question),
                      id=f"ask:{question}")

    def _practice_option(self, practice: Practice, label: str) -> Option:
        return Option(Content.from_markup("[b]→ $label:[/b] $title", label=label, title=practice.title),
                      id=f"practice:{practice.id}")

    def _wizard_options(self, kinds: Iterable[str]) -> tuple[list[Option], list[str]]:
        options: list[Option] = []
        offered: list[str] = []
        for kind in kinds:
            spec = self.guide.specs.get(kind)
            if spec is None or kind in offered:
                continue
            offered.append(kind)
            options.append(Option(Content.from_markup("[b $accent]⚙ Open wizard:[/] $title ($kind)",
                                                      title=spec.title, kind=kind), id=f"wizard:{kind}"))
        return options, offered

    def practice_exchange(self, practice: Practice, prompt: Content | None, *, preface: str = "",
                          also: Iterable[Practice] = (), kinds_first: Iterable[str] = (),
                          faq=None) -> Exchange:
        """A reply that presents one practice answer first, with its wizards, copy keys, other
        matches and related practices, and the rest of the practice in folded sections."""
        kb = self.guide.kb
        layout = answer_layout(practice, faq=faq, preface=preface)
        wizard_options, offered = self._wizard_options([*kinds_first, *practice.snippets])
        actions = list(wizard_options)
        for number, (language, code) in enumerate(layout.code, start=1):
            lines = len(code.splitlines())
            actions.append(Option(Content.from_markup("[b]⧉ Copy:[/b] code block $n ($language, $lines lines)",
                                                      n=str(number), language=language, lines=str(lines)),
                                  id=f"copy:{number - 1}"))
        shown = {practice.id}
        for other in also:
            if other.id not in shown:
                shown.add(other.id)
                actions.append(self._practice_option(other, "Also matches"))
        related = [kb.get(pid) for pid in linked_practice_ids(practice) if pid not in shown]
        for other in [p for p in related if p is not None][:MAX_RELATED]:
            actions.append(self._practice_option(other, "Related"))
        actions.append(Option(Content.from_markup("[b]▤ Open in Browse:[/b] $title", title=practice.title),
                              id=f"browse:{practice.id}"))
        return Exchange(prompt, layout.lead, actions, wizards=offered, sections=layout.sections,
                        code=layout.code, title=practice.title)

    def reply_exchange(self, reply: Reply) -> Exchange:
        """The transcript entry for an answered (or unanswerable) question."""
        prompt = Content.from_markup("[b]❯[/b] $question", question=reply.question)
        preface: list[str] = []
        term = glossary_term(self.guide.glossary, reply.question)
        if term is not None:
            preface.append(f"> **{md_escape(term.term)}**: {md_escape(term.definition)}")
        if reply.answers and reply.did_you_mean:
            preface.append(f"*Showing answers for:* {md_escape(reply.did_you_mean)}")
        if reply.answers:
            top = reply.answers[0]
            offered = [kind for kind in (*top.snippets, *top.practice.snippets) if kind in self.guide.specs]
            if reply.wants_snippet and offered:
                title = self.guide.specs[offered[0]].title
                preface.insert(0, f"**Ctrl+O** opens the wizard that writes it: *{md_escape(title)}* "
                                  "(the other wizards are in the list below the answer).")
            return self.practice_exchange(
                top.practice, prompt, preface="\n\n".join(preface),
                also=[answer.practice for answer in reply.answers[1:]], kinds_first=top.snippets,
                faq=getattr(top, "faq", None),
            )
        if term is not None:
            return self._term_exchange(term, prompt, preface)
        return self._no_answer_exchange(reply, prompt)

    def _term_exchange(self, term, prompt: Content, preface: list[str]) -> Exchange:
        kb = self.guide.kb
        practices = [kb.get(pid) for pid in term.practices]
        actions = [self._practice_option(p, "Read") for p in practices if p is not None]
        lines = [*preface, "", "The practices where it matters are listed below."]
        return Exchange(prompt, "\n".join(lines), actions, title=term.term)

    def _no_answer_exchange(self, reply: Reply, prompt: Content) -> Exchange:
        kb = self.guide.kb
        lines = ["**I don't have a confident answer to that.**", ""]
        if reply.unknown_words:
            words = ", ".join(md_escape(word) for word in reply.unknown_words)
            lines += [f"The knowledge base never mentions: *{words}*.", ""]
        lines += ["eksguide covers data encryption and secrets management on Amazon EKS:", ""]
        for area, practices in kb.by_area().items():
            titles = "; ".join(md_escape(p.title) for p in practices[:3])
            more = f" and {len(practices) - 3} more" if len(practices) > 3 else ""
            lines.append(f"- **{md_escape(AREAS.get(area, area))}**: {titles}{more}")
        lines += ["", "Try one of the questions below, rephrase, or browse everything with **F3**."]
        actions: list[Option] = []
        if reply.did_you_mean:
            actions.append(self._ask_option(reply.did_you_mean, "Did you mean"))
        actions += [self._ask_option(question) for question in EXAMPLE_QUESTIONS
                    if question != reply.did_you_mean]
        return Exchange(prompt, "\n".join(lines), actions, title="no answer", classes="no-answer")

    # ---------------------------------------------------------------- suggestions and links

    @on(OptionList.OptionSelected, ".actions")
    async def _action_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        action = event.option.id or ""
        if action.startswith("copy:"):
            exchange = next((node for node in event.option_list.ancestors if isinstance(node, Exchange)), None)
            if exchange is not None:
                self.copy_code(exchange, int(action.partition(":")[2]))
            return
        await self.run_suggestion(action)

    def copy_code(self, exchange: Exchange, index: int) -> None:
        """Copy one code block of a reply to the clipboard (OSC 52)."""
        if not 0 <= index < len(exchange.code):
            return
        language, code = exchange.code[index]
        self.app.copy_to_clipboard(code)
        lines = len(code.splitlines())
        self.notify(f"Copied code block {index + 1} ({language}, {lines} lines) to the clipboard. Terminals "
                    "that block OSC 52 clipboard access ignore this.", title="Copied", markup=False)

    async def run_suggestion(self, action: str) -> None:
        """Carry out a suggestion id: wizard:<kind>, practice:<id>, browse:<id>, ask:<question>, tour:."""
        what, _, target = action.partition(":")
        if what == "wizard":
            await self.guide.open_wizard(target)
        elif what == "browse":
            await self.guide.show_practice(target)
        elif what == "tour":
            await self.guide.action_section("tour")
        elif what == "ask":
            self.query_one("#question").focus()
            self.ask(target)
        elif what == "practice":
            practice = self.guide.kb.get(target)
            if practice is not None:
                self.query_one("#question").focus()
                prompt = Content.from_markup("[b]→[/b] $title", title=practice.title)
                await self.add_exchange(self.practice_exchange(practice, prompt))

    @on(Markdown.LinkClicked)
    async def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        href = event.href
        if href.startswith(PRACTICE_SCHEME):
            await self.run_suggestion(f"practice:{href[len(PRACTICE_SCHEME):]}")
        elif href.startswith(("https://", "http://")):
            self.app.open_url(href)

    # ---------------------------------------------------------------- keys

    def latest(self) -> Exchange | None:
        exchanges = list(self.query_one("#transcript").query_children(Exchange))
        return exchanges[-1] if exchanges else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        latest = self.latest()
        if action == "open_wizard":
            return True if latest is not None and latest.wizards else None
        if action == "copy_code":
            return True if latest is not None and latest.code else False
        if action == "whole_practice":
            return True if latest is not None and latest.sections else None
        return True

    def action_toggle_focus(self) -> None:
        """Tab: from the question to the latest suggestions, then its sections, and back."""
        latest = self.latest()
        stops: list = [self.query_one("#question")]
        if latest is not None and not latest.collapsed:
            if latest.action_list is not None:
                stops.append(latest.action_list)
            stops += [section.query_one("CollapsibleTitle") for section in latest.query_children(Section)]
        focused = self.focused
        index = stops.index(focused) if focused in stops else -1
        target = stops[(index + 1) % len(stops)]
        target.focus()
        if isinstance(target, ActionList) and target.highlighted is None:
            target.highlighted = 0
        if target is not stops[0]:
            target.scroll_visible(animate=False)

    def action_earlier(self) -> None:
        """Shift+Tab: to the last earlier answer (one line each), or back to the question."""
        summaries = list(self.query(Summary))
        if summaries and not isinstance(self.focused, Summary):
            summaries[-1].focus()
            summaries[-1].scroll_visible(animate=False)
        else:
            self.query_one("#question").focus()

    async def action_whole_practice(self) -> None:
        latest = self.latest()
        if latest is not None:
            await latest.expand_all()

    def action_copy_code(self) -> None:
        latest = self.latest()
        if latest is not None:
            self.copy_code(latest, 0)

    def action_focus_question(self) -> None:
        self.query_one("#question").focus()

    async def action_open_wizard(self) -> None:
        latest = self.latest()
        if latest is not None and latest.wizards:
            await self.guide.open_wizard(latest.wizards[0])

    async def action_clear(self) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        await transcript.remove_children()
        await self.add_exchange(self._welcome())
        self.query_one("#question").focus()

    def action_scroll_transcript(self, direction: int) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        if direction < 0:
            transcript.scroll_page_up()
        else:
            transcript.scroll_page_down()
