"""Walkthrough progress: which lessons are done, what was answered, and where to pick up.

Stored as versioned JSON in `progress.json` under the user data directory
(`platformdirs.user_data_dir("eksguide")`), or under the directory named by the environment
variable EKSGUIDE_HOME. Writes are atomic (see `tui.userfiles`) and merge: a save re-reads the
file under a lock and combines it with what this process changed since it last read or wrote
it, so two app windows on one EKSGUIDE_HOME never lose each other's answers.

A file that cannot be understood (bad JSON, nesting too deep, wrong shape, a version that is not
the integer 1) is kept as `progress.json.corrupt-<timestamp>` (exactly the bytes that were read)
and loading starts afresh with a warning. A file of a *newer* format version is left alone and
never written over: saving then fails with a message that says why. Loading never raises, and
nothing in this module blocks on a FIFO or similar at the path.

A lesson is done when its check was answered right; a wrong answer is recorded (`answers`) and
counted (`misses`, which also picks the order the choices are shown in on the next attempt).

Headless on purpose: `eksguide tour --status` uses this module without starting the app, so it
must not import Textual.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import platformdirs

from .userfiles import NotRegularFile, Snapshot, locked, read_snapshot, set_aside, write_atomic

FORMAT_VERSION = 1
FILENAME = "progress.json"
HOME_ENV = "EKSGUIDE_HOME"
APP_NAME = "eksguide"


class HomeError(ValueError):
    """A directory named in the environment cannot be used; the message says why and what works."""


class ProgressRefused(OSError):
    """Saving is refused (the file is of a newer format, or the directory is unusable)."""


def expand_directory(value: str, variable: str) -> Path:
    """`value` with `~` expanded; raises HomeError (naming `variable`) when `~user` has no home."""
    try:
        return Path(value).expanduser()
    except RuntimeError:
        user = value[1:].split("/", 1)[0].split(os.sep, 1)[0]
        who = f"user {user!r}" if user else "the current user"
        raise HomeError(
            f"{variable} is {value!r}, but {who} has no home directory to put in place of "
            f"'~{user}'; set {variable} to a directory such as /home/me/.eksguide"
        ) from None


def data_directory() -> Path:
    """Where user state lives: $EKSGUIDE_HOME if set (and not empty), else the platform's user data dir.

    Raises HomeError when EKSGUIDE_HOME starts with `~user` for a user without a home directory."""
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return expand_directory(override, HOME_ENV)
    return Path(platformdirs.user_data_dir(APP_NAME))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _counts(value: Any, what: str) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k and type(v) is int and v >= 0 for k, v in value.items()
    ):
        raise ValueError(f"{what!r} is not a mapping of lesson ids to whole numbers")
    return value


@dataclass(frozen=True)
class Progress:
    """A learner's walkthrough state. Immutable: the `with_*` methods return a changed copy.

    `completed` keeps the order lessons were finished in; `answers` the last choice made on each
    lesson's check (an index into the choices as the tour file lists them); `misses` how often each
    check was answered wrongly. Ids of lessons that no longer exist are kept (a later version of the
    tour may bring them back) but summaries ignore them.
    """

    completed: tuple[str, ...] = ()
    answers: Mapping[str, int] = field(default_factory=dict, hash=False)
    current: str | None = None
    updated: str | None = None
    misses: Mapping[str, int] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Freeze the mappings too, so a Progress can be shared without defensive copies.
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))
        object.__setattr__(self, "misses", MappingProxyType(dict(self.misses)))
        object.__setattr__(self, "completed", tuple(dict.fromkeys(self.completed)))

    def is_done(self, lesson_id: str) -> bool:
        return lesson_id in self.completed

    def with_answer(self, lesson_id: str, answer: int) -> Progress:
        """Record the choice made on a lesson's check without completing it."""
        return replace(self, answers={**self.answers, lesson_id: answer})

    def with_miss(self, lesson_id: str, answer: int) -> Progress:
        """Record a wrong answer: the choice made, and one more miss for the lesson."""
        return replace(self, answers={**self.answers, lesson_id: answer},
                       misses={**self.misses, lesson_id: self.misses.get(lesson_id, 0) + 1})

    def with_completed(self, lesson_id: str, answer: int | None = None, *, current: str | None = None) -> Progress:
        """Mark a lesson done (recording the answer, if any) and move on to `current`."""
        answers = dict(self.answers)
        if answer is not None:
            answers[lesson_id] = answer
        completed = self.completed if lesson_id in self.completed else (*self.completed, lesson_id)
        return replace(self, completed=completed, answers=answers, current=current)

    def with_current(self, lesson_id: str | None) -> Progress:
        return replace(self, current=lesson_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "completed": list(self.completed),
            "answers": dict(self.answers),
            "misses": dict(self.misses),
            "current": self.current,
            "updated": self.updated,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Progress:
        """Parse the stored form; raises ValueError naming the first thing wrong (NewerFormat for a
        file written by a newer eksguide)."""
        if not isinstance(data, dict):
            raise ValueError("the top level is not a JSON object")
        version = data.get("version")
        # `true == 1` and `1.0 == 1` in Python: only the integer itself is version 1.
        if type(version) is int and version > FORMAT_VERSION:
            raise NewerFormat(version)
        if type(version) is not int or version != FORMAT_VERSION:
            raise ValueError(f"format version {version!r} is not {FORMAT_VERSION}")
        completed = data.get("completed", [])
        if not isinstance(completed, list) or not all(isinstance(x, str) and x for x in completed):
            raise ValueError("'completed' is not a list of lesson ids")
        answers = _counts(data.get("answers", {}), "answers")
        misses = _counts(data.get("misses", {}), "misses")
        current = data.get("current")
        if current is not None and (not isinstance(current, str) or not current):
            raise ValueError("'current' is not a lesson id")
        updated = data.get("updated")
        if updated is not None and not isinstance(updated, str):
            raise ValueError("'updated' is not a timestamp")
        return cls(completed=tuple(completed), answers=answers, current=current, updated=updated, misses=misses)


class NewerFormat(ValueError):
    """The file was written by a newer eksguide, in a format this one does not know."""

    def __init__(self, version: int):
        super().__init__(f"format version {version}")
        self.version = version


def merge(base: Progress, mine: Progress, theirs: Progress) -> Progress:
    """Combine what this process changed since `base` (what it last read or wrote) with `theirs` (what
    is on disk now): lessons done on either side stay done, and answers, misses and the current
    lesson are taken from this side only where this side changed them."""
    completed = (*theirs.completed, *(x for x in mine.completed if x not in base.completed))
    answers = {**theirs.answers, **{k: v for k, v in mine.answers.items() if base.answers.get(k) != v}}
    misses = dict(theirs.misses)
    for lesson_id, count in mine.misses.items():
        added = count - base.misses.get(lesson_id, 0)
        if added > 0:
            misses[lesson_id] = misses.get(lesson_id, 0) + added
    current = mine.current if mine.current != base.current else theirs.current
    return Progress(completed=completed, answers=answers, current=current, updated=theirs.updated, misses=misses)


class ProgressStore:
    """Loads and saves `Progress` in `<directory>/progress.json`.

    Never raises on construction: an unusable EKSGUIDE_HOME (`~nosuchuser/...`) becomes the warning
    of every `load` and the error of every `save` and `reset`.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self.problem: str | None = None
        try:
            if directory is not None:
                self.directory = expand_directory(os.fspath(directory), "the progress directory")
            else:
                self.directory = data_directory()
        except HomeError as exc:
            self.problem = str(exc)
            self.directory = Path(os.fspath(directory) if directory is not None else os.environ.get(HOME_ENV, ""))
        self.path = self.directory / FILENAME
        self._base = Progress()  # what this store last read from or wrote to the file
        self._newer: str | None = None  # why saving is refused, when the file is of a newer format

    # ---------------------------------------------------------------- reading

    def load(self) -> tuple[Progress, str | None]:
        """The stored progress and None, or a fresh Progress and a warning; never raises."""
        if self.problem:
            return Progress(), f"{self.problem}; walkthrough progress will not be saved"
        with locked(self.directory):
            progress, warning = self._read()
        self._base = progress
        return progress, warning

    def peek(self) -> Progress:
        """What the file holds now, without warnings, locks or setting anything aside (for a quick
        look before `load`); a fresh Progress when it cannot be read or understood."""
        if self.problem:
            return Progress()
        try:
            snapshot = read_snapshot(self.path)
            return Progress.from_dict(json.loads(snapshot.data.decode("utf-8"))) if snapshot else Progress()
        except (OSError, UnicodeDecodeError, RecursionError, ValueError):
            return Progress()

    def _read(self, *, strict: bool = False) -> tuple[Progress, str | None]:
        """Read and parse the file (the caller holds the lock); a bad file is set aside. `strict`
        (when saving) re-raises a file that exists but cannot be read, rather than write over it."""
        self._newer = None
        try:
            snapshot = read_snapshot(self.path)
        except NotRegularFile as exc:
            return Progress(), f"walkthrough progress at {self.path} cannot be read: {exc.strerror}; starting fresh"
        except OSError as exc:
            if strict:
                raise
            return Progress(), f"could not read walkthrough progress from {self.path} ({exc.strerror or exc}); starting fresh"
        if snapshot is None:
            return Progress(), None
        try:
            return Progress.from_dict(json.loads(snapshot.data.decode("utf-8"))), None
        except NewerFormat as exc:
            self._newer = (f"walkthrough progress in {self.path} was written by a newer eksguide ({exc}); "
                           "it is kept as it is and not written over: use that eksguide, or move the file away")
            return Progress(), f"{self._newer}. Answers in this session are not saved"
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return Progress(), self._set_aside(snapshot, f"it is not valid JSON ({_reason(exc)})")
        except RecursionError:
            return Progress(), self._set_aside(snapshot, "it is nested too deeply to be progress")
        except ValueError as exc:
            return Progress(), self._set_aside(snapshot, str(exc))

    def _set_aside(self, snapshot: Snapshot, reason: str) -> str:
        try:
            target, removed = set_aside(self.path, snapshot)
        except OSError as exc:
            return (f"walkthrough progress in {self.path} was unreadable ({reason}) and could not be kept aside "
                    f"({exc.strerror or exc}); starting fresh")
        if not removed:
            return (f"walkthrough progress in {self.path} was unreadable ({reason}); kept a copy as {target.name} "
                    "(the file has changed since, so it was left in place)")
        return f"walkthrough progress in {self.path} was unreadable ({reason}); kept it as {target.name} and started fresh"

    # ---------------------------------------------------------------- writing

    def save(self, progress: Progress) -> Progress:
        """Merge `progress` into the file and write it atomically, stamped with the current time;
        returns what was written (which includes lessons another process saved meanwhile).

        Raises OSError when the directory cannot be created or written (the old file is then left
        untouched and no temporary file remains), and ProgressRefused when the file is of a newer
        format or the directory cannot be used.
        """
        if self.problem:
            raise ProgressRefused(self.problem)
        self.directory.mkdir(parents=True, exist_ok=True)
        with locked(self.directory):
            theirs, _ = self._read(strict=True)
            if self._newer:
                raise ProgressRefused(self._newer)
            merged = merge(self._base, progress, theirs)
            stamped = replace(merged, updated=_now())
            write_atomic(self.path, json.dumps(stamped.to_dict(), indent=2, sort_keys=True) + "\n")
        self._base = stamped
        return stamped

    def reset(self) -> None:
        """Forget all progress (remove the file; a missing file is fine)."""
        if self.problem:
            raise ProgressRefused(self.problem)
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        self._base = Progress()

    # ---------------------------------------------------------------- convenience: load, change, save

    def complete(self, lesson_id: str, answer: int | None = None, *, current: str | None = None) -> Progress:
        """Mark `lesson_id` done with the chosen `answer`, set the lesson to resume at, and save."""
        progress, _ = self.load()
        return self.save(progress.with_completed(lesson_id, answer, current=current))

    def record_answer(self, lesson_id: str, answer: int) -> Progress:
        progress, _ = self.load()
        return self.save(progress.with_answer(lesson_id, answer))

    def set_current(self, lesson_id: str | None) -> Progress:
        progress, _ = self.load()
        return self.save(progress.with_current(lesson_id))


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}"
    return str(exc)


# --------------------------------------------------------------------------- summaries


class LessonLike(Protocol):
    """What the summaries need from a lesson (knowledge.tour.Lesson fits)."""

    id: str
    title: str


DONE, WRONG, NEW = "done", "wrong", "new"


def _correct(progress: Progress, lesson: LessonLike) -> bool | None:
    """Whether the stored answer matches the lesson's check, or None when unknown."""
    chosen = progress.answers.get(lesson.id)
    check = getattr(lesson, "check", None)
    right = getattr(check, "answer", None)
    if chosen is None or not isinstance(right, int):
        return None
    return chosen == right


def lesson_state(progress: Progress, lesson: LessonLike) -> str:
    """DONE (answered right), WRONG (answered, but not right yet) or NEW (not tried yet).

    A lesson an older eksguide marked done after a wrong answer counts as WRONG."""
    correct = _correct(progress, lesson)
    if progress.is_done(lesson.id) and correct is not False:
        return DONE
    if lesson.id in progress.answers:
        return WRONG
    return NEW


def done_count(progress: Progress, lessons: Iterable[LessonLike]) -> int:
    return sum(1 for lesson in lessons if lesson_state(progress, lesson) == DONE)


def next_lesson(progress: Progress, lessons: Sequence[LessonLike]) -> LessonLike | None:
    """The lesson to take next: the current one if it is not done yet, else the first one not done."""
    by_id = {lesson.id: lesson for lesson in lessons}
    current = by_id.get(progress.current) if progress.current is not None else None
    if current is not None and lesson_state(progress, current) != DONE:
        return current
    return next((lesson for lesson in lessons if lesson_state(progress, lesson) != DONE), None)


def status_dict(progress: Progress, lessons: Iterable[LessonLike]) -> dict[str, Any]:
    """The walkthrough status as plain data, as `eksguide tour --status --json` prints it."""
    lessons = list(lessons)
    upcoming = next_lesson(progress, lessons)
    rows = []
    for number, lesson in enumerate(lessons, start=1):
        state = lesson_state(progress, lesson)
        rows.append({
            "number": number,
            "id": lesson.id,
            "title": lesson.title,
            "state": state,
            "done": state == DONE,
            "answer": progress.answers.get(lesson.id),
            "correct": _correct(progress, lesson),
            "misses": progress.misses.get(lesson.id, 0),
        })
    return {
        "done": sum(1 for row in rows if row["done"]),
        "wrong": sum(1 for row in rows if row["state"] == WRONG),
        "total": len(rows),
        "next": upcoming.id if upcoming is not None else None,
        "updated": progress.updated,
        "lessons": rows,
    }


def format_status(progress: Progress, lessons: Iterable[LessonLike], *, ascii_only: bool = False) -> str:
    """The text `eksguide tour --status` prints: x/y done, every lesson done, wrong or not yet
    tried, and what is next."""
    data = status_dict(progress, lessons)
    marks = {DONE: "[x]", WRONG: "[!]", NEW: "[ ]"} if ascii_only else {DONE: "\u2713", WRONG: "\u2717", NEW: "\u00b7"}
    head = f"Walkthrough: {data['done']}/{data['total']} lessons done"
    if data["wrong"]:
        head += f", {data['wrong']} answered wrongly"
    lines = [head]
    width = len(str(data["total"]))
    for row in data["lessons"]:
        note = "  (answered wrongly; try it again)" if row["state"] == WRONG else ""
        lines.append(f"  {marks[row['state']]} {row['number']:>{width}}. {row['title']} ({row['id']}){note}")
    if data["total"] == 0:
        lines.append("There are no lessons.")
    elif data["next"] is None:
        lines.append("All lessons done.")
    else:
        row = next(r for r in data["lessons"] if r["id"] == data["next"])
        lines.append(f"Next: {row['number']}. {row['title']} ({row['id']}); run `eksguide tour` to continue.")
    return "\n".join(lines) + "\n"
