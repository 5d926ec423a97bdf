"""The command line: every command, its output shapes, exit codes and the no-overwrite rule."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import snippets
from knowledge import load_knowledge
from tui.cli import main


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's --help and usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("EKSGUIDE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NO_COLOR", "1")


# ---------------------------------------------------------------- list / show


def test_list_shows_every_practice_by_area(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    for practice in load_knowledge():
        assert practice.id in out
    assert "Storage encryption" in out and "External secret stores" in out


def test_list_json_and_area_filter(capsys):
    code, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == len(load_knowledge())
    assert set(rows[0]) == {"id", "title", "area", "level", "summary"}
    code, out, _ = run(capsys, "list", "--area", "keys", "--json")
    assert {r["area"] for r in json.loads(out)} == {"keys"}


def test_show_renders_a_practice(capsys):
    code, out, err = run(capsys, "show", "ebs-encryption")
    practice = load_knowledge().get("ebs-encryption")
    assert code == 0 and err == ""
    assert practice.title in out and "Sources" in out and practice.sources[0].url in out
    assert "eksguide snippet ebs-storageclass --help" in out
    assert "Changed since the old EKS best-practices guide" in out


def test_show_json_is_the_structured_entry(capsys):
    code, out, _ = run(capsys, "show", "rotate-cmks", "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "rotate-cmks"
    assert {"title", "area", "level", "summary", "tags", "related", "snippets", "sources", "updates", "body"} <= set(data)


def test_show_unknown_id_suggests_and_exits_2(capsys):
    code, out, err = run(capsys, "show", "ebs-encrypt")
    assert code == 2 and out == ""
    assert "no practice with the id 'ebs-encrypt'" in err and "did you mean: ebs-encryption" in err


# ---------------------------------------------------------------- ask


def test_ask_prints_the_best_answer_and_other_matches(capsys):
    code, out, _ = run(capsys, "ask", "how", "do", "I", "mount", "efs", "with", "tls")
    assert code == 0
    assert load_knowledge().get("efs-encryption-in-transit").title in out.splitlines()[0]


def test_ask_says_when_it_has_no_answer(capsys):
    code, out, _ = run(capsys, "ask", "best pizza in naples")
    assert code == 0
    assert "no confident answer" in out and "It can help with" in out


def test_ask_did_you_mean_for_typos(capsys):
    code, out, err = run(capsys, "ask", "kuberentes secrts encrpyted?")
    # Point 17: the correction is a message (stderr); stdout carries only the answer.
    assert code == 0 and "Did you mean: kubernetes secrets encrypted?" in err and "Did you mean" not in out


def test_ask_json_shape(capsys):
    code, out, _ = run(capsys, "ask", "--json", "--limit", "3", "rotate kms key")
    data = json.loads(out)
    assert code == 0 and data["question"] == "rotate kms key"
    assert 1 <= len(data["answers"]) <= 3
    for answer in data["answers"]:
        assert set(answer) >= {"id", "title", "score", "snippets"}
        assert isinstance(answer["score"], float)
    assert [a["score"] for a in data["answers"]] == sorted((a["score"] for a in data["answers"]), reverse=True)


def test_ask_json_off_topic_has_no_answers(capsys):
    code, out, _ = run(capsys, "ask", "--json", "how do I set up an ingress with an ALB")
    assert code == 0 and json.loads(out)["answers"] == []


def test_ask_offers_snippets_when_asked_to_make_something(capsys):
    code, out, _ = run(capsys, "ask", "--json", "generate an encrypted gp3 storage class")
    top = json.loads(out)["answers"][0]
    assert top["id"] == "ebs-encryption" and top["snippets"][0] == "ebs-storageclass"
    code, out, _ = run(capsys, "ask", "--json", "what is an encrypted gp3 storage class")
    assert json.loads(out)["answers"][0]["snippets"] == []


def test_ask_batch_answers_one_line_per_question(capsys, monkeypatch):
    questions = "efs tls\n\nwhat is the weather\nkubeseal public key\n"
    code, out, _ = run(capsys, "ask", "--json", "--batch", stdin=questions, monkeypatch=monkeypatch)
    replies = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(replies) == 4
    assert replies[0]["answers"][0]["id"] == "efs-encryption-in-transit"
    assert replies[1] == {"question": "", "answers": []}
    assert replies[2]["answers"] == []
    assert replies[3]["answers"][0]["id"] == "sealed-secrets"


@pytest.mark.parametrize("argv", [("ask",), ("ask", "  "), ("ask", "--limit", "0", "efs"), ("ask", "--batch", "efs")])
def test_ask_bad_input_exits_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.startswith("eksguide: ask")


# ---------------------------------------------------------------- help and version


@pytest.mark.parametrize("command", [(), ("list",), ("show",), ("ask",), ("glossary",), ("tour",), ("snippet",)])
def test_help_on_every_command(capsys, command):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0 and "usage:" in out


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("eksguide ")


def test_no_command_without_a_terminal_is_a_clear_error(capsys):
    code, out, err = run(capsys)
    assert code == 2 and "needs a terminal" in err


def test_unknown_command_exits_2(capsys):
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and "invalid choice" in err


# ---------------------------------------------------------------- glossary


def test_glossary_lookup_and_unknown_term(capsys):
    code, out, _ = run(capsys, "glossary", "irsa")
    assert code == 0 and "IAM" in out
    code, out, err = run(capsys, "glossary", "--json")
    assert code == 0 and len(json.loads(out)) >= 20
    code, out, err = run(capsys, "glossary", "flux capacitor")
    assert code == 2 and out == "" and "no term" in err


# ---------------------------------------------------------------- snippet


def test_snippet_list_names_every_kind(capsys):
    code, out, _ = run(capsys, "snippet", "--list")
    assert code == 0
    for kind in snippets.kind_names():
        assert kind in out
    code, out, _ = run(capsys, "snippet", "--list", "--json")
    assert [row["kind"] for row in json.loads(out)] == snippets.kind_names()


def test_snippet_kind_help_lists_every_field_flag(capsys):
    spec = snippets.get("ebs-storageclass")
    code, out, _ = run(capsys, "snippet", "ebs-storageclass", "--help")
    assert code == 0
    for field in spec.fields:
        assert field.flag in out
    assert "--output" in out and "--force" in out


def test_snippet_to_stdout_is_valid_yaml(capsys):
    arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--kms-key-id", arn, "--name", "fast")
    assert code == 0
    (doc,) = [d for d in yaml.safe_load_all(out) if d]
    assert doc["kind"] == "StorageClass" and doc["metadata"]["name"] == "fast"
    assert doc["parameters"]["encrypted"] == "true" and doc["parameters"]["kmsKeyId"] == arn


def test_snippet_bad_input_names_each_field_and_writes_nothing(capsys, tmp_path):
    target = tmp_path / "sc.yaml"
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--kms-key-id", "not-a-key", "--name", "Bad_Name",
                         "--output", str(target))
    assert code == 2 and out == ""
    assert "--kms-key-id:" in err and "--name:" in err and "arn:aws:kms:" in err
    assert not target.exists()


def test_snippet_output_file_is_never_overwritten_without_force(capsys, tmp_path):
    target = tmp_path / "sc.yaml"
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--output", str(target))
    assert code == 0 and out == "" and target.exists()
    first = target.read_text()
    target.write_text("mine\n")
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--name", "other", "--output", str(target))
    assert code == 2 and "already exists" in err and "--force" in err
    assert target.read_text() == "mine\n"
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--output", str(target), "--force")
    assert code == 0 and target.read_text() == first


def test_snippet_unknown_kind_and_misplaced_force(capsys):
    code, out, err = run(capsys, "snippet", "ebs-storagclass")
    assert code == 2 and out == "" and "did you mean: ebs-storageclass" in err
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--force")
    assert code == 2 and "--force only makes sense with --output" in err


def test_snippet_json_output(capsys):
    code, out, _ = run(capsys, "snippet", "secret-reads-query", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "secret-reads-query" and data["language"] == "logs-insights"
    assert "audit-secret-access" in data["practices"] and "stats" in data["text"]


# ---------------------------------------------------------------- tour


def test_tour_status_and_reset(capsys, tmp_path):
    code, out, err = run(capsys, "tour", "--status")
    assert code == 0 and "0/" in out and "Next:" in out
    code, out, _ = run(capsys, "tour", "--status", "--json")
    data = json.loads(out)
    assert data["done"] == 0 and data["total"] == len(data["lessons"]) > 0
    code, out, err = run(capsys, "tour", "--reset", "--yes")
    assert code == 0 and "reset" in err


def test_tour_status_survives_a_corrupt_progress_file(capsys, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").write_text("{not json")
    code, out, err = run(capsys, "tour", "--status")
    assert code == 0 and "warning:" in err and "0/" in out


def test_tour_json_needs_status(capsys):
    code, _, err = run(capsys, "tour", "--json")
    assert code == 2 and "--json goes with --status" in err


# ---------------------------------------------------------------- the installed command


def test_console_script_runs_in_a_fresh_process():
    script = Path(sys.executable).with_name("eksguide")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]
    run_ = subprocess.run(command + ["ask", "--json", "--batch"], input="ebs storageclass kmsKeyId\n",
                          capture_output=True, text=True, timeout=60)
    assert run_.returncode == 0, run_.stderr
    assert json.loads(run_.stdout)["answers"][0]["id"] == "ebs-encryption"


def test_ask_what_is_shows_the_glossary_definition(capsys):
    code, out, _ = run(capsys, "ask", "what is a DEK?")
    assert code == 0 and out.startswith("data encryption key:")


# ---------------------------------------------------------------- what the terminal cannot read or show


def _byte_stream(data: bytes = b"", encoding: str = "utf-8") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="strict")


def test_undecodable_input_and_unprintable_output_never_raise(monkeypatch):
    # Piped questions with bytes that are not UTF-8, arguments the OS could not decode
    # (surrogate escapes), and a stdout that only takes ASCII: no traceback, exit 0.
    monkeypatch.setattr(sys, "stdin", _byte_stream(b"encrypt \xff\xfe ebs volumes\n"))
    monkeypatch.setattr(sys, "stdout", _byte_stream())
    assert main(["ask", "--json", "--batch"]) == 0
    sys.stdout.seek(0)
    assert json.loads(sys.stdout.read())["answers"][0]["id"] == "ebs-encryption"

    monkeypatch.setattr(sys, "stdout", _byte_stream())
    assert main(["ask", "--json", "encrypt \udcff ebs volumes"]) == 0
    sys.stdout.seek(0)
    assert json.loads(sys.stdout.read())["answers"]

    monkeypatch.setattr(sys, "stdout", _byte_stream(encoding="ascii"))
    assert main(["show", "ebs-encryption"]) == 0
    sys.stdout.seek(0)
    assert "Encrypted EBS volumes" in sys.stdout.read()


@pytest.mark.parametrize("value", ["", "  "])
def test_snippet_empty_output_is_a_usage_error_not_stdout(capsys, value):
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--output", value)
    assert code == 2 and out == ""
    assert "--output needs a file name" in err and "--output ebs-storageclass.yaml" in err


def test_snippet_flag_that_does_not_apply_is_reported(capsys):
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--type", "gp2", "--iops", "5000", "--throughput", "x")
    assert code == 0 and "iops" not in out and "throughput" not in out
    assert "--iops does not apply" in err and "--throughput does not apply" in err
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--iops", "5000")
    assert code == 0 and "does not apply" not in err


@pytest.mark.parametrize("argv", [["--list", "--json"], ["--json", "--list"], ["--json", "-l"]])
def test_snippet_list_takes_json_before_or_after(capsys, argv):
    code, out, err = run(capsys, "snippet", *argv)
    assert code == 0 and err == ""
    assert [row["kind"] for row in json.loads(out)] == snippets.kind_names()


def test_tour_reset_that_cannot_remove_the_file_is_a_message_not_a_traceback(capsys, tmp_path, monkeypatch):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x")
    monkeypatch.setenv("EKSGUIDE_HOME", str(not_a_directory))
    code, out, err = run(capsys, "tour", "--reset", "--yes")
    assert code == 1 and out == ""
    assert "eksguide: tour --reset: cannot forget progress in " + str(not_a_directory) in err
    assert "Traceback" not in err


def test_tour_reset_prompt_answered_with_end_of_input_keeps_progress(capsys, monkeypatch):
    class Terminal(io.StringIO):  # Ctrl+D at the prompt: input() raises EOFError
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(""))
    code, out, err = run(capsys, "tour", "--reset")
    assert code == 0 and "kept your progress" in err


def test_colour_follows_the_stdout_of_the_moment(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert main(["list"]) == 0
    assert "\x1b[" in sys.stdout.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert main(["list"]) == 0
    assert "\x1b[" not in sys.stdout.getvalue()


def test_kind_help_never_breaks_an_example_inside_a_word(capsys, monkeypatch):
    # argparse wraps at hyphens by default, so a copied example ARN came out as "us-east-\n1".
    monkeypatch.setenv("COLUMNS", "80")
    for kind in snippets.kind_names():
        code, out, _ = run(capsys, "snippet", kind, "--help")
        assert code == 0
        for field in snippets.get(kind).fields:
            if field.example and field.type != "choice" and " " not in field.example:
                assert field.example in out, (kind, field.id)


def test_field_help_ends_with_one_full_stop():
    from snippets import Field
    from tui.cli import _field_help

    assert _field_help(Field("a", "A", "Off: only a file. (Existing clusters only.)")) == (
        "Off: only a file. (Existing clusters only.)")
    assert _field_help(Field("a", "A", "No stop")) == "No stop."
    assert _field_help(Field("a", "A", "One stop.")) == "One stop."


@pytest.mark.parametrize("given", ["EBS-Encryption", " ebs-encryption "])
def test_show_takes_an_id_in_any_case_or_with_spaces(capsys, given):
    code, out, err = run(capsys, "show", given)
    assert code == 0 and err == "" and load_knowledge().get("ebs-encryption").title in out


def test_glossary_suggestions_include_abbreviations(capsys):
    code, out, err = run(capsys, "glossary", "irsaa")
    assert code == 2 and out == "" and "did you mean: IAM roles for service accounts" in err


def test_tour_yes_needs_reset(capsys):
    code, out, err = run(capsys, "tour", "--status", "--yes")
    assert code == 2 and out == "" and "--yes goes with --reset" in err


# ---------------------------------------------------------------- correctness sweep (issue 10, points 17-18)


def test_list_hint_goes_to_stderr(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0 and "Read one with" in err and "Read one with" not in out


def test_ask_batch_text_is_one_line_per_question(capsys, monkeypatch):
    questions = "how do I encrypt EBS volumes\n\nwhat is the weather in Paris\nrotate kms keys\n"
    code, out, _ = run(capsys, "ask", "--batch", stdin=questions, monkeypatch=monkeypatch)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4
    assert lines[0].split("\t")[:2] == ["how do I encrypt EBS volumes", "ebs-encryption"]
    assert lines[1] == "\t-\tno confident answer"
    assert lines[2].split("\t")[1] == "-"
    assert lines[3].split("\t")[1] == "rotate-cmks"


def test_ask_batch_text_never_echoes_escape_sequences(capsys, monkeypatch):
    code, out, _ = run(capsys, "ask", "--batch", stdin="\x1b]0;title\x07\x1b[2J ebs volumes\n", monkeypatch=monkeypatch)
    assert code == 0 and "\x1b" not in out and "\x07" not in out


def test_snippet_without_a_kind_is_a_usage_error(capsys):
    code, out, err = run(capsys, "snippet")
    assert code == 2 and out == "" and "usage: eksguide snippet" in err
    code, out, _ = run(capsys, "snippet", "--help")
    assert code == 0 and "usage: eksguide snippet" in out


def test_output_dash_means_standard_output(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "snippet", "ebs-storageclass", "--output", "-")
    assert code == 0 and out.startswith("# Generated by eksguide: ebs-storageclass")
    assert not (tmp_path / "-").exists() and "wrote" not in err
    code, _, err = run(capsys, "snippet", "ebs-storageclass", "-o", "-", "--force")
    assert code == 2 and "--force" in err


def test_version_does_not_import_the_knowledge_base():
    code = ("import sys; from tui.cli import main; main(['--version']); "
            "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] in ('knowledge', 'snippets'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("eksguide ") and result.stderr == "[]"


def test_no_did_you_mean_for_a_correction_that_answers_nothing(capsys):
    code, out, err = run(capsys, "ask", "sops")
    assert code == 0 and "Did you mean" not in out + err
    code, out, _ = run(capsys, "ask", "--json", "sops")
    assert "did_you_mean" not in json.loads(out)


def test_glossary_suggests_only_related_terms(capsys):
    code, _, err = run(capsys, "glossary", "ebz")
    assert code == 2 and "did you mean: EBS volume" in err
    for unrelated in ("AWS managed key", "External Secrets Operator", "encryption at rest"):
        assert unrelated not in err
    code, out, _ = run(capsys, "glossary", "ebs")
    assert code == 0 and out.startswith("EBS volume")


class _NoReconfigure:
    """A standard input that cannot be reconfigured and decodes strictly, like some wrappers."""

    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)

    def __iter__(self):
        return iter(io.TextIOWrapper(io.BytesIO(self.buffer.getvalue()), encoding="utf-8", errors="strict"))


def test_batch_line_with_an_invalid_byte_is_decoded_and_answered(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _NoReconfigure(b"kms\xffkey rotation\nencrypt ebs volumes\n"))
    code, out, _ = run(capsys, "ask", "--json", "--batch")
    replies = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["answers"][0]["id"] for r in replies] == ["rotate-cmks", "ebs-encryption"]


def test_refresh_interval_of_thousands_of_digits_is_a_field_error(capsys):
    # Issue 14, item 1: this was a traceback (Fraction's digit limit); now a named field, exit 2.
    code, out, err = run(capsys, "snippet", "external-secret", "--name", "db", "--namespace", "app", "--region",
                         "us-east-1", "--service-account", "reader", "--extract", "prod/db",
                         "--refresh-interval", "9" * 5000 + "h")
    assert code == 2 and out == "" and "--refresh-interval" in err and "such as 1h" in err
