"""Walkthrough progress: which lessons are done, what was answered, and where to pick up.

Stored as versioned JSON in `progress.json` under the user data directory
(`platformdirs.user_data_dir("eksguide")`), or under the directory named by the environment
variable EKSGUIDE_HOME. Writes are atomic: a temporary file in the same directory is written,
flushed to disk and moved over the old file with `os.replace`, so a crash leaves either the old
file or the new one, never half of one. A file that cannot be understood (bad JSON, wrong shape,
another format version) is renamed aside to `progress.json.corrupt-<timestamp>` and loading
starts afresh with a warning; loading never raises.

Headless on purpose: `eksguide tour --status` uses this module without starting the app, so it
must not import Textual.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import platformdirs

FORMAT_VERSION = 1
FILENAME = "progress.json"
HOME_ENV = "EKSGUIDE_HOME"
APP_NAME = "eksguide"


def data_directory() -> Path:
    """Where user state lives: $EKSGUIDE_HOME if set (and not empty), else the platform's user data dir."""
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Progress:
    """A learner's walkthrough state. Immutable: the `with_*` methods return a changed copy.

    `completed` keeps the order lessons were finished in. Ids of lessons that no longer exist are
    kept (a later version of the tour may bring them back) but summaries ignore them.
    """

    completed: tuple[str, ...] = ()
    answers: Mapping[str, int] = field(default_factory=dict, hash=False)
    current: str | None = None
    updated: str | None = None

    def __post_init__(self) -> None:
        # Freeze the answers too, so a Progress can be shared without defensive copies.
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))
        object.__setattr__(self, "completed", tuple(dict.fromkeys(self.completed)))

    def is_done(self, lesson_id: str) -> bool:
        return lesson_id in self.completed

    def with_answer(self, lesson_id: str, answer: int) -> Progress:
        """Record the choice made on a lesson's check without completing it."""
        return replace(self, answers={**self.answers, lesson_id: answer})

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
            "current": self.current,
            "updated": self.updated,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Progress:
        """Parse the stored form; raises ValueError naming the first thing wrong."""
        if not isinstance(data, dict):
            raise ValueError("the top level is not a JSON object")
        version = data.get("version")
        if version != FORMAT_VERSION:
            raise ValueError(f"format version {version!r} is not {FORMAT_VERSION}")
        completed = data.get("completed", [])
        if not isinstance(completed, list) or not all(isinstance(x, str) and x for x in completed):
            raise ValueError("'completed' is not a list of lesson ids")
        answers = data.get("answers", {})
        if not isinstance(answers, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in answers.values()
        ):
            raise ValueError("'answers' is not a mapping of lesson ids to choice numbers")
        current = data.get("current")
        if current is not None and (not isinstance(current, str) or not current):
            raise ValueError("'current' is not a lesson id")
        updated = data.get("updated")
        if updated is not None and not isinstance(updated, str):
            raise ValueError("'updated' is not a timestamp")
        return cls(completed=tuple(completed), answers=answers, current=current, updated=updated)


