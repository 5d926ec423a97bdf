"""secret-read-alarm: golden files, the AWS calls run against a stand-in, the metric filter, validation."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import assert_golden
from snippets.spec import SnippetError, build, check
from test_insights import read_pattern_strings
from tests.kinds_audit_helpers import ALARM, BASH, errors_of, hostile_text


# ------------------------------------------------------------------------- secret-read-alarm

ALARM_CASES = {
    "minimal": {"cluster-name": "prod-eu-1"},
    "full": {
        "cluster-name": "payments_cluster", "region": "eu-west-1", "verbs": "get", "metric-name": "PaymentsSecretReads",
        "metric-namespace": "Security/EKS", "filter-name": "payments-secret-reads", "alarm-name": "payments secret reads",
        "threshold": 5, "period": 600, "evaluation-periods": 2,
        "sns-topic-arn": "arn:aws:sns:eu-west-1:111122223333:security-alerts", "retention-days": 90,
    },
}


def aws_commands(script: str) -> list[list[str]]:
    """Every aws command of the script, as the shell would split its words."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        stripped = line.strip()
        captured = re.fullmatch(r'[a-z_]+="\$\((aws .*)\)"', stripped)
        if captured:
            commands.append(shlex.split(captured.group(1)))
        elif stripped.startswith("aws "):
            commands.append(shlex.split(stripped))
    return commands


def option(words: list[str], name: str) -> str:
    assert words.count(name) == 1, f"{name} appears {words.count(name)} times in {words}"
    return words[words.index(name) + 1]


def expected_calls(answers: dict, *, log_group_exists: bool, audit_on: bool) -> list[list[str]]:
    """The aws argument lists the script must run, derived from the answers by hand."""
    answers = {f.id: answers.get(f.id) or f.default for f in ALARM.fields}
    cluster = answers["cluster-name"]
    group = f"/aws/eks/{cluster}/cluster"
    region = ["--region", answers["region"]] if answers.get("region") else []
    verbs = list(dict.fromkeys(answers["verbs"]))
    calls = [["logs", "describe-log-groups", *region, "--log-group-name-prefix", group,
              "--query", f'length(logGroups[?logGroupName==`"{group}"`])', "--output", "text"]]
    if not log_group_exists:
        calls.append(["logs", "create-log-group", *region, "--log-group-name", group])
    if answers.get("retention-days"):
        calls.append(["logs", "put-retention-policy", *region, "--log-group-name", group,
                      "--retention-in-days", answers["retention-days"]])
    calls.append(["eks", "describe-cluster", *region, "--name", cluster,
                  "--query", "cluster.logging.clusterLogging[?enabled].types[]", "--output", "text"])
    if not audit_on:
        calls.append(["eks", "update-cluster-config", *region, "--name", cluster,
                      "--logging", {"clusterLogging": [{"types": ["audit"], "enabled": True}]},
                      "--query", "update.id", "--output", "text"])
    pattern = ('{ ($.objectRef.resource = "secrets") && ($.stage = "ResponseComplete") && ('
               + " || ".join(f'$.verb = "{v}"' for v in verbs) + ") }")
    calls.append(["logs", "put-metric-filter", *region, "--log-group-name", group,
                  "--filter-name", answers["filter-name"], "--filter-pattern", pattern,
                  "--metric-transformations", [{"metricName": answers["metric-name"],
                                                "metricNamespace": answers["metric-namespace"],
                                                "metricValue": "1", "defaultValue": 0}]])
    alarm = ["cloudwatch", "put-metric-alarm", *region,
             "--alarm-name", answers["alarm-name"] or f"eks-{cluster}-secret-reads",
             "--alarm-description", f"Reads of Kubernetes Secrets ({', '.join(verbs)}) in EKS cluster {cluster}, "
             f"counted by metric filter {answers['filter-name']} on {group}",
             "--namespace", answers["metric-namespace"], "--metric-name", answers["metric-name"],
             "--statistic", "Sum", "--period", str(answers["period"]),
             "--evaluation-periods", str(answers["evaluation-periods"]), "--threshold", str(answers["threshold"]),
             "--comparison-operator", "GreaterThanOrEqualToThreshold", "--treat-missing-data", "notBreaching"]
    if answers.get("sns-topic-arn"):
        alarm += ["--alarm-actions", answers["sns-topic-arn"]]
    calls.append(alarm)
    return calls


