"""secret-read-alarm: a bash script of AWS CLI commands that turns the EKS audit log on, adds a
metric filter that really matches secret reads, and an alarm on that metric.

The filter pattern is assembled with snippets.insights; shell words are quoted with
emit.shell_command; JSON arguments are built with json.dumps before being quoted.
"""
from __future__ import annotations

import json
from typing import Any

from .. import emit, insights, validators
from ..spec import Field, FieldError, Snippet, Spec
from .audit_parts import PRACTICES, RESOURCE, STAGE, VERBS_FIELD, cluster_name, _given, _log_group, _verbs


RETENTION_DAYS = (
    "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545",
    "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653",
)


# CloudWatch Logs metric filters: metricName and metricNamespace may not contain these.
_METRIC_FORBIDDEN = ":*$"
# Values the AWS CLI would read from a file or URL instead of using as written.
_CLI_PARAMFILE_PREFIXES = ("file://", "fileb://", "http://", "https://")


def _cli_word(value: str) -> str | None:
    """A value the AWS CLI takes as written: not an option, not a file or URL to load."""
    if value.startswith("-"):
        return "must not start with '-' (the AWS CLI would read it as an option)"
    if value.lower().startswith(_CLI_PARAMFILE_PREFIXES):
        return "must not start with file://, fileb://, http:// or https:// (the AWS CLI would load that instead)"
    return None


def _plain_name(value: str, limit: int, forbidden: str, example: str) -> str | None:
    problem = insights.unsupported_character(value) or _cli_word(value)
    if problem:
        return f"{problem}; use a name such as {example}"
    if len(value) > limit:
        return f"is {len(value)} characters long; at most {limit} are allowed, such as {example}"
    bad = sorted({ch for ch in value if ch in forbidden})
    if bad:
        return f"must not contain {' '.join(repr(c) for c in bad)}; use a name such as {example}"
    return None


def metric_name(value: str) -> str | None:
    return _plain_name(value, 255, _METRIC_FORBIDDEN, "SecretReads")


def metric_namespace(value: str) -> str | None:
    problem = _plain_name(value, 255, _METRIC_FORBIDDEN, "EKS/Audit")
    if problem:
        return problem
    if value.startswith("AWS/"):
        return "namespaces starting with AWS/ are reserved for AWS services; use your own, such as EKS/Audit"
    return None


def filter_name(value: str) -> str | None:
    return _plain_name(value, 512, ":*", "secret-reads")


def alarm_name(value: str) -> str | None:
    return _plain_name(value, 255, "", "eks-prod-secret-reads")


def period_seconds(value: int) -> str | None:
    if value % 60:
        return f"must be a multiple of 60 seconds, such as 300 (got {value})"
    return None


LOGGING_AUDIT_ON = {"clusterLogging": [{"types": ["audit"], "enabled": True}]}


def secret_read_pattern(verbs: list[str]) -> str:
    """The metric filter pattern that matches one audit event per secret read."""
    return insights.json_pattern(insights.json_all([
        insights.json_equals("objectRef.resource", RESOURCE),
        insights.json_equals("stage", STAGE),
        insights.json_any([insights.json_equals("verb", v) for v in verbs]),
    ]))


def metric_transformations(name: str, namespace: str) -> str:
    """The --metric-transformations argument as JSON: count 1 per match, 0 when nothing matches."""
    return json.dumps(
        [{"metricName": name, "metricNamespace": namespace, "metricValue": "1", "defaultValue": 0}],
        ensure_ascii=False,
    )


def _jmespath_literal(value: str) -> str:
    """A JMESPath JSON literal (`"..."`), for the --query of describe-log-groups."""
    return "`" + json.dumps(value).replace("`", "\\`") + "`"


def _default_alarm_name(cluster: str) -> str:
    return f"eks-{cluster}-secret-reads"


def _check_alarm(answers: dict[str, Any]):
    verbs = answers.get("verbs")
    if verbs:
        try:
            secret_read_pattern(list(dict.fromkeys(verbs)))
        except insights.QueryError as exc:
            yield FieldError("verbs", f"cannot make a metric filter pattern: {exc}")
    region, topic = answers.get("region"), answers.get("sns-topic-arn")
    if region and topic and topic.split(":")[3] != region:
        yield FieldError(
            "sns-topic-arn",
            f"is a topic in {topic.split(':')[3]}, but the alarm is created in --region {region}; CloudWatch accepts "
            f"only a topic in the alarm's Region (the script would stop after making the log group and metric "
            f"filter), for example arn:aws:sns:{region}:111122223333:security-alerts",
        )
    period = _given(ALARM_FIELDS, answers, "period")
    evaluations = _given(ALARM_FIELDS, answers, "evaluation-periods")
    if period and evaluations:
        longest = 86400 if period < 3600 else 604800
        if period * evaluations > longest:
            yield FieldError(
                "evaluation-periods",
                f"period x evaluation periods is {period * evaluations} seconds; CloudWatch allows at most "
                f"{longest} ({'one day for periods under an hour' if longest == 86400 else 'seven days'}), "
                "for example --period 300 --evaluation-periods 1",
            )


