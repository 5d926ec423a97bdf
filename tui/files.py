"""Writing user files safely: atomically, and never over an existing file unless asked."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class FileExists(FileExistsError):
    """The target exists and overwriting was not allowed."""


def write_atomic(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> Path:
    """Write `text` to `path` through a temporary file in the same directory and os.replace.

    A reader sees the old file or the whole new one, never a half-written file. Raises
    FileExists when `path` exists and `overwrite` is false, and OSError when the directory is
    missing or not writable; nothing is left behind on failure.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a directory")
    if target.exists() and not target.is_file():
        # A device, FIFO or socket (or a link to one): os.replace would swap it for a plain file.
        raise OSError(f"{target} is not a regular file; name a file to write")
    if target.exists() and not overwrite:
        raise FileExists(f"{target} already exists")
    directory = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
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
