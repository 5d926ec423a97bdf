"""Snapshot tests of every screen (pytest-textual-snapshot; Textual is pinned, see pyproject).

They run over the frozen demo content of test_app_fixtures, so editing the real knowledge base
or a snippet kind does not change them. After an intended change of the app's look, review the
new pictures and accept them with: pytest tests/test_app_snapshots.py --snapshot-update
"""
from __future__ import annotations

import pytest
from test_app_fixtures import demo_app

from tui.widgets.spec_form import SpecForm

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SMALL = (80, 24)
LARGE = (140, 45)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_ask_welcome(snap_compare, tmp_path):
    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=settle)


def test_ask_answer(snap_compare, tmp_path):
    async def ask(pilot):
        await pilot.press(*"demo volumes", "enter")
        await settle(pilot)
        await pilot.press("tab")
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path), terminal_size=LARGE, run_before=ask)


def test_ask_off_topic(snap_compare, tmp_path):
    async def ask(pilot):
        pilot.app.screen.ask("best pizza in naples")
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=ask)


def test_browse(snap_compare, tmp_path):
    async def browse(pilot):
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("down", "down", "down")
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=browse)


def test_wizard_picker(snap_compare, tmp_path):
    async def picker(pilot):
        await pilot.press("f4")
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=picker)


def test_wizard_invalid_value(snap_compare, tmp_path):
    async def wizard(pilot):
        await pilot.app.open_wizard("demo-config")
        await settle(pilot)
        await pilot.press(*"Web")
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=wizard)


def test_wizard_filled_large(snap_compare, tmp_path):
    async def wizard(pilot):
        await pilot.app.open_wizard("demo-config")
        await settle(pilot)
        await pilot.press(*"web")
        form = pilot.app.screen.query_one(SpecForm)
        form.row("mode").control.value = "advanced"
        form.row("hosts").control.focus()
        await pilot.press(*"a.example.com")
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path), terminal_size=LARGE, run_before=wizard)


def test_walkthrough_answered(snap_compare, tmp_path):
    async def tour(pilot):
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("a")  # wrong: the choices are shuffled, and (a) is the wrong one here
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=tour)


def test_help(snap_compare, tmp_path):
    async def help_screen(pilot):
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=help_screen)


def test_save_dialog(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def save(pilot):
        await pilot.app.open_wizard("demo-config")
        await settle(pilot)
        await pilot.press(*"web", "ctrl+s")
        await settle(pilot)
        pilot.app.screen.query_one("#save-path").value = "web-config.yaml"
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=save)