def _aws(region: str | None, service: str, operation: str, *args: str) -> list[str]:
    words = ["aws", service, operation]
    if region:
        words += ["--region", region]
    return words + list(args)


def render_alarm(answers: dict[str, Any]) -> Snippet:
    cluster: str = answers["cluster-name"]
    region: str | None = answers.get("region")
    verbs = _verbs(answers)
    log_group = _log_group(cluster)
    name = _given(ALARM_FIELDS, answers, "metric-name")
    namespace = _given(ALARM_FIELDS, answers, "metric-namespace")
    fname = _given(ALARM_FIELDS, answers, "filter-name")
    period = _given(ALARM_FIELDS, answers, "period")
    evaluations = _given(ALARM_FIELDS, answers, "evaluation-periods")
    threshold = _given(ALARM_FIELDS, answers, "threshold")
    alarm = answers.get("alarm-name") or _default_alarm_name(cluster)
    topic = answers.get("sns-topic-arn")
    retention = answers.get("retention-days")
    pattern = secret_read_pattern(verbs)
    wide = [v for v in verbs if v in ("list", "watch")]

    def cmd(*words: str, indent: str = "") -> str:
        return emit.shell_command(*words, continuation_after=3).replace("\n", "\n" + indent)

    notes = [
        f"Turns on the audit log of EKS cluster {cluster}, counts secret reads ({', '.join(verbs)}) "
        f"in its log group {log_group} with a metric filter and raises the CloudWatch alarm {alarm} "
        "when they reach the threshold. Every step can be run again, with one exception: while another update of "
        "the cluster is in progress, EKS refuses update-cluster-config (ResourceInUseException) and the script stops "
        "before the metric filter and alarm; run it again once that update has finished.",
        'The old EKS best-practices guide\'s metric filter tested $.objectRef.resource = "secret": '
        'it never matches, because the audit log records the plural "secrets" and = on a string is '
        "an exact match.",
        f'The pattern also requires stage = "{STAGE}" so each request counts once.',
        (
            "list and watch are counted because they return the contents of every secret they cover. "
            "Controllers and operators in the cluster list and watch secrets as part of their work: expect "
            "a baseline, then raise --threshold or narrow --verbs if the alarm is too noisy."
            if wide else
            "Only get is counted: list and watch also return secret contents, add them with "
            "--verbs get,list,watch to see those reads too."
        ),
        "A metric filter only sees events that arrive after it is created. CloudWatch Logs charges "
        "for ingesting and storing the audit log; --retention-days limits how long it is kept.",
        f"Setting this up for several clusters? Give each its own --metric-name, or one metric "
        f"({namespace} {name}) sums the reads of all of them.",
    ]

    count_query = f"length(logGroups[?logGroupName=={_jmespath_literal(log_group)}])"
    lines = [
        "#!/usr/bin/env bash",
        emit.header("secret-read-alarm", PRACTICES, notes).rstrip("\n"),
        "set -euo pipefail",
        "",
        "# 1. The log group EKS writes control-plane logs to. Created here if it does not exist yet,",
        "#    so the metric filter can be attached before the first audit event arrives.",
        'log_group_count="$('
        + cmd(*_aws(region, "logs", "describe-log-groups", "--log-group-name-prefix", log_group,
                    "--query", count_query, "--output", "text"))
        + ')"',
        'if [ "${log_group_count}" = "0" ]; then',
        "  " + cmd(*_aws(region, "logs", "create-log-group", "--log-group-name", log_group), indent="  "),
        "fi",
    ]
    if retention:
        lines += [
            f"# Keep the control-plane log events for {retention} days (a new log group keeps them forever).",
            cmd(*_aws(region, "logs", "put-retention-policy", "--log-group-name", log_group,
                      "--retention-in-days", retention)),
        ]
    lines += [
        "",
        "# 2. Turn on the 'audit' log type; log types not named here keep their setting. EKS refuses",
        "#    an update that changes nothing, so the step is skipped when audit logging is on already.",
        'enabled_log_types="$('
        + cmd(*_aws(region, "eks", "describe-cluster", "--name", cluster,
                    "--query", "cluster.logging.clusterLogging[?enabled].types[]", "--output", "text"))
        + ')"',
        'case " ${enabled_log_types} " in',
        "  *[[:space:]]audit[[:space:]]*)",
        "    " + emit.shell_command("echo", f"Audit logging is already on for cluster {cluster}."),
        "    ;;",
        "  *)",
        '    update_id="$('
        + cmd(*_aws(region, "eks", "update-cluster-config", "--name", cluster,
                    "--logging", json.dumps(LOGGING_AUDIT_ON), "--query", "update.id", "--output", "text"),
              indent="    ")
        + ')"',
        "    "
        + emit.shell_command(
            "printf", "Turning on audit logging for cluster %s: EKS update %s (see aws eks describe-update).\\n", cluster
        )
        + ' "${update_id}"',
        "    ;;",
        "esac",
        "",
        "# 3. Count one per secret read, and 0 for each minute with audit events but no read.",
        cmd(*_aws(region, "logs", "put-metric-filter", "--log-group-name", log_group, "--filter-name", fname,
                  "--filter-pattern", pattern, "--metric-transformations", metric_transformations(name, namespace))),
        "",
        "# 4. Alarm when the reads in one period reach the threshold; no data (no audit events) is not a breach.",
    ]
    alarm_args = [
        "--alarm-name", alarm,
        "--alarm-description",
        f"Reads of Kubernetes Secrets ({', '.join(verbs)}) in EKS cluster {cluster}, "
        f"counted by metric filter {fname} on {log_group}",
        "--namespace", namespace, "--metric-name", name,
        "--statistic", "Sum", "--period", str(period),
        "--evaluation-periods", str(evaluations),
        "--threshold", str(threshold),
        "--comparison-operator", "GreaterThanOrEqualToThreshold",
        "--treat-missing-data", "notBreaching",
    ]
    if topic:
        alarm_args += ["--alarm-actions", topic]
    lines.append(cmd(*_aws(region, "cloudwatch", "put-metric-alarm", *alarm_args)))

    warnings = []
    if not topic:
        warnings.append(
            "No --sns-topic-arn: the alarm changes state in the CloudWatch console but notifies nobody."
        )
    elif not region:
        warnings.append(
            f"--region is empty: the alarm is created in the AWS CLI's default Region, and PutMetricAlarm refuses "
            f"the SNS topic unless that Region is {topic.split(':')[3]}; give --region {topic.split(':')[3]}."
        )
    return Snippet(
        text="\n".join(lines) + "\n", filename="secret-read-alarm.sh",
        warnings=tuple(warnings),
    )


