"""Auditing who reads Kubernetes Secrets on EKS (practice audit-secret-access).

Three kinds:
- secret-reads-query: a Logs Insights query that counts secret reads per namespace, secret
  and user, from the EKS control-plane audit log.
- secret-readers-query: a Logs Insights query that lists each read: who, which secret, when,
  from where, with which client and what answer.
- secret-read-alarm: a bash script of AWS CLI commands that turns audit logging on, adds a
  metric filter that really matches secret reads, and an alarm on that metric.

Queries and the filter pattern are assembled with snippets.insights (one quoting function
per language); shell words are quoted with emit.shell_command; JSON arguments are built with
json.dumps before being quoted.
"""
from __future__ import annotations

import json
import re
from typing import Any

from .. import emit, insights, validators
from ..spec import Field, FieldError, Snippet, Spec

PRACTICES = ("audit-secret-access",)
READ_VERBS = ("get", "list", "watch")
RESOURCE = "secrets"  # objectRef.resource holds the plural resource name
STAGE = "ResponseComplete"  # one event per request; RequestReceived would count it twice

CLUSTER_NAME_RE = re.compile(r"[0-9A-Za-z][A-Za-z0-9_-]{0,99}")
RETENTION_DAYS = (
    "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545",
    "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653",
)
MAX_USER_LENGTH = 1024
# CloudWatch Logs metric filters: metricName and metricNamespace may not contain these.
_METRIC_FORBIDDEN = ":*$"
# Values the AWS CLI would read from a file or URL instead of using as written.
_CLI_PARAMFILE_PREFIXES = ("file://", "fileb://", "http://", "https://")


# ------------------------------------------------------------------------------ validators


def cluster_name(value: str) -> str | None:
    """An EKS cluster name: 1-100 letters, digits, '-' and '_', starting with a letter or digit."""
    if not CLUSTER_NAME_RE.fullmatch(value):
        return (
            f"{value!r} is not an EKS cluster name; use 1-100 letters, digits, '-' and '_', "
            "starting with a letter or digit, such as prod-eu-1"
        )
    return None


def read_verb(value: str) -> str | None:
    if value not in READ_VERBS:
        return f"{value!r} is not a read verb; use get, list or watch in lower case, such as --verbs get,list"
    return None


def username(value: str) -> str | None:
    """A Kubernetes user name as the audit log records it: one line of visible text."""
    problem = insights.unsupported_character(value)
    if problem:
        return f"{problem}; give the user name as the audit log shows it, such as system:serviceaccount:payments:api"
    if len(value) > MAX_USER_LENGTH:
        return f"is {len(value)} characters long; at most {MAX_USER_LENGTH} fit in the query"
    return None


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


# ---------------------------------------------------------------------------- shared parts


def _verbs(answers: dict[str, Any]) -> list[str]:
    """The chosen verbs, each once, in the order given (all read verbs when none is given)."""
    return list(dict.fromkeys(answers.get("verbs") or READ_VERBS))


def _given(spec_fields: tuple[Field, ...], answers: dict[str, Any], field_id: str) -> Any:
    """The answer, or the field's default when it was left empty."""
    value = answers.get(field_id)
    if value is None or value == "" or value == ():
        return next(f.default for f in spec_fields if f.id == field_id)
    return value


def _log_group(cluster: str | None) -> str:
    return f"/aws/eks/{cluster or '<cluster-name>'}/cluster"


VERBS_FIELD = Field(
    "verbs", "Verbs to count",
    "Which read requests count: get reads one secret; list and watch return every secret in the "
    "namespace (or cluster) with their contents, so all three are reads.",
    type="list", default=READ_VERBS, choices=READ_VERBS, example="get,list,watch",
    validate=read_verb,
)

QUERY_FIELDS = (
    VERBS_FIELD,
    Field(
        "namespace", "Namespace",
        "Only count reads in this namespace. Leave empty for every namespace (cluster-wide "
        "lists have no namespace and only show up then).",
        example="payments", validate=validators.dns_label,
    ),
    Field(
        "secret-name", "Secret name",
        "Only count reads of this Secret. list and watch requests name no secret, so they drop out "
        "when this is set.",
        example="db-credentials", validate=validators.dns_subdomain,
    ),
    Field(
        "user", "User name",
        "Only count reads by this user, exactly as the audit log records it (user.username), such "
        "as a service account or the name an access entry maps an IAM role to.",
        example="system:serviceaccount:payments:api", validate=username,
    ),
    Field(
        "limit", "Rows", "How many rows the query returns at most (1-10000).",
        type="int", default=100, minimum=1, maximum=insights.MAX_LIMIT, example="100",
    ),
    Field(
        "cluster-name", "Cluster name",
        "The EKS cluster whose log group you will query; used only to name the log group in the "
        "query's comments.",
        example="prod-eu-1", validate=cluster_name,
    ),
)


