"""snippets.validators called directly: the shared identifier checks."""
from __future__ import annotations

import pytest

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
    assert validators.kms_key(f"arn:aws:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab") is None
    assert validators.sns_topic_arn(f"arn:aws:sns:{region}:111122223333:alerts") is None


@pytest.mark.parametrize("region", ["us-east", "US-EAST-1", "useast1", "u-east-1", "europe-de-east-1", "us-east-1\n"])
def test_things_that_are_not_region_codes_are_refused(region):
    assert validators.region(region) is not None