ALARM_FIELDS = (
    Field(
        "cluster-name", "Cluster name", "The EKS cluster to watch; its audit log goes to /aws/eks/<name>/cluster.",
        required=True, example="prod-eu-1", validate=cluster_name,
    ),
    Field(
        "region", "Region",
        "The AWS Region of the cluster. Leave empty to use the AWS CLI's configured Region.",
        example="eu-west-1", validate=validators.region,
    ),
    VERBS_FIELD,
    Field(
        "metric-name", "Metric name", "The CloudWatch metric the filter counts into.",
        default="SecretReads", example="SecretReads", validate=metric_name,
    ),
    Field(
        "metric-namespace", "Metric namespace", "The CloudWatch namespace of that metric (not AWS/...).",
        default="EKS/Audit", example="EKS/Audit", validate=metric_namespace,
    ),
    Field(
        "filter-name", "Metric filter name",
        "The name of the metric filter on the log group; running the script again updates it.",
        default="secret-reads", example="secret-reads", validate=filter_name,
    ),
    Field(
        "alarm-name", "Alarm name",
        "The CloudWatch alarm's name, unique in the Region. Empty means eks-<cluster-name>-secret-reads.",
        example="eks-prod-eu-1-secret-reads", validate=alarm_name,
    ),
    Field(
        "threshold", "Threshold",
        "The alarm fires when the reads in one period reach this number. 1 means any read.",
        type="int", default=1, minimum=1, maximum=1_000_000, example="1",
    ),
    Field(
        "period", "Period (seconds)",
        "How many seconds of reads the alarm adds up at a time; a multiple of 60.",
        type="int", default=300, minimum=60, maximum=86400, example="300", validate=period_seconds,
    ),
    Field(
        "evaluation-periods", "Evaluation periods",
        "How many periods in a row must reach the threshold before the alarm fires.",
        type="int", default=1, minimum=1, maximum=10080, example="1",
    ),
    Field(
        "sns-topic-arn", "SNS topic ARN",
        "The SNS topic the alarm notifies. Leave empty for an alarm without a notification.",
        example="arn:aws:sns:eu-west-1:111122223333:security-alerts", validate=validators.sns_topic_arn,
    ),
    Field(
        "retention-days", "Log retention (days)",
        "How long CloudWatch Logs keeps the cluster's control-plane logs. Empty leaves the log "
        "group's setting alone (a new group keeps events forever).",
        type="choice", choices=RETENTION_DAYS,
    ),
)

SECRET_READ_ALARM = Spec(
    kind="secret-read-alarm",
    title="Alarm on secret reads (audit log metric filter)",
    description="AWS CLI script: EKS audit logging, a metric filter that matches secret reads, a CloudWatch alarm",
    language="shell",
    practices=PRACTICES,
    fields=ALARM_FIELDS,
    render=render_alarm,
    checks=(_check_alarm,),
)

SPECS = (SECRET_READ_ALARM,)
