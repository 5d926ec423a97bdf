"""The built wheel carries everything the app needs at run time: content files and styles."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    (path,) = out.glob("eksguide-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contains_the_content_and_styles(wheel):
    names = set(wheel.namelist())
    practices = sorted(p.name for p in (ROOT / "knowledge" / "practices").glob("*.md"))
    assert practices and all(f"knowledge/practices/{name}" in names for name in practices)
    for data in ("knowledge/vocabulary.yaml", "knowledge/glossary.yaml", "knowledge/tour.yaml"):
        assert data in names
    styles = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tui").rglob("*.tcss")]
    assert styles and all(s in names for s in styles)
    kinds = [p.relative_to(ROOT).as_posix() for p in (ROOT / "snippets" / "kinds").glob("*.py")]
    assert all(k in names for k in kinds)
    assert not any(n.startswith("tests/") for n in names)


def test_wheel_declares_the_console_script(wheel):
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    text = wheel.read(entry_points).decode()
    assert "eksguide = tui.cli:main" in text
