"""The glossary: terms a newcomer to EKS data protection meets, and where each one matters.

`glossary.yaml` is a list of entries::

    - term: envelope encryption
      aliases: [KMS v2 encryption]
      definition: One to three sentences in our own words.
      practices: [kms-envelope-encryption]

Every problem in the file is collected and reported together as `file:line: what is wrong`
(a `ContentError`), never as a traceback. `lookup` finds a term by its name or any alias,
ignoring case, punctuation and spacing.

`EntryChecker` and `read_entry_list` are shared with the tour loader (`tour.py`), which reads
a list of mappings the same way.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import ContentError, LocatedYaml, Problem, parse_yaml

GLOSSARY_PATH = Path(__file__).with_name("glossary.yaml")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NON_WORD = re.compile(r"[^0-9a-z]+")

REQUIRED = ("term", "definition", "practices")
OPTIONAL = ("aliases",)
MAX_DEFINITION_WORDS = 90


@dataclass(frozen=True)
class Term:
    term: str
    aliases: tuple[str, ...]
    definition: str
    practices: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The term followed by its aliases."""
        return (self.term, *self.aliases)

    def to_dict(self) -> dict:
        return {
            "term": self.term,
            "aliases": list(self.aliases),
            "definition": self.definition,
            "practices": list(self.practices),
        }


def normalize(text: str) -> str:
    """The form names are compared in: lower case, punctuation and runs of spaces folded to one space."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


# --------------------------------------------------------------------------- shared reading helpers


def read_entry_list(path: Path, what: str) -> tuple[LocatedYaml | None, list[Problem]]:
    """Read a YAML file whose top level must be a non-empty list of mappings (`what` names one entry)."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, 0, f"cannot read the file: {exc}")]
    located, problems = parse_yaml(text, name)
    if located is None:
        return None, problems
    if not isinstance(located.data, list):
        return None, [Problem(name, located.line(), f"the file must be a YAML list of {what} entries, each starting with '- '")]
    if not located.data:
        return None, [Problem(name, located.line(), f"the list of {what} entries is empty")]
    for index, item in enumerate(located.data):
        if not isinstance(item, dict):
            problems.append(Problem(name, located.line(index), f"{what} entry {index + 1} must be a mapping of keys to values"))
    return located, problems


class EntryChecker:
    """Reads and checks the fields of one mapping inside a located YAML document.

    Each problem is appended to `problems` with the line of the offending key or list item.
    Getters return a clean value (stripped text, tuple of strings) or an empty one when the
    value is wrong, so that checking can carry on and report everything at once.
    """

    def __init__(self, filename: str, located: LocatedYaml, base: tuple[Any, ...], data: dict, problems: list[Problem]):
        self.filename = filename
        self.located = located
        self.base = base
        self.data = data
        self.problems = problems

    def line(self, *sub: Any) -> int:
        return self.located.line(*self.base, *sub)

    def bad(self, message: str, *sub: Any) -> None:
        self.problems.append(Problem(self.filename, self.line(*sub), message))

    def keys(self, required: Sequence[str], optional: Sequence[str], label: str) -> None:
        for key in required:
            if key not in self.data:
                self.bad(f"{label} is missing the required key '{key}'")
        for key in self.data:
            if key not in required and key not in optional:
                known = ", ".join((*required, *optional))
                self.bad(f"{label} has an unknown key {key!r} (known keys: {known})", key)

    def text(self, key: str, label: str) -> str:
        if key not in self.data:
            return ""
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            self.bad(f"{label}: '{key}' must be non-empty text", key)
            return ""
        return value.strip()

    def text_list(self, key: str, label: str) -> tuple[str, ...]:
        if key not in self.data:
            return ()
        value = self.data[key]
        if not isinstance(value, list):
            self.bad(f"{label}: '{key}' must be a list, for example: {key}: [one, two]", key)
            return ()
        out: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.bad(f"{label}: '{key}' item {index + 1} must be non-empty text", key, index)
            elif item.strip() in out:
                self.bad(f"{label}: '{key}' lists {item.strip()!r} twice", key, index)
            else:
                out.append(item.strip())
        return tuple(out)

    def practice_ids(self, key: str, label: str, known: frozenset[str] | None) -> tuple[str, ...]:
        """A list of practice ids: each must look like an id and, when `known` is given, exist."""
        ids = self.text_list(key, label)
        raw = self.data.get(key) if isinstance(self.data.get(key), list) else []
        good: list[str] = []
        for value in ids:
            index = next((i for i, item in enumerate(raw) if isinstance(item, str) and item.strip() == value), 0)
            if not ID_RE.match(value):
                self.bad(f"{label}: '{key}' item {value!r} is not a practice id like 'ebs-encryption'", key, index)
            elif known is not None and value not in known:
                self.bad(f"{label}: '{key}' names an unknown practice {value!r}", key, index)
            else:
                good.append(value)
        return tuple(good)


