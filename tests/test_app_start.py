"""Starting and stopping the app: every Python it claims (3.12+ runs Textual's tasks eagerly),
and a crash that exits non-zero with one line and the traceback in a file."""
from __future__ import annotations

import sys

import pytest
from test_app_fixtures import app_test, demo_app
from textual.app import App

from tui import cli
from tui.app import write_crash_report
from tui.screens.base import SectionScreen

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@app_test
async def test_section_screens_mount_over_a_screen_on_the_stack(tmp_path, monkeypatch):
    """Textual mounts a mode's screen before it is on its stack; with eager tasks (3.12+) its
    widgets then mount while the app has no screen, and Input's selection watcher raises
    ScreenStackError. The app must only ever mount a section while a screen is current."""
    stack_sizes: list[int] = []
    register = App._register

    def recording_register(self, parent, *widgets, **kwargs):
        if any(isinstance(widget, SectionScreen) for widget in widgets):
            stack_sizes.append(len(self.screen_stack))
        return register(self, parent, *widgets, **kwargs)

    monkeypatch.setattr(App, "_register", recording_register)
    app = demo_app(tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.current_mode == "ask"
        await pilot.press("f3")
        await pilot.pause()
    assert stack_sizes and min(stack_sizes) >= 1


def test_crash_report_holds_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("EKSGUIDE_HOME", str(tmp_path))
    try:
        raise ValueError("a test failure")
    except ValueError as exc:
        path = write_crash_report(exc)
    text = path.read_text(encoding="utf-8")
    assert path.parent == tmp_path / "crashes"
    assert "Traceback" in text and "ValueError: a test failure" in text


def test_a_crash_exits_1_with_one_line_and_the_report(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EKSGUIDE_HOME", str(tmp_path))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)

    def crashing_run(self, *args, **kwargs):
        try:
            raise KeyError("lost")
        except KeyError as exc:
            self.crash = exc

    monkeypatch.setattr("tui.app.EksGuideApp.run", crashing_run)
    assert cli.main([]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "KeyError" in lines[0] and "the traceback is in " in lines[0]
    report = lines[0].split("the traceback is in ", 1)[1]
    assert "KeyError: 'lost'" in open(report, encoding="utf-8").read()


@app_test
async def test_an_error_in_the_app_is_kept_and_not_dumped(tmp_path):
    app = demo_app(tmp_path)
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.pause()
            app.call_later(lambda: (_ for _ in ()).throw(RuntimeError("inside")))
            await pilot.pause()
            await pilot.pause()
    assert isinstance(app.crash, RuntimeError)
    assert app.return_code == 1
    assert not app._exit_renderables
