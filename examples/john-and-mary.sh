#!/usr/bin/env bash
# The classic CloudTrail story, told with the unmodified AWS CLI against localtrail:
# the account root creates IAM user John with an access key; John, with his own key, creates IAM user Mary;
# the owner asks CloudTrail who created Mary, when, from which IP address, with which tool.
#
# Start localtrail first (npm start), then: ./examples/john-and-mary.sh [endpoint]
set -euo pipefail

ENDPOINT="${1:-${LOCALTRAIL_ENDPOINT:-http://127.0.0.1:4566}}"
export AWS_PAGER="" AWS_DEFAULT_REGION="us-east-1"
root() { AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url "$ENDPOINT" "$@"; }

suffix="${RANDOM}"
john="John-${suffix}"
mary="Mary-${suffix}"

echo "== The root of account 000000000000 creates $john and gives him an access key"
root iam create-user --user-name "$john" --query 'User.Arn' --output text
read -r key secret < <(root iam create-access-key --user-name "$john" --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
echo "   access key: $key"

echo "== $john, with his own key, creates $mary"
AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" aws --endpoint-url "$ENDPOINT" iam create-user --user-name "$mary" --query 'User.Arn' --output text

echo "== The owner asks CloudTrail who created $mary"
root cloudtrail lookup-events \
  --lookup-attributes "AttributeKey=ResourceName,AttributeValue=$mary" \
  --query 'Events[].{Event: EventName, Who: Username, Key: AccessKeyId, When: EventTime}' --output table

echo "== The full record: who, when, from where, with which tool, what was asked and answered"
root cloudtrail lookup-events \
  --lookup-attributes "AttributeKey=ResourceName,AttributeValue=$mary" \
  --query 'Events[0].CloudTrailEvent' --output text |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({k: r[k] for k in ("userIdentity","eventTime","sourceIPAddress","userAgent","requestParameters","responseElements")}, indent=2))'
