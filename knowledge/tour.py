"""The onboarding walkthrough: ordered lessons that point at practices, each ending in one check question.

`tour.yaml` is a list of lessons::

    - id: ebs-volumes
      title: Encrypting EBS volumes
      practices: [ebs-encryption]
      intro: |
        Markdown, 60 to 150 words.
      try:
        action: wizard            # ask (target: a question), show (a practice id), wizard (a snippet kind)
        target: ebs-storageclass
        text: One sentence telling the learner what to do.
      check:
        question: Which ...?
        choices:                  # 2 to 5; each text alone, or text plus why it is right or wrong
          - text: The right one
          - text: A tempting wrong one
            why: What is wrong with it, without giving the right answer away.
        answer: 0                 # index into choices
        explanation: Why the answer is right (shown once it is chosen).

The app shows the choices shuffled (`Lesson.choice_order`), differently on every attempt, so the
right one is not always (a).

Every problem is collected and reported together as `file:line: what is wrong` (a
`ContentError`), never as a traceback.
"""
from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .glossary import ID_RE, EntryChecker, read_entry_list
from .problems import ContentError, Problem

TOUR_PATH = Path(__file__).with_name("tour.yaml")

ACTIONS = ("ask", "show", "wizard")
LESSON_KEYS = ("id", "title", "practices", "intro", "try", "check")
TRY_KEYS = ("action", "target", "text")
CHECK_KEYS = ("question", "choices", "answer", "explanation")
INTRO_WORDS = (60, 150)
CHOICES = (2, 5)
CHOICE_KEYS = ("text", "why")

_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class TryStep:
    """Something to do in eksguide: ask a question, show a practice or open a wizard."""

    action: str
    target: str
    text: str

    @property
    def command(self) -> str:
        """The equivalent command line."""
        verb = {"ask": "ask", "show": "show"}.get(self.action, "snippet")
        return f"eksguide {verb} {shlex.quote(self.target)}"


@dataclass(frozen=True)
class Check:
    """One question: `choices` in file order, `answer` the index of the right one, `explanation` why
    it is right, and `reasons[i]` why choice i is right or wrong ("" where the file gives none)."""

    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    reasons: tuple[str, ...] = ()

    def is_correct(self, choice: int) -> bool:
        return choice == self.answer

    def reason(self, choice: int) -> str:
        """Why `choice` is right or wrong: its own reason, else the question's explanation."""
        own = self.reasons[choice] if 0 <= choice < len(self.reasons) else ""
        return own or self.explanation


def shuffled(count: int, seed: str) -> tuple[int, ...]:
    """0..count-1 in an order that depends only on `seed` (the same on every machine and run)."""
    order = list(range(count))
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    for position in range(count - 1, 0, -1):  # Fisher-Yates, drawing from the digest
        other = digest[position] % (position + 1)
        order[position], order[other] = order[other], order[position]
    return tuple(order)


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    practices: tuple[str, ...]
    intro: str
    try_step: TryStep
    check: Check

    def choice_order(self, attempt: int = 0) -> tuple[int, ...]:
        """The order to show the check's choices in on attempt `attempt` (0, 1, ...): shuffled by the
        lesson id and the attempt, and never the same order as the attempt before."""
        count = len(self.check.choices)
        order = shuffled(count, f"{self.id}:0")
        for number in range(1, max(0, attempt) + 1):
            previous, salt = order, 0
            order = shuffled(count, f"{self.id}:{number}")
            while order == previous and count > 1:
                salt += 1
                order = shuffled(count, f"{self.id}:{number}:{salt}")
        return order

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "practices": list(self.practices),
            "intro": self.intro,
            "try": {"action": self.try_step.action, "target": self.try_step.target, "text": self.try_step.text},
            "check": {
                "question": self.check.question,
                "choices": list(self.check.choices),
                "answer": self.check.answer,
                "explanation": self.check.explanation,
                "reasons": list(self.check.reasons),
            },
        }


def word_count(text: str) -> int:
    """Words in Markdown text; bare punctuation such as list bullets does not count."""
    return sum(1 for token in text.split() if _WORD.search(token))


def load_tour(
    path: Path | str | None = None,
    known_practices: Iterable[str] | None = None,
    known_kinds: Iterable[str] | None = None,
) -> tuple[Lesson, ...]:
    """The lessons in file order; raises ContentError listing every problem in the file.

    With `known_practices` / `known_kinds`, every practice id and snippet kind a lesson names must
    be one of them.
    """
    path = Path(path) if path is not None else TOUR_PATH
    name = str(path)
    practices_known = frozenset(known_practices) if known_practices is not None else None
    kinds_known = frozenset(known_kinds) if known_kinds is not None else None
    located, problems = read_entry_list(path, "lesson")
    if located is None:
        raise ContentError(problems)

    lessons: list[Lesson] = []
    first_line_of: dict[str, int] = {}
    for index, item in enumerate(located.data):
        if not isinstance(item, dict):
            continue  # already reported
        check = EntryChecker(name, located, (index,), item, problems)
        before = len(problems)
        raw_id = item.get("id")
        label = f"lesson {raw_id.strip()!r}" if isinstance(raw_id, str) and raw_id.strip() else f"lesson {index + 1}"
        check.keys(LESSON_KEYS, (), label)

        lesson_id = check.text("id", label)
        if lesson_id:
            if not ID_RE.match(lesson_id):
                check.bad(f"{label}: 'id' must be lower-case words joined by '-', for example 'ebs-volumes'", "id")
            elif lesson_id in first_line_of:
                check.bad(f"{label}: the id is already used by the lesson on line {first_line_of[lesson_id]}", "id")
            else:
                first_line_of[lesson_id] = check.line("id")
        title = check.text("title", label)
        practices = check.practice_ids("practices", label, practices_known)
        if isinstance(item.get("practices"), list) and not item["practices"]:
            check.bad(f"{label}: 'practices' must name at least one practice to read", "practices")
        intro = check.text("intro", label)
        if intro:
            words = word_count(intro)
            low, high = INTRO_WORDS
            if not low <= words <= high:
                check.bad(f"{label}: 'intro' has {words} words; write {low} to {high}", "intro")

        try_step = _try_step(item, check, label, practices_known, kinds_known)
        lesson_check = _check(item, check, label)

        if len(problems) == before and try_step is not None and lesson_check is not None:
            lessons.append(Lesson(lesson_id, title, practices, intro + "\n", try_step, lesson_check))
    if problems:
        raise ContentError(problems)
    return tuple(lessons)


