"""The theme setting: where it lives, atomic writes, broken files ignored with a warning, and the
app restoring it after a restart."""
from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs
import pytest
from test_app_fixtures import app_test, demo_app

from tui.config import CONFIG_ENV, FILENAME, ConfigStore, Settings, SettingsError, config_directory

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_directory_from_the_environment_or_the_platform(tmp_path, monkeypatch):
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "cfg"))
    assert config_directory() == tmp_path / "cfg" and ConfigStore().path == tmp_path / "cfg" / FILENAME
    monkeypatch.setenv(CONFIG_ENV, "  ")
    assert config_directory() == Path(platformdirs.user_config_dir("eksguide"))


def test_save_and_load_keep_other_keys_and_leave_no_temp_files(tmp_path):
    store = ConfigStore(tmp_path)
    assert store.load() == (Settings(), None)
    store.save_theme("nord")
    assert store.load() == (Settings(theme="nord"), None)
    data = json.loads(store.path.read_text())
    data["future"] = {"kept": True}
    store.path.write_text(json.dumps(data))
    store.save_theme("gruvbox")
    assert json.loads(store.path.read_text()) == {"version": 1, "theme": "gruvbox", "future": {"kept": True}}
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILENAME]


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    store = ConfigStore(tmp_path)
    store.save_theme("nord")
    before = store.path.read_bytes()

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        store.save_theme("gruvbox")
    assert store.path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [FILENAME]


@pytest.mark.parametrize("content, reason", [
    (b"{ broken", "not valid JSON"),
    (b"[" * 50_000, "not valid JSON"),
    (b'["nord"]', "not a JSON object"),
    (b'{"version": true, "theme": "nord"}', "format version True"),
    (b'{"version": 1, "theme": 7}', "'theme' is not a theme name"),
])
def test_a_broken_file_is_ignored_with_a_warning_and_left_alone(tmp_path, content, reason):
    store = ConfigStore(tmp_path)
    store.path.write_bytes(content)
    settings, warning = store.load()
    assert settings == Settings() and reason in warning and "using the defaults" in warning
    with pytest.raises(SettingsError, match="fix or remove it"):
        store.save_theme("nord")
    assert store.path.read_bytes() == content


def test_unusable_directories_are_warnings(tmp_path, monkeypatch):
    store = ConfigStore(tmp_path)
    store.path.mkdir()
    assert "directory" in store.load()[1]
    monkeypatch.setenv(CONFIG_ENV, "~eksguide-no-such-user-x9/cfg")
    store = ConfigStore()
    assert CONFIG_ENV in store.load()[1]
    with pytest.raises(SettingsError, match=CONFIG_ENV):
        store.save_theme("nord")


@app_test
async def test_the_theme_is_restored_after_a_restart(tmp_path, monkeypatch):
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "cfg"))
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        default = app.theme
        assert not (tmp_path / "cfg" / FILENAME).exists()  # nothing written until the theme changes
        app.theme = "nord" if default != "nord" else "gruvbox"
        chosen = app.theme
        await pilot.pause()
        await pilot.pause()
    assert json.loads((tmp_path / "cfg" / FILENAME).read_text())["theme"] == chosen
    again = demo_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == chosen
        assert not [n for n in again._notifications if n.title == "Settings"]


@app_test
async def test_a_broken_or_unknown_theme_is_a_warning_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path))
    for content, fragment in ((b"{ nope", "ignored the settings"),
                              (b'{"version": 1, "theme": "no-such-theme"}', "'no-such-theme' is not available")):
        (tmp_path / FILENAME).write_bytes(content)
        app = demo_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            notes = [n.message for n in app._notifications if n.title == "Settings"]
            assert len(notes) == 1 and fragment in notes[0]
            assert app.theme in app.available_themes
