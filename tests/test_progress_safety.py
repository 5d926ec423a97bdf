"""Walkthrough progress under hostile conditions (issue 14): deep nesting, FIFOs, two windows at once,
a file that changes while it is read, versions that are not 1, and an EKSGUIDE_HOME of `~nosuchuser`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui import userfiles
from tui.progress import FILENAME, Progress, ProgressRefused, ProgressStore, merge

ROOT = Path(__file__).parent.parent
NOBODY = "~eksguide-no-such-user-x9"


def others(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name != FILENAME)


# --------------------------------------------------------------------------- item 3: deep nesting


@pytest.mark.parametrize("opener, closer", [("[", "]"), ('{"a":', "}")])
@pytest.mark.parametrize("closed", [False, True])
def test_deeply_nested_file_is_set_aside_not_a_recursion_error(tmp_path, opener, closer, closed):
    depth = 100_000
    content = (opener * depth + ("0" + closer * depth if closed else "")).encode()
    store = ProgressStore(tmp_path)
    store.path.write_bytes(content)
    progress, warning = store.load()
    assert progress == Progress() and warning and "kept it as" in warning
    assert not store.path.exists()
    (aside,) = others(tmp_path)
    assert (tmp_path / aside).read_bytes() == content
    assert store.load() == (Progress(), None)  # the next start is clean


# --------------------------------------------------------------------------- item 4: FIFO and friends


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_at_the_progress_path_does_not_hang(tmp_path):
    store = ProgressStore(tmp_path)
    os.mkfifo(store.path)
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(loaded=store.load()), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(store.path, "wb"):
            pass
        worker.join(5)
        pytest.fail("load() blocked on a FIFO")
    progress, warning = result["loaded"]
    assert progress == Progress() and "named pipe" in warning
    # Saving replaces the FIFO with a real file (writing into it would block too).
    store.save(Progress(completed=("a",)))
    assert store.path.is_file() and store.load()[0].completed == ("a",)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_tour_status_with_a_fifo_exits_promptly(tmp_path):
    os.mkfifo(tmp_path / FILENAME)
    env = {**os.environ, "EKSGUIDE_HOME": str(tmp_path)}
    try:
        result = subprocess.run([sys.executable, "-m", "tui.cli", "tour", "--status"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("tour --status hung on a FIFO")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "named pipe" in result.stderr and "0/" in result.stdout


# --------------------------------------------------------------------------- item 12: two windows


def test_two_windows_on_one_home_keep_each_others_answers(tmp_path):
    one, two = ProgressStore(tmp_path), ProgressStore(tmp_path)
    first, _ = one.load()
    second, _ = two.load()  # both start from the same empty file
    first = one.save(first.with_completed("why-encrypt", 0, current="ebs-volumes"))
    second = two.save(second.with_miss("kms-keys", 2).with_current("kms-keys"))
    assert second.completed == ("why-encrypt",)  # the other window's lesson came back with the save
    first = one.save(first.with_completed("ebs-volumes", 1, current="kms-keys"))
    stored, _ = ProgressStore(tmp_path).load()
    assert stored.completed == ("why-encrypt", "ebs-volumes")
    assert dict(stored.answers) == {"why-encrypt": 0, "ebs-volumes": 1, "kms-keys": 2}
    assert dict(stored.misses) == {"kms-keys": 1}
    assert stored.current == "kms-keys"


def test_concurrent_processes_lose_no_lesson(tmp_path):
    script = textwrap.dedent("""
        import sys
        from tui.progress import ProgressStore
        store = ProgressStore(sys.argv[1])
        progress, _ = store.load()
        for n in range(15):
            progress = store.save(progress.with_completed(f"{sys.argv[2]}-{n}", 0))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), name], cwd=ROOT)
             for name in ("left", "right")]
    assert [proc.wait(timeout=60) for proc in procs] == [0, 0]
    stored, warning = ProgressStore(tmp_path).load()
    assert warning is None
    assert set(stored.completed) == {f"{name}-{n}" for name in ("left", "right") for n in range(15)}


ids = st.sampled_from(["l1", "l2", "l3", "l4"])
answers = st.dictionaries(ids, st.integers(0, 4), max_size=4)
counts = st.dictionaries(ids, st.integers(0, 3), max_size=4)
progresses = st.builds(Progress, completed=st.lists(ids, unique=True).map(tuple), answers=answers,
                       current=st.none() | ids, misses=counts)


@st.composite
def changed(draw, base: Progress) -> Progress:
    """`base` after some walkthrough steps: lessons completed, answers given, misses counted."""
    extra = draw(progresses)
    misses = {k: base.misses.get(k, 0) + v for k, v in extra.misses.items()}
    return Progress(completed=(*base.completed, *extra.completed), answers={**base.answers, **extra.answers},
                    current=draw(st.sampled_from([base.current, extra.current])),
                    misses={**base.misses, **misses})