def decode_json_args(call: list[str]) -> list:
    """Replace the JSON-valued options by their parsed value (they must be valid JSON)."""
    out: list = list(call)
    for name in ("--logging", "--metric-transformations"):
        if name in out:
            i = out.index(name) + 1
            out[i] = json.loads(out[i])
    return out


def bash_syntax_ok(script: str) -> None:
    result = subprocess.run([BASH, "-n"], input=script, text=True, capture_output=True)
    assert result.returncode == 0, result.stderr


FAKE_AWS = """#!{python}
import json, os, sys
with open(os.environ["AWS_CALLS"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
operation = sys.argv[2] if len(sys.argv) > 2 else ""
answers = {{
    "describe-log-groups": os.environ["FAKE_LOG_GROUP_COUNT"],
    "describe-cluster": os.environ["FAKE_ENABLED_TYPES"],
    "update-cluster-config": "0f1e2d3c-update",
}}
if operation in answers:
    print(answers[operation])
"""


@pytest.fixture
def fake_aws(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    aws = bindir / "aws"
    aws.write_text(FAKE_AWS.format(python=sys.executable), encoding="utf-8")
    aws.chmod(0o755)

    def run(script: str, *, log_group_exists: bool, enabled_types: str) -> tuple[list[list[str]], str]:
        calls = tmp_path / "calls.jsonl"
        calls.write_text("", encoding="utf-8")
        path = tmp_path / "secret-read-alarm.sh"
        path.write_text(script, encoding="utf-8")
        env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", "AWS_CALLS": str(calls),
               "FAKE_LOG_GROUP_COUNT": "1" if log_group_exists else "0", "FAKE_ENABLED_TYPES": enabled_types}
        result = subprocess.run([BASH, str(path)], env=env, text=True, capture_output=True, timeout=60)
        assert result.returncode == 0, result.stderr
        recorded = [json.loads(line) for line in calls.read_text(encoding="utf-8").splitlines()]
        return recorded, result.stdout

    return run


@pytest.mark.parametrize("case", ALARM_CASES)
def test_alarm_golden(case):
    snippet = build(ALARM, ALARM_CASES[case])
    assert_golden("secret-read-alarm", case, snippet.text, "sh")
    assert snippet.language == "shell"
    assert snippet.filename == "secret-read-alarm.sh"
    assert snippet.practices == ("audit-secret-access",)


@pytest.mark.parametrize("case", ALARM_CASES)
def test_alarm_script_shape(case):
    text = build(ALARM, ALARM_CASES[case]).text
    lines = text.splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert lines[1] == "# Generated by eksguide: secret-read-alarm (implements: audit-secret-access)"
    assert "set -euo pipefail" in lines
    assert lines.index("set -euo pipefail") < min(i for i, line in enumerate(lines) if "aws " in line and not line.startswith("#"))
    bash_syntax_ok(text)


@pytest.mark.parametrize("case", ALARM_CASES)
def test_alarm_commands_round_trip(case):
    answers, errors = check(ALARM, ALARM_CASES[case])
    assert not errors
    text = build(ALARM, ALARM_CASES[case]).text
    parsed = [decode_json_args(c[1:]) for c in aws_commands(text)]
    assert all(c[0] == "aws" for c in aws_commands(text))
    assert parsed == expected_calls(answers, log_group_exists=False, audit_on=False)


@pytest.mark.skipif(BASH is None, reason="needs bash")
@pytest.mark.parametrize("case", ALARM_CASES)
@pytest.mark.parametrize("log_group_exists,enabled_types,audit_on", [
    (False, "", False),
    (True, "api\tscheduler", False),
    (True, "api\taudit\tauthenticator", True),
    (True, "audit", True),
    (False, "auditing", False),
])
def test_alarm_script_runs_the_right_aws_calls(fake_aws, case, log_group_exists, enabled_types, audit_on):
    answers, _ = check(ALARM, ALARM_CASES[case])
    calls, stdout = fake_aws(build(ALARM, ALARM_CASES[case]).text, log_group_exists=log_group_exists,
                             enabled_types=enabled_types)
    assert [decode_json_args(c) for c in calls] == expected_calls(answers, log_group_exists=log_group_exists,
                                                                   audit_on=audit_on)
    if audit_on:
        assert f"Audit logging is already on for cluster {answers['cluster-name']}." in stdout
    else:
        assert f"Turning on audit logging for cluster {answers['cluster-name']}: EKS update 0f1e2d3c-update" in stdout