def _read_conditions(answers: dict[str, Any]) -> list[str]:
    conditions = [
        insights.compare("objectRef.resource", "=", RESOURCE),
        insights.compare("stage", "=", STAGE),
        insights.one_of("verb", _verbs(answers)),
    ]
    if answers.get("namespace"):
        conditions.append(insights.compare("objectRef.namespace", "=", answers["namespace"]))
    if answers.get("secret-name"):
        conditions.append(insights.compare("objectRef.name", "=", answers["secret-name"]))
    if answers.get("user"):
        conditions.append(insights.compare("user.username", "=", answers["user"]))
    return conditions


def _query_notes(answers: dict[str, Any]) -> list[str]:
    return [
        f"Run it in CloudWatch Logs Insights on the log group {_log_group(answers.get('cluster-name'))} "
        "and pick the time range there.",
        "It only finds anything when the cluster's 'audit' control-plane log type is turned on "
        "(every log type is off by default; the secret-read-alarm snippet turns it on), and only "
        "for events logged since then.",
        f'objectRef.resource is the plural "{RESOURCE}"; stage = "{STAGE}" keeps one event per '
        "request (the API server also logs the RequestReceived stage).",
    ]


def _query_warnings(answers: dict[str, Any]) -> tuple[str, ...]:
    wide = [v for v in _verbs(answers) if v in ("list", "watch")]
    if answers.get("secret-name") and wide:
        return (
            f"--secret-name drops {' and '.join(wide)} requests: they name no secret, yet they return "
            "the contents of every secret in the namespace. Run the query without --secret-name to see them.",
        )
    return ()


# ------------------------------------------------------------------------ secret-reads-query


def render_reads(answers: dict[str, Any]) -> Snippet:
    notes = _query_notes(answers) + [
        "The filter comes before stats on purpose: after stats only the grouping fields and the "
        "count are left. The old EKS best-practices guide sorted, limited and counted first and "
        "filtered last, so its filter had nothing to test and it counted no secret reads.",
        "list and watch events have no objectRef.name: their rows show an empty secret name and "
        "stand for reads of every secret in that namespace.",
    ]
    text = insights.query(
        [
            insights.filter_command(_read_conditions(answers)),
            insights.stats_count("reads", ["objectRef.namespace", "objectRef.name", "user.username"]),
            insights.sort_command("reads"),
            insights.limit_command(_given(QUERY_FIELDS, answers, "limit")),
        ],
        header=emit.header("secret-reads-query", PRACTICES, notes),
    )
    return Snippet(
        text=text, filename="secret-reads.insights",
        warnings=_query_warnings(answers),
    )


SECRET_READS_QUERY = Spec(
    kind="secret-reads-query",
    title="Count secret reads (Logs Insights)",
    description="Logs Insights query: reads of Secrets per namespace, secret and user, from the EKS audit log",
    language="logs-insights",
    practices=PRACTICES,
    fields=QUERY_FIELDS,
    render=render_reads,
)


# ---------------------------------------------------------------------- secret-readers-query

READER_FIELDS = (
    "@timestamp", "user.username", "verb", "objectRef.namespace", "objectRef.name",
    "sourceIPs.0", "userAgent", "responseStatus.code",
)


def render_readers(answers: dict[str, Any]) -> Snippet:
    notes = _query_notes(answers) + [
        "One row per read, newest first: who (user.username), which secret, from which address "
        "(sourceIPs.0, the first address the API server saw), with which client (userAgent, set "
        "by the client and easy to fake) and the answer (responseStatus.code: 200 means the "
        "secret was returned, 403 that RBAC refused it).",
        "list and watch events have no objectRef.name: they read every secret in the namespace.",
    ]
    text = insights.query(
        [
            insights.fields_command(READER_FIELDS),
            insights.filter_command(_read_conditions(answers)),
            insights.sort_command("@timestamp"),
            insights.limit_command(_given(QUERY_FIELDS, answers, "limit")),
        ],
        header=emit.header("secret-readers-query", PRACTICES, notes),
    )
    return Snippet(
        text=text, filename="secret-readers.insights",
        warnings=_query_warnings(answers),
    )


SECRET_READERS_QUERY = Spec(
    kind="secret-readers-query",
    title="List secret readers (Logs Insights)",
    description="Logs Insights query: who read which Secret, when, from where and with what result",
    language="logs-insights",
    practices=PRACTICES,
    fields=QUERY_FIELDS,
    render=render_readers,
)


# ------------------------------------------------------------------------- secret-read-alarm

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
        "when they reach the threshold. Every step can be run again safely.",
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
    elif region and topic.split(":")[3] != region:
        warnings.append(
            f"The SNS topic is in {topic.split(':')[3]} but the alarm is created in {region}; "
            "use a topic in the alarm's Region."
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

SPECS = (SECRET_READS_QUERY, SECRET_READERS_QUERY, SECRET_READ_ALARM)
