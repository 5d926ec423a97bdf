"""The Ask transcript stays light and answers come first (issue 9, issue 11, issue 13 point 4)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from knowledge.record import replace
from knowledge.search import Reply
from test_app_fixtures import PRACTICES, app_test, demo_app
from textual.widgets import Markdown

from tui.screens.ask import Exchange
from tui.widgets.exchange import Section, Summary
from tui.widgets.text import answer_layout, body_sections, code_blocks

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VOLUMES = PRACTICES[0]


def test_answer_layout_puts_summary_and_how_first_and_folds_the_rest():
    layout = answer_layout(VOLUMES)
    assert layout.lead.index("Turn on encryption") < layout.lead.index("## How")
    assert "## What" not in layout.lead
    assert [title for title, _ in layout.sections] == ["What", "Sources", "What changed since the old guide"]


def test_answer_layout_opens_with_the_faq_answer_when_there_is_one():
    faq = SimpleNamespace(q="Can I?", a="No: create a new encrypted volume and copy the data.", source="")
    layout = answer_layout(VOLUMES, faq=faq)
    assert layout.lead.index("No: create a new") < layout.lead.index("In short")
    assert "## How" not in layout.lead
    assert "How" in [title for title, _ in layout.sections]
    assert answer_layout(VOLUMES, faq=None).lead == answer_layout(VOLUMES).lead


def test_sections_and_code_blocks_are_found():
    assert [t for t, _ in body_sections("intro\n## A\none\n## B\ntwo\n")] == ["", "A", "B"]
    assert code_blocks("x\n```yaml\na: 1\n```\n\n```\nplain\n```\n") == [("yaml", "a: 1\n"), ("text", "plain\n")]


@app_test
async def test_older_exchanges_fold_to_one_line_and_open_again(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        for question in ("demo volumes", "demo keys", "demo secrets"):
            screen.ask(question)
            await app.workers.wait_for_complete()
            await pilot.pause()
        exchanges = list(screen.query_one("#transcript").query_children(Exchange))
        assert [e.collapsed for e in exchanges] == [True, True, True, False]
        # A folded exchange holds one line and no Markdown at all.
        for folded in exchanges[:-1]:
            assert not folded.query(Markdown)
            assert len(folded.children) == 1 and isinstance(folded.children[0], Summary)
        assert "Encrypt demo volumes" in str(exchanges[1].query_one(Summary).render())
        # Shift+Tab goes to the earlier answers, Up moves between them, Enter opens one.
        await pilot.press("shift+tab", "up")
        assert app.focused is exchanges[1].query_one(Summary)
        await pilot.press("enter")
        await pilot.pause()
        assert not exchanges[1].collapsed and exchanges[1].query(Markdown)


@app_test
async def test_sections_build_when_opened_and_ctrl_r_opens_the_whole_practice(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        app.screen.ask("demo volumes")
        await app.workers.wait_for_complete()
        await pilot.pause()
        exchange = app.screen.latest()
        sections = list(exchange.query(Section))
        assert [s.title for s in sections] == ["What", "Sources", "What changed since the old guide"]
        assert not any(section.query(Markdown) for section in sections)  # nothing built yet
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert all(not s.collapsed and s.query(Markdown) for s in sections)
        # The suggestions start with the wizard, then a copy key per code block (none here).
        ids = [exchange.action_list.get_option_at_index(i).id for i in range(exchange.action_list.option_count)]
        assert ids[0] == "wizard:demo-config"


@app_test
async def test_faq_answer_leads_and_code_blocks_get_copy_keys(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        volumes = app.kb.get("demo-volumes")
        practice = replace(volumes, body=volumes.body + '\n```yaml\nencrypted: "true"\n```\n')
        faq = SimpleNamespace(q="Does it work?", a="Yes, set encrypted to true.", source="https://example.com/faq")
        answer = SimpleNamespace(practice=practice, score=0.9, matched=(), snippets=(), faq=faq)
        reply = Reply(question="does it work", answers=(answer,))
        await screen.add_exchange(screen.reply_exchange(reply))
        await pilot.pause()
        exchange = screen.latest()
        assert exchange.markdown.index("Yes, set encrypted") < exchange.markdown.index("In short")
        await pilot.press("tab")
        ids = [exchange.action_list.get_option_at_index(i).id for i in range(exchange.action_list.option_count)]
        assert ids[:2] == ["wizard:demo-config", "copy:0"]
        await pilot.press("ctrl+y")
        assert app.clipboard == 'encrypted: "true"\n'
        # Without the engine's faq attribute (before it lands) the summary leads.
        plain = SimpleNamespace(practice=practice, score=0.9, matched=(), snippets=())
        assert "> Turn on encryption" in screen.reply_exchange(Reply("q", (plain,))).markdown


@app_test
async def test_esc_from_a_wizard_returns_to_the_answer_that_offered_it(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        app.screen.ask("demo volumes")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.current_mode == "wizards"
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "ask"
        # Opened from the list of wizards, Esc goes back to that list.
        await pilot.press("f4", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "wizards" and app.screen.query("#wizard-list")
