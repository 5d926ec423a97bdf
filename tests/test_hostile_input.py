"""Hostile and careless input at the command line and in paths: a clear message, never a
traceback, never a file written where it should not be, never raw escapes sent to a terminal."""
from __future__ import annotations

import io
import json
import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import cache
from tui.cli import main
from tui.files import BadPath, write_atomic


def run(capsys, monkeypatch, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("EKSGUIDE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("argv", [["--name=--"], ["--name", "--"], ["--namespace=--", "--name", "web"]])
def test_a_double_dash_value_is_refused_not_dropped(capsys, monkeypatch, argv):
    code, out, err = run(capsys, monkeypatch, "snippet", "pod-secret-volume", *argv)
    assert code == 2 and out == ""
    assert "'--' is not a value" in err and "for example" in err


def test_batch_text_echo_sends_no_control_characters(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "ask", "--batch", stdin="ebs \x1b]0;owned\x07 encryption \x1b[2J\n")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "ebs" in out and "encryption" in out


def test_batch_json_escapes_c1_controls(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "ask", "--json", "--batch", stdin="ebs \x9b2J encryption \x85\n")
    assert code == 0
    assert not any(0x7f <= ord(ch) <= 0x9f or ord(ch) < 0x20 and ch != "\n" for ch in out)
    assert json.loads(out)["question"] == "ebs \x9b2J encryption"  # the trailing NEL is white space


@pytest.mark.parametrize(("path", "words"), [
    ("newdir/", "names a directory"),
    ("~nosuchuser-eksguide/sc.yaml", "no home directory"),
    ("bad\x00name.yaml", "NUL"),
    ("x" * 256 + ".yaml", "longer than 255"),
])
def test_paths_that_cannot_name_a_file_are_refused_with_a_reason(tmp_path, path, words):
    with pytest.raises(BadPath, match=words):
        write_atomic(path, "text\n")
    assert sorted(os.listdir(tmp_path)) == []


def test_a_long_legal_name_is_written(tmp_path):
    name = "n" * 250 + ".yaml"  # 255 bytes: legal, though a temp name built from it would not be
    written = write_atomic(tmp_path / name, "text\n")
    assert written.read_text() == "text\n"
    assert sorted(os.listdir(tmp_path)) == [name]


@pytest.mark.parametrize("output", ["newdir/", "~nosuchuser-eksguide/sc.yaml"])
def test_snippet_output_to_a_bad_path_exits_2_and_writes_nothing(capsys, monkeypatch, tmp_path, output):
    code, out, err = run(capsys, monkeypatch, "snippet", "ebs-storageclass", "--output", output)
    assert code == 2 and out == ""
    assert "cannot write" in err and "Traceback" not in err
    assert sorted(os.listdir(tmp_path)) == []


def test_an_unexpandable_cache_directory_only_turns_the_cache_off(monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "~nosuchuser-eksguide/cache")
    assert cache.cache_directory() is None


def test_a_fifo_at_the_cache_path_is_not_read(tmp_path):
    fifo = tmp_path / "engine-0.pickle"
    os.mkfifo(fifo)
    assert cache.read(fifo, object) is None  # returns at once instead of blocking on the FIFO


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_any_question_gets_an_answer_or_an_honest_none(question):
    from knowledge.search import default_engine

    reply = default_engine().ask(question)
    assert isinstance(reply.to_dict()["answers"], list)


def _int_fields():
    from snippets import registry

    for spec in registry.available():
        for field in spec.fields:
            if field.type == "int":
                yield pytest.param(field, id=f"{spec.kind}.{field.id}")


# Decimal digits of other scripts, which Python's int() accepts: Arabic-Indic, Devanagari, Bengali,
# Thai, fullwidth, Mongolian.
_FOREIGN_DIGITS = "\u0660\u0661\u0662\u0966\u0967\u09e6\u0e50\u0e51\uff10\uff11\u1810"


@pytest.mark.parametrize("field", list(_int_fields()))
@settings(max_examples=25, deadline=None)
@given(digits=st.text(alphabet="0123456789" + _FOREIGN_DIGITS, min_size=1, max_size=6))
def test_int_fields_take_ascii_digits_only(field, digits):
    from snippets.spec import coerce

    value, problem = coerce(field, digits)
    if all(ch in "0123456789" for ch in digits):
        assert problem is None or "between" in problem or "at least" in problem or "at most" in problem
    else:
        assert value is None and "whole number" in problem


@pytest.mark.parametrize("field", list(_int_fields()))
@pytest.mark.parametrize("size", [19, 4301, 100_000])
def test_int_fields_refuse_huge_numbers_quickly(field, size):
    from snippets.spec import coerce

    value, problem = coerce(field, "9" * size)
    assert value is None and "whole number" in problem and len(problem) < 200
