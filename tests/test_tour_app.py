"""The walkthrough in the app, driven with Pilot: shuffled choices, done only when right, why a
wrong answer is wrong, another try, the lesson list and welcome after a restart, reset, and the
whole shipped tour answered with "a"."""
from __future__ import annotations

import json

import pytest
from test_app_fixtures import app_test, demo_app
from textual.widgets import OptionList

from knowledge.tour import Check, Lesson, TryStep
from tui.app import EksGuideApp
from tui.progress import ProgressStore, format_status, status_dict
from tui.screens.ask import AskScreen
from tui.screens.browse import BrowseScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.tour import TourScreen

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LESSONS = (
    Lesson("volumes", "Volumes", ("demo-volumes",), "Volumes hold **data at rest**.\n",
           TryStep("show", "demo-volumes", "Read the volume practice."),
           Check("What does encryption at rest protect?", ("A copied disk", "A logged-in user", "A running pod"), 0,
                 "A copy is useless without the key.",
                 ("", "The platform decrypts for every user it lets in.", "A pod reads its volume decrypted."))),
    Lesson("keys", "Keys", ("demo-keys",), "Keys should be rotated.\n",
           TryStep("wizard", "demo-config", "Open the demo wizard."),
           Check("How often are demo keys rotated?", ("Every year", "Never", "Every day"), 0,
                 "Yearly rotation is the default schedule.", ("", "Never is not a schedule.", "Too often."))),
)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def wrong_position(screen: TourScreen) -> int:
    lesson = screen.lesson()
    return next(p for p, n in enumerate(screen.order) if not lesson.check.is_correct(n))


def right_position(screen: TourScreen) -> int:
    return screen.order.index(screen.lesson().check.answer)


async def press_letter(pilot, position: int) -> None:
    await pilot.press("abcde"[position])
    await pilot.pause()


@app_test
async def test_wrong_answer_says_why_and_only_a_right_one_completes_the_lesson(tmp_path):
    app = demo_app(tmp_path, lessons=LESSONS)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TourScreen) and screen.lesson_id == "volumes"
        first_order = screen.order
        assert sorted(first_order) == [0, 1, 2]
        wrong = wrong_position(screen)
        chosen = first_order[wrong]
        await press_letter(pilot, wrong)
        result = text_of(screen, "#check-result")
        assert "Not quite" in result and LESSONS[0].check.reasons[chosen] in result
        assert "A copy is useless" not in result  # the right answer is not given away
        assert "try again" in result.lower() and screen.query_one("#retry-button").display
        assert app.progress.completed == () and dict(app.progress.misses) == {"volumes": 1}
        assert "1 wrong" in text_of(screen, "#tour-status") and "0 of 2 done" in text_of(screen, "#tour-status")
        lessons_list = screen.query_one("#lesson-list", OptionList)
        assert "✗" in str(lessons_list.get_option_at_index(0).prompt)
        assert "·" in str(lessons_list.get_option_at_index(1).prompt)
        await press_letter(pilot, right_position(screen))  # letters wait for "try again"
        assert app.progress.completed == ()

        await pilot.press("r")
        await pilot.pause()
        assert screen.order != first_order and not screen.query_one("#check-result").display
        await press_letter(pilot, right_position(screen))
        assert "Right" in text_of(screen, "#check-result") and "A copy is useless" in text_of(screen, "#check-result")
        assert app.progress.completed == ("volumes",)
        assert "✓" in str(lessons_list.get_option_at_index(0).prompt)
        stored = json.loads((tmp_path / "progress.json").read_text())
        assert stored["completed"] == ["volumes"] and stored["answers"] == {"volumes": 0}
        assert stored["misses"] == {"volumes": 1}
        # Try it: the lesson's step opens the practice in Browse.
        await pilot.press("f5")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen) and app.screen.current == "demo-volumes"

    again = demo_app(tmp_path, lessons=LESSONS)
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        welcome = again.screen.latest().markdown
        assert isinstance(again.screen, AskScreen) and "1 of 2 lessons done" in welcome
        await pilot.press("f5")
        await settle(pilot)
        screen = again.screen
        assert screen.lesson_id == "keys"  # resumed at the next lesson
        assert "1 of 2 done" in text_of(screen, "#tour-status")
        await pilot.press("p")
        await settle(pilot)
        assert screen.lesson_id == "volumes" and "Right" in text_of(screen, "#check-result")
        # `eksguide tour --status` reads the same file and agrees.
        data = status_dict(ProgressStore(tmp_path).load()[0], LESSONS)
        assert data["done"] == 1 and [row["state"] for row in data["lessons"]] == ["done", "new"]


