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
    assert "eksguide = tui.cli:run" in text


# ---------------------------------------------------------------- correctness sweep (issue 10, point 19)


def _requirement_floor(requirements: list[str], name: str) -> tuple[int, ...]:
    (spec,) = [r for r in requirements if r.startswith(name)]
    return tuple(int(n) for n in spec.split(">=")[1].split("."))


def test_setuptools_floor_supports_the_license_expression():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    # A PEP 639 license string and license-files need setuptools 77; the packaging test builds with
    # --no-build-isolation, so the test extra must promise the same floor.
    assert _requirement_floor(project["build-system"]["requires"], "setuptools") >= (77,)
    assert _requirement_floor(project["project"]["optional-dependencies"]["test"], "setuptools") >= (77,)


def test_license_file_is_mit_and_shipped(wheel):
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "eksguide developers" in text
    assert any(n.endswith("LICENSE") for n in wheel.namelist())
    metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith("METADATA"))).decode()
    assert "License-Expression: MIT" in metadata


def test_python_m_knowledge_help_is_help_not_a_folder():
    result = subprocess.run([sys.executable, "-m", "knowledge", "--help"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("usage: python -m knowledge")
    assert "problem" not in result.stderr


def test_readme_stands_alone_and_documents_files_and_uninstalling():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    for needed in ("EKSGUIDE_CACHE_DIR", "EKSGUIDE_HOME", "progress.json", "engine-<digest>.pickle",
                   "pip uninstall eksguide", "pipx install", "virtual environment"):
        assert needed in readme, needed
