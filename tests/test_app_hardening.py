"""Defects fuzzing found in the app (issue 14 items 5-7) and the keys-to-the-focused-field rule
(issue 9): each test fails without its fix."""
from __future__ import annotations

import re

import pytest
from test_app_fixtures import app_test, demo_app

from tui.screens.browse import BrowseScreen
from tui.screens.dialogs import SaveScreen
from tui.widgets.spec_form import INT_RESTRICT, SpecForm

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_the_int_pattern_is_linear_and_ascii():
    # Textual's integer pattern needs exponential time for this; ours answers at once.
    assert re.fullmatch(INT_RESTRICT, "1" * 5000 + "a") is None
    assert re.fullmatch(INT_RESTRICT, "-42") and re.fullmatch(INT_RESTRICT, "")
    assert re.fullmatch(INT_RESTRICT, "١٢") is None


@app_test
async def test_int_field_keeps_digits_and_refuses_letters(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.open_wizard("demo-config")
        await pilot.pause()
        form = app.screen.query_one(SpecForm)
        form.row("mode").control.value = "advanced"
        await pilot.pause()
        level = form.row("level").control
        assert level.type == "text" and level.restrict == INT_RESTRICT
        level.focus()
        level.value = "1" * 18
        await pilot.press("1", "1", "a", "7")
        assert level.value == "1" * 20  # the letter refused, and no more digits than any bound needs


@app_test
async def test_keys_go_to_the_focused_field_and_the_check_waits_for_a_pause(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.open_wizard("demo-config")
        await pilot.pause()
        screen = app.screen
        form = screen.query_one(SpecForm)
        name = form.row("name").control
        hosts = form.row("hosts").control
        name.focus()
        await pilot.press(*"web")
        assert form.pending  # typing: not checked yet
        hosts.focus()  # leaving the field checks it at once
        await pilot.press(*"a.example.com")
        assert name.value == "web" and hosts.value == "a.example.com"
        for _ in range(100):
            if not form.pending:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        assert not form.pending and not form.errors
        assert "hosts: [a.example.com]" in screen.preview.text


@app_test
async def test_save_dialog_refuses_nul_and_unknown_users(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        app.push_screen(SaveScreen("text\n", tmp_path / "x.yaml"))
        await pilot.pause()
        dialog = app.screen
        for path, message in (("a\0b.yaml", "NUL"), ("~nosuchuser-eksguide/x.yaml", "no user called")):
            dialog.query_one("#save-path").value = path
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog
            assert message in str(dialog.query_one("#save-error").render())
        assert list(tmp_path.glob("*.yaml")) == []


@app_test
async def test_page_keys_in_option_lists_of_a_tiny_terminal(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(10, 3)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("pagedown", "end", "pageup", "pagedown")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("pagedown", "pageup")
        await pilot.press("escape")
        await pilot.resize_terminal(40, 8)
        await pilot.press("f4", "end", "pageup")
        assert app.return_code is None and app.crash is None


@app_test
async def test_browse_enter_acts_on_the_practice_under_the_cursor(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        tree = screen.query_one("#practice-tree")
        await pilot.press("down", "down", "down", "enter")
        assert screen.current == tree.cursor_node.data


@app_test
async def test_footer_is_not_rebuilt_when_its_keys_stay_the_same(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.open_wizard("demo-config")
        await pilot.pause()
        footer = app.screen.query_one("SteadyFooter")
        keys = list(footer.children)
        await pilot.press("tab")  # Name -> Mode: the same keys
        await pilot.pause()
        assert list(footer.children) == keys and keys
        await pilot.press("f2")  # another screen, other keys
        await pilot.pause()
        shown = " ".join(str(key.description) for key in app.screen.query_one("SteadyFooter").children
                         if hasattr(key, "description"))
        assert "Suggestions" in shown
