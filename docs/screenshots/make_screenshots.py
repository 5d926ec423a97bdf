"""Regenerate the README screenshots of the app (real content), as SVG and, if rsvg-convert is
installed, PNG:

    .venv/bin/python docs/screenshots/make_screenshots.py

Walkthrough progress goes to a temporary directory, so your own progress is untouched.
"""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tui.app import EksGuideApp  # noqa: E402
from tui.widgets.spec_form import SpecForm  # noqa: E402

SIZE = (120, 36)


def save(app: EksGuideApp, name: str) -> Path:
    path = HERE / f"{name}.svg"
    app.save_screenshot(path.name, path=str(HERE))
    converter = shutil.which("rsvg-convert")
    if converter:
        # rsvg needs xml:space="preserve" to keep the spaces Textual writes as &#160;.
        text = path.read_text(encoding="utf-8").replace("<svg ", '<svg xml:space="preserve" ', 1)
        with tempfile.NamedTemporaryFile("w", suffix=".svg", delete=False, encoding="utf-8") as tmp:
            tmp.write(text)
        subprocess.run([converter, "-b", "#1e1e1e", tmp.name, "-o", str(path.with_suffix(".png"))], check=True)
        Path(tmp.name).unlink()
    return path


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        app = EksGuideApp(progress_dir=home)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press(*"how do I encrypt EBS volumes with my own KMS key", "enter")
            await settle(pilot)
            print(save(app, "ask"))
            await pilot.press("tab")
            await settle(pilot)
            print(save(app, "ask-suggestions"))

            await app.open_wizard("ebs-storageclass")
            await settle(pilot)
            form = app.screen.query_one(SpecForm)
            await pilot.press(*"fast-encrypted")
            form.row("kms-key-id").control.focus()
            await pilot.pause()
            form.row("kms-key-id").control.insert_text_at_cursor(
                "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            )
            await settle(pilot)
            print(save(app, "wizard"))

            await pilot.press("f3")
            await settle(pilot)
            print(save(app, "browse"))

            await pilot.press("f5")
            await settle(pilot)
            print(save(app, "walkthrough"))


if __name__ == "__main__":
    asyncio.run(main())
