"""Random keys, pastes and resizes through the whole app: nothing may stop it (issue 14).

Fixed seeds, so a failure replays exactly; small and odd terminal sizes are among the sizes.
Each seed is its own test (a few seconds each)."""
from __future__ import annotations

import random

import pytest
from test_app_fixtures import app_test, demo_app
from textual.widgets import Input

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

KEYS = (
    "f1", "f2", "f3", "f4", "f5", "tab", "shift+tab", "enter", "escape", "up", "down", "left", "right",
    "pageup", "pagedown", "home", "end", "space", "backspace", "ctrl+o", "ctrl+r", "ctrl+l", "ctrl+y",
    "ctrl+s", "ctrl+p", "ctrl+e", "a", "b", "n", "y", "t", "1", "9", "minus",
)
SIZES = ((10, 3), (37, 11), (40, 8), (80, 24), (121, 41), (200, 50))
PASTES = (
    "9" * 40 + "x", "[bold]markup[/] $var", "\x1b[2J\x1b]0;title\x07", "demo volumes", "a\0b",
    "~nosuchuser/x.yaml", "ü" * 30, "y", "08", " ", "-" * 50,
)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@app_test
async def test_random_actions_never_stop_the_app(tmp_path, monkeypatch, seed):
    monkeypatch.chdir(tmp_path)
    rng = random.Random(seed)
    app = demo_app(tmp_path / "home")
    done: list[str] = []
    async with app.run_test(size=rng.choice(SIZES)) as pilot:
        for _ in range(18):
            roll = rng.random()
            if roll < 0.08:
                size = rng.choice(SIZES)
                done.append(f"resize {size}")
                await pilot.resize_terminal(*size)
            elif roll < 0.16 and isinstance(app.focused, Input):
                text = rng.choice(PASTES)
                done.append(f"paste {text!r}")
                app.focused.insert_text_at_cursor(text)
                await pilot.pause()
            else:
                key = rng.choice(KEYS)
                done.append(key)
                await pilot.press(key)
            assert app.crash is None, f"seed {seed} after {done[-12:]}: {app.crash!r}"
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.crash is None, f"seed {seed}: {app.crash!r}"
