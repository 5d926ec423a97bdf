"""Validators for the identifiers and values that snippets take.

Each validator takes a value and returns None when it is good, or a message that says what a
good value looks like. The formats follow AWS's own API models and the Kubernetes API rules.
Patterns spell digits as [0-9], never \\d, which in Python also matches Arabic-Indic, fullwidth and
other Unicode digits that AWS rejects.
"""
from __future__ import annotations

import re

_HEX = "[0-9a-f]"
# us-east-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1 (the AWS European Sovereign Cloud)
REGION_PATTERN = r"[a-z]{2,4}(?:-[a-z]+)+-[0-9]"
_REGION = REGION_PATTERN
# The AWS partitions, and the Region prefixes that belong to each (botocore's endpoints data);
# any other Region is in the commercial partition "aws".
PARTITION_PATTERN = r"aws(?:-cn|-us-gov|-iso(?:-[bef])?|-eusc)?"
_REGION_PARTITIONS = (
    ("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-isob-", "aws-iso-b"), ("us-isof-", "aws-iso-f"),
    ("eu-isoe-", "aws-iso-e"), ("us-iso-", "aws-iso"), ("eusc-", "aws-eusc"),
)
KEY_ID_RE = re.compile(rf"^{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}$")
MRK_ID_RE = re.compile(rf"^mrk-{_HEX}{{32}}$")
ALIAS_RE = re.compile(r"^alias/[a-zA-Z0-9/_-]{1,250}$")
KMS_ARN_RE = re.compile(
    rf"^arn:(?P<partition>{PARTITION_PATTERN}):kms:(?P<region>{_REGION}):[0-9]{{12}}:"
    rf"(?P<what>key/(?:{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}|mrk-{_HEX}{{32}})"
    r"|alias/[a-zA-Z0-9/_-]{1,250})$"
)
REGION_RE = re.compile(rf"^{_REGION}$")
ACCOUNT_RE = re.compile(r"^[0-9]{12}$")
SUBNET_RE = re.compile(r"^subnet-[0-9a-f]{8,17}$")
SECURITY_GROUP_RE = re.compile(r"^sg-[0-9a-f]{8,17}$")
EFS_ID_RE = re.compile(r"^fs-[0-9a-f]{8,40}$")
EFS_AP_RE = re.compile(r"^fsap-[0-9a-f]{8,40}$")
DNS1123_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1123_SUBDOMAIN_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
QUANTITY_RE = re.compile(r"^[0-9]+(?:\.[0-9]+)?(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
SNS_ARN_RE = re.compile(
    rf"^arn:(?P<partition>{PARTITION_PATTERN}):sns:(?P<region>{_REGION}):[0-9]{{12}}:[A-Za-z0-9_-]{{1,256}}(?:\.fifo)?$")
# IAM names: ASCII letters, digits and +=,.@_- (and / in paths); \w would let any Unicode letter in
IAM_ROLE_ARN_RE = re.compile(rf"^arn:{PARTITION_PATTERN}:iam::[0-9]{{12}}:role/[A-Za-z0-9_+=,.@/-]{{1,512}}$")

EXAMPLE_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def partition_of(region_code: str) -> str:
    """The partition a Region belongs to: aws-cn for cn-north-1, aws-us-gov for us-gov-west-1, ..."""
    for prefix, partition in _REGION_PARTITIONS:
        if region_code.startswith(prefix):
            return partition
    return "aws"


def arn_partition(match: re.Match) -> str | None:
    """A message when a matched ARN's partition is not its Region's (arn:aws-cn:kms:us-east-1:...)."""
    partition, region_code = match.group("partition"), match.group("region")
    expected = partition_of(region_code)
    if partition != expected:
        return (f"the ARN says partition {partition!r} but Region {region_code} is in {expected!r}; "
                f"start it with arn:{expected}:")
    return None


def kms_key_form(value: str) -> str | None:
    """Which form a KMS key identifier takes: key-arn, alias-arn, key-id, mrk-id, alias; or None."""
    match = KMS_ARN_RE.fullmatch(value)
    if match:
        return "alias-arn" if match.group("what").startswith("alias/") else "key-arn"
    if KEY_ID_RE.fullmatch(value):
        return "key-id"
    if MRK_ID_RE.fullmatch(value):
        return "mrk-id"
    if ALIAS_RE.fullmatch(value):
        return "alias"
    return None


def kms_key(value: str) -> str | None:
    form = kms_key_form(value)
    if form in ("key-arn", "alias-arn"):
        mismatch = arn_partition(KMS_ARN_RE.fullmatch(value))
        if mismatch:
            return f"{value!r}: {mismatch}"
    if form is None:
        return (
            f"{value!r} is not a KMS key identifier; use a key ARN such as {EXAMPLE_KEY_ARN} "
            "(a key ID, a multi-Region mrk- ID, alias/name or an alias ARN also work)"
        )
    alias = value.split(":", 5)[-1] if form == "alias-arn" else value  # an alias ARN ends in alias/NAME
    if form in ("alias", "alias-arn") and alias.startswith("alias/aws/"):
        return f"{value!r} is an AWS managed key alias; name a customer managed key instead, for example {EXAMPLE_KEY_ARN}"
    return None


def kms_key_arn(value: str) -> str | None:
    """Only a full key ARN (or multi-Region key ARN) will do."""
    if kms_key_form(value) != "key-arn":
        return f"{value!r} is not a full KMS key ARN; use one such as {EXAMPLE_KEY_ARN}"
    mismatch = arn_partition(KMS_ARN_RE.fullmatch(value))
    return f"{value!r}: {mismatch}" if mismatch else None


def region(value: str) -> str | None:
    if not REGION_RE.fullmatch(value):
        return f"{value!r} is not an AWS Region code; use one such as us-east-1 or eu-west-2"
    return None


def account_id(value: str) -> str | None:
    if not ACCOUNT_RE.fullmatch(value):
        return f"{value!r} is not an AWS account ID; use 12 digits such as 111122223333"
    return None


def subnet_id(value: str) -> str | None:
    if not SUBNET_RE.fullmatch(value):
        return f"{value!r} is not a subnet ID; use one such as subnet-0123456789abcdef0"
    return None


def security_group_id(value: str) -> str | None:
    if not SECURITY_GROUP_RE.fullmatch(value):
        return f"{value!r} is not a security group ID; use one such as sg-0123456789abcdef0"
    return None


def efs_file_system_id(value: str) -> str | None:
    if not EFS_ID_RE.fullmatch(value):
        return f"{value!r} is not an EFS file system ID; use one such as fs-0123456789abcdef0"
    return None


def efs_access_point_id(value: str) -> str | None:
    if not EFS_AP_RE.fullmatch(value):
        return f"{value!r} is not an EFS access point ID; use one such as fsap-0123456789abcdef0"
    return None


def dns_label(value: str) -> str | None:
    """A DNS-1123 label: namespaces, service accounts and most names that are not subdomains."""
    if len(value) > 63 or not DNS1123_LABEL_RE.fullmatch(value):
        return (
            f"{value!r} is not a valid name; use at most 63 lower-case letters, digits and '-', "
            "starting and ending with a letter or digit, such as my-app"
        )
    return None


def dns_subdomain(value: str) -> str | None:
    """A DNS-1123 subdomain: the names of most Kubernetes objects."""
    if len(value) > 253 or not DNS1123_SUBDOMAIN_RE.fullmatch(value):
        return (
            f"{value!r} is not a valid Kubernetes name; use at most 253 lower-case letters, digits, '-' "
            "and '.', starting and ending with a letter or digit, such as encrypted-gp3"
        )
    return None


def quantity(value: str) -> str | None:
    if not QUANTITY_RE.fullmatch(value):
        return f"{value!r} is not a storage size; use a Kubernetes quantity such as 5Gi or 1200Gi"
    return None


def sns_topic_arn(value: str) -> str | None:
    match = SNS_ARN_RE.fullmatch(value)
    if not match:
        return f"{value!r} is not an SNS topic ARN; use one such as arn:aws:sns:us-east-1:111122223333:security-alerts"
    mismatch = arn_partition(match)
    return f"{value!r}: {mismatch}" if mismatch else None


def iam_role_arn(value: str) -> str | None:
    if not IAM_ROLE_ARN_RE.fullmatch(value):
        return f"{value!r} is not an IAM role ARN; use one such as arn:aws:iam::111122223333:role/my-app"
    return None


def one_line(value: str) -> str | None:
    """Free text that ends up in a single-line context (a comment, a tag, a name)."""
    if any(ch in value for ch in "\r\n\x00"):
        return "must be a single line of text"
    return None
