"""The Check section: open a file, see the findings, read a practice, open a fix wizard filled in."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, TextArea

from knowledge.checks import check_text
from test_app_fixtures import app_test
from tui.app import EksGuideApp
from tui.screens.browse import BrowseScreen
from tui.screens.check import CheckScreen, fix_values
from tui.screens.wizards import WizardScreen

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FIXTURES = Path(__file__).parent / "fixtures" / "check"


def test_fix_values_turn_flags_into_wizard_answers():
    report = check_text((FIXTURES / "efs-static-access-point-delete" / "bad.yaml").read_text())
    values = fix_values(report.findings[0])
    assert values["file-system-id"] == "fs-0123456789abcdef0" and values["reclaim-policy"] == "Retain"
    text = (FIXTURES / "ebs-unencrypted" / "bad.yaml").read_text().replace("reclaimPolicy", "allowVolumeExpansion: false\nreclaimPolicy")
    assert fix_values(check_text(text).findings[0])["allow-volume-expansion"] is False


@app_test
async def test_open_a_file_read_the_practice_and_open_the_fix_wizard(tmp_path):
    app = EksGuideApp(progress_dir=tmp_path / "home")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        path_input = app.screen.query_one("#check-path", Input)
        path_input.value = str(FIXTURES / "efs-static-access-point-delete" / "bad.yaml")
        await pilot.press("enter")
        await pilot.pause()
        findings = app.screen.query_one("#check-findings", OptionList)
        assert findings.option_count == 1
        assert [f.rule.id for f in app.screen.findings] == ["efs-static-access-point-delete"]

        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen) and app.screen.spec.kind == "efs-pv"
        values = app.screen.form.values()
        assert values["access-point-id"] == "fsap-0123456789abcdef0" and values["reclaim-policy"] == "Retain"

        await pilot.press("f6")
        await pilot.pause()
        check_screen = app.screen
        assert isinstance(check_screen, CheckScreen)
        check_screen.query_one("#check-yaml", TextArea).text = (FIXTURES / "secret-in-env" / "bad.yaml").read_text()
        await pilot.pause()
        assert [f.rule.id for f in check_screen.findings] == ["secret-in-env", "secret-in-env"]
        check_screen.query_one("#check-findings", OptionList).focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
