"""Writing user files: atomic, never over an existing file unless asked, usual permissions."""
from __future__ import annotations

import os
import stat

import pytest

from tui.files import FileExists, write_atomic


def test_writes_new_file_with_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "a.yaml", "one\n")
    finally:
        os.umask(old)
    assert path.read_text() == "one\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_refuses_to_overwrite_without_permission(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("mine\n")
    with pytest.raises(FileExists):
        write_atomic(path, "theirs\n")
    assert path.read_text() == "mine\n" and os.listdir(tmp_path) == ["a.yaml"]


def test_overwrite_keeps_the_existing_mode(tmp_path):
    path = tmp_path / "a.sh"
    path.write_text("old\n")
    path.chmod(0o750)
    write_atomic(path, "new\n", overwrite=True)
    assert path.read_text() == "new\n" and stat.S_IMODE(path.stat().st_mode) == 0o750


def test_missing_directory_and_directory_target_fail_cleanly(tmp_path):
    with pytest.raises(OSError):
        write_atomic(tmp_path / "nope" / "a.yaml", "x")
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, "x")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("via_link", [False, True])
def test_never_replaces_a_device_or_pipe_even_with_overwrite(tmp_path, via_link):
    # `--output /dev/null --force` (or a FIFO, or a link to one) must not swap the special
    # file for a regular one: run as root, that used to turn /dev/null into a plain file.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if via_link:
        target = tmp_path / "link"
        target.symlink_to(fifo)
    for overwrite in (False, True):
        with pytest.raises(OSError, match="not a regular file"):
            write_atomic(target, "x\n", overwrite=overwrite)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert target.is_symlink() == via_link
    assert sorted(os.listdir(tmp_path)) == sorted(["pipe"] + (["link"] if via_link else []))
