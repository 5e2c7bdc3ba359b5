#!/usr/bin/env bash
# IAM policy enforcement, told with the unmodified AWS CLI against localtrail started with --enforce-iam:
# John may create users but not grant AdministratorAccess. His AttachUserPolicy is refused with IAM's own
# AccessDenied, the owner finds the refusal in CloudTrail, and localtrail writes the least-privilege policy
# of what John really did.
#
# Start localtrail first (npm start -- --enforce-iam), then: ./examples/enforce-iam.sh [endpoint]
set -euo pipefail

ENDPOINT="${1:-${LOCALTRAIL_ENDPOINT:-http://127.0.0.1:4566}}"
export AWS_PAGER="" AWS_DEFAULT_REGION="us-east-1"
root() { AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url "$ENDPOINT" "$@"; }

suffix="${RANDOM}"
john="John-${suffix}"
mary="Mary-${suffix}"
admin="arn:aws:iam::aws:policy/AdministratorAccess"

echo "== The root creates $john with a policy: manage users, but never attach AdministratorAccess"
policy_arn=$(root iam create-policy --policy-name "UserAdmin-${suffix}" --query 'Policy.Arn' --output text --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"iam:CreateUser\", \"iam:AttachUserPolicy\"], \"Resource\": \"*\"},
    {\"Effect\": \"Deny\", \"Action\": \"iam:AttachUserPolicy\", \"Resource\": \"*\", \"Condition\": {\"ArnEquals\": {\"iam:PolicyARN\": \"$admin\"}}}
  ]}")
root iam create-user --user-name "$john" --query 'User.Arn' --output text
root iam attach-user-policy --user-name "$john" --policy-arn "$policy_arn"
read -r key secret < <(root iam create-access-key --user-name "$john" --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
john_cli() { AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" aws --endpoint-url "$ENDPOINT" "$@"; }

echo "== $john creates $mary (allowed)"
john_cli iam create-user --user-name "$mary" --query 'User.Arn' --output text

echo "== $john tries to make $mary an administrator (denied)"
if john_cli iam attach-user-policy --user-name "$mary" --policy-arn "$admin" 2>/tmp/enforce-iam-$$.err; then
  echo "unexpected: the call was allowed" >&2
  exit 1
fi
cat /tmp/enforce-iam-$$.err
rm -f /tmp/enforce-iam-$$.err

echo "== The owner finds the refusal in CloudTrail"
root cloudtrail lookup-events \
  --lookup-attributes "AttributeKey=Username,AttributeValue=$john" \
  --query 'Events[].CloudTrailEvent' --output text |
  python3 -c 'import json,sys
for line in sys.stdin.read().split("\t"):
    r = json.loads(line)
    print(r["eventName"], r.get("errorCode", "-"), r.get("errorMessage", ""))'

echo "== The least-privilege policy of what $john did"
curl -s "$ENDPOINT/_localtrail/policy?principal=arn:aws:iam::000000000000:user/$john" | python3 -m json.tool