def _word_count(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- the glossary


def load_glossary(path: Path | str | None = None, known_practices: Iterable[str] | None = None) -> tuple[Term, ...]:
    """All glossary terms in file order; raises ContentError listing every problem in the file.

    With `known_practices`, every practice id a term names must be one of them.
    """
    path = Path(path) if path is not None else GLOSSARY_PATH
    name = str(path)
    known = frozenset(known_practices) if known_practices is not None else None
    located, problems = read_entry_list(path, "glossary")
    if located is None:
        raise ContentError(problems)

    terms: list[Term] = []
    owner_of: dict[str, tuple[str, int]] = {}  # normalized name -> (term that owns it, its line)
    for index, item in enumerate(located.data):
        if not isinstance(item, dict):
            continue  # already reported by read_entry_list
        check = EntryChecker(name, located, (index,), item, problems)
        before = len(problems)
        raw_term = item.get("term")
        label = f"term {raw_term.strip()!r}" if isinstance(raw_term, str) and raw_term.strip() else f"glossary entry {index + 1}"
        check.keys(REQUIRED, OPTIONAL, label)
        term = check.text("term", label)
        aliases = check.text_list("aliases", label)
        definition = check.text("definition", label)
        practices = check.practice_ids("practices", label, known)

        if definition:
            if not definition.endswith((".", "!", "?")):
                check.bad(f"{label}: 'definition' must be whole sentences ending with a full stop", "definition")
            if _word_count(definition) > MAX_DEFINITION_WORDS:
                check.bad(
                    f"{label}: 'definition' has {_word_count(definition)} words; keep it to one to three sentences"
                    f" (at most {MAX_DEFINITION_WORDS} words)", "definition",
                )
        if "practices" in item and isinstance(item["practices"], list) and not item["practices"]:
            check.bad(f"{label}: 'practices' must name at least one practice where the term matters", "practices")

        # Names must be unique across the whole glossary, as lookup compares them.
        names = [(term, ("term",))] if term else []
        names += [(alias, ("aliases", i)) for i, alias in enumerate(aliases)]
        seen_here: set[str] = set()
        for text, sub in names:
            key = normalize(text)
            if not key:
                check.bad(f"{label}: the name {text!r} has no letters or digits", *sub)
                continue
            if key in seen_here:
                check.bad(f"{label}: the alias {text!r} repeats the term or another alias", *sub)
                continue
            seen_here.add(key)
            if key in owner_of:
                other, other_line = owner_of[key]
                check.bad(f"{label}: the name {text!r} is already used by the term {other!r} (line {other_line})", *sub)
                continue
            owner_of[key] = (term or label, check.line(*sub))

        if len(problems) == before:
            terms.append(Term(term=term, aliases=aliases, definition=definition, practices=practices))
    if problems:
        raise ContentError(problems)
    return tuple(terms)


def lookup(terms: Iterable[Term], text: str) -> Term | None:
    """The term whose name or alias matches `text`, ignoring case, punctuation and spacing.

    An exact (normalized) match wins; failing that, a trailing plural 's' on `text` is dropped
    ("grants" finds "grant"). Returns None when nothing matches.
    """
    key = normalize(text)
    if not key:
        return None
    terms = tuple(terms)
    candidates = [key]
    if key.endswith("s") and len(key) > 2:
        candidates.append(key[:-1])
        if key.endswith("es"):
            candidates.append(key[:-2])
    for candidate in candidates:
        for term in terms:
            if any(normalize(name) == candidate for name in term.names):
                return term
    return None
