"""`python -m knowledge` checks every shipped content file: the practices, the glossary and the
walkthrough, each cross-checked against the practice ids. Problems are listed as file:line.

`python -m knowledge DIR` checks only the practice files in DIR."""
import sys

from .glossary import load_glossary
from .loader import load_practices
from .loader import main as check_practices_in
from .problems import ContentError
from .tour import load_tour


def main() -> int:
    if sys.argv[1:]:
        return check_practices_in(sys.argv[1:])
    problems = []
    ids: list[str] = []
    try:
        ids = [p.id for p in load_practices()]
    except ContentError as exc:
        problems.extend(exc.problems)
    known = ids or None  # without valid practices, check the other files on their own
    counts = {}
    for name, load in (("glossary terms", load_glossary), ("walkthrough lessons", load_tour)):
        try:
            counts[name] = len(load(known_practices=known))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        for problem in sorted(problems):
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"{len(ids)} practices, {counts['glossary terms']} glossary terms, "
          f"{counts['walkthrough lessons']} walkthrough lessons: all valid")
    return 0


sys.exit(main())
