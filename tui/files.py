"""Writing user files safely: atomically, and never over an existing file unless asked."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class FileExists(FileExistsError):
    """The target exists and overwriting was not allowed."""


class BadPath(OSError):
    """The path cannot name a file: a NUL byte, an unknown ~user, a trailing slash, a name too long."""


NAME_MAX = 255  # bytes in one path component on the file systems eksguide meets (ext4, xfs, APFS, NTFS)


def resolve_user_path(path: str | os.PathLike[str]) -> Path:
    """`path` with ~ expanded, or BadPath saying in plain words why it cannot be a file's path."""
    text = os.fspath(path)
    if isinstance(text, bytes):  # pragma: no cover - every caller passes text
        text = os.fsdecode(text)
    if "\x00" in text:
        raise BadPath("the path contains a NUL character; type the file name again")
    if text.endswith(("/", os.sep)):
        raise BadPath(f"{text} ends with '/', so it names a directory; add a file name, for example {text}snippet.yaml")
    try:
        target = Path(text).expanduser()
    except RuntimeError:  # "~nosuchuser/x": no such user, or no home directory to expand "~" to
        user = text[1:].split("/", 1)[0] or "the current user"
        raise BadPath(f"cannot expand {text.split('/', 1)[0]}: there is no home directory for {user}") from None
    if len(os.fsencode(target.name)) > NAME_MAX:
        raise BadPath(f"the file name is longer than {NAME_MAX} bytes; choose a shorter one")
    return target


def write_atomic(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> Path:
    """Write `text` to `path` through a temporary file in the same directory and os.replace.

    A reader sees the old file or the whole new one, never a half-written file. Raises
    FileExists when `path` exists and `overwrite` is false, BadPath when `path` cannot name a
    file, and OSError when the directory is missing or not writable; nothing is left behind on
    failure.
    """
    target = resolve_user_path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a directory")
    if target.exists() and not target.is_file():
        # A device, FIFO or socket (or a link to one): os.replace would swap it for a plain file.
        raise OSError(f"{target} is not a regular file; name a file to write")
    if target.exists() and not overwrite:
        raise FileExists(f"{target} already exists")
    directory = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    # A short temporary name of our own: the target's name may already be as long as names can be.
    fd, tmp = tempfile.mkstemp(prefix=".eksguide-", suffix=".tmp", dir=directory)
    try:
        os.chmod(tmp, mode)  # mkstemp makes owner-only files; give the file its usual mode
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if not overwrite:
            # Publish without replacing: link() fails if someone created the file meanwhile.
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise FileExists(f"{target} already exists") from None
            except OSError:
                if target.exists():
                    raise FileExists(f"{target} already exists") from None
                os.replace(tmp, target)
        else:
            os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _mode_for(target: Path) -> int:
    """The permission bits a new file would get from the umask, or those of the file replaced."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
