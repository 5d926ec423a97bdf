"""The wizards over the shipped snippet kinds (issue 11's wizard points): what the preview shows
at 80 columns, fields a rule makes required, opening on a valid preview, errors and help that
speak of fields, the list's filter, the Save dialog, the copy toast and the theme."""
from __future__ import annotations

import errno
import os
import re

import pytest
from test_app_fixtures import app_test, demo_app
from textual.geometry import Region
from textual.widgets import OptionList, Select, Static

from tui.app import EksGuideApp
from tui.screens.dialogs import SaveScreen
from tui.screens.wizards import WizardPickerScreen, WizardScreen
from tui.widgets.snippet_preview import SnippetPreview
from tui.widgets.spec_form import SpecForm, field_help

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def real_app(tmp_path) -> EksGuideApp:
    app = EksGuideApp(progress_dir=tmp_path, cursor_blink=False)
    app.theme = "textual-dark"
    return app


async def open_wizard(app, pilot, kind: str) -> WizardScreen:
    await app.open_wizard(kind)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WizardScreen) and screen.spec.kind == kind
    return screen


def preview_lines(preview: SnippetPreview) -> list[str]:
    """Every row of the preview's text as drawn at the pane's width (scrolling allowed)."""
    code = preview.query_one(".preview-code", Static)
    return [strip.text for strip in code.render_lines(Region(0, 0, code.size.width, code.virtual_size.height))]


def flags_left(text: str) -> list[str]:
    return re.findall(r"(?<![\w-])--[a-z][\w-]*", text)


@app_test
async def test_the_preview_wraps_so_no_word_is_lost_at_80x24(tmp_path):
    app = real_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(app, pilot, "envelope-encryption")
        preview = wizard.preview
        assert "can never be removed or replaced by another" in preview.text
        rows = preview_lines(preview)
        width = preview.query_one(".preview-scroll").scrollable_content_region.width
        assert rows and all(len(row.rstrip()) <= width for row in rows)
        # Every character but spaces, in order: a word longer than the pane breaks across rows.
        assert "".join("".join(rows).split()) == "".join(preview.text.split())
        assert preview.query_one(".preview-scroll").max_scroll_x == 0


@app_test
async def test_a_rule_makes_a_field_required_at_once_and_a_paused_preview_names_labels(tmp_path):
    app = real_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(app, pilot, "ebs-storageclass")
        form, preview = wizard.form, wizard.preview
        iops = form.row("iops")
        assert not iops.required and "*" not in str(iops.query_one(".field-label", Static).render())
        wizard.query_one("#field-type", Select).value = "io2"
        await pilot.pause()
        assert iops.required and "*" in str(iops.query_one(".field-label", Static).render())
        assert iops.error and "Provisioned IOPS" not in flags_left(iops.error) and not flags_left(iops.error)
        # The preview shows the example for it, and says so.
        notes = str(preview.query_one(".preview-notes", Static).render())
        assert "Provisioned IOPS" in notes and not preview.has_class("-stale")
        # A value the rule rejects pauses the preview: dimmed, titled so, the field named by label.
        form.row("iops").control.value = "5"
        form.validate()
        await pilot.pause()
        assert preview.has_class("-stale")
        assert "Preview paused" in str(preview.query_one(".preview-title", Static).render())
        notes = str(preview.query_one(".preview-notes", Static).render())
        assert "Provisioned IOPS" in notes and "--" not in notes
        # Back to gp3: the rule no longer applies, and the mark goes.
        wizard.query_one("#field-type", Select).value = "gp3"
        form.row("iops").control.value = ""
        form.validate()
        await pilot.pause()
        assert not iops.required and not preview.has_class("-stale")


@app_test
async def test_every_wizard_opens_on_a_valid_preview_and_speaks_of_fields(tmp_path):
    app = real_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for kind, spec in app.specs.items():
            wizard = await open_wizard(app, pilot, kind)
            preview = wizard.preview
            assert preview.snippet is not None and preview.text, kind
            assert not preview.has_class("-stale"), (kind, str(preview.query_one(".preview-notes").render()))
            notes = str(preview.query_one(".preview-notes", Static).render())
            assert not flags_left(notes), (kind, notes)
            for field in spec.fields:
                assert not flags_left(field_help(spec, field)), (kind, field.id)
            await pilot.press("escape")
            await pilot.pause()


