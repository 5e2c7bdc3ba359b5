"""
Hostile input for every operation localtrail implements, serialised by botocore itself (parameter
validation off), so each wire protocol carries absurd values exactly as a real client would send them.

Usage: python3 fuzz_operations.py <endpoint> <operations.json> <seed> <marker>
operations.json: {"iam": ["CreateUser", ...], ...} (botocore service names -> operation names)
Prints one JSON line per call: {"service", "operation", "variant", "status"} (status null: no HTTP answer).
"""
import datetime
import json
import random
import sys

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError, EndpointConnectionError, ReadTimeoutError, ConnectionClosedError

endpoint, operations_file, seed, marker = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
operations = json.load(open(operations_file))

# Strings meant to break things: traversal (the marker names a file that must never appear outside
# the data dir), control characters, invalid surrogates escaped, huge values, markup and JSON.
STRINGS = [
    "",
    "A" * 70000,
    f"../../../../../../tmp/{marker}",
    f"..%2F..%2F..%2F..%2Ftmp%2F{marker}",
    f"/tmp/{marker}",
    "\u0000\u0001\u0002\u001f",
    "\ud83d\udca5" * 300,
    "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]><x>&a;</x>",
    '{"__proto__": {"polluted": true}}',
    "__proto__",
    "arn:aws:iam::000000000000:role/../../etc/passwd",
    "%",
    "\\",
    "😀" * 5,
]
NUMBERS = [-1, 0, 2**31, 2**63 - 1, -(2**63), 10**20]
TIMES = [datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31), datetime.datetime(1970, 1, 1)]


def value(shape, depth):
    t = shape.type_name
    if t == "structure":
        if depth > 3:
            return {}
        return {name: value(member, depth + 1) for name, member in shape.members.items() if rng.random() < 0.8}
    if t == "list":
        return [value(shape.member, depth + 1) for _ in range(rng.choice([0, 1, 3, 200]))]
    if t == "map":
        return {rng.choice(["__proto__", "constructor", "k", "A" * 300]): value(shape.value, depth + 1) for _ in range(rng.choice([1, 2]))}
    if t == "string":
        if shape.enum and rng.random() < 0.3:
            return rng.choice(shape.enum)
        return rng.choice(STRINGS)
    if t in ("integer", "long"):
        return rng.choice(NUMBERS)
    if t in ("float", "double"):
        return rng.choice([-1.5, 1e308, 0.0])
    if t == "boolean":
        return rng.choice([True, False])
    if t == "timestamp":
        return rng.choice(TIMES)
    if t == "blob":
        return rng.choice([b"", b"\x00\xff" * 1000, b"PK\x03\x04garbage-not-a-zip"])
    return None


config = Config(parameter_validation=False, retries={"max_attempts": 1}, read_timeout=20, connect_timeout=5, s3={"addressing_style": "path"})
for service, names in operations.items():
    client = boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test", config=config)
    model = client.meta.service_model
    for name in names:
        op = model.operation_model(name)
        method = getattr(client, botocore.xform_name(name))
        variants = {"empty": {}}
        if op.input_shape is not None:
            required = op.input_shape.required_members
            variants["required"] = {m: value(op.input_shape.members[m], 1) for m in required}
            variants["everything"] = value(op.input_shape, 0)
        for variant, params in variants.items():
            status = None
            try:
                response = method(**params)
                status = response["ResponseMetadata"]["HTTPStatusCode"]
                body = response.get("Body")
                if body is not None and hasattr(body, "read"):
                    body.read()
            except ClientError as e:
                status = e.response["ResponseMetadata"].get("HTTPStatusCode")
            except (ParamValidationError, TypeError, ValueError, AttributeError, KeyError, botocore.exceptions.NoRegionError, botocore.exceptions.UnknownClientMethodError):
                status = "client-refused"
            except (botocore.exceptions.MissingDependencyException, botocore.exceptions.InvalidEndpointConfigurationError):
                # Refused before sending: a missing CRT, or an endpoint the request's parameters cannot name
                # (EventBridge PutEvents with an EndpointId asks for a global endpoint botocore builds itself).
                status = "client-refused"
            except botocore.exceptions.FlexibleChecksumError as e:
                # botocore refuses a checksum algorithm it does not know before sending; a mismatch with the
                # answer's checksum is the server's fault.
                status = "client-refused" if "Unsupported checksum algorithm" in str(e) else f"no-answer: {type(e).__name__}: {e}"
            except botocore.exceptions.BotoCoreError as e:
                # A failure to read the answer: the server closed, timed out or sent something unparseable.
                status = f"no-answer: {type(e).__name__}"
            print(json.dumps({"service": service, "operation": name, "variant": variant, "status": status}), flush=True)