@app_test
async def test_a_wrong_answer_is_shown_again_after_a_restart(tmp_path):
    app = demo_app(tmp_path, lessons=LESSONS, start="tour")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        shown = screen.order
        await press_letter(pilot, wrong_position(screen))
    again = demo_app(tmp_path, lessons=LESSONS, start="tour")
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert screen.lesson_id == "volumes" and screen.order == shown  # as it was answered
        assert "Not quite" in text_of(screen, "#check-result")
        assert "0 of 2 done · 1 wrong" in text_of(screen, "#tour-status")


@app_test
async def test_reset_progress_after_confirmation(tmp_path):
    app = demo_app(tmp_path, lessons=LESSONS)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        await press_letter(pilot, right_position(screen))
        assert (tmp_path / "progress.json").exists()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.progress.completed == ("volumes",)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert app.progress.completed == ()
        assert not (tmp_path / "progress.json").exists()
        assert "0 of 2 done" in text_of(screen, "#tour-status")


@app_test
async def test_corrupt_progress_file_is_set_aside_with_a_warning(tmp_path):
    (tmp_path / "progress.json").write_text("{ not json")
    app = demo_app(tmp_path, lessons=LESSONS, start="tour")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TourScreen)
        notes = [n for n in app._notifications if n.severity == "warning"]
        assert notes and "unreadable" in notes[0].message
        assert list(tmp_path.glob("progress.json.corrupt-*"))
        await press_letter(pilot, right_position(app.screen))
        assert json.loads((tmp_path / "progress.json").read_text())["completed"] == ["volumes"]


@app_test
async def test_answering_a_to_every_shipped_lesson_finishes_fewer_than_all(tmp_path):
    app = EksGuideApp(start="tour", progress_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TourScreen) and len(app.lessons) == 12
        await pilot.press("a", "n")  # the keys, once; then the same actions without a redraw between
        for _ in app.lessons[1:]:
            await screen.run_action("answer(0)")
            await screen.run_action("step(1)")
        await pilot.pause()
        summary = list(app._notifications)[-1].message
    progress, warning = ProgressStore(tmp_path).load()
    data = status_dict(progress, app.lessons)
    wrong = [row for row in data["lessons"] if row["state"] == "wrong"]
    assert warning is None and 0 < data["done"] < 12 and data["done"] + len(wrong) == 12
    assert f"You have finished {data['done']} of 12 lessons." in summary
    assert "Answered wrongly: " + "; ".join(f"{row['number']}. {row['title']}" for row in wrong) + "." in summary
    status = format_status(progress, app.lessons)  # what `eksguide tour --status` prints
    assert status.startswith(f"Walkthrough: {data['done']}/12 lessons done, {len(wrong)} answered wrongly\n")
    assert all(f"\u2717 {row['number']:>2}. {row['title']}" in status for row in wrong)


@app_test
async def test_an_unknown_users_home_or_a_newer_file_is_a_warning_and_nothing_is_written(tmp_path, monkeypatch):
    newer = json.dumps({"version": 7, "completed": ["volumes"]}).encode()
    (tmp_path / "progress.json").write_bytes(newer)
    for home, fragment in (("~eksguide-no-such-user-x9/state", "EKSGUIDE_HOME"), (str(tmp_path), "newer eksguide")):
        monkeypatch.setenv("EKSGUIDE_HOME", home)
        app = demo_app(None, lessons=LESSONS, start="tour")
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TourScreen)
            assert any(fragment in n.message for n in app._notifications if n.severity == "warning")
            await press_letter(pilot, right_position(screen))
            assert app.progress.completed == ("volumes",)  # kept for this session
            assert any(n.title == "Progress not saved" and fragment in n.message for n in app._notifications)
    assert (tmp_path / "progress.json").read_bytes() == newer
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]
