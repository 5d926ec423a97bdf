"""What the secret-store kinds share: Kubernetes Secret keys, Secrets Manager and SSM names and ARNs,
Go durations, image references, mount paths, and a YAML dumper that writes embedded YAML as a
literal block.

None of these kinds asks for a secret value: they name secrets that live in AWS Secrets Manager
or SSM Parameter Store, or read each value from a file the user writes.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from .. import emit, validators


# Kubernetes Secret (and ConfigMap) data keys: IsConfigMapKey in apimachinery.
SECRET_KEY_RE = re.compile(r"[-._a-zA-Z0-9]{1,253}")

# Secrets Manager secret names: ASCII letters, digits and /_+=.@- (CreateSecret Name).
SM_NAME_RE = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
# SSM parameter names: a plain name, or a hierarchy that starts with '/'.
SSM_NAME_RE = re.compile(r"[A-Za-z0-9_.-]+|(?:/[A-Za-z0-9_.-]+)+")
SSM_NAME_MAX = 1011
SSM_MAX_LEVELS = 15
_REGION = rf"(?P<region>{validators.REGION_PATTERN})"
SM_ARN_RE = re.compile(rf"arn:aws[a-z-]*:secretsmanager:{_REGION}:\d{{12}}:secret:(?P<name>[A-Za-z0-9/_+=.@-]{{1,512}})")
SSM_ARN_RE = re.compile(rf"arn:aws[a-z-]*:ssm:{_REGION}:\d{{12}}:parameter/(?P<name>[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)")

EXAMPLE_SM_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"
EXAMPLE_SSM_ARN = "arn:aws:ssm:us-east-1:111122223333:parameter/prod/db/password"

# A JMESPath identifier that needs no quoting; anything else is written as a quoted identifier.
_JMES_BARE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Container image references (the grammar of distribution/reference, simplified).
_IMAGE_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?/)"
IMAGE_RE = re.compile(
    rf"(?P<name>{_IMAGE_DOMAIN}?{_IMAGE_COMPONENT}(?:/{_IMAGE_COMPONENT})*)"
    r"(?P<tag>:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
    r"(?P<digest>@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?"
)

_MOUNT_SEGMENT_RE = re.compile(r"[A-Za-z0-9._-]+")

# Go's time.ParseDuration, without signs: one or more <number><unit>, or a bare 0.
_DURATION_PART_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ns|us|µs|μs|ms|s|m|h)")
_NS_PER_UNIT = {
    "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
    "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
}
_MAX_DURATION_NS = 2**63 - 1
# Go's longest duration is 2562047h47m16.854775807s (32 characters); a longer text is refused before
# any number in it is converted, so thousands of digits cost nothing (and never reach Fraction's limit).
MAX_DURATION_LENGTH = 64


def secret_key(value: str) -> str | None:
    """A key of a Kubernetes Secret's data (also a safe file name: no '/', not '.' or '..')."""
    if not SECRET_KEY_RE.fullmatch(value) or value in (".", "..") or value.startswith(".."):
        return (
            f"{value!r} is not a valid Secret key; use letters, digits, '-', '_' and '.' "
            "(at most 253, not starting with '..'), such as db-password or tls.crt"
        )
    return None


def sm_name_or_arn(value: str) -> str | None:
    """A Secrets Manager secret, by name or by ARN."""
    if value.startswith("arn:"):
        if not SM_ARN_RE.fullmatch(value):
            return f"{value!r} is not a Secrets Manager secret ARN; use one such as {EXAMPLE_SM_ARN}"
        return None
    if not SM_NAME_RE.fullmatch(value):
        return (
            f"{value!r} is not a Secrets Manager secret name; use letters, digits and /_+=.@- "
            "(at most 512), such as prod/db, or the secret's ARN"
        )
    return None


def ssm_name_or_arn(value: str) -> str | None:
    """An SSM Parameter Store parameter, by name or by ARN."""
    if value.startswith("arn:"):
        if not SSM_ARN_RE.fullmatch(value):
            return f"{value!r} is not an SSM parameter ARN; use one such as {EXAMPLE_SSM_ARN}"
        return None
    if (
        not SSM_NAME_RE.fullmatch(value)
        or len(value) > SSM_NAME_MAX
        or value.count("/") > SSM_MAX_LEVELS
    ):
        return (
            f"{value!r} is not an SSM parameter name; use letters, digits and _.- with a leading '/' "
            "for each level of a hierarchy (at most 15 levels), such as /prod/db/password"
        )
    return None


def arn_region(value: str) -> str | None:
    """The Region of a Secrets Manager or SSM ARN, or None when the value is not such an ARN."""
    match = SM_ARN_RE.fullmatch(value) or SSM_ARN_RE.fullmatch(value)
    return match.group("region") if match else None


def go_duration_ns(value: str) -> int | None:
    """Nanoseconds in a Go duration string such as 1h, 30m or 1h30m ('0' and '0s' are zero)."""
    if value == "0":
        return 0
    if not value or len(value) > MAX_DURATION_LENGTH:
        return None
    total = Fraction(0)
    position = 0
    while position < len(value):
        match = _DURATION_PART_RE.match(value, position)
        if match is None:
            return None
        total += Fraction(match.group(1)) * _NS_PER_UNIT[match.group(2)]
        position = match.end()
    nanoseconds = int(total)
    return nanoseconds if nanoseconds <= _MAX_DURATION_NS else None


def go_duration(value: str) -> str | None:
    if len(value) > MAX_DURATION_LENGTH:
        return (f"is {len(value)} characters long; a duration has at most {MAX_DURATION_LENGTH} (Go's longest is "
                "2562047h47m16.854775807s), such as 1h, 30m or 1h30m")
    if go_duration_ns(value) is None:
        return (
            f"{value!r} is not a duration; use a number and a unit (h, m, s), "
            "such as 1h, 30m or 1h30m (0s reads the secret only once)"
        )
    return None


def image_reference(value: str) -> str | None:
    match = IMAGE_RE.fullmatch(value)
    if not match or len(match.group("name")) > 255:
        return (
            f"{value!r} is not a container image reference; use one such as "
            "111122223333.dkr.ecr.us-east-1.amazonaws.com/my-app:1.4.2"
        )
    return None


def mount_path(value: str) -> str | None:
    segments = value.split("/")
    if (
        len(value) > 1024
        or not value.startswith("/")
        or len(segments) < 2
        or not all(_MOUNT_SEGMENT_RE.fullmatch(s) and s not in (".", "..") for s in segments[1:])
    ):
        return (
            f"{value!r} is not a usable mount path; use an absolute directory path of letters, digits "
            "and ._- with no '..' parts, such as /mnt/secrets-store"
        )
    return None


def _one_of(fields: Iterable[str]) -> str:
    return ", ".join(fields)


_BlockText = emit.BlockText


def _documents(docs: list[dict[str, Any]]) -> str:
    return emit.yaml_documents(docs)


def _valid(value: Any, validator) -> bool:
    return isinstance(value, str) and bool(value) and validator(value) is None
