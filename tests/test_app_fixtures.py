"""Small, frozen content for the app's tests: a knowledge base, a snippet spec, lessons and a
glossary that do not change when the real content does (the snapshots depend on them).

The spec exercises every field type, a `when` condition and a cross-field check, so the
generated form is tested independently of the real snippet kinds.
"""
from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from knowledge import KnowledgeBase, Practice, Source, Update
from knowledge.glossary import Term
from knowledge.search import SearchEngine
from knowledge.tour import Check, Lesson, TryStep
from snippets import Field, FieldError, Snippet, Spec

from tui.app import EksGuideApp

PRACTICES = (
    Practice(
        id="demo-volumes",
        title="Encrypt demo volumes with a [customer] key",
        area="storage",
        level="essential",
        summary="Turn on encryption for every demo volume and choose the key yourself.",
        body=(
            "## What\n\nDemo volumes hold data at rest; encrypt them with a key you control.\n\n"
            "## How\n\nSet `encrypted` in the class, then read [the key practice](practice:demo-keys).\n"
        ),
        tags=("volume", "encryption", "demo"),
        aliases=("demo disk encryption",),
        related=("demo-keys",),
        snippets=("demo-config",),
        sources=(Source("Demo volume guide", "https://example.com/volumes"),),
        updates=(Update("Volumes were never encrypted.", "Volumes can be encrypted when created."),),
    ),
    Practice(
        id="demo-keys",
        title="Rotate demo keys every year",
        area="keys",
        level="recommended",
        summary="Let the key service rotate demo keys yearly so old material is retired.",
        body="## What\n\nRotation replaces key material on a schedule.\n\nBack to [volumes](practice:demo-volumes).\n",
        tags=("rotation", "key"),
        related=("demo-volumes",),
        sources=(Source("Demo key rotation", "https://example.com/keys"),),
    ),
    Practice(
        id="demo-secrets",
        title="Mount demo secrets as files",
        area="secrets",
        level="caution",
        summary="Environment variables leak; mount demo secrets as read-only files instead.",
        body="## Why\n\nFiles stay in memory and can be refreshed.\n",
        tags=("secret", "mount", "file"),
        sources=(Source("Demo secrets", "https://example.com/secrets"),),
    ),
)


def _render_demo(answers: dict) -> Snippet:
    lines = [
        "# demo-config (implements demo-volumes)",
        f"name: {answers['name']}",
        f"mode: {answers['mode']}",
    ]
    if answers.get("level") is not None:
        lines.append(f"level: {answers['level']}")
    lines.append(f"tls: {'on' if answers['tls'] else 'off'}")
    if answers.get("hosts"):
        lines.append("hosts: [" + ", ".join(answers["hosts"]) + "]")
    return Snippet("demo-config", "\n".join(lines) + "\n", "yaml", f"{answers['name']}-config.yaml",
                   ("demo-volumes",))


def _lower_case(value: str) -> str | None:
    return None if value == value.lower() else f"{value!r} must be lower case, such as demo"


def _advanced_needs_tls(answers: dict):
    if answers.get("mode") == "advanced" and answers.get("tls") is False:
        yield FieldError("tls", "advanced mode needs TLS; tick Use TLS or choose simple mode")


DEMO_SPEC = Spec(
    kind="demo-config",
    title="Demo configuration",
    description="A configuration file for the demo service",
    language="yaml",
    practices=("demo-volumes",),
    fields=(
        Field("name", "Name", "Name of the demo service.", required=True, example="demo", validate=_lower_case),
        Field("mode", "Mode", "Simple or advanced set-up.", type="choice", choices=("simple", "advanced"),
              default="simple"),
        Field("level", "Level", "How much to tune, 1 to 9 (advanced mode only).", type="int", default=3,
              minimum=1, maximum=9, when=lambda answers: answers.get("mode") == "advanced"),
        Field("tls", "Use TLS", "Encrypt traffic to the service.", type="bool", default=True),
        Field("hosts", "Hosts", "Host names that serve the demo.", type="list", example="a.example.com,b.example.com"),
    ),
    render=_render_demo,
    checks=(_advanced_needs_tls,),
)

LESSONS = (
    Lesson(
        id="demo-one",
        title="Demo volumes",
        practices=("demo-volumes",),
        intro="Volumes hold **data at rest**. This lesson shows how to encrypt them.\n",
        try_step=TryStep("show", "demo-volumes", "Read the volume practice."),
        check=Check("What does encryption at rest protect?", ("A copied disk", "A logged-in user"), 0,
                    "A copy is useless without the key; a user the platform lets in still reads plaintext."),
    ),
    Lesson(
        id="demo-two",
        title="Demo keys",
        practices=("demo-keys",),
        intro="Keys should be rotated.\n",
        try_step=TryStep("wizard", "demo-config", "Open the demo wizard."),
        check=Check("How often are demo keys rotated?", ("Never", "Every year", "Every day"), 1,
                    "Yearly rotation is the default schedule."),
    ),
)

GLOSSARY = (
    Term("demo key", ("DK",), "A key used only in demos.", ("demo-keys",)),
)


def demo_app(progress_dir: Path, **overrides) -> EksGuideApp:
    """The app over the frozen demo content, with progress kept in `progress_dir`."""
    kb = KnowledgeBase(PRACTICES)
    options = dict(
        knowledge=kb,
        engine=SearchEngine(kb.practices),
        specs=[DEMO_SPEC],
        lessons=LESSONS,
        glossary=GLOSSARY,
        progress_dir=progress_dir,
        cursor_blink=False,
    )
    options.update(overrides)
    app = EksGuideApp(**options)
    app.theme = "textual-dark"  # fixed, whatever a saved theme says
    return app


def app_test(test):
    """Run an async test function with asyncio.run (the suite has no asyncio plugin)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run
