"""Walkthrough progress: round trip, atomic writes, corrupt files set aside, EKSGUIDE_HOME, summaries."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import pytest

from tui import progress as progress_module
from tui.progress import (
    FILENAME, FORMAT_VERSION, Progress, ProgressStore, data_directory, format_status, next_lesson, status_dict,
)

ROOT = Path(__file__).parent.parent


@dataclass(frozen=True)
class FakeCheck:
    answer: int


@dataclass(frozen=True)
class FakeLesson:
    id: str
    title: str
    check: FakeCheck = FakeCheck(0)


LESSONS = (
    FakeLesson("why-encrypt", "Why encrypt"),
    FakeLesson("ebs-volumes", "EBS volumes", FakeCheck(1)),
    FakeLesson("kms-keys", "KMS keys"),
)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name != FILENAME)


# --------------------------------------------------------------------------- where the file lives


def test_eksguide_home_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("EKSGUIDE_HOME", str(tmp_path / "home"))
    store = ProgressStore()
    assert store.path == tmp_path / "home" / FILENAME
    store.save(Progress(completed=("why-encrypt",)))
    assert (tmp_path / "home" / FILENAME).is_file()


def test_without_override_the_platform_user_data_dir_is_used(monkeypatch):
    monkeypatch.delenv("EKSGUIDE_HOME", raising=False)
    assert data_directory() == Path(platformdirs.user_data_dir("eksguide"))
    monkeypatch.setenv("EKSGUIDE_HOME", "   ")
    assert data_directory() == Path(platformdirs.user_data_dir("eksguide"))


def test_explicit_directory_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("EKSGUIDE_HOME", str(tmp_path / "env"))
    assert ProgressStore(tmp_path / "explicit").path == tmp_path / "explicit" / FILENAME


# --------------------------------------------------------------------------- round trip


def test_missing_file_loads_fresh_without_warning(tmp_path):
    progress, warning = ProgressStore(tmp_path).load()
    assert progress == Progress() and warning is None


def test_round_trip(tmp_path):
    store = ProgressStore(tmp_path)
    original = Progress(completed=("why-encrypt", "ebs-volumes"), answers={"why-encrypt": 0, "ebs-volumes": 2},
                        current="kms-keys")
    saved = store.save(original)
    assert saved.updated and saved.updated.endswith("Z")
    loaded, warning = store.load()
    assert warning is None
    assert loaded == saved
    assert loaded.completed == ("why-encrypt", "ebs-volumes")
    assert dict(loaded.answers) == {"why-encrypt": 0, "ebs-volumes": 2}
    assert loaded.current == "kms-keys"
    stored = json.loads(store.path.read_text(encoding="utf-8"))
    assert stored["version"] == FORMAT_VERSION


def test_complete_record_and_reset(tmp_path):
    store = ProgressStore(tmp_path)
    store.complete("why-encrypt", 0, current="ebs-volumes")
    store.record_answer("ebs-volumes", 1)
    store.complete("why-encrypt", 2, current="kms-keys")  # completing twice keeps one entry, newest answer
    progress, _ = store.load()
    assert progress.completed == ("why-encrypt",)
    assert dict(progress.answers) == {"why-encrypt": 2, "ebs-volumes": 1}
    assert progress.current == "kms-keys"
    store.set_current("ebs-volumes")
    assert store.load()[0].current == "ebs-volumes"
    store.reset()
    assert not store.path.exists()
    assert store.load() == (Progress(), None)
    store.reset()  # resetting twice is fine


def test_progress_is_immutable():
    progress = Progress(answers={"a": 1})
    with pytest.raises(AttributeError):
        progress.current = "b"  # type: ignore[misc]
    with pytest.raises(TypeError):
        progress.answers["a"] = 2  # type: ignore[index]
    changed = progress.with_answer("b", 0)
    assert dict(progress.answers) == {"a": 1} and dict(changed.answers) == {"a": 1, "b": 0}
    assert Progress(completed=("a", "a", "b")).completed == ("a", "b")


# --------------------------------------------------------------------------- atomic writes


def test_save_replaces_an_existing_file_and_leaves_no_temp_files(tmp_path):
    store = ProgressStore(tmp_path)
    store.save(Progress(completed=("why-encrypt",)))
    store.save(Progress(completed=("why-encrypt", "ebs-volumes")))
    assert leftovers(tmp_path) == []
    assert store.load()[0].completed == ("why-encrypt", "ebs-volumes")


def test_failed_replace_keeps_the_old_file_intact(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path)
    store.save(Progress(completed=("why-encrypt",)))
    before = store.path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save(Progress(completed=("why-encrypt", "ebs-volumes")))
    assert store.path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_failed_fsync_keeps_the_old_file_intact(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path)
    store.save(Progress(completed=("why-encrypt",)))
    before = store.path.read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(progress_module.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        store.save(Progress(completed=("kms-keys",)))
    assert store.path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_save_writes_through_a_temp_file_in_the_same_directory(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path / "new" / "dir")
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(progress_module.os, "replace", spy)
    store.save(Progress())
    ((src, dst),) = calls
    assert src.parent == dst.parent == tmp_path / "new" / "dir"
    assert dst.name == FILENAME and src.name != FILENAME


# --------------------------------------------------------------------------- corrupt files


@pytest.mark.parametrize("content, reason", [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b"[1, 2, 3]", "not a JSON object"),
    (json.dumps({"version": True, "completed": []}).encode(), "format version True"),
    (json.dumps({"version": 1.0, "completed": []}).encode(), "format version 1.0"),
    (json.dumps({"version": "1", "completed": []}).encode(), "format version '1'"),
    (json.dumps({"version": 0, "completed": []}).encode(), "format version 0"),
    (json.dumps({"completed": ["a"]}).encode(), "format version None"),
    (json.dumps({"version": 1, "completed": "why-encrypt"}).encode(), "'completed'"),
    (json.dumps({"version": 1, "answers": {"a": "zero"}}).encode(), "'answers'"),
    (json.dumps({"version": 1, "answers": {"a": True}}).encode(), "'answers'"),
    (json.dumps({"version": 1, "current": 7}).encode(), "'current'"),
    (json.dumps({"version": 1, "misses": {"a": -1}}).encode(), "'misses'"),
    (b"", "not valid JSON"),
])
def test_corrupt_or_wrong_version_file_is_set_aside_with_a_warning(tmp_path, content, reason):
    store = ProgressStore(tmp_path)
    store.path.write_bytes(content)
    progress, warning = store.load()
    assert progress == Progress()
    assert warning is not None and reason in warning
    assert not store.path.exists()
    (aside,) = leftovers(tmp_path)
    assert aside.startswith(f"{FILENAME}.corrupt-")
    assert aside in warning
    assert (tmp_path / aside).read_bytes() == content
    # The next save starts a clean file beside the set-aside one.
    store.save(Progress(completed=("why-encrypt",)))
    assert store.load()[1] is None
    assert len(leftovers(tmp_path)) == 1


def test_two_corrupt_files_in_the_same_second_do_not_collide(tmp_path):
    store = ProgressStore(tmp_path)
    for content in (b"one", b"two"):
        store.path.write_bytes(content)
        assert store.load()[1] is not None
    kept = leftovers(tmp_path)
    assert len(kept) == 2
    assert sorted((tmp_path / name).read_bytes() for name in kept) == [b"one", b"two"]


def test_unreadable_path_gives_a_warning_not_an_exception(tmp_path):
    store = ProgressStore(tmp_path)
    store.path.mkdir()  # a directory where the file should be
    progress, warning = store.load()
    assert progress == Progress() and warning and "it is a directory" in warning


def test_unknown_lesson_ids_are_kept_but_ignored_by_summaries(tmp_path):
    store = ProgressStore(tmp_path)
    store.path.write_text(json.dumps({
        "version": 1, "completed": ["why-encrypt", "retired-lesson"],
        "answers": {"retired-lesson": 3, "why-encrypt": 0}, "current": "retired-lesson", "updated": None,
        "future_field": "ignored",
    }), encoding="utf-8")
    progress, warning = store.load()
    assert warning is None
    assert progress.completed == ("why-encrypt", "retired-lesson")
    data = status_dict(progress, LESSONS)
    assert data["done"] == 1 and data["total"] == 3
    assert data["next"] == "ebs-volumes"
    assert [row["id"] for row in data["lessons"]] == ["why-encrypt", "ebs-volumes", "kms-keys"]
    # Saving again keeps the unknown ids for a later tour that may know them.
    store.save(progress.with_completed("ebs-volumes", 1))
    assert "retired-lesson" in store.load()[0].completed


# --------------------------------------------------------------------------- summaries


def test_next_lesson_prefers_current_then_first_not_done():
    assert next_lesson(Progress(), LESSONS).id == "why-encrypt"
    assert next_lesson(Progress(current="kms-keys"), LESSONS).id == "kms-keys"
    assert next_lesson(Progress(completed=("kms-keys",), current="kms-keys"), LESSONS).id == "why-encrypt"
    everything = Progress(completed=tuple(lesson.id for lesson in LESSONS))
    assert next_lesson(everything, LESSONS) is None


def test_status_dict_reports_answers_and_correctness():
    # ebs-volumes' right answer is 1: completed with 0 (as an older eksguide recorded it) is wrong.
    progress = Progress(completed=("why-encrypt", "ebs-volumes"), answers={"why-encrypt": 0, "ebs-volumes": 0},
                        misses={"ebs-volumes": 2}, updated="2026-01-02T03:04:05Z")
    data = status_dict(progress, LESSONS)
    assert data == {
        "done": 1, "wrong": 1, "total": 3, "next": "ebs-volumes", "updated": "2026-01-02T03:04:05Z",
        "lessons": [
            {"number": 1, "id": "why-encrypt", "title": "Why encrypt", "state": "done", "done": True, "answer": 0,
             "correct": True, "misses": 0},
            {"number": 2, "id": "ebs-volumes", "title": "EBS volumes", "state": "wrong", "done": False,
             "answer": 0, "correct": False, "misses": 2},
            {"number": 3, "id": "kms-keys", "title": "KMS keys", "state": "new", "done": False, "answer": None,
             "correct": None, "misses": 0},
        ],
    }
    json.dumps(data)  # plain data, printable as JSON


def test_format_status_text():
    progress = Progress(completed=("why-encrypt",), answers={"why-encrypt": 0, "ebs-volumes": 0},
                        misses={"ebs-volumes": 1}, current="kms-keys")
    text = format_status(progress, LESSONS)
    assert text.splitlines() == [
        "Walkthrough: 1/3 lessons done, 1 answered wrongly",
        "  \u2713 1. Why encrypt (why-encrypt)",
        "  \u2717 2. EBS volumes (ebs-volumes)  (answered wrongly; try it again)",
        "  \u00b7 3. KMS keys (kms-keys)",
        "Next: 3. KMS keys (kms-keys); run `eksguide tour` to continue.",
    ]
    ascii_text = format_status(progress, LESSONS, ascii_only=True)
    assert "[x] 1." in ascii_text and "[!] 2." in ascii_text and "[ ] 3." in ascii_text
    assert ascii_text.isascii()


def test_format_status_when_finished_and_when_empty():
    done = Progress(completed=tuple(lesson.id for lesson in LESSONS))
    assert format_status(done, LESSONS).splitlines()[-1] == "All lessons done."
    assert format_status(Progress(), []).splitlines() == ["Walkthrough: 0/0 lessons done", "There are no lessons."]


def test_format_status_with_the_real_tour():
    from knowledge.tour import load_tour

    lessons = load_tour()
    text = format_status(Progress(completed=(lessons[0].id,), answers={lessons[0].id: lessons[0].check.answer}), lessons)
    assert text.startswith(f"Walkthrough: 1/{len(lessons)} lessons done\n")
    assert f"Next: 2. {lessons[1].title}" in text


def test_progress_module_does_not_import_textual():
    code = "import sys, tui.progress, knowledge.tour, knowledge.glossary; sys.exit('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr or "importing tui.progress pulled in textual"
