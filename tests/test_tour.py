"""The walkthrough loader: the shipped tour, broken files reported by line, and the data types."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from knowledge.problems import ContentError
from knowledge.tour import TOUR_PATH, Check, Lesson, TryStep, load_tour, shuffled, word_count

PRACTICES_DIR = Path(__file__).parent.parent / "knowledge" / "practices"

SNIPPET_KINDS = frozenset(
    "ebs-storageclass efs-storageclass efs-pv fsx-storageclass secret-reads-query secret-readers-query "
    "secret-read-alarm secret-provider-class pod-secret-volume external-secret sealed-secret "
    "envelope-encryption kms-key-rotation namespace-isolation".split()
)

INTRO = " ".join(["word"] * 70)


def practice_ids_on_disk() -> set[str]:
    return {path.stem for path in PRACTICES_DIR.glob("*.md")}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tour.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(path: Path, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ContentError) as info:
        load_tour(path, **kwargs)
    assert all(p.path == str(path) for p in info.value.problems)
    return [(p.line, p.message) for p in info.value.problems]


def assert_problem(found: list[tuple[int, str]], line: int, fragment: str) -> None:
    assert any(l == line and fragment in m for l, m in found), f"no problem at line {line} containing {fragment!r}: {found}"


def lesson_yaml(lesson_id: str = "one", *, action: str = "show", target: str = "ebs-encryption",
                answer: str = "0", choices: str = "[right, wrong, also wrong]", intro: str = INTRO) -> str:
    """One valid lesson (13 lines) with a few parts replaceable."""
    return textwrap.dedent(f"""\
        - id: {lesson_id}
          title: A lesson
          practices: [ebs-encryption]
          intro: {intro}
          try:
            action: {action}
            target: {target}
            text: Do the thing.
          check:
            question: Which one?
            choices: {choices}
            answer: {answer}
            explanation: Because.
        """)


# --------------------------------------------------------------------------- the shipped tour


@pytest.fixture(scope="module")
def shipped() -> tuple[Lesson, ...]:
    return load_tour(known_practices=practice_ids_on_disk(), known_kinds=SNIPPET_KINDS)


def test_shipped_tour_is_valid_against_real_practices_and_kinds(shipped):
    assert 10 <= len(shipped) <= 12
    assert len({lesson.id for lesson in shipped}) == len(shipped)


def test_shipped_tour_goes_from_why_to_external_stores(shipped):
    ids = [lesson.id for lesson in shipped]
    assert ids[0] == "why-encrypt"
    order = {lesson.id: i for i, lesson in enumerate(shipped)}
    # storage before keys, keys before Secrets, Secrets before audit, audit before rotation and stores
    first = {pid: min(i for i, l in enumerate(shipped) if pid in l.practices) for l in shipped for pid in l.practices}
    assert first["ebs-encryption"] < first["kms-envelope-encryption"] < first["kubernetes-secrets-basics"]
    assert first["kubernetes-secrets-basics"] < first["audit-secret-access"] < first["rotate-cmks"]
    assert first["rotate-secrets"] < first["external-secrets-operator"]
    assert order["why-encrypt"] == 0


def test_shipped_tour_reads_every_practice(shipped):
    named = {pid for lesson in shipped for pid in lesson.practices}
    assert named == practice_ids_on_disk()


def test_shipped_lessons_follow_the_house_rules(shipped):
    for lesson in shipped:
        assert 60 <= word_count(lesson.intro) <= 150, lesson.id
        assert 3 <= len(lesson.check.choices) <= 4, lesson.id
        assert len(set(lesson.check.choices)) == len(lesson.check.choices)
        assert lesson.try_step.action in {"ask", "show", "wizard"}
        assert len(lesson.check.explanation.split()) >= 20, f"{lesson.id}: the explanation should say why"
    actions = {lesson.try_step.action for lesson in shipped}
    assert actions == {"ask", "show", "wizard"}


def test_shipped_checks_have_the_current_facts_as_answers(shipped):
    by_id = {lesson.id: lesson for lesson in shipped}

    def right(lesson_id: str) -> str:
        check = by_id[lesson_id].check
        return check.choices[check.answer]

    assert right("efs-file-systems").startswith("Over TLS")
    assert "decode" in right("secrets-basics")
    query = right("audit-secret-reads")
    assert query.index("filter") < query.index("stats")
    assert "90 to 2560" in right("rotate-keys")
    assert right("ebs-volumes") == 'encrypted: "true"'
    assert "AWS owned key" in right("kms-keys")


def test_shipped_wrong_choices_say_why_without_giving_the_answer_away(shipped):
    for lesson in shipped:
        check = lesson.check
        right = check.choices[check.answer].lower()
        for number, choice in enumerate(check.choices):
            if number == check.answer:
                continue
            reason = check.reasons[number]
            assert len(reason.split()) >= 12, f"{lesson.id}: say why {choice!r} is wrong"
            assert right not in reason.lower(), f"{lesson.id}: the reason for {choice!r} quotes the right choice"


def test_shipped_audit_check_counts_every_read_verb(shipped):
    check = next(lesson.check for lesson in shipped if lesson.id == "audit-secret-reads")
    assert all(verb in check.question for verb in ("get", "list", "watch"))
    right = check.choices[check.answer]
    assert 'verb in ["get", "list", "watch"]' in right and right.index("filter") < right.index("stats")
    for number, choice in enumerate(check.choices):
        if number != check.answer:  # each wrong query is wrong for one reason: order, or the verbs
            wrong_order = choice.index("stats") < choice.index("filter")
            only_get = 'verb = "get"' in choice
            assert wrong_order != only_get, choice


def test_shipped_right_answers_are_spread_over_the_letters(shipped):
    positions = [lesson.choice_order(0).index(lesson.check.answer) for lesson in shipped]
    assert 0 < positions.count(0) < len(shipped) // 2  # answering "a" everywhere fails most lessons
    assert len(set(positions)) >= 3


def test_shuffle_is_deterministic_and_changes_with_each_attempt(shipped):
    assert shuffled(5, "seed") == shuffled(5, "seed") and sorted(shuffled(5, "seed")) == [0, 1, 2, 3, 4]
    assert len({shuffled(4, f"seed:{n}") for n in range(40)}) > 10
    for lesson in shipped:
        orders = [lesson.choice_order(attempt) for attempt in range(6)]
        assert all(sorted(order) == list(range(len(lesson.check.choices))) for order in orders)
        assert all(a != b for a, b in zip(orders, orders[1:])), lesson.id
        assert orders == [lesson.choice_order(attempt) for attempt in range(6)]


def test_shipped_intros_avoid_the_stale_claims(shipped):
    for lesson in shipped:
        intro = " ".join(lesson.intro.lower().split())
        assert "120" not in intro, lesson.id  # the old access-point limit
        if "in-tree" in intro:
            assert "removed" in intro, lesson.id
        if "v1beta1" in intro:
            assert "no longer served" in intro, lesson.id
        if "cmk" in intro:
            assert "now simply a **kms key**" in intro, lesson.id
    text = " ".join(lesson.intro for lesson in shipped)
    assert "`external-secrets.io/v1`" in text


def test_try_step_command():
    assert TryStep("show", "ebs-encryption", "x.").command == "eksguide show ebs-encryption"
    assert TryStep("wizard", "ebs-storageclass", "x.").command == "eksguide snippet ebs-storageclass"
    assert TryStep("ask", "Is EFS encrypted?", "x.").command == "eksguide ask 'Is EFS encrypted?'"


def test_check_is_correct_and_reasons():
    check = Check("Q?", ("a", "b", "c"), 1, "Because.", ("", "", "C is wrong."))
    assert check.is_correct(1) and not check.is_correct(0)
    assert check.reason(2) == "C is wrong." and check.reason(0) == "Because."  # no reason of its own
    assert Check("Q?", ("a", "b"), 0, "Because.").reason(1) == "Because."


def test_choices_with_reasons(tmp_path):
    choices = "[{text: right}, {text: wrong, why: Because it is wrong.}, plain]"
    (lesson,) = load_tour(write(tmp_path, lesson_yaml(choices=choices)))
    assert lesson.check.choices == ("right", "wrong", "plain")
    assert lesson.check.reasons == ("", "Because it is wrong.", "")
    assert lesson.to_dict()["check"]["reasons"] == ["", "Because it is wrong.", ""]


def test_bad_choice_mappings(tmp_path):
    path = write(tmp_path, lesson_yaml("one", choices="[{text: a}, {why: no text}]")
                 + lesson_yaml("two", choices="[{text: a, hint: x}, {text: b, why: ''}]")
                 + lesson_yaml("three", choices="[a, 7]"))
    found = problems_of(path)
    assert_problem(found, 11, "choice 2 is missing the required key 'text'")
    assert_problem(found, 24, "choice 1 has an unknown key 'hint'")
    assert_problem(found, 24, "choice 2: 'why' must be non-empty text")
    assert_problem(found, 37, "choice 2 must be text, or a mapping with 'text' and 'why'")


# --------------------------------------------------------------------------- broken files


def test_valid_minimal_file_round_trips(tmp_path):
    path = write(tmp_path, lesson_yaml())
    (lesson,) = load_tour(path, known_practices={"ebs-encryption"}, known_kinds=SNIPPET_KINDS)
    assert lesson.id == "one" and lesson.check.answer == 0
    assert lesson.to_dict()["try"] == {"action": "show", "target": "ebs-encryption", "text": "Do the thing."}


def test_duplicate_lesson_ids(tmp_path):
    path = write(tmp_path, lesson_yaml("one") + lesson_yaml("one"))
    found = problems_of(path)
    assert found == [(14, "lesson 'one': the id is already used by the lesson on line 1")]


def test_answer_out_of_range_and_wrong_type(tmp_path):
    path = write(tmp_path, lesson_yaml("one", answer="3") + lesson_yaml("two", answer="true") + lesson_yaml("three", answer="'0'"))
    found = problems_of(path)
    assert_problem(found, 12, "'answer' is 3 but the choices are numbered 0 to 2")
    assert_problem(found, 25, "'answer' must be the index")
    assert_problem(found, 38, "'answer' must be the index")
    assert len(found) == 3


def test_choice_count_and_duplicates(tmp_path):
    path = write(tmp_path, lesson_yaml("one", choices="[only]") + lesson_yaml("two", choices="[a, b, c, d, e, f]")
                 + lesson_yaml("three", choices="[a, b, a]"))
    found = problems_of(path)
    assert_problem(found, 11, "give 2 to 5 choices (got 1)")
    assert_problem(found, 24, "give 2 to 5 choices (got 6)")
    assert_problem(found, 37, "lists 'a' twice")


def test_invalid_action_and_unknown_targets(tmp_path):
    path = write(tmp_path, lesson_yaml("one", action="open") + lesson_yaml("two", action="wizard", target="ebs-storage-klass")
                 + lesson_yaml("three", action="show", target="no-such-practice")
                 + lesson_yaml("four", action="ask", target="not a question"))
    found = problems_of(path, known_practices={"ebs-encryption"}, known_kinds=SNIPPET_KINDS)
    assert_problem(found, 6, "'action' must be one of ask, show, wizard (got 'open')")
    assert_problem(found, 20, "unknown snippet kind 'ebs-storage-klass'")
    assert_problem(found, 33, "unknown practice 'no-such-practice'")
    assert_problem(found, 46, "must be a question ending with '?'")
    assert len(found) == 4


def test_targets_are_only_shape_checked_without_known_sets(tmp_path):
    path = write(tmp_path, lesson_yaml("one", action="wizard", target="anything-goes")
                 + lesson_yaml("two", action="show", target="Not An Id"))
    found = problems_of(path)
    assert found == [(20, "lesson 'two' 'try': the target of 'show' must be a practice id like 'ebs-encryption' (got 'Not An Id')")]


def test_lesson_practices_checked_against_known(tmp_path):
    path = write(tmp_path, lesson_yaml())
    found = problems_of(path, known_practices={"something-else"}, known_kinds=SNIPPET_KINDS)
    assert_problem(found, 3, "unknown practice 'ebs-encryption'")
    assert_problem(found, 7, "unknown practice 'ebs-encryption'")


def test_intro_length(tmp_path):
    path = write(tmp_path, lesson_yaml("one", intro="Too short.") + lesson_yaml("two", intro=" ".join(["w"] * 151)))
    found = problems_of(path)
    assert found == [(4, "lesson 'one': 'intro' has 2 words; write 60 to 150"),
                     (17, "lesson 'two': 'intro' has 151 words; write 60 to 150")]


def test_missing_and_unknown_keys_and_bad_nesting(tmp_path):
    path = write(tmp_path, f"""
        - id: one
          title: A lesson
          intro: {INTRO}
          try: show ebs-encryption
          check:
            question: No question mark
            choices: [a, b]
            answer: 0
            hint: extra
          notes: hello
    """)
    found = problems_of(path)
    assert_problem(found, 1, "missing the required key 'practices'")
    assert_problem(found, 4, "'try' must be a mapping")
    assert_problem(found, 5, "'check' is missing the required key 'explanation'")
    assert_problem(found, 6, "'question' must end with '?'")
    assert_problem(found, 9, "'check' has an unknown key 'hint'")
    assert_problem(found, 10, "unknown key 'notes'")
    assert len(found) == 6


def test_bad_ids_and_text(tmp_path):
    path = write(tmp_path, lesson_yaml("Bad_Id").replace("text: Do the thing.", "text: ''"))
    found = problems_of(path)
    assert_problem(found, 1, "'id' must be lower-case words")
    assert_problem(found, 8, "'text' must be non-empty text")


def test_invalid_yaml_and_wrong_top_level(tmp_path):
    path = write(tmp_path, "- id: one\n  title: [unclosed\n")
    (problem,) = problems_of(path)
    assert problem[1].startswith("invalid YAML")
    path = write(tmp_path, "id: one\n")
    assert_problem(problems_of(path), 1, "must be a YAML list of lesson entries")
    path = write(tmp_path, "- one\n- two\n")
    found = problems_of(path)
    assert found == [(1, "lesson entry 1 must be a mapping of keys to values"),
                     (2, "lesson entry 2 must be a mapping of keys to values")]


def test_missing_file(tmp_path):
    (problem,) = problems_of(tmp_path / "missing.yaml")
    assert problem[0] == 0 and problem[1].startswith("cannot read the file")


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, lesson_yaml("one", answer="9") + lesson_yaml("one", action="jump"))
    found = problems_of(path)
    assert [line for line, _ in found] == [12, 14, 19]


def test_default_path_is_the_shipped_file():
    assert TOUR_PATH.name == "tour.yaml" and TOUR_PATH.is_file()
