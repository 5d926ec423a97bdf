"""Session-wide test settings: never touch the user's own cache, data or config directories."""
from __future__ import annotations

import os
import tempfile

import pytest

_STATE = tempfile.mkdtemp(prefix="eksguide-tests-")
os.environ["EKSGUIDE_CACHE_DIR"] = os.path.join(_STATE, "cache")
os.environ["EKSGUIDE_HOME"] = os.path.join(_STATE, "home")
os.environ["EKSGUIDE_CONFIG_DIR"] = os.path.join(_STATE, "config")


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path_factory, monkeypatch):
    """Every test starts from the default settings (a theme one test picks must not reach the next)."""
    monkeypatch.setenv("EKSGUIDE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
