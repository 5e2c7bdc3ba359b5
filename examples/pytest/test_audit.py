"""What a CI suite asserts about the audit trail: who created the user, with which tool, and nothing else."""
import re

import pytest
from botocore.exceptions import ClientError

from localtrail_testing import assert_not_recorded, assert_recorded


def test_john_creates_mary_and_the_trail_says_so(trail):
    iam = trail.client("iam")
    iam.create_user(UserName="John")
    key = iam.create_access_key(UserName="John")["AccessKey"]
    john = trail.client("iam", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    john.create_user(UserName="Mary")

    [record] = assert_recorded(trail, times=1, eventName="CreateUser", userIdentity={"type": "IAMUser", "userName": "John"})
    assert record["requestParameters"] == {"userName": "Mary"}
    assert re.match(r"Boto3/", record["userAgent"])
    assert_not_recorded(trail, eventName="DeleteUser")


def test_a_failed_call_is_recorded_with_its_error(trail):
    with pytest.raises(ClientError):
        trail.client("iam").get_user(UserName="Nobody")
    assert_recorded(trail, eventName="GetUser", errorCode="NoSuchEntityException")


def test_a_failing_assertion_names_the_nearest_record(trail):
    trail.client("iam").create_user(UserName="John")
    with pytest.raises(AssertionError) as failure:
        assert_recorded(trail, eventName="CreateUser", requestParameters={"userName": "Mary"})
    assert "iam:CreateUser at" in str(failure.value)
    assert "requestParameters.userName: expected 'Mary', received 'John'" in str(failure.value)
