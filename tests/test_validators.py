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