def test_metric_filter_pattern_matches_secret_reads():
    words = [w for w in aws_commands(build(ALARM, {"cluster-name": "c1"}).text) if w[2] == "put-metric-filter"][0]
    pattern = option(words, "--filter-pattern")
    assert len(pattern) <= 1024
    assert pattern.startswith("{ ") and pattern.endswith(" }")
    assert read_pattern_strings(pattern) == ["secrets", "ResponseComplete", "get", "list", "watch"]
    assert '$.objectRef.resource = "secrets"' in pattern
    assert '"secret"' not in pattern
    # '||' only inside the parenthesised verb group, so && binds as intended
    group = re.search(r"&& \((\$\.verb = \"\w+\"(?: \|\| \$\.verb = \"\w+\")*)\) }$", pattern)
    assert group and pattern.count("||") == 2


def test_metric_filter_pattern_for_one_verb():
    words = [w for w in aws_commands(build(ALARM, {"cluster-name": "c1", "verbs": "get"}).text)
             if w[2] == "put-metric-filter"][0]
    assert option(words, "--filter-pattern") == (
        '{ ($.objectRef.resource = "secrets") && ($.stage = "ResponseComplete") && ($.verb = "get") }'
    )


def test_alarm_settings():
    words = aws_commands(build(ALARM, {"cluster-name": "c1"}).text)[-1]
    assert words[1:3] == ["cloudwatch", "put-metric-alarm"]
    assert option(words, "--statistic") == "Sum"
    assert option(words, "--comparison-operator") == "GreaterThanOrEqualToThreshold"
    assert option(words, "--treat-missing-data") == "notBreaching"
    assert option(words, "--threshold") == "1"
    assert option(words, "--period") == "300"
    assert option(words, "--alarm-name") == "eks-c1-secret-reads"
    assert option(words, "--namespace") == "EKS/Audit" and option(words, "--metric-name") == "SecretReads"
    assert "--alarm-actions" not in words and "--region" not in words


def test_alarm_header_explains_old_filter():
    text = build(ALARM, {"cluster-name": "c1"}).text
    header = "\n".join(line for line in text.splitlines() if line.startswith("# "))
    assert '"secret"' in header and '"secrets"' in header and "never matches" in header


def test_alarm_warnings():
    assert "notifies nobody" in build(ALARM, {"cluster-name": "c1"}).warnings[0]
    same = build(ALARM, {"cluster-name": "c1", "region": "eu-west-1",
                         "sns-topic-arn": "arn:aws:sns:eu-west-1:111122223333:t"})
    assert same.warnings == ()
    no_region = build(ALARM, {"cluster-name": "c1", "sns-topic-arn": "arn:aws:sns:us-east-1:111122223333:t"})
    assert "--region us-east-1" in no_region.warnings[0]


# Point 3: PutMetricAlarm refuses a topic in another Region, after the log group and filter were made.
def test_topic_in_another_region_is_a_field_error():
    errors = errors_of(ALARM, {"cluster-name": "c1", "region": "eu-west-1",
                               "sns-topic-arn": "arn:aws:sns:us-east-1:111122223333:t"})
    assert set(errors) == {"sns-topic-arn"}
    assert "us-east-1" in errors["sns-topic-arn"] and "arn:aws:sns:eu-west-1:" in errors["sns-topic-arn"]


# Point 8: not every step can be run again while another cluster update is in progress.
def test_alarm_header_does_not_promise_every_step_is_safe_to_rerun():
    text = build(ALARM, {"cluster-name": "c1"}).text
    assert "Every step can be run again safely" not in text
    assert "ResourceInUseException" in text


@pytest.mark.parametrize("name", [
    "prod; rm -rf /", "$(id)", "`id`", "-prod", "_prod", "a" * 101, "pro\nd", "prod cluster", "ünï", "a'b", 'a"b',
    "a|b", "a/b", "a.b", "--name",
])
def test_hostile_cluster_names_are_refused(name):
    message = errors_of(ALARM, {"cluster-name": name})["cluster-name"]
    assert "such as prod-eu-1" in message


