"""Load and validate the practices in `knowledge/practices/*.md`.

Each file is YAML front matter between `---` lines, then a Markdown body. Every problem in
every file is collected and reported together as `file:line: what is wrong`.

Run `python -m knowledge.loader [DIR]` to check the content without starting eksguide.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from .faq import faq_path, load_faq
from .model import AREAS, LEVELS, Practice, Source, Update
from .problems import ContentError, LocatedYaml, Problem, parse_yaml

PRACTICES_DIR = Path(__file__).with_name("practices")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK_RE = re.compile(r"\]\(practice:([^)\s]+)\)")

REQUIRED = ("id", "title", "area", "level", "summary", "tags", "sources")
OPTIONAL = ("aliases", "related", "snippets", "updates")


def load_practices(directory: Path | str | None = None) -> tuple[Practice, ...]:
    """All practices in `directory`, in browse order; raises ContentError listing every problem."""
    directory = Path(directory) if directory is not None else PRACTICES_DIR
    files = sorted(directory.glob("*.md"))
    problems: list[Problem] = []
    if not files:
        raise ContentError([Problem(str(directory), 0, "no practice files (*.md) found")])
    practices: list[Practice] = []
    lines_of: dict[str, LocatedYaml] = {}
    for path in files:
        practice, located, found = _load_file(path)
        problems.extend(found)
        if practice is not None and located is not None:
            practices.append(practice)
            lines_of[practice.id] = located
    problems.extend(_check_links(practices, lines_of))
    problems.extend(_check_faq_across(practices))
    if problems:
        raise ContentError(problems)
    area_order = list(AREAS)
    level_order = list(LEVELS)
    practices.sort(key=lambda p: (area_order.index(p.area), level_order.index(p.level), p.title.lower()))
    return tuple(practices)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts), or None when there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def _load_file(path: Path) -> tuple[Practice | None, LocatedYaml | None, list[Problem]]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, None, [Problem(name, 0, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = data.decode("utf-8-sig")  # an editor's byte order mark is harmless
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows or old Mac line ends
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, None, [Problem(name, line, f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read; save the file as UTF-8")]
    parts = split_front_matter(text)
    if parts is None:
        first = text.splitlines()[:1]
        if first and first[0].strip() == "---":
            return None, None, [Problem(name, 1, "the front matter that starts here has no closing '---' line")]
        return None, None, [Problem(name, 1, "the file must start with YAML front matter between two '---' lines")]
    front, body, body_line = parts
    located, problems = parse_yaml(front, name, first_line=2)
    if located is None:
        return None, None, problems
    meta = located.data
    if not isinstance(meta, dict):
        return None, None, [Problem(name, 2, "the front matter must be a mapping of keys to values")]

    def bad(message: str, *key_path: object) -> None:
        problems.append(Problem(name, located.line(*key_path), message))

    for key in REQUIRED:
        if key not in meta:
            bad(f"missing required key '{key}'")
    for key in meta:
        if key not in REQUIRED and key not in OPTIONAL:
            bad(f"unknown key '{key}' (known keys: {', '.join(REQUIRED + OPTIONAL)})", key)

    def text_field(key: str) -> str:
        value = meta.get(key)
        if key in meta and (not isinstance(value, str) or not value.strip()):
            bad(f"'{key}' must be non-empty text", key)
            return ""
        return value.strip() if isinstance(value, str) else ""

    def list_field(key: str) -> tuple[str, ...]:
        value = meta.get(key, [])
        if not isinstance(value, list):
            bad(f"'{key}' must be a list, for example: {key}: [one, two]", key)
            return ()
        out: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                bad(f"'{key}' item {index + 1} must be non-empty text", key, index)
            elif item.strip() in out:
                bad(f"'{key}' lists {item.strip()!r} twice", key, index)
            else:
                out.append(item.strip())
        return tuple(out)

    pid = text_field("id")
    if pid and not ID_RE.match(pid):
        bad(f"'id' must be lower-case words joined by '-', for example 'ebs-encryption' (got {pid!r})", "id")
    elif pid and pid != path.stem:
        bad(f"'id' is {pid!r} but the file is named {path.name!r}; they must match", "id")
    title = text_field("title")
    summary = text_field("summary")
    if summary and not summary.endswith((".", "!", "?")):
        bad("'summary' must be one full sentence ending with a full stop", "summary")
    area = text_field("area")
    if area and area not in AREAS:
        bad(f"'area' must be one of {', '.join(AREAS)} (got {area!r})", "area")
    level = text_field("level")
    if level and level not in LEVELS:
        bad(f"'level' must be one of {', '.join(LEVELS)} (got {level!r})", "level")
    tags = list_field("tags")
    if "tags" in meta and not tags:
        bad("'tags' must list at least one keyword", "tags")
    aliases = list_field("aliases")
    related = list_field("related")
    snippets = list_field("snippets")
    for key, values in (("related", related), ("snippets", snippets)):
        for index, value in enumerate(values):
            if not ID_RE.match(value):
                bad(f"'{key}' item {value!r} is not an id like 'ebs-storageclass'", key, index)
    if pid and pid in related:
        bad("'related' must not list the practice itself", "related")

    sources = tuple(_records(meta, "sources", ("title", "url"), bad, Source))
    if "sources" in meta and not sources:
        bad("'sources' must list at least one primary source as {title: ..., url: https://...}", "sources")
    for index, source in enumerate(sources):
        if not source.url.startswith("https://"):
            bad(f"source {index + 1} url must start with https:// (got {source.url!r})", "sources", index, "url")
    updates = tuple(_records(meta, "updates", ("old", "now"), bad, Update))

    if not body.strip():
        problems.append(Problem(name, body_line, "the body below the front matter is empty"))
    faq, faq_problems = load_faq(faq_path(path), pid or path.stem)
    problems.extend(faq_problems)
    if problems:
        return None, None, problems
    practice = Practice(
        id=pid, title=title, area=area, level=level, summary=summary, body=body.strip() + "\n",
        tags=tags, aliases=aliases, related=related, snippets=snippets, sources=sources,
        updates=updates, faq=faq, path=name,
    )
    located.body_line = body_line  # type: ignore[attr-defined]
    located.body_raw = body  # type: ignore[attr-defined]
    return practice, located, []


def _records(meta: dict, key: str, fields: tuple[str, ...], bad, factory) -> Iterable:
    value = meta.get(key, [])
    if not isinstance(value, list):
        bad(f"'{key}' must be a list of {{{', '.join(fields)}}} mappings", key)
        return
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            bad(f"'{key}' item {index + 1} must be a mapping with keys {', '.join(fields)}", key, index)
            continue
        missing = [f for f in fields if not isinstance(item.get(f), str) or not item[f].strip()]
        extra = [f for f in item if f not in fields]
        if missing:
            bad(f"'{key}' item {index + 1} needs non-empty text for: {', '.join(missing)}", key, index)
        elif extra:
            bad(f"'{key}' item {index + 1} has unknown keys: {', '.join(map(str, extra))}", key, index, extra[0])
        else:
            yield factory(**{f: item[f].strip() for f in fields})


def _check_links(practices: list[Practice], lines_of: dict[str, LocatedYaml]) -> list[Problem]:
    """`related` ids and `practice:` links must name practices that exist."""
    known = {p.id for p in practices}
    problems: list[Problem] = []
    for practice in practices:
        located = lines_of[practice.id]
        for index, other in enumerate(practice.related):
            if other not in known:
                problems.append(Problem(practice.path, located.line("related", index), f"'related' names an unknown practice {other!r}"))
        body_line = getattr(located, "body_line", 1)
        for offset, line in enumerate(getattr(located, "body_raw", "").splitlines()):
            for target in LINK_RE.findall(line):
                if target not in known:
                    problems.append(Problem(practice.path, body_line + offset, f"link to an unknown practice 'practice:{target}'"))
    return problems


def _check_faq_across(practices: list[Practice]) -> list[Problem]:
    """One question, one practice: the same FAQ question in two files is ambiguous evidence."""
    from .glossary import normalize

    owner: dict[str, str] = {}
    problems: list[Problem] = []
    for practice in practices:
        for entry in practice.faq:
            key = normalize(entry.q)
            if key in owner and owner[key] != practice.id:
                problems.append(Problem(str(faq_path(Path(practice.path))), 0,
                                        f"FAQ entry {entry.id!r} asks the same question as one of {owner[key]!r}"))
            owner.setdefault(key, practice.id)
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        practices = load_practices(args[0] if args else None)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"{len(practices)} practices, all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
