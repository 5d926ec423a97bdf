"""The knowledge base's data types. Plain frozen records (`record.py`): easy to test, cheap to share."""
from __future__ import annotations

from .record import field, record

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


@record
class Source:
    title: str
    url: str


@record
class Update:
    """Where the old guide is outdated or wrong."""

    old: str
    now: str


# How a FAQ question is asked. Every practice has questions in each style, so that the
# engine's cross-validation can hold one style out at a time.
FAQ_STYLES: dict[str, str] = {
    "new-engineer": "plain words, a little unsure",
    "terse": "keywords, as typed into a search box",
    "typo": "fast typing with misspellings",
    "non-native": "English as a second language",
    "auditor": "compliance and control wording",
    "incident": "something went wrong, worried",
    "pasted": "a long situation, YAML or an error pasted in",
    "versus": "comparing two options",
    "make": "asks to generate something",
}


@record
class FaqEntry:
    """A question people ask about a practice, with a short answer in our words."""

    id: str
    style: str
    q: str
    a: str
    source: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "style": self.style, "q": self.q, "a": self.a, "source": self.source}


@record
class Neighbour:
    """A subject next to the guide's that it does not cover, with questions people ask about it.

    The engine weighs these questions against the practices' own, so that "how do I resize an
    encrypted EBS volume" is recognised as a question about resizing, not about encryption."""

    id: str
    about: str  # reads after "That is about ...", e.g. "resizing volumes"
    questions: tuple[str, ...]
    closest: tuple[str, ...] = ()  # practices worth suggesting all the same


@record
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
    faq: tuple[FaqEntry, ...] = field(default=(), compare=False)
    path: str = field(default="", compare=False)

    @property
    def area_title(self) -> str:
        return AREAS.get(self.area, self.area)

    def section(self, heading: str) -> str:
        """The Markdown under `## heading` in the body (up to the next `## `), or ""."""
        lines = self.body.splitlines()
        out: list[str] = []
        inside = in_code = False
        for line in lines:
            if line.lstrip().startswith("```"):
                in_code = not in_code
            if not in_code and line.startswith("## "):
                if inside:
                    break
                inside = line[3:].strip().lower() == heading.lower()
                continue
            if inside:
                out.append(line)
        return "\n".join(out).strip()

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
            "faq": [entry.to_dict() for entry in self.faq],
        }
