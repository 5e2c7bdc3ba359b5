#!/usr/bin/env bash
# A GitHub Actions deploy job federating with OIDC, against localtrail: the account trusts GitHub's issuer for
# one repository, a job of that repository exchanges its ID token for the role's session and deploys, a job of
# another repository is refused, and CloudTrail tells who did what (WebIdentityUser, then the role session with
# webIdFederationData). The tokens come from localtrail's issuer under GitHub's issuer name.
#
# Start localtrail first (npm start), then: ./examples/oidc-github-actions.sh [endpoint]
set -euo pipefail

ENDPOINT="${1:-${LOCALTRAIL_ENDPOINT:-http://127.0.0.1:4566}}"
export AWS_PAGER="" AWS_DEFAULT_REGION="us-east-1"
admin() { AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url "$ENDPOINT" "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

role="gha-deploy-${RANDOM}"
provider="arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com"

echo "== The account trusts GitHub Actions of octo-org/app for $role"
admin iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com >/dev/null 2>&1 || true
admin iam create-role --role-name "$role" --query Role.Arn --output text --assume-role-policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"$provider\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\",
    \"Condition\": {\"StringEquals\": {\"token.actions.githubusercontent.com:aud\": \"sts.amazonaws.com\"},
                   \"StringLike\": {\"token.actions.githubusercontent.com:sub\": \"repo:octo-org/app:*\"}}}]}"

token() {
  curl -sf -X POST "$ENDPOINT/_localtrail/oidc/token" -H 'content-type: application/json' \
    -d "{\"iss\": \"https://token.actions.githubusercontent.com\", \"sub\": \"$1\", \"aud\": \"sts.amazonaws.com\"}" | json "['token']"
}

echo "== A job of octo-org/app federates (unsigned, as configure-aws-credentials does) and deploys"
creds=$(aws --endpoint-url "$ENDPOINT" sts assume-role-with-web-identity --role-arn "arn:aws:iam::000000000000:role/$role" \
  --role-session-name gh-run-42 --web-identity-token "$(token repo:octo-org/app:ref:refs/heads/main)" --output json)
export AWS_ACCESS_KEY_ID=$(echo "$creds" | json "['Credentials']['AccessKeyId']")
export AWS_SECRET_ACCESS_KEY=$(echo "$creds" | json "['Credentials']['SecretAccessKey']")
export AWS_SESSION_TOKEN=$(echo "$creds" | json "['Credentials']['SessionToken']")
aws --endpoint-url "$ENDPOINT" sts get-caller-identity --query Arn --output text
aws --endpoint-url "$ENDPOINT" s3api create-bucket --bucket "site-${RANDOM}" --query Location --output text
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

echo "== A job of evil-org/app is refused"
aws --endpoint-url "$ENDPOINT" sts assume-role-with-web-identity --role-arn "arn:aws:iam::000000000000:role/$role" \
  --role-session-name gh-run-666 --web-identity-token "$(token repo:evil-org/app:ref:refs/heads/main)" 2>&1 | grep -o 'AccessDenied.*' || true

echo "== CloudTrail: who federated, who deployed"
admin cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRoleWithWebIdentity --max-results 2 \
  --query 'Events[].CloudTrailEvent' --output json | python3 -c "
import json, sys
for e in map(json.loads, json.load(sys.stdin)):
    print(e['userIdentity']['type'], e['userIdentity']['userName'], e.get('errorCode', 'ok'))"
admin cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateBucket --max-results 1 \
  --query 'Events[0].CloudTrailEvent' --output text | python3 -c "
import json, sys
ctx = json.load(sys.stdin)['userIdentity']['sessionContext']
print('CreateBucket by', ctx['sessionIssuer']['arn'], 'via', ctx['webIdFederationData']['federatedProvider'])"
