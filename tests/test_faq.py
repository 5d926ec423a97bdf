"""FAQ files beside the practices and the neighbouring subjects: the shipped ones are complete,
and a broken one is reported as file:line, never a traceback and never silently dropped."""
from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest

from knowledge import ContentError, load_knowledge
from knowledge.faq import load_neighbours
from knowledge.loader import load_practices
from knowledge.model import FAQ_STYLES

PRACTICE = """\
---
id: {id}
title: A title for {id}
area: storage
level: essential
summary: Do the thing because it matters.
tags: [ebs]
sources:
  - title: A primary source
    url: https://example.com/doc
---
## What

Body text.
"""

ENTRY = """\
  - id: {id}
    style: {style}
    q: {q}
    a: {a}
"""


def write(directory: Path, faq: str, practice_id: str = "one") -> Path:
    (directory / f"{practice_id}.md").write_text(PRACTICE.format(id=practice_id), encoding="utf-8")
    path = directory / f"{practice_id}.faq.yaml"
    path.write_text(faq, encoding="utf-8")
    return path


def faq(*entries: str, practice: str = "one") -> str:
    return f"practice: {practice}\nentries:\n" + "".join(entries)


def problems(directory: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_practices(directory)
    return [str(p) for p in caught.value.problems]


def test_every_shipped_practice_has_at_least_25_entries_in_every_style():
    kb = load_knowledge()
    assert sum(len(p.faq) for p in kb) >= 500
    for practice in kb:
        styles = Counter(entry.style for entry in practice.faq)
        assert len(practice.faq) >= 25, practice.id
        assert set(styles) == set(FAQ_STYLES), (practice.id, styles)


def test_the_shipped_neighbouring_subjects_are_many_and_name_real_practices():
    ids = load_knowledge().ids
    subjects = load_neighbours(known_practices=ids)
    assert len(subjects) >= 40 and sum(len(s.questions) for s in subjects) >= 300
    assert all(s.about and s.questions for s in subjects)


def test_a_good_faq_file_loads_with_the_practice(tmp_path):
    write(tmp_path, faq(ENTRY.format(id="first", style="terse", q="ebs encrypt", a="Set encrypted.")))
    (practice,) = load_practices(tmp_path)
    assert [(e.id, e.style, e.q, e.a) for e in practice.faq] == [("first", "terse", "ebs encrypt", "Set encrypted.")]


@pytest.mark.parametrize(("text", "words"), [
    (faq(ENTRY.format(id="same", style="terse", q="one", a="A."), ENTRY.format(id="same", style="terse", q="two", a="B.")),
     "id 'same' is used by entry 1 too"),
    (faq(ENTRY.format(id="a", style="terse", q="Same question?", a="A."), ENTRY.format(id="b", style="typo", q="same  QUESTION", a="B.")),
     "the same question as entry 1"),
    (faq(ENTRY.format(id="a", style="terse", q="q", a="''")), "'a' must be non-empty text"),
    (faq(ENTRY.format(id="a", style="poetic", q="q", a="A.")), "'style' must be one of"),
    (faq(ENTRY.format(id="Not An Id", style="terse", q="q", a="A.")), "lower-case words joined by '-'"),
    (faq(ENTRY.format(id="a", style="terse", q="q", a="A."), practice="other"), "'practice' is 'other'"),
    ("practice: one\nentries: []\n", "'entries' must be a non-empty list"),
    ("practice: one\nentries:\n  - id: a\n    style: terse\n    q: q\n    a: A.\n    extra: 1\n", "unknown key 'extra'"),
    ("practice: one\nentries:\n  - id: a\n    q: [unclosed\n", "faq.yaml:5: invalid YAML"),
])
def test_a_broken_faq_file_is_reported_by_line(tmp_path, text, words):
    write(tmp_path, text)
    found = problems(tmp_path)
    assert any(words in p for p in found), found
    assert all(p.startswith(str(tmp_path)) for p in found)


def test_the_same_question_in_two_practices_is_reported(tmp_path):
    write(tmp_path, faq(ENTRY.format(id="a", style="terse", q="shared question", a="A.")), "one")
    write(tmp_path, faq(ENTRY.format(id="b", style="terse", q="Shared question", a="B."), practice="two"), "two")
    assert any("asks the same question as one of 'one'" in p for p in problems(tmp_path))


def test_neighbours_must_name_known_practices_and_have_questions(tmp_path):
    path = tmp_path / "neighbours.yaml"
    path.write_text(textwrap.dedent("""\
        - id: resizing
          about: resizing volumes
          closest: [no-such-practice]
          questions: [how do I grow a pvc]
        - id: backups
          about: backups
          questions: []
        """), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_neighbours(path, known_practices=["ebs-encryption"])
    text = "\n".join(map(str, caught.value.problems))
    assert "neighbours.yaml:3" in text and "unknown practice 'no-such-practice'" in text
    assert "'questions' must list at least one question" in text
