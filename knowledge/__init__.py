"""eksguide's knowledge base: the practices as data, and the search over them.

Headless by design: nothing here imports Textual, so `eksguide ask` starts fast.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .model import AREAS, LEVELS, Practice, Source, Update
from .problems import ContentError, Problem

__all__ = [
    "AREAS", "LEVELS", "ContentError", "KnowledgeBase", "Practice", "Problem", "Source", "Update",
    "load_knowledge",
]


class KnowledgeBase:
    """The practices, by id and in browse order."""

    def __init__(self, practices: tuple[Practice, ...]):
        self.practices = practices
        self._by_id = {p.id: p for p in practices}

    def __len__(self) -> int:
        return len(self.practices)

    def __iter__(self):
        return iter(self.practices)

    def __contains__(self, practice_id: object) -> bool:
        return practice_id in self._by_id

    def get(self, practice_id: str) -> Practice | None:
        return self._by_id.get(practice_id)

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.practices]

    def by_area(self) -> dict[str, list[Practice]]:
        """Practices grouped by area, areas in browse order (empty areas left out)."""
        groups: dict[str, list[Practice]] = {area: [] for area in AREAS}
        for practice in self.practices:
            groups[practice.area].append(practice)
        return {area: items for area, items in groups.items() if items}


@lru_cache(maxsize=4)
def load_knowledge(directory: str | Path | None = None) -> KnowledgeBase:
    """Load (once) and validate the knowledge base; raises ContentError on any invalid file."""
    from .loader import load_practices  # imported here: it brings in PyYAML

    return KnowledgeBase(load_practices(directory))
