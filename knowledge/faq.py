"""Load and validate the FAQ files beside the practices, and the subjects the guide does not cover.

`practices/<id>.faq.yaml` holds the questions people ask about practice `<id>`, each with a short
answer in our words:

    practice: efs-encryption-at-rest
    entries:
      - id: enable-on-existing
        style: new-engineer
        q: Can I switch on encryption for an EFS file system we already have?
        a: No. ...
        source: https://docs.aws.amazon.com/...   # optional

`neighbours.yaml` lists subjects next to the guide's (volume resizing, backups, ingress
certificates, ...) with questions about them; the engine uses them as evidence for "no answer".
Every problem is reported as `file:line: what is wrong`, like the practices' own.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .glossary import EntryChecker, normalize, read_entry_list
from .model import FAQ_STYLES, FaqEntry, Neighbour
from .problems import LocatedYaml, Problem, parse_yaml

NEIGHBOURS_FILE = Path(__file__).with_name("neighbours.yaml")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FAQ_SUFFIX = ".faq.yaml"


def faq_path(practice_path: Path) -> Path:
    """Where the FAQ of the practice in `practice_path` lives: beside it."""
    return practice_path.with_name(practice_path.stem + FAQ_SUFFIX)


def load_faq(path: Path, practice_id: str) -> tuple[tuple[FaqEntry, ...], list[Problem]]:
    """The FAQ entries in `path` (none when the file does not exist), and the problems found."""
    name = str(path)
    if not path.exists():
        return (), []
    located, problems = _read_mapping(path)
    if located is None:
        return (), problems
    data = located.data
    top = EntryChecker(name, located, (), data, problems)
    top.keys(("practice", "entries"), (), "the FAQ file")
    owner = top.text("practice", "the FAQ file")
    if owner and owner != practice_id:
        top.bad(f"'practice' is {owner!r} but the file belongs to {practice_id!r} (its name says so)", "practice")
    raw = data.get("entries")
    if not isinstance(raw, list) or not raw:
        if "entries" in data:
            top.bad("'entries' must be a non-empty list of {id, style, q, a} mappings", "entries")
        return (), problems
    entries: list[FaqEntry] = []
    seen_ids: dict[str, int] = {}
    seen_questions: dict[str, int] = {}
    for index, item in enumerate(raw):
        label = f"FAQ entry {index + 1}"
        if not isinstance(item, dict):
            problems.append(Problem(name, located.line("entries", index), f"{label} must be a mapping with keys id, style, q, a"))
            continue
        check = EntryChecker(name, located, ("entries", index), item, problems)
        before = len(problems)
        check.keys(("id", "style", "q", "a"), ("source",), label)
        entry_id = check.text("id", label)
        if entry_id and not ID_RE.match(entry_id):
            check.bad(f"{label}: 'id' must be lower-case words joined by '-', for example 'enable-on-existing'", "id")
        elif entry_id in seen_ids:
            check.bad(f"{label}: id {entry_id!r} is used by entry {seen_ids[entry_id]} too", "id")
        style = check.text("style", label)
        if style and style not in FAQ_STYLES:
            check.bad(f"{label}: 'style' must be one of {', '.join(FAQ_STYLES)} (got {style!r})", "style")
        question = check.text("q", label)
        key = normalize(question)
        if key and key in seen_questions:
            check.bad(f"{label}: the same question as entry {seen_questions[key]}", "q")
        answer = check.text("a", label)
        source = check.text("source", label)
        if source and not source.startswith("https://"):
            check.bad(f"{label}: 'source' must be an https:// URL (got {source!r})", "source")
        if len(problems) > before:
            continue
        seen_ids[entry_id] = index + 1
        seen_questions[key] = index + 1
        entries.append(FaqEntry(id=entry_id, style=style, q=question, a=" ".join(answer.split()), source=source))
    return tuple(entries), problems


def load_neighbours(path: Path | None = None, known_practices: Iterable[str] | None = None) -> tuple[Neighbour, ...]:
    """The subjects the guide does not cover; raises ContentError listing every problem."""
    from .problems import ContentError

    path = path or NEIGHBOURS_FILE
    name = str(path)
    located, problems = read_entry_list(path, "neighbouring subject")
    if located is None:
        raise ContentError(problems)
    known = frozenset(known_practices) if known_practices is not None else None
    subjects: list[Neighbour] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(located.data):
        if not isinstance(item, dict):
            continue
        label = f"subject {index + 1}"
        check = EntryChecker(name, located, (index,), item, problems)
        before = len(problems)
        check.keys(("id", "about", "questions"), ("closest",), label)
        subject_id = check.text("id", label)
        if subject_id and not ID_RE.match(subject_id):
            check.bad(f"{label}: 'id' must be lower-case words joined by '-', for example 'volume-resizing'", "id")
        elif subject_id in seen:
            check.bad(f"{label}: id {subject_id!r} is used by subject {seen[subject_id]} too", "id")
        about = check.text("about", label)
        questions = check.text_list("questions", label)
        if "questions" in item and not questions:
            check.bad(f"{label}: 'questions' must list at least one question", "questions")
        closest = check.practice_ids("closest", label, known)
        if len(problems) > before:
            continue
        seen[subject_id] = index + 1
        subjects.append(Neighbour(id=subject_id, about=about, questions=questions, closest=closest))
    if problems:
        raise ContentError(problems)
    return tuple(subjects)


def _read_mapping(path: Path) -> tuple[LocatedYaml | None, list[Problem]]:
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except OSError as exc:
        return None, [Problem(name, 0, f"cannot read the file: {exc.strerror or exc}")]
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 0, f"not UTF-8 text ({exc.reason}); save the file as UTF-8")]
    located, problems = parse_yaml(text, name)
    if located is None:
        return None, problems
    if not isinstance(located.data, dict):
        return None, [Problem(name, located.line(), "the FAQ file must be a mapping with keys 'practice' and 'entries'")]
    return located, problems