class ProgressStore:
    """Loads and saves `Progress` in `<directory>/progress.json`."""

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self.directory = Path(directory).expanduser() if directory is not None else data_directory()
        self.path = self.directory / FILENAME

    # ---------------------------------------------------------------- reading

    def load(self) -> tuple[Progress, str | None]:
        """The stored progress and None, or a fresh Progress and a warning; never raises."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Progress(), None
        except OSError as exc:
            return Progress(), f"could not read walkthrough progress from {self.path} ({exc.strerror or exc}); starting fresh"
        try:
            progress = Progress.from_dict(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return Progress(), self._set_aside(f"it is not valid JSON ({_reason(exc)})")
        except ValueError as exc:
            return Progress(), self._set_aside(str(exc))
        return progress, None

    def _set_aside(self, reason: str) -> str:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{FILENAME}.corrupt-{stamp}")
        counter = 1
        while target.exists():
            target = self.path.with_name(f"{FILENAME}.corrupt-{stamp}-{counter}")
            counter += 1
        try:
            os.replace(self.path, target)
        except OSError as exc:
            return (f"walkthrough progress in {self.path} was unreadable ({reason}) and could not be moved aside "
                    f"({exc.strerror or exc}); starting fresh")
        return f"walkthrough progress in {self.path} was unreadable ({reason}); kept it as {target.name} and started fresh"

    # ---------------------------------------------------------------- writing

    def save(self, progress: Progress) -> Progress:
        """Write `progress` atomically, stamped with the current time; returns the stamped copy.

        Raises OSError when the directory cannot be created or written; the old file is then
        left untouched and no temporary file remains.
        """
        stamped = replace(progress, updated=_now())
        text = json.dumps(stamped.to_dict(), indent=2, sort_keys=True) + "\n"
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{FILENAME}.", suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self.path)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
            raise
        _fsync_directory(self.directory)
        return stamped

    def reset(self) -> None:
        """Forget all progress (remove the file; a missing file is fine)."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

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


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable where the platform allows syncing a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}"
    return str(exc)


# --------------------------------------------------------------------------- summaries


class LessonLike(Protocol):
    """What the summaries need from a lesson (knowledge.tour.Lesson fits)."""

    id: str
    title: str


def next_lesson(progress: Progress, lessons: Sequence[LessonLike]) -> LessonLike | None:
    """The lesson to take next: the current one if it is not done yet, else the first one not done."""
    by_id = {lesson.id: lesson for lesson in lessons}
    if progress.current in by_id and not progress.is_done(progress.current):
        return by_id[progress.current]
    return next((lesson for lesson in lessons if not progress.is_done(lesson.id)), None)


def _correct(progress: Progress, lesson: LessonLike) -> bool | None:
    """Whether the stored answer matches the lesson's check, or None when unknown."""
    chosen = progress.answers.get(lesson.id)
    check = getattr(lesson, "check", None)
    right = getattr(check, "answer", None)
    if chosen is None or not isinstance(right, int):
        return None
    return chosen == right


def status_dict(progress: Progress, lessons: Iterable[LessonLike]) -> dict[str, Any]:
    """The walkthrough status as plain data, as `eksguide tour --status --json` prints it."""
    lessons = list(lessons)
    upcoming = next_lesson(progress, lessons)
    rows = [
        {
            "number": number,
            "id": lesson.id,
            "title": lesson.title,
            "done": progress.is_done(lesson.id),
            "answer": progress.answers.get(lesson.id),
            "correct": _correct(progress, lesson),
        }
        for number, lesson in enumerate(lessons, start=1)
    ]
    return {
        "done": sum(1 for row in rows if row["done"]),
        "total": len(rows),
        "next": upcoming.id if upcoming is not None else None,
        "updated": progress.updated,
        "lessons": rows,
    }


def format_status(progress: Progress, lessons: Iterable[LessonLike], *, ascii_only: bool = False) -> str:
    """The text `eksguide tour --status` prints: x/y done, every lesson ticked or not, and what is next."""
    data = status_dict(progress, lessons)
    done_mark, todo_mark = ("[x]", "[ ]") if ascii_only else ("\u2713", "\u00b7")
    lines = [f"Walkthrough: {data['done']}/{data['total']} lessons done"]
    width = len(str(data["total"]))
    for row in data["lessons"]:
        mark = done_mark if row["done"] else todo_mark
        note = ""
        if row["done"] and row["correct"] is False:
            note = "  (check answered wrongly; worth a second look)"
        lines.append(f"  {mark} {row['number']:>{width}}. {row['title']} ({row['id']}){note}")
    if data["total"] == 0:
        lines.append("There are no lessons.")
    elif data["next"] is None:
        lines.append("All lessons done.")
    else:
        row = next(r for r in data["lessons"] if r["id"] == data["next"])
        lines.append(f"Next: {row['number']}. {row['title']} ({row['id']}); run `eksguide tour` to continue.")
    return "\n".join(lines) + "\n"
