"""Each new CloudTrail log file in the trail's bucket invokes this function (S3 event notification). It reads
the file, looks for the calls an intruder makes, and writes what it found to the log group SCAN_LOG_GROUP."""
import gzip
import json
import os
import time
import urllib.parse

import boto3

SUSPICIOUS = {"CreateUser", "CreateAccessKey", "AttachUserPolicy", "StopLogging", "DeleteTrail", "PutUserPolicy"}

s3 = boto3.client("s3")
logs = boto3.client("logs")


def handler(event, context):
    findings = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        for r in json.loads(gzip.decompress(body))["Records"]:
            if r["eventName"] in SUSPICIOUS:
                findings.append({"file": key, "eventName": r["eventName"], "actor": r["userIdentity"].get("arn"), "target": r.get("requestParameters"), "eventID": r["eventID"]})
    if findings:
        group = os.environ["SCAN_LOG_GROUP"]
        stream = context.aws_request_id
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        logs.put_log_events(
            logGroupName=group,
            logStreamName=stream,
            logEvents=[{"timestamp": int(time.time() * 1000), "message": json.dumps(f)} for f in findings],
        )
    return {"findings": len(findings)}
