"""The user's small state files (walkthrough progress, app settings): read safely, written atomically.

- `read_snapshot` never blocks: the file is opened non-blocking and must be a regular file, so a
  FIFO, socket or device at the path is reported instead of read (reading a FIFO waits forever).
  The snapshot remembers which file it read (device, inode, size, modification time).
- `set_aside` keeps exactly the bytes that were read under a new name and removes the original only
  if it is still that same file with those same bytes, so a file another process saved in the
  meantime is never moved away.
- `write_atomic` writes a temporary file in the same directory, flushes it to disk and moves it over
  the old one with `os.replace`: a crash leaves the old file or the new one, never half of one.
- `locked` serialises read-change-write cycles of several processes on one directory (an advisory
  `flock` on the directory itself, so no lock file is left behind).

Headless: no Textual here.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, the merge still applies
    fcntl = None  # type: ignore[assignment]

LOCK_WAIT = 5.0  # seconds to wait for another process's save before going ahead without the lock

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegularFile(OSError):
    """The path exists but is not a regular file; the message says what it is."""


@dataclass(frozen=True)
class Snapshot:
    """The bytes read from a file and which file they came from."""

    data: bytes
    identity: tuple[int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_snapshot(path: Path) -> Snapshot | None:
    """The file's bytes, or None when there is no file; raises OSError (NotRegularFile for a FIFO, a
    directory and the like) without ever blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise NotRegularFile(errno.EISDIR, f"it is {_kind(stat.S_IFDIR)}, not a file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, f"it is {_kind(info.st_mode)}, not a regular file")
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return Snapshot(b"".join(chunks), _identity(info))
    finally:
        os.close(fd)


def still_there(path: Path, snapshot: Snapshot) -> bool:
    """Whether `path` is still the very file of `snapshot`, with the same bytes."""
    try:
        again = read_snapshot(path)
    except OSError:
        return False
    return again is not None and again.identity == snapshot.identity and again.data == snapshot.data


def set_aside(path: Path, snapshot: Snapshot, label: str = "corrupt") -> tuple[Path, bool]:
    """Keep `snapshot`'s bytes as `<name>.<label>-<UTC time>[-n]` beside `path`, then remove `path`
    only if it is unchanged. Returns the new file and whether the original was removed; raises
    OSError when the copy cannot be written (the original is then left alone)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    counter = 0
    while True:
        suffix = f"-{counter}" if counter else ""
        target = path.with_name(f"{path.name}.{label}-{stamp}{suffix}")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            counter += 1
            continue
        break
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(snapshot.data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    removed = False
    if still_there(path, snapshot):
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed = True
    return target, removed


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) atomically; on failure the old file is untouched and no
    temporary file remains. Raises OSError."""
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(directory)


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


@contextlib.contextmanager
def locked(directory: Path, wait: float = LOCK_WAIT) -> Iterator[bool]:
    """Hold an exclusive advisory lock on `directory` for the block; yields whether it was taken.

    A missing directory, a platform without `flock` or a lock held longer than `wait` seconds by
    another process (a stopped one, say) lets the block run unlocked rather than hang."""
    fd = None
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fd = os.open(directory, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    taken = False
    try:
        if fd is not None:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    taken = True
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.01)
                except OSError:
                    break
        yield taken
    finally:
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the lock