def _sub(item: dict, key: str, check: EntryChecker, label: str, keys: tuple[str, ...]) -> EntryChecker | None:
    """A checker for the nested mapping `item[key]`, or None (reported) when it is not a mapping."""
    if key not in item:
        return None  # missing key already reported
    value = item[key]
    if not isinstance(value, dict):
        check.bad(f"{label}: '{key}' must be a mapping with the keys {', '.join(keys)}", key)
        return None
    sub = EntryChecker(check.filename, check.located, (*check.base, key), value, check.problems)
    sub.keys(keys, (), f"{label} '{key}'")
    return sub


def _try_step(item: dict, check: EntryChecker, label: str, practices: frozenset[str] | None,
              kinds: frozenset[str] | None) -> TryStep | None:
    sub = _sub(item, "try", check, label, TRY_KEYS)
    if sub is None:
        return None
    where = f"{label} 'try'"
    action = sub.text("action", where)
    target = sub.text("target", where)
    text = sub.text("text", where)
    if action and action not in ACTIONS:
        sub.bad(f"{where}: 'action' must be one of {', '.join(ACTIONS)} (got {action!r})", "action")
    elif action and target:
        if action == "ask":
            if not target.endswith("?"):
                sub.bad(f"{where}: the target of 'ask' must be a question ending with '?'", "target")
        elif not ID_RE.match(target):
            what = "practice id" if action == "show" else "snippet kind"
            sub.bad(f"{where}: the target of '{action}' must be a {what} like 'ebs-encryption' (got {target!r})", "target")
        elif action == "show" and practices is not None and target not in practices:
            sub.bad(f"{where}: 'show' names an unknown practice {target!r}", "target")
        elif action == "wizard" and kinds is not None and target not in kinds:
            sub.bad(f"{where}: 'wizard' names an unknown snippet kind {target!r}", "target")
    if text and not text.endswith((".", "!")):
        sub.bad(f"{where}: 'text' must be one sentence ending with a full stop", "text")
    if action and target and text:
        return TryStep(action, target, text)
    return None


def _check(item: dict, check: EntryChecker, label: str) -> Check | None:
    sub = _sub(item, "check", check, label, CHECK_KEYS)
    if sub is None:
        return None
    where = f"{label} 'check'"
    before = len(sub.problems)
    question = sub.text("question", where)
    if question and not question.endswith("?"):
        sub.bad(f"{where}: 'question' must end with '?'", "question")
    choices, reasons = _choices(sub, where)
    low, high = CHOICES
    raw_choices = sub.data.get("choices")
    if isinstance(raw_choices, list) and not low <= len(raw_choices) <= high:
        sub.bad(f"{where}: give {low} to {high} choices (got {len(raw_choices)})", "choices")
    answer = sub.data.get("answer")
    if "answer" in sub.data:
        if not isinstance(answer, int) or isinstance(answer, bool):
            sub.bad(f"{where}: 'answer' must be the index (0, 1, ...) of the right choice", "answer")
        elif isinstance(raw_choices, list) and not 0 <= answer < len(raw_choices):
            sub.bad(f"{where}: 'answer' is {answer} but the choices are numbered 0 to {len(raw_choices) - 1}", "answer")
    explanation = sub.text("explanation", where)
    if len(sub.problems) > before or not (question and choices and explanation and "answer" in sub.data):
        return None
    return Check(question, choices, answer, explanation, reasons)


def _choices(sub: EntryChecker, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The choices' texts and reasons; each choice is text, or a mapping with 'text' and 'why'."""
    raw = sub.data.get("choices")
    if not isinstance(raw, list):
        return sub.text_list("choices", where), ()  # reports the missing or wrong value
    texts: list[str] = []
    reasons: list[str] = []
    for index, item in enumerate(raw):
        label = f"{where} choice {index + 1}"
        if isinstance(item, dict):
            choice = EntryChecker(sub.filename, sub.located, (*sub.base, "choices", index), item, sub.problems)
            choice.keys(("text",), ("why",), label)
            text = choice.text("text", label)
            why = choice.text("why", label) if "why" in item else ""
        elif isinstance(item, str) and item.strip():
            text, why = item.strip(), ""
        else:
            sub.bad(f"{label} must be text, or a mapping with 'text' and 'why'", "choices", index)
            continue
        if text in texts:
            sub.bad(f"{where}: 'choices' lists {text!r} twice", "choices", index)
        elif text:
            texts.append(text)
            reasons.append(why)
    return tuple(texts), tuple(reasons)
