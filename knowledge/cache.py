"""The built engine, kept on disk between processes.

`eksguide ask` in a new process would otherwise rebuild the index (tens of milliseconds, and
more as the FAQ grows). The file is keyed by the content and by the code that shapes the index,
so an edit to either simply misses the cache. Any problem with the cache (a stale, truncated or
foreign file, a directory that cannot be written, a FIFO or device where the file should be)
only means building afresh: it never fails or blocks the caller.
"""
from __future__ import annotations

import gc
import os
import pickle
import stat
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path

CACHE_FORMAT = 2
CACHE_ENV = "EKSGUIDE_CACHE_DIR"  # a directory, or "off"


def cache_directory() -> Path | None:
    """Where cache files go: $EKSGUIDE_CACHE_DIR, or the user cache directory; None when off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() == "off":
        return None
    if setting:
        try:
            return Path(setting).expanduser()
        except RuntimeError:  # "~nosuchuser/...": no home directory to expand to
            return None
    if sys.platform.startswith("linux"):
        # platformdirs' answer on Linux (the XDG base directory spec), without the few
        # milliseconds its import costs every `eksguide ask`
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        if not base or not os.path.isabs(base):
            base = os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "eksguide"
    import platformdirs

    return Path(platformdirs.user_cache_dir("eksguide"))


def cache_file(prefix: str, inputs: Iterable[Path], salt: str = "") -> Path | None:
    """The cache file for an object built from `inputs` (by path, size and mtime), or None."""
    try:
        directory = cache_directory()
        if directory is None:
            return None
        key = [f"{CACHE_FORMAT} {sys.version} {salt}"]
        for path in sorted(inputs):
            info = path.stat()
            key.append(f"{path.name} {info.st_size} {info.st_mtime_ns}")
    except OSError:
        return None
    # Two CRCs over the inputs' names, sizes and times: a key, not a secret (and zlib loads in a
    # fraction of hashlib's time, which counts in a command that starts in tens of milliseconds).
    text = "\n".join(key).encode()
    return directory / f"{prefix}-{zlib.crc32(text):08x}{zlib.adler32(text):08x}.pickle"


def read(path: Path | None, kind: type) -> object | None:
    """The object pickled at `path` when it is a regular file holding a `kind`; else None."""
    if path is None:
        return None
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            # many small containers: the cyclic collector would run again and again while loading
            collecting = gc.isenabled()
            gc.disable()
            try:
                value = pickle.load(handle)  # noqa: S301 - our own file in the user's cache directory
            finally:
                if collecting:
                    gc.enable()
    except Exception:  # noqa: BLE001 - a stale, truncated or foreign file: rebuild it
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    return value if isinstance(value, kind) else None


def write(path: Path | None, value: object) -> None:
    """Best effort: write atomically and drop older files of the same prefix; never raise."""
    if path is None:
        return
    import tempfile  # only when writing: it pulls in shutil, random and more

    prefix = path.name.split("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{prefix}-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for old in path.parent.glob(f"{prefix}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass
