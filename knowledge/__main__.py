"""`python -m knowledge` checks every shipped content file: the practices and their FAQ files,
the glossary, the walkthrough and the neighbouring subjects, each cross-checked against the
practice ids. Problems are listed as file:line.

`python -m knowledge DIR` checks only the practice files in DIR."""
import argparse
import sys

from .faq import load_neighbours
from .glossary import load_glossary
from .loader import load_practices
from .loader import main as check_practices_in
from .problems import ContentError
from .tour import load_tour


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge",
        description="Check eksguide's content files: the practices and their FAQs, the glossary, the walkthrough "
                    "and the neighbouring subjects, each "
                    "cross-checked against the practice ids. Problems are listed as file:line on standard "
                    "error; the exit status is 1 when there are any.",
    )
    parser.add_argument("directory", nargs="?", metavar="DIR",
                        help="check only the practice files in DIR (for example knowledge/practices)")
    args = parser.parse_args()
    if args.directory is not None:
        return check_practices_in([args.directory])
    problems = []
    ids: list[str] = []
    faq_entries = 0
    try:
        practices = load_practices()
        ids = [p.id for p in practices]
        faq_entries = sum(len(p.faq) for p in practices)
    except ContentError as exc:
        problems.extend(exc.problems)
    known = ids or None  # without valid practices, check the other files on their own
    counts = {}
    loaders = (("glossary terms", load_glossary), ("walkthrough lessons", load_tour),
               ("neighbouring subjects", lambda known_practices: load_neighbours(None, known_practices)))
    for name, load in loaders:
        try:
            counts[name] = len(load(known_practices=known))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        for problem in sorted(problems):
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"{len(ids)} practices with {faq_entries} FAQ entries, {counts['glossary terms']} glossary terms, "
          f"{counts['walkthrough lessons']} walkthrough lessons, {counts['neighbouring subjects']} neighbouring "
          "subjects: all valid")
    return 0


sys.exit(main())
