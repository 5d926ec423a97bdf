"""The knowledge base's data types. Plain frozen dataclasses: easy to test, cheap to share."""
from __future__ import annotations

from dataclasses import dataclass, field

# Areas in browse order, with the heading shown for each.
AREAS: dict[str, str] = {
    "storage": "Storage encryption",
    "keys": "KMS keys and envelope encryption",
    "secrets": "Kubernetes Secrets",
    "audit": "Auditing secret access",
    "stores": "External secret stores",
}

# Levels, most pressing first.
LEVELS: dict[str, str] = {
    "essential": "do this",
    "recommended": "worth doing",
    "caution": "a risk to know about",
}


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Update:
    """Where the old guide is outdated or wrong."""

    old: str
    now: str


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    area: str
    level: str
    summary: str
    body: str
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    snippets: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    updates: tuple[Update, ...] = ()
    path: str = field(default="", compare=False)

    @property
    def area_title(self) -> str:
        return AREAS.get(self.area, self.area)

    def to_dict(self) -> dict:
        """The structured entry, as `eksguide show --json` prints it."""
        return {
            "id": self.id,
            "title": self.title,
            "area": self.area,
            "level": self.level,
            "summary": self.summary,
            "tags": list(self.tags),
            "aliases": list(self.aliases),
            "related": list(self.related),
            "snippets": list(self.snippets),
            "sources": [{"title": s.title, "url": s.url} for s in self.sources],
            "updates": [{"old": u.old, "now": u.now} for u in self.updates],
            "body": self.body,
        }