@given(st.data())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_merge_keeps_every_change_of_both_sides(data):
    base = data.draw(progresses)
    mine, theirs = data.draw(changed(base)), data.draw(changed(base))
    merged = merge(base, mine, theirs)
    assert set(merged.completed) == set(mine.completed) | set(theirs.completed)
    for lesson_id, answer in mine.answers.items():
        if base.answers.get(lesson_id) != answer:
            assert merged.answers[lesson_id] == answer  # what I changed wins
    for lesson_id, answer in theirs.answers.items():
        if mine.answers.get(lesson_id) == base.answers.get(lesson_id):
            assert merged.answers[lesson_id] == answer  # what only they changed is kept
    for lesson_id in set(mine.misses) | set(theirs.misses):
        expected = (mine.misses.get(lesson_id, 0) + theirs.misses.get(lesson_id, 0)
                    - base.misses.get(lesson_id, 0))
        assert merged.misses.get(lesson_id, 0) == expected
    assert merged.current == (mine.current if mine.current != base.current else theirs.current)


# --------------------------------------------------------------------------- item 13: set aside what was read


def test_set_aside_keeps_the_bytes_read_and_spares_a_file_saved_meanwhile(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path)
    corrupt = b"{ half a file"
    store.path.write_bytes(corrupt)
    good = json.dumps({"version": 1, "completed": ["why-encrypt"]}).encode()
    real_read = userfiles.read_snapshot

    def slow_read(path):
        snapshot = real_read(path)
        # Another process saves a good file (atomically) after the corrupt bytes were read.
        fresh = tmp_path / "other-process.tmp"
        fresh.write_bytes(good)
        os.replace(fresh, path)
        monkeypatch.setattr("tui.progress.read_snapshot", real_read)
        return snapshot

    monkeypatch.setattr("tui.progress.read_snapshot", slow_read)
    progress, warning = store.load()
    assert progress == Progress() and "left in place" in warning
    assert store.path.read_bytes() == good  # the good file stays where it is
    (aside,) = others(tmp_path)
    assert (tmp_path / aside).read_bytes() == corrupt  # and the copy holds what was read
    assert store.load()[0].completed == ("why-encrypt",)


def test_set_aside_removes_the_original_only_when_unchanged(tmp_path):
    path = tmp_path / "file.json"
    path.write_bytes(b"old")
    snapshot = userfiles.read_snapshot(path)
    target, removed = userfiles.set_aside(path, snapshot)
    assert removed and not path.exists() and target.read_bytes() == b"old"
    path.write_bytes(b"old")
    snapshot = userfiles.read_snapshot(path)
    path.write_bytes(b"new")  # same name, other bytes
    target, removed = userfiles.set_aside(path, snapshot)
    assert not removed and path.read_bytes() == b"new" and target.read_bytes() == b"old"


# --------------------------------------------------------------------------- item 14: versions


@given(st.one_of(st.booleans(), st.floats(allow_nan=False), st.text(max_size=5), st.none(),
                 st.integers(max_value=0), st.lists(st.integers(), max_size=2)))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_versions_that_are_not_the_integer_1_are_set_aside(tmp_path, version):
    directory = Path(tmp_path) / f"v{abs(hash(repr(version)))}"
    directory.mkdir(exist_ok=True)
    store = ProgressStore(directory)
    store.path.write_text(json.dumps({"version": version, "completed": ["why-encrypt"]}))
    progress, warning = store.load()
    assert progress == Progress() and warning and "format version" in warning
    assert not store.path.exists()
    for leftover in directory.iterdir():
        leftover.unlink()


@given(st.integers(min_value=2, max_value=10**30))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_newer_version_is_kept_and_never_written_over(tmp_path, version):
    store = ProgressStore(tmp_path)
    content = json.dumps({"version": version, "completed": ["from-the-future"], "shape": "new"}).encode()
    store.path.write_bytes(content)
    progress, warning = store.load()
    assert progress == Progress() and "newer eksguide" in warning and "not written over" in warning
    with pytest.raises(ProgressRefused, match="newer eksguide"):
        store.save(progress.with_completed("why-encrypt", 0))
    assert store.path.read_bytes() == content and others(Path(tmp_path)) == []


# --------------------------------------------------------------------------- issue 14 item 2: ~nosuchuser


def test_home_of_an_unknown_user_is_a_message_not_a_crash(monkeypatch):
    monkeypatch.setenv("EKSGUIDE_HOME", f"{NOBODY}/state")
    store = ProgressStore()
    assert store.problem and "EKSGUIDE_HOME" in store.problem and "/home/me/.eksguide" in store.problem
    progress, warning = store.load()
    assert progress == Progress() and "will not be saved" in warning
    with pytest.raises(ProgressRefused, match="EKSGUIDE_HOME"):
        store.save(Progress(completed=("a",)))
    with pytest.raises(ProgressRefused):
        store.reset()
    assert not Path(NOBODY).exists()  # nothing written under a literal '~...' directory


def test_tour_status_with_an_unknown_users_home_exits_2_with_a_message(tmp_path):
    env = {**os.environ, "EKSGUIDE_HOME": f"{NOBODY}/state"}
    for args in (["tour", "--status"], ["tour", "--status", "--json"], ["tour", "--reset", "--yes"]):
        result = subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and "EKSGUIDE_HOME" in result.stderr
        assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []
