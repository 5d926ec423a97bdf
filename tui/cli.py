"""The `eksguide` command line.

With no command it opens the app. The other commands work without Textual (it is imported
only to open the app), so they start fast and suit scripts: what users pipe (YAML, queries,
JSON) goes to stdout, messages go to stderr, and bad input exits with status 2.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

EXAMPLE_QUESTION = "how do I encrypt EBS volumes"


class UsageError(Exception):
    """Bad input from the user: printed as one message, exit status 2."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eksguide")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"


class _VersionAction(argparse.Action):
    """Like argparse's version action, but reads the installed version only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(f"eksguide {_version()}\n")
        parser.exit()


def _style(stream=None):
    from .render import Style

    stream = stream if stream is not None else sys.stdout  # the stdout of the moment, not of import time
    return Style(stream.isatty() and not os.environ.get("NO_COLOR"))


_C1_RE = re.compile("[\x7f-\x9f]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _emit_json(data: object) -> None:
    # json escapes C0 controls itself; DEL and the C1 controls (\x9b is a terminal's CSI) too
    text = _C1_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False))
    sys.stdout.write(text + "\n")


def _printable(text: str) -> str:
    """User text made safe to echo to a terminal: control characters (ESC, CSI, BEL, ...) are
    shown as escapes instead of being sent, so input cannot clear the screen or set a title."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _knowledge():
    """The knowledge base; a broken content file is a clear message, not a traceback."""
    from knowledge import ContentError, load_knowledge

    try:
        return load_knowledge()
    except ContentError as exc:
        raise ContentProblem(exc) from None


class ContentProblem(Exception):
    def __init__(self, error):
        self.error = error


# --------------------------------------------------------------------------- list / show


def cmd_list(args: argparse.Namespace) -> int:
    kb = _knowledge()
    practices = [p for p in kb.practices if args.area is None or p.area == args.area]
    if args.json:
        _emit_json([{"id": p.id, "title": p.title, "area": p.area, "level": p.level, "summary": p.summary} for p in practices])
        return EXIT_OK
    style = _style()
    from knowledge import AREAS

    groups: dict[str, list] = {}
    for practice in practices:
        groups.setdefault(practice.area, []).append(practice)
    id_width = max((len(p.id) for p in practices), default=10)
    blocks = []
    for area, items in groups.items():
        lines = [style.heading(AREAS[area])]
        for p in items:
            lines.append(f"  {p.id:<{id_width}}  {p.level:<11}  {p.title}")
        blocks.append("\n".join(lines))
    sys.stdout.write("\n\n".join(blocks) + "\n")
    sys.stderr.write(_style(sys.stderr).dim("\nRead one with: eksguide show ID") + "\n")
    return EXIT_OK


def _did_you_mean(word: str, candidates: Sequence[str], limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    found = process.extract(word, list(candidates), scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=limit, score_cutoff=60)
    return [match for match, _score, _index in found]


def cmd_show(args: argparse.Namespace) -> int:
    kb = _knowledge()
    practice = kb.get(args.id) or kb.get(args.id.strip().lower())  # ids are lower case
    if practice is None:
        suggestions = _did_you_mean(args.id, kb.ids)
        if not suggestions:  # perhaps words rather than an id: let the engine find it
            suggestions = [a.practice.id for a in _engine().ask(args.id.replace("-", " "), limit=3).answers]
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        raise UsageError(f"show: no practice with the id {args.id!r}{hint} (eksguide list shows them all)")
    if args.json:
        _emit_json(practice.to_dict())
        return EXIT_OK
    from .render import practice_text

    sys.stdout.write(practice_text(practice, _style()))
    return EXIT_OK


# --------------------------------------------------------------------------- ask


def _answer_text(reply, kb, limit: int) -> str:
    """The reply, answer first: the FAQ answer (or the summary and the How steps), what to run
    to make it, where the whole practice is, then other matches."""
    from .render import bullet_list, markdown_text

    style = _style()
    out: list[str] = []
    term = _defined_term(reply.did_you_mean or reply.question)
    if term is not None:
        import textwrap

        from .render import width

        out.append(textwrap.fill(f"{style.bold(term.term)}: {term.definition}", width()))
        out.append("")
    if not reply.answers:
        out.extend(_no_answer_lines(reply, kb))
        return "\n".join(out) + "\n"
    top = reply.answers[0]
    practice = top.practice
    out.append(style.bold(practice.title))
    out.append(style.dim(f"{practice.id} · {practice.area_title} · {practice.level}"))
    out.append("")
    if top.faq is not None:
        asked = " ".join(top.faq.q.split())
        asked = asked if len(asked) <= 160 else asked[:157] + "..."
        out.append(style.dim(markdown_text(f"From the FAQ: {_printable(asked)}", style).rstrip()))
        out.append(markdown_text(top.faq.a, style).rstrip())
        if top.faq.source:
            out.append(style.dim(f"Source: {top.faq.source}"))
    else:
        out.append(markdown_text(practice.summary, style).rstrip())
        how = practice.section("How")
        if how:
            out.append("")
            out.append(style.heading("How"))
            out.append(markdown_text(how, style).rstrip())
    if top.snippets or (reply.wants_snippet and practice.snippets):
        out.append("")
        out.append(style.heading("Make it now"))
        out.append(bullet_list(f"eksguide snippet {kind} --help" for kind in (top.snippets or practice.snippets)))
    out.append("")
    out.append(style.dim(f"The whole practice (what, why, pitfalls, sources): eksguide show {practice.id}"))
    others = reply.answers[1:limit]
    if others:
        out.append("")
        out.append(style.heading("Other matches"))
        out.append(bullet_list(f"{a.practice.title} (eksguide show {a.practice.id})" for a in others))
    return "\n".join(out) + "\n"


def _no_answer_lines(reply, kb) -> list[str]:
    """The honest reply: what was recognised, what eksguide covers, what to try."""
    from knowledge import AREAS

    out: list[str] = []
    neighbour = reply.neighbour
    if neighbour is not None:
        out.append(f"That is about {neighbour.about}; eksguide covers data encryption and secrets "
                   "management on Amazon EKS, not that.")
        closest = [kb.get(pid) for pid in neighbour.closest if kb.get(pid) is not None]
        if closest:
            out.append("Closest in this guide: " + "; ".join(f"{p.title} (eksguide show {p.id})" for p in closest))
        out.append("")
        return out
    out.append("eksguide has no confident answer to that question.")
    if reply.unknown_words:
        out.append(f"It does not cover: {', '.join(reply.unknown_words)}.")
    out.append("")
    out.append("It can help with data encryption and secrets management on Amazon EKS:")
    for area, practices in kb.by_area().items():
        out.append(f"- {AREAS[area]}: " + ", ".join(p.id for p in practices[:4]) + (", ..." if len(practices) > 4 else ""))
    out.append("")
    out.append(f"Try: eksguide ask \"{EXAMPLE_QUESTION}\", or eksguide list.")
    return out


def _engine():
    from knowledge import ContentError
    from knowledge.search import default_engine

    try:
        return default_engine()
    except ContentError as exc:
        raise ContentProblem(exc) from None


_DEFINITION_RE = re.compile(
    r"^\s*(?:what(?:'s| is| are| does)|define|definition of|meaning of|explain)\s+(?:an?\s+|the\s+)?(?P<term>.+?)"
    r"(?:\s+(?:mean|stand for))?\s*\??\s*$", re.I)


def _defined_term(question: str):
    """The glossary term a "what is X?" question asks about, if the glossary has it."""
    match = _DEFINITION_RE.match(question)
    if not match:
        return None
    from knowledge import ContentError
    from knowledge.glossary import load_glossary, lookup

    try:
        return lookup(load_glossary(), match.group("term"))
    except ContentError:
        return None


def cmd_ask(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError(f"ask: --limit must be a positive whole number, for example --limit 3 (got {args.limit})")
    from knowledge import KnowledgeBase

    engine = _engine()
    kb = KnowledgeBase(engine.practices)
    if args.batch:
        if args.question:
            raise UsageError("ask: give questions on standard input with --batch, not as arguments")
        for question in _batch_questions():
            reply = engine.ask(question, limit=args.limit) if question else None
            if args.json:
                _emit_json(_reply_dict(reply) if reply else {"question": "", "answers": []})
            else:  # one line per question: question, best practice id (or -), its title
                top = reply.answers[0].practice if reply and reply.answers else None
                fields = (question, top.id, top.title) if top else (question, "-", "no confident answer")
                printable = ("".join(ch if ch.isprintable() else " " for ch in f) for f in fields)  # no escapes
                sys.stdout.write("\t".join(" ".join(f.split()) for f in printable) + "\n")
            sys.stdout.flush()
        return EXIT_OK
    question = " ".join(args.question).strip()
    if not question:
        raise UsageError(f"ask: QUESTION is empty; ask something, for example: eksguide ask \"{EXAMPLE_QUESTION}\"")
    reply = engine.ask(question, limit=args.limit)
    if args.json:
        _emit_json(_reply_dict(reply))
    else:
        if _useful_correction(reply):
            sys.stderr.write(_style(sys.stderr).warn(f"Did you mean: {_printable(reply.did_you_mean)}") + "\n")
        sys.stdout.write(_answer_text(reply, kb, args.limit))
    return EXIT_OK


def _useful_correction(reply) -> bool:
    """A spelling correction is offered only when it finds an answer ("sops" is not a typo of "ops")."""
    return bool(reply.did_you_mean and reply.answers)


def _reply_dict(reply) -> dict:
    data = reply.to_dict()
    if not _useful_correction(reply):
        data.pop("did_you_mean", None)
    return data


def _batch_questions():
    """Each line of standard input, decoded as UTF-8 with undecodable bytes replaced (they then
    separate words, so the rest of the line is still answered), whatever the stream was opened with."""
    lines = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
    for line in lines:
        text = line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line
        yield " ".join(text.replace("\ufffd", " ").split())


# --------------------------------------------------------------------------- glossary


def cmd_glossary(args: argparse.Namespace) -> int:
    from knowledge import ContentError
    from knowledge.glossary import load_glossary, lookup

    try:
        terms = load_glossary()
    except ContentError as exc:
        raise ContentProblem(exc) from None
    if args.term:
        text = " ".join(args.term)
        term = lookup(terms, text)
        if term is None:
            names = {t.term: t.term for t in terms}  # a term or an alias -> the term
            for t in terms:
                for alias in t.aliases:
                    names.setdefault(alias, t.term)
            suggestions = _glossary_suggestions(text, names)
            hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
            raise UsageError(f"glossary: no term {text!r}{hint} (eksguide glossary lists them all)")
        selected = [term]
    else:
        selected = list(terms)
    if args.json:
        _emit_json([t.to_dict() for t in selected])
        return EXIT_OK
    style = _style()
    import textwrap

    from .render import width

    blocks = []
    for t in selected:
        head = style.bold(t.term) + (style.dim(f" ({', '.join(t.aliases)})") if t.aliases else "")
        body = textwrap.fill(t.definition, width(), initial_indent="  ", subsequent_indent="  ")
        see = style.dim("  see: " + ", ".join(t.practices)) if t.practices else ""
        blocks.append("\n".join(x for x in (head, body, see) if x))
    sys.stdout.write("\n\n".join(blocks) + "\n")
    return EXIT_OK


def _glossary_suggestions(text: str, names: dict[str, str]) -> list[str]:
    """Terms that name the word (EBS -> "EBS volume"), else close spellings only: WRatio's partial
    matching would offer unrelated terms that merely share a few letters."""
    from rapidfuzz import fuzz, process, utils

    word = " ".join(text.lower().split())
    containing = [term for name, term in names.items() if word and f" {word} " in f" {name.lower()} "]
    close = [names[m] for m, _s, _i in process.extract(word, list(names), scorer=fuzz.ratio,
                                                       processor=utils.default_process, limit=6, score_cutoff=66)]
    return list(dict.fromkeys(containing + close))[:3]


# --------------------------------------------------------------------------- snippet


def _field_help(field) -> str:
    text = field.help.rstrip()
    parts = [text if text.endswith((".", ".)", "?", "!")) else text + "."]
    if field.type == "choice":
        parts.append(f"One of: {', '.join(field.choices)}.")
    if field.type == "int" and (field.minimum is not None or field.maximum is not None):
        parts.append(f"From {field.minimum} to {field.maximum}.")
    if field.type == "list":
        parts.append(f"Repeat the flag or separate values with {field.separator!r}.")
    default = field.describe_default()
    if field.required:
        parts.append("Required.")
    elif default:
        parts.append(f"Default: {default}.")
    if field.example and field.type != "choice":
        parts.append(f"Example: {field.example}.")
    if field.when is not None:
        parts.append("Applies only with some of the other answers.")
    return " ".join(parts).replace("%", "%%")


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wraps field help at spaces only: argparse's default also breaks at hyphens, which split
    the example ARNs and IDs that users copy from the help (arn:aws:kms:us-east-<newline>1:...)."""

    def _split_lines(self, text, width):
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False, break_long_words=False)


def _kind_parser(spec) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"eksguide snippet {spec.kind}",
        description=f"{spec.title}: {spec.description}",
        epilog=(
            f"Implements: {', '.join(spec.practices)}. The snippet goes to standard output; "
            "warnings and errors go to standard error (exit 2 on bad input, nothing written)."
        ),
        formatter_class=_HelpFormatter,
    )
    fields = parser.add_argument_group("fields")
    for field in spec.fields:
        dest = "field_" + field.id.replace("-", "_")
        if field.type == "bool":
            fields.add_argument(field.flag, dest=dest, action=argparse.BooleanOptionalAction, default=None,
                                help=_field_help(field))
        elif field.type == "list":
            fields.add_argument(field.flag, dest=dest, action="append", default=None,
                                metavar=field.id.upper().replace("-", "_"), help=_field_help(field))
        else:
            fields.add_argument(field.flag, dest=dest, default=None,
                                metavar=field.id.upper().replace("-", "_"), help=_field_help(field))
    out = parser.add_argument_group("output")
    out.add_argument("-o", "--output", metavar="FILE", help="write the snippet to FILE (atomically) instead of standard output; - means standard output")
    out.add_argument("--force", action="store_true", help="with --output: replace FILE if it exists")
    out.add_argument("--json", action="store_true", help="print {kind, filename, language, practices, warnings, text} as JSON")
    return parser


def _snippet_list(as_json: bool) -> int:
    import snippets

    specs = snippets.available()
    if as_json:
        _emit_json([{"kind": s.kind, "title": s.title, "description": s.description, "language": s.language,
                     "practices": list(s.practices)} for s in specs])
        return EXIT_OK
    style = _style()
    w = max((len(s.kind) for s in specs), default=10)
    for spec in specs:
        sys.stdout.write(f"  {style.bold(spec.kind.ljust(w))}  {spec.description}\n")
    sys.stdout.write(style.dim("\nFields of a kind: eksguide snippet KIND --help") + "\n")
    return EXIT_OK


SNIPPET_USAGE = """usage: eksguide snippet --list [--json]
       eksguide snippet KIND --help
       eksguide snippet KIND [--FIELD VALUE ...] [--output FILE [--force]] [--json]

Generate a manifest, query or command set that follows the practices.
"""


def cmd_snippet(argv: list[str]) -> int:
    import snippets
    from snippets import SnippetError, UnknownKind

    if not argv:
        sys.stderr.write(SNIPPET_USAGE + "\neksguide snippet: name a kind (eksguide snippet --list shows them)\n")
        return EXIT_USAGE
    if argv[0] in ("-h", "--help"):
        sys.stdout.write(SNIPPET_USAGE + "\nKinds:\n")
        return _snippet_list(False)
    if argv[0] in ("-l", "--list") or argv[0] == "--json" and argv[1:2] in (["-l"], ["--list"]):
        extra = [a for a in argv if a not in ("-l", "--list", "--json")]
        if extra:
            raise UsageError(f"snippet --list takes only --json (got {' '.join(extra)})")
        return _snippet_list("--json" in argv)
    kind = argv[0]
    try:
        spec = snippets.get(kind)
    except UnknownKind:
        suggestions = _did_you_mean(kind, snippets.kind_names())
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        raise UsageError(f"snippet: no kind {kind!r}{hint} (eksguide snippet --list shows them all)") from None
    parser = _kind_parser(spec)
    for index, word in enumerate(argv[1:]):
        # argparse takes "--" to end the options and drops it, so "--name=--" or "--name --" would
        # silently use the default name: no field value is ever "--"
        if word == "--" or word.startswith("--") and word.endswith("=--"):
            flag = word.split("=", 1)[0] if word != "--" else (argv[index] if index else "--")
            raise UsageError(f"snippet {kind}: '--' is not a value for {flag}; give a real one, "
                             f"for example {flag} my-app" if flag != "--" else f"snippet {kind}: unexpected '--'")
    args = parser.parse_args(argv[1:])
    if args.output is not None and not args.output.strip():
        raise UsageError(f"snippet: --output needs a file name, for example --output {spec.kind}.yaml")
    if args.force and (not args.output or args.output == "-"):
        raise UsageError("snippet: --force only makes sense with --output FILE")
    raw = {}
    for field in spec.fields:
        value = getattr(args, "field_" + field.id.replace("-", "_"))
        if value is not None:
            raw[field.id] = value
    try:
        snippet = snippets.build(spec, raw)
    except SnippetError as exc:
        for error in exc.errors:
            sys.stderr.write(f"eksguide snippet {kind}: {error}\n")
        sys.stderr.write(f"(eksguide snippet {kind} --help lists every field)\n")
        return EXIT_USAGE
    answers, _ = snippets.check(spec, raw)
    for field in spec.fields:
        if field.id in raw and not field.applies(answers):
            sys.stderr.write(f"warning: {field.flag} does not apply with the other answers; it was left out\n")
    for warning in snippet.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    payload = snippet.text
    if args.json:
        payload = json.dumps({
            "kind": snippet.kind, "filename": snippet.filename, "language": snippet.language,
            "practices": list(snippet.practices), "warnings": list(snippet.warnings), "text": snippet.text,
        }, ensure_ascii=False) + "\n"
    if args.output == "-":  # the usual spelling of standard output
        args.output = None
    if args.output:
        from .files import FileExists, write_atomic

        try:
            path = write_atomic(args.output, payload, overwrite=args.force)
        except FileExists:
            raise UsageError(f"snippet: {args.output} already exists; add --force to replace it") from None
        except OSError as exc:
            raise UsageError(f"snippet: cannot write {args.output}: {exc.strerror or exc}") from None
        sys.stderr.write(f"wrote {path}\n")
    else:
        sys.stdout.write(payload)
    return EXIT_OK


# --------------------------------------------------------------------------- tour


def cmd_tour(args: argparse.Namespace) -> int:
    from knowledge import ContentError
    from knowledge.tour import load_tour

    from .progress import ProgressStore, done_count, format_status, status_dict

    if not (args.status or args.reset):
        return _open_app("tour")
    try:
        lessons = load_tour()
    except ContentError as exc:
        raise ContentProblem(exc) from None
    store = ProgressStore()
    if store.problem:
        raise UsageError(f"tour: {store.problem}")
    progress, warning = store.load()
    if warning:
        sys.stderr.write(f"warning: {warning}\n")
    if args.reset:
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError("tour --reset: add --yes to confirm when not at a terminal")
            try:
                answer = input(f"Forget walkthrough progress ({done_count(progress, lessons)} lesson(s) done)? [y/N] ")
            except EOFError:  # Ctrl+D: the same as no
                answer = ""
                sys.stderr.write("\n")
            if answer.strip().lower() not in ("y", "yes"):
                sys.stderr.write("kept your progress\n")
                return EXIT_OK
        try:
            store.reset()
        except OSError as exc:
            sys.stderr.write(f"eksguide: tour --reset: cannot forget progress in {store.path}: {exc.strerror or exc}\n")
            return EXIT_ERROR
        sys.stderr.write("walkthrough progress reset\n")
        progress, _ = store.load()
    if args.status:
        if args.json:
            _emit_json(status_dict(progress, lessons))
        else:
            sys.stdout.write(format_status(progress, lessons, ascii_only=not _stdout_unicode()))
    return EXIT_OK


def _stdout_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower()
    return "utf" in encoding


# --------------------------------------------------------------------------- app


def _open_app(start: str | None = None) -> int:
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise UsageError("the app needs a terminal; for scripts use ask, show, list, snippet or tour --status")
    from knowledge import ContentError

    from .app import EksGuideApp, write_crash_report

    try:
        app = EksGuideApp(start=start)
    except ContentError as exc:
        raise ContentProblem(exc) from None
    try:
        app.run()
        error = app.crash
    except Exception as exc:  # noqa: BLE001 - reported in one line, the traceback in a file
        error = exc
    if error is None:
        return app.return_code or EXIT_OK
    try:
        where = f"the traceback is in {write_crash_report(error)}"
    except OSError:
        where = "the traceback could not be written to a file"
    summary = " ".join(f"{type(error).__name__}: {error}".split())[:200]
    sys.stderr.write(f"eksguide: the app stopped on an unexpected error ({summary}); {where}\n")
    return EXIT_ERROR


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eksguide",
        description="A terminal guide to data encryption and secrets management on Amazon EKS. "
                    "Run it with no command to open the app.",
        epilog="Every command takes --help. Bad input exits with status 2.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    from knowledge.model import AREAS

    p = sub.add_parser("list", help="list every practice", description="List every practice: id, level and title, by area.")
    p.add_argument("--area", choices=list(AREAS), help="only the practices of one area")
    p.add_argument("--json", action="store_true", help="print a JSON array of {id, title, area, level, summary}")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="read one practice", description="Read one practice: summary, body, sources and what changed since the old guide.")
    p.add_argument("id", metavar="ID", help="the practice id, for example ebs-encryption (eksguide list shows them)")
    p.add_argument("--json", action="store_true", help="print the structured entry as JSON")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("ask", help="ask a question in plain words",
                       description="Ask a question in plain words, abbreviations or with typos. Prints the best "
                                   "answer, then other matches; says so honestly when nothing answers it.")
    p.add_argument("question", nargs="*", metavar="QUESTION", help=f"the question, for example: {EXAMPLE_QUESTION}")
    p.add_argument("--limit", type=int, default=5, metavar="N", help="at most N answers (default 5)")
    p.add_argument("--json", action="store_true",
                   help='print {"question": ..., "answers": [{"id", "title", "score", "snippets"}, ...]}; '
                        'answers is empty when nothing answers the question')
    p.add_argument("--batch", action="store_true", help="read one question per line from standard input; one reply per line (with --json a JSON "
                        "object, else question, best practice id and title separated by tabs)")
    p.set_defaults(func=cmd_ask)

    sub.add_parser("snippet", help="generate manifests, queries and commands (eksguide snippet --help)", add_help=False)
    sub.add_parser("check", help="audit manifests offline against the practices (eksguide check --help)", add_help=False)

    p = sub.add_parser("glossary", help="look up a term (KMS key, DEK, IRSA, ...)",
                       description="Look up a term, or list them all.")
    p.add_argument("term", nargs="*", metavar="TERM", help="the term or abbreviation, for example IRSA")
    p.add_argument("--json", action="store_true", help="print the terms as JSON")
    p.set_defaults(func=cmd_glossary)

    p = sub.add_parser("tour", help="the onboarding walkthrough (opens the app; --status prints progress)",
                       description="Take the onboarding walkthrough in the app, or see or reset your progress.")
    p.add_argument("--status", action="store_true", help="print lessons done and what is next, without the app")
    p.add_argument("--json", action="store_true", help="with --status: print the status as JSON")
    p.add_argument("--reset", action="store_true", help="forget all progress (asks first)")
    p.add_argument("--yes", action="store_true", help="with --reset: do not ask")
    p.set_defaults(func=cmd_tour)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Undecodable bytes (in arguments or piped questions) or a terminal that cannot show a
    # character must not end in a traceback: replace what cannot be read or written.
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        if argv == ["--version"]:  # answered without building the parser, which imports knowledge
            sys.stdout.write(f"eksguide {_version()}\n")
            return EXIT_OK
        if argv and argv[0] == "snippet":
            return cmd_snippet(argv[1:])
        if argv and argv[0] == "check":
            from .cli_check import main as check_main

            return check_main(argv[1:])
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            return _open_app()
        if getattr(args, "json", False) and args.command == "tour" and not args.status:
            raise UsageError("tour: --json goes with --status")
        if args.command == "tour" and args.yes and not args.reset:
            raise UsageError("tour: --yes goes with --reset")
        return args.func(args)
    except UsageError as exc:
        sys.stderr.write(f"eksguide: {exc}\n")
        return EXIT_USAGE
    except ContentProblem as exc:
        sys.stderr.write("eksguide: the knowledge base has problems:\n")
        for problem in exc.error.problems:
            sys.stderr.write(f"  {problem}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (eksguide list | head): not an error worth a traceback
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK


def run() -> None:
    """The console script: `main()`, then out of the process without tearing the interpreter
    down object by object (a loaded search index is hundreds of thousands of objects; freeing
    them one by one took longer than answering). Output is flushed first; nothing of eksguide's
    runs at exit. The app is left to exit normally, as Textual restores the terminal then."""
    code = main()
    if "textual" in sys.modules:  # the app ran
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (eksguide list | head): not an error
            pass
        except (OSError, ValueError):  # a full disk, a closed stream: the output is not whole
            code = code or EXIT_ERROR
    os._exit(code)


if __name__ == "__main__":
    run()
