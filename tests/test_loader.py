"""The knowledge loader: the shipped content is valid, and broken files are reported by file and line."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from knowledge import AREAS, LEVELS, ContentError, load_knowledge
from knowledge.loader import load_practices

REQUIRED_IDS = {
    "encrypt-data-at-rest", "ebs-encryption", "efs-encryption-at-rest", "efs-encryption-in-transit",
    "fsx-lustre-encryption", "fargate-ephemeral-encryption", "rotate-cmks", "efs-access-points",
    "kubernetes-secrets-basics", "secrets-namespace-scope", "node-authorizer-secrets", "kms-envelope-encryption",
    "audit-secret-access", "rotate-secrets", "separate-namespaces", "volume-mounts-over-env",
    "external-secrets-provider", "sealed-secrets", "secrets-store-csi-driver", "external-secrets-operator",
}

GOOD = """\
---
id: {id}
title: A title for {id}
area: storage
level: essential
summary: Do the thing because it matters.
tags: [ebs]
related: []
sources:
  - title: A primary source
    url: https://example.com/doc
---
## What

Body text.
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.md"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_practices(directory)
    return [str(p) for p in info.value.problems]


def test_shipped_knowledge_base_has_every_required_practice():
    kb = load_knowledge()
    assert REQUIRED_IDS <= set(kb.ids)
    for practice in kb:
        assert practice.area in AREAS and practice.level in LEVELS
        assert practice.summary.endswith(".") and practice.sources and practice.body.strip()
        assert all(s.url.startswith("https://") for s in practice.sources)
        assert set(practice.related) <= set(kb.ids)


def test_entries_that_the_old_guide_got_wrong_say_so():
    kb = load_knowledge()
    for practice_id in ("ebs-encryption", "efs-encryption-in-transit", "efs-access-points", "rotate-cmks",
                        "kms-envelope-encryption", "audit-secret-access", "external-secrets-operator"):
        assert kb.get(practice_id).updates, f"{practice_id} should list what changed since the old guide"


def test_browse_order_follows_areas_then_levels():
    kb = load_knowledge()
    areas = list(AREAS)
    keys = [(areas.index(p.area), list(LEVELS).index(p.level)) for p in kb]
    assert keys == sorted(keys)
    assert list(kb.by_area()) == [a for a in AREAS if any(p.area == a for p in kb)]


def test_a_good_file_loads(tmp_path):
    write(tmp_path, "one", GOOD.format(id="one"))
    (practice,) = load_practices(tmp_path)
    assert practice.id == "one" and practice.tags == ("ebs",) and practice.body.startswith("## What")


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("level: essential", "level: urgent"), 5, "'level' must be one of essential, recommended, caution"),
        (("area: storage", "area: networking"), 4, "'area' must be one of"),
        (("tags: [ebs]\n", ""), 2, "missing required key 'tags'"),
        (("related: []", "related: [nowhere]"), 8, "'related' names an unknown practice 'nowhere'"),
        (("summary: Do the thing because it matters.", "summary: no full stop"), 6, "one full sentence"),
        (("url: https://example.com/doc", "url: http://example.com/doc"), 11, "must start with https://"),
        (("tags: [ebs]", "tags: [ebs]\ncolour: blue"), 8, "unknown key 'colour'"),
        (("tags: [ebs]", "tags: [ebs]\ntags: [efs]"), 8, "the key 'tags' appears twice"),
        (("title: A title for one", "title: [unclosed"), 4, "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 3)"),
        (("Body text.", "See [x](practice:missing)."), 15, "link to an unknown practice 'practice:missing'"),
        (("id: one", "id: two"), 2, "they must match"),
        (("id: one", "id: Not An Id"), 2, "'id' must be lower-case words"),
    ],
)
def test_broken_entries_are_reported_by_file_and_line(tmp_path, change, line, message):
    old, new = change
    text = GOOD.format(id="one")
    assert old in text
    path = write(tmp_path, "one", text.replace(old, new, 1))
    found = problems_of(tmp_path)
    assert any(p.startswith(f"{path}:{line}: ") and message in p for p in found), found


def test_missing_front_matter_and_empty_body(tmp_path):
    write(tmp_path, "plain", "Just text, no front matter.\n")
    write(tmp_path, "empty", GOOD.format(id="empty").replace("## What\n\nBody text.\n", ""))
    found = problems_of(tmp_path)
    assert any("plain.md:1: the file must start with YAML front matter" in p for p in found)
    assert any("empty.md:" in p and "the body below the front matter is empty" in p for p in found)


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    write(tmp_path, "one", GOOD.format(id="one").replace("level: essential", "level: x"))
    write(tmp_path, "two", GOOD.format(id="two").replace("area: storage", "area: y"))
    found = problems_of(tmp_path)
    assert len(found) == 2


def test_an_empty_directory_is_an_error(tmp_path):
    assert "no practice files" in problems_of(tmp_path)[0]


def test_check_command_reports_problems_without_a_traceback(tmp_path):
    write(tmp_path, "one", GOOD.format(id="one").replace("level: essential", "level: urgent"))
    run = subprocess.run([sys.executable, "-m", "knowledge", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "one.md:5: 'level' must be one of" in run.stderr
    assert "Traceback" not in run.stderr


def test_check_command_passes_on_the_shipped_content():
    run = subprocess.run([sys.executable, "-m", "knowledge"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "20 practices with " in run.stdout and "all valid" in run.stdout



@pytest.mark.parametrize("level, message", [
    ("? [a, b]\n: c", "a key must be plain text"),            # complex key: was a TypeError
    ("{x: 1}: c", "a key must be plain text"),
    ("level: !!python/object:os.system x", "invalid YAML"),  # unknown tag: was a ConstructorError
    ("level: !custom x", "invalid YAML"),
])
def test_keys_and_tags_yaml_cannot_build_are_reported_by_line(tmp_path, level, message):
    path = write(tmp_path, "a", GOOD.format(id="a").replace("level: essential", level))
    found = problems_of(tmp_path)
    assert any(p.startswith(f"{path}:5: {message}") for p in found), found


def test_a_byte_order_mark_is_not_mistaken_for_missing_front_matter(tmp_path):
    (tmp_path / "a.md").write_bytes(b"\xef\xbb\xbf" + GOOD.format(id="a").encode())
    assert [p.id for p in load_practices(tmp_path)] == ["a"]


def test_bytes_that_are_not_utf8_are_reported_at_their_line(tmp_path):
    data = GOOD.format(id="a").replace("Body text.", "Caf\xe9 text.").encode("latin-1")
    (tmp_path / "a.md").write_bytes(data)
    (found,) = problems_of(tmp_path)
    assert found.startswith(f"{tmp_path / 'a.md'}:15: ") and "UTF-8" in found and "0xe9" in found


def test_front_matter_without_its_closing_line_says_so(tmp_path):
    path = write(tmp_path, "a", GOOD.format(id="a").replace("---\n## What", "## What"))
    (found,) = problems_of(tmp_path)
    assert found.startswith(f"{path}:1: ") and "no closing '---'" in found


def test_windows_line_endings_do_not_reach_the_text(tmp_path):
    (tmp_path / "a.md").write_bytes(GOOD.format(id="a").replace("\n", "\r\n").encode())
    (practice,) = load_practices(tmp_path)
    assert "\r" not in practice.body and practice.body.startswith("## What\n\nBody text.")