def test_cluster_name_limits():
    build(ALARM, {"cluster-name": "a" * 100})
    build(ALARM, {"cluster-name": "0_a-B"})
    assert "required" in errors_of(ALARM, {})["cluster-name"]


@pytest.mark.parametrize("field_id,value,expect", [
    ("region", "EU-WEST-1", "us-east-1"),
    ("region", "eu-west", "us-east-1"),
    ("metric-name", "a:b", "SecretReads"),
    ("metric-name", "reads*", "SecretReads"),
    ("metric-name", "$x", "SecretReads"),
    ("metric-name", "-x", "'-'"),
    ("metric-name", "x" * 256, "at most 255"),
    ("metric-name", "a\tb", "SecretReads"),
    ("metric-namespace", "AWS/EKS", "reserved"),
    ("metric-namespace", "a:b", "EKS/Audit"),
    ("filter-name", "a:b", "secret-reads"),
    ("filter-name", "a*b", "secret-reads"),
    ("filter-name", "x" * 513, "at most 512"),
    ("alarm-name", "file:///etc/passwd", "file://"),
    ("alarm-name", "HTTPS://example.com/x", "file://"),
    ("alarm-name", "--alarm-name", "'-'"),
    ("alarm-name", "a\nb", "single line"),
    ("alarm-name", "x" * 256, "at most 255"),
    ("threshold", 0, "between 1 and"),
    ("period", 90, "multiple of 60"),
    ("period", 30, "between 60 and"),
    ("period", 86460, "between 60 and"),
    ("evaluation-periods", 0, "between 1 and"),
    ("sns-topic-arn", "arn:aws:sqs:us-east-1:111122223333:q", "security-alerts"),
    ("retention-days", 2, "one of"),
    ("verbs", "delete", "get, list or watch"),
])
def test_alarm_field_validation(field_id, value, expect):
    message = errors_of(ALARM, {"cluster-name": "c1", field_id: value})[field_id]
    assert expect in message


@pytest.mark.parametrize("period,evaluations,ok", [
    (300, 288, True), (300, 289, False), (3600, 168, True), (3600, 169, False), (86400, 7, True), (86400, 8, False),
])
def test_total_evaluation_time_rule(period, evaluations, ok):
    raw = {"cluster-name": "c1", "period": period, "evaluation-periods": evaluations}
    if ok:
        build(ALARM, raw)
    else:
        message = errors_of(ALARM, raw)["evaluation-periods"]
        assert "--period 300 --evaluation-periods 1" in message


def test_all_alarm_errors_reported_at_once():
    errors = errors_of(ALARM, {"cluster-name": "bad name", "region": "x", "metric-name": "a:b", "period": 61,
                               "sns-topic-arn": "nope", "retention-days": 2})
    assert set(errors) == {"cluster-name", "region", "metric-name", "period", "sns-topic-arn", "retention-days"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cluster=st.one_of(hostile_text, st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,20}", fullmatch=True)),
    metric=st.one_of(st.none(), hostile_text),
    namespace=st.one_of(st.none(), hostile_text),
    fname=st.one_of(st.none(), hostile_text),
    alarm=st.one_of(st.none(), hostile_text),
    verbs=st.one_of(st.none(), st.lists(st.sampled_from(["get", "list", "watch", "Get", "x"]), max_size=4)),
    threshold=st.one_of(st.none(), st.integers(-2, 2_000_000)),
    period=st.one_of(st.none(), st.integers(0, 90000), hostile_text),
)
def test_alarm_renders_exact_values_or_refuses(cluster, metric, namespace, fname, alarm, verbs, threshold, period):
    raw = {k: v for k, v in {"cluster-name": cluster, "metric-name": metric, "metric-namespace": namespace,
                             "filter-name": fname, "alarm-name": alarm, "verbs": verbs, "threshold": threshold,
                             "period": period}.items() if v is not None}
    try:
        snippet = build(ALARM, raw)
    except SnippetError as exc:
        assert exc.errors
        return
    answers, _ = check(ALARM, raw)
    parsed = [decode_json_args(c[1:]) for c in aws_commands(snippet.text)]
    assert parsed == expected_calls(answers, log_group_exists=False, audit_on=False)
    bash_syntax_ok(snippet.text)