@app_test
async def test_the_external_secret_wizard_opens_with_keys_stood_in_and_store_errors_suggest_a_store(tmp_path):
    app = real_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(app, pilot, "external-secret")
        assert "Keys" in str(wizard.preview.query_one(".preview-notes", Static).render())
        assert wizard.form.row("key").required  # the rule asks for keys (or an extract)
        store = wizard.form.row("store-name")
        store.control.value = "Bad_Name"
        wizard.form.validate()
        await pilot.pause()
        assert store.error and "encrypted-gp3" not in store.error
        assert wizard.spec.field("store-name").example in store.error


@app_test
async def test_the_help_area_shows_the_field_at_hand(tmp_path):
    app = real_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(app, pilot, "fsx-storageclass")
        help_area = wizard.query_one("#wizard-field-help", Static)
        first, second = [row for row in wizard.form.rows() if row.display][:2]
        assert str(help_area.render()) == field_help(wizard.spec, first.field)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is second.control
        assert str(help_area.render()) == field_help(wizard.spec, second.field)


@app_test
async def test_the_wizard_list_filters_as_you_type_and_its_footer_says_so(tmp_path):
    app = real_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, WizardPickerScreen)
        options = picker.query_one("#wizard-list", OptionList)
        every = len(app.specs)
        ids = lambda: [options.get_option_at_index(i).id for i in range(options.option_count)  # noqa: E731
                       if options.get_option_at_index(i).id]
        assert len(ids()) == every
        shown = {binding.key: binding.description for _, binding, enabled, _ in picker.active_bindings.values()
                 if binding.show and enabled}
        assert shown.get("enter") == "Open" and shown.get("ctrl+f") == "Type to filter"
        await pilot.press(*"sealed")
        await pilot.pause()
        assert ids() == ["sealed-secret"] and picker.filter == "sealed"
        assert "Esc or Backspace clears" in str(picker.query_one("#wizard-filter", Static).render())
        await pilot.press("backspace")
        assert picker.filter == "seale"
        await pilot.press("escape")
        await pilot.pause()
        assert picker.filter == "" and len(ids()) == every
        await pilot.press(*"lustre")
        await pilot.pause()
        first = ids()[0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen) and app.screen.spec.kind == first


@app_test
async def test_save_dialog_footer_and_errors_and_the_copy_toast(tmp_path, monkeypatch):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        wizard = await open_wizard(app, pilot, "demo-config")
        messages: list[str] = []
        monkeypatch.setattr(app, "copy_to_clipboard", lambda text: None)
        monkeypatch.setattr(app, "notify", lambda message, **kw: messages.append(message))
        wizard.form.row("name").control.value = "demo"
        wizard.form.validate()
        await pilot.pause()
        await pilot.press("ctrl+y")
        lines = len(wizard.snippet.text.splitlines())
        assert wizard.snippet.text.endswith("\n") and messages[-1].startswith(f"Copied {lines} lines")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveScreen)
        keys = {binding.key for _, binding, enabled, _ in dialog.active_bindings.values() if binding.show and enabled}
        assert {"ctrl+s", "escape"} <= keys and not keys & {"ctrl+y", "ctrl+r"}
        target = tmp_path / "out.yaml"

        def refuse(source, _destination):
            raise OSError(errno.EACCES, "Permission denied", source)

        monkeypatch.setattr(os, "link", refuse)
        monkeypatch.setattr(os, "replace", refuse)
        dialog.query_one("#save-path").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        error = str(dialog.query_one("#save-error", Static).render())
        assert str(target) in error and "Permission denied" in error and ".eksguide-" not in error


@app_test
async def test_the_preview_is_recoloured_when_the_theme_changes(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        wizard = await open_wizard(app, pilot, "demo-config")
        wizard.form.row("name").control.value = "demo"
        wizard.form.validate()
        await pilot.pause()
        preview = wizard.preview
        assert preview.syntax_theme == "ansi_dark"
        app.theme = "textual-light"
        await pilot.pause()
        assert preview.syntax_theme == "ansi_light"


@app_test
async def test_esc_from_a_wizard_returns_to_the_same_place_in_ask(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        for question in ("demo keys", "demo volumes"):
            app.screen.ask(question)
            await app.workers.wait_for_complete()
            await pilot.pause()
        ask = app.screen
        transcript = ask.query_one("#transcript")
        before = transcript.scroll_y
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ask and transcript.scroll_y == before


@app_test
async def test_typing_is_checked_once_it_pauses_and_keys_stay_in_the_field(tmp_path):
    app = real_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(app, pilot, "fsx-storageclass")
        await pilot.press("tab")
        field = app.focused
        await pilot.press(*"subnet-0")
        assert wizard.form.pending and app.focused is field and field.value.endswith("subnet-0")
        wizard.form.validate()
        assert not wizard.form.pending
