#!/usr/bin/env bash
# A trail from start to finish, told with the unmodified AWS CLI against localtrail: the account root makes
# a bucket CloudTrail may write to and a trail with log file validation; Alice and Bob, each with their own
# access key, go about their work; the trail delivers its log files and signed digests; the owner opens a
# log file, validates the whole trail with `aws cloudtrail validate-logs`, then tampers with a log file and
# watches the validation catch it.
#
# Start localtrail first (npm start), then: ./examples/trail-story.sh [endpoint]
set -euo pipefail

ENDPOINT="${1:-${LOCALTRAIL_ENDPOINT:-http://127.0.0.1:4566}}"
# validate-logs reads the bucket with its own S3 client, which only AWS_ENDPOINT_URL reaches (--endpoint-url
# is applied to its CloudTrail client alone).
export AWS_PAGER="" AWS_DEFAULT_REGION="us-east-1" AWS_ENDPOINT_URL="$ENDPOINT"
# AWS_ENDPOINT_URL is read from AWS CLI v1.29.0 and v2.13.0 on; older CLIs would validate against AWS's S3.
if ! aws --version 2>&1 | python3 -c 'import re,sys; m=re.match(r"aws-cli/(\d+)\.(\d+)", sys.stdin.read()); v=tuple(map(int, m.groups())) if m else (0, 0); sys.exit(0 if v >= ((2, 13) if v[0] == 2 else (1, 29)) else 1)'; then
  echo "$(aws --version 2>&1): validate-logs needs AWS CLI v1.29.0+ or v2.13.0+ (AWS_ENDPOINT_URL)" >&2
  exit 2
fi
root() { AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url "$ENDPOINT" "$@"; }
flush() { curl -fsS -X POST "$ENDPOINT/_localtrail/flush" > /dev/null; }

suffix="${RANDOM}"
bucket="trail-story-${suffix}"
trail="story-${suffix}"
account="000000000000"
trail_arn="arn:aws:cloudtrail:us-east-1:${account}:trail/${trail}"
started=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) - d.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))')

echo "== The root makes bucket $bucket and lets CloudTrail write to it (the policy from the CloudTrail User Guide)"
root s3api create-bucket --bucket "$bucket" > /dev/null
root s3api put-bucket-policy --bucket "$bucket" --policy "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Sid\": \"AWSCloudTrailAclCheck20150319\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"cloudtrail.amazonaws.com\"},
     \"Action\": \"s3:GetBucketAcl\", \"Resource\": \"arn:aws:s3:::${bucket}\"},
    {\"Sid\": \"AWSCloudTrailWrite20150319\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"cloudtrail.amazonaws.com\"},
     \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::${bucket}/AWSLogs/${account}/*\",
     \"Condition\": {\"StringEquals\": {\"s3:x-amz-acl\": \"bucket-owner-full-control\"}}}
  ]
}"

echo "== The root creates trail $trail with log file validation, and starts it"
root cloudtrail create-trail --name "$trail" --s3-bucket-name "$bucket" --enable-log-file-validation --query TrailARN --output text
root cloudtrail start-logging --name "$trail"

echo "== Alice and Bob get their own access keys"
for who in alice bob; do root iam create-user --user-name "$who-$suffix" --query User.Arn --output text; done
read -r alice_key alice_secret < <(root iam create-access-key --user-name "alice-$suffix" --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
read -r bob_key bob_secret < <(root iam create-access-key --user-name "bob-$suffix" --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
alice() { AWS_ACCESS_KEY_ID="$alice_key" AWS_SECRET_ACCESS_KEY="$alice_secret" aws --endpoint-url "$ENDPOINT" "$@"; }
bob() { AWS_ACCESS_KEY_ID="$bob_key" AWS_SECRET_ACCESS_KEY="$bob_secret" aws --endpoint-url "$ENDPOINT" "$@"; }

echo "== Alice creates user carol-$suffix; Bob lists the users"
alice iam create-user --user-name "carol-$suffix" --query User.Arn --output text
bob iam list-users --query 'length(Users)' --output text > /dev/null

echo "== The trail delivers (localtrail's flush: AWS delivers about every 5 minutes)"
flush
echo "== The delivered files: log files under CloudTrail/, signed digests under CloudTrail-Digest/"
listing=$(root s3 ls "s3://$bucket/" --recursive)
echo "$listing"
log_key=$(echo "$listing" | awk '{print $4}' | grep "/CloudTrail/" | head -n 1)

echo "== Who did what, from log file $log_key"
log_file=$(mktemp)
trap 'rm -f "$log_file"' EXIT
root s3 cp "s3://$bucket/$log_key" "$log_file" > /dev/null
gunzip -c "$log_file" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["Records"]:
    who = r["userIdentity"].get("userName") or r["userIdentity"]["type"]
    print("%s  %-14s %-22s %s" % (r["eventTime"], who, r["eventSource"], r["eventName"]))'

echo "== validate-logs checks every digest's signature and every log file's hash"
root cloudtrail validate-logs --trail-arn "$trail_arn" --start-time "$started" --verbose

echo "== Someone rewrites history: Alice's CreateUser now looks like Bob's"
gunzip -c "$log_file" | sed "s/alice-$suffix/bob-$suffix/g" | gzip | root s3 cp - "s3://$bucket/$log_key"

echo "== validate-logs catches it"
if root cloudtrail validate-logs --trail-arn "$trail_arn" --start-time "$started" --verbose; then
  echo "the tampering went unnoticed" >&2
  exit 1
fi
