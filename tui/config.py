"""The app's settings (today: the theme), kept in a small JSON file across restarts.

The file is `config.json` under the user config directory
(`platformdirs.user_config_dir("eksguide")`), or under the directory named by the environment
variable EKSGUIDE_CONFIG_DIR (the tests use it, as they use EKSGUIDE_HOME for progress)::

    {"version": 1, "theme": "nord"}

It is written atomically and re-read before each write, so keys a later eksguide adds survive.
A file that cannot be understood is ignored with a warning, never fatal, and never written over
(fix or remove it to save settings again). Headless: no Textual import; `restore_theme` works on
any object with the few App attributes it names.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from .progress import APP_NAME, HomeError, expand_directory
from .userfiles import locked, read_snapshot, write_atomic

CONFIG_ENV = "EKSGUIDE_CONFIG_DIR"
FILENAME = "config.json"
FORMAT_VERSION = 1


def config_directory() -> Path:
    """$EKSGUIDE_CONFIG_DIR if set (and not empty), else the platform's user config directory.

    Raises HomeError when the variable starts with `~user` for a user without a home directory."""
    override = os.environ.get(CONFIG_ENV, "").strip()
    if override:
        return expand_directory(override, CONFIG_ENV)
    return Path(platformdirs.user_config_dir(APP_NAME))


@dataclass(frozen=True)
class Settings:
    theme: str | None = None


class SettingsError(OSError):
    """Settings cannot be saved; the message says why and what to do."""


class ConfigStore:
    """Reads and writes `<directory>/config.json`; never raises on construction or load."""

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self.problem: str | None = None
        try:
            self.directory = (expand_directory(os.fspath(directory), "the settings directory")
                              if directory is not None else config_directory())
        except HomeError as exc:
            self.problem = str(exc)
            self.directory = Path(os.fspath(directory) if directory is not None else os.environ.get(CONFIG_ENV, ""))
        self.path = self.directory / FILENAME

    def _read(self) -> dict[str, Any]:
        """The file's settings as a mapping ({} when there is none); raises ValueError or OSError
        saying what is wrong with it."""
        snapshot = read_snapshot(self.path)
        if snapshot is None:
            return {}
        try:
            data = json.loads(snapshot.data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise ValueError("it is not valid JSON") from None
        if not isinstance(data, dict):
            raise ValueError("the top level is not a JSON object")
        version = data.get("version")
        if type(version) is not int or version != FORMAT_VERSION:
            raise ValueError(f"format version {version!r} is not {FORMAT_VERSION}")
        theme = data.get("theme")
        if theme is not None and (not isinstance(theme, str) or not theme.strip()):
            raise ValueError("'theme' is not a theme name, such as \"textual-dark\"")
        return data

    def load(self) -> tuple[Settings, str | None]:
        """The saved settings and None, or the defaults and a warning."""
        if self.problem:
            return Settings(), f"{self.problem}; settings will not be saved"
        try:
            data = self._read()
        except (OSError, ValueError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return Settings(), f"ignored the settings in {self.path} ({why}); using the defaults"
        return Settings(theme=data.get("theme")), None

    def save_theme(self, theme: str) -> None:
        """Store `theme`, keeping the file's other keys; raises OSError (SettingsError when the
        file there cannot be understood, so it is left as it is)."""
        if self.problem:
            raise SettingsError(self.problem)
        self.directory.mkdir(parents=True, exist_ok=True)
        with locked(self.directory):
            try:
                data = self._read()
            except ValueError as exc:
                raise SettingsError(f"{self.path} is left as it is, because {exc}; fix or remove it") from None
            data.update(version=FORMAT_VERSION, theme=theme)
            write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def restore_theme(app: Any, store: ConfigStore | None = None) -> ConfigStore:
    """Apply the saved theme to a running Textual `app` and save every later change of theme.

    A saved theme the app does not have, a broken file or a failed save is a warning notification."""
    store = store if store is not None else ConfigStore()
    settings, warning = store.load()
    saved = settings.theme
    if saved is not None:
        if saved in app.available_themes:
            app.theme = saved
        else:
            warning = f"the saved theme {saved!r} is not available; using {app.theme!r}"
    if warning:
        app.notify(warning, title="Settings", severity="warning", timeout=8, markup=False)

    def keep(theme: Any) -> None:
        nonlocal saved
        name = getattr(theme, "name", theme)
        if name == saved:
            return
        try:
            store.save_theme(name)
            saved = name
        except OSError as exc:
            app.notify(f"Could not save the theme: {exc.strerror or exc}", title="Settings",
                       severity="warning", timeout=8, markup=False)

    app.theme_changed_signal.subscribe(app, keep)
    return store
