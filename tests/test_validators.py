"""snippets.validators called directly: the shared identifier checks."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import validators


@pytest.mark.parametrize("value", [
    "alias/aws/ebs",
    "arn:aws:kms:us-east-1:111122223333:alias/aws/ebs",
    "arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/aws/fsx",
])
def test_kms_key_refuses_aws_managed_aliases_in_either_form(value):
    message = validators.kms_key(value)
    assert message and "AWS managed" in message and validators.EXAMPLE_KEY_ARN in message


@pytest.mark.parametrize("value", [
    "alias/aws-team-key", "alias/awsome", "arn:aws:kms:eu-west-1:111122223333:alias/aws-team-key",
    "arn:aws:kms:eu-west-1:111122223333:alias/team/aws/key",
])
def test_kms_key_accepts_customer_aliases_that_merely_mention_aws(value):
    assert validators.kms_key(value) is None


@pytest.mark.parametrize("region", [
    "us-east-1", "us-gov-west-1", "ap-southeast-3", "il-central-1", "ca-west-1", "mx-central-1",
    "cn-northwest-1", "us-isob-east-1", "us-isof-south-1", "eu-isoe-west-1",
    "eusc-de-east-1",  # AWS European Sovereign Cloud (partition aws-eusc)
])
def test_region_codes_of_every_partition_are_accepted(region):
    assert validators.region(region) is None
    partition = validators.partition_of(region)
    assert validators.kms_key(f"arn:{partition}:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab") is None
    assert validators.sns_topic_arn(f"arn:{partition}:sns:{region}:111122223333:alerts") is None


@pytest.mark.parametrize(("region", "partition"), [
    ("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"), ("us-iso-east-1", "aws-iso"),
    ("us-isob-east-1", "aws-iso-b"), ("eu-isoe-west-1", "aws-iso-e"), ("us-isof-south-1", "aws-iso-f"),
    ("eusc-de-east-1", "aws-eusc"),
])
def test_an_arn_partition_must_be_its_regions(region, partition):
    key = f"{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert validators.kms_key_arn(f"arn:{partition}:kms:{key}") is None
    wrong = "aws-cn" if partition != "aws-cn" else "aws"
    message = validators.kms_key_arn(f"arn:{wrong}:kms:{key}")
    assert message and f"start it with arn:{partition}:" in message
    assert validators.sns_topic_arn(f"arn:{wrong}:sns:{region}:111122223333:alerts")


@pytest.mark.parametrize("partition", ["aws-evil", "awsx", "aws-", "aws-cn-evil", "AWS"])
def test_unknown_partitions_are_refused(partition):
    assert validators.kms_key(f"arn:{partition}:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    assert validators.sns_topic_arn(f"arn:{partition}:sns:us-east-1:111122223333:alerts")
    assert validators.iam_role_arn(f"arn:{partition}:iam::111122223333:role/app")


# Digits that Python's \d accepts but AWS does not: Arabic-Indic, Devanagari, fullwidth, superscript-free
_UNICODE_DIGITS = "\u0661\u0662\u0663\u0966\u0967\uff11\uff12\u09e7\u0e51"


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=11), st.sampled_from(_UNICODE_DIGITS))
def test_unicode_digits_are_refused_in_every_id_and_arn(position, digit):
    account = "111122223333"
    account = account[:position] + digit + account[position + 1:]
    key = "1234abcd-12ab-34cd-56ef-1234567890ab"
    assert validators.account_id(account)
    assert validators.kms_key(f"arn:aws:kms:us-east-1:{account}:key/{key}")
    assert validators.sns_topic_arn(f"arn:aws:sns:us-east-1:{account}:alerts")
    assert validators.iam_role_arn(f"arn:aws:iam::{account}:role/app")
    assert validators.region(f"eu-west-{digit}")
    for check, good in ((validators.subnet_id, "subnet-0123456789abcdef0"), (validators.security_group_id, "sg-0123456789abcdef0"),
                        (validators.efs_file_system_id, "fs-0123456789abcdef0"),
                        (validators.efs_access_point_id, "fsap-0123456789abcdef0")):
        assert check(good) is None
        assert check(good[:-1] + digit), good


@pytest.mark.parametrize("name", ["r\u00f4le", "\u0440\u043e\u043b\u044c", "app\u200b", "a\uff41"])
def test_iam_role_names_are_ascii(name):
    assert validators.iam_role_arn(f"arn:aws:iam::111122223333:role/{name}")


@pytest.mark.parametrize("region", ["us-east", "US-EAST-1", "useast1", "u-east-1", "europe-de-east-1", "us-east-1\n"])
def test_things_that_are_not_region_codes_are_refused(region):
    assert validators.region(region) is not None
