"""Session-wide test settings: never touch the user's own cache or data directories."""
from __future__ import annotations

import os
import tempfile

_STATE = tempfile.mkdtemp(prefix="eksguide-tests-")
os.environ["EKSGUIDE_CACHE_DIR"] = os.path.join(_STATE, "cache")
os.environ["EKSGUIDE_HOME"] = os.path.join(_STATE, "home")
