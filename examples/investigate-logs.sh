#!/usr/bin/env bash
# Investigating real CloudTrail logs locally: import log files (a trail's AWSLogs/ folder copied from S3, or
# single .json.gz files) into localtrail, then ask who did what with `localtrail events` and with the
# unmodified AWS CLI's LookupEvents, in the accounts and regions the records came from.
#
# Without files it imports examples/logs/aws-documentation-examples.json: records from the AWS
# documentation's examples, moved to the last day (Event history keeps 90 days) and written as a trail would.
#
# Start localtrail first (npm start), then: ./examples/investigate-logs.sh [endpoint] [files or folders...]
set -euo pipefail

ENDPOINT="${1:-${LOCALTRAIL_ENDPOINT:-http://127.0.0.1:4566}}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
localtrail() { node "$here/../bin/localtrail.js" "$@" --endpoint "$ENDPOINT"; }
export AWS_PAGER="" AWS_SECRET_ACCESS_KEY=test

if [ $# -eq 0 ]; then
  sample="$(mktemp -d)"
  trap 'rm -rf "$sample"' EXIT
  # One log file per account and region, named and laid out as CloudTrail delivers them.
  python3 - "$here/logs/aws-documentation-examples.json" "$sample" <<'PY'
import datetime as d, gzip, json, os, sys
records = json.load(open(sys.argv[1]))["Records"]
now = d.datetime.now(d.timezone.utc).replace(microsecond=0)
files = {}
for i, r in enumerate(records):
    r["eventTime"] = (now - d.timedelta(hours=24) + d.timedelta(minutes=30 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
    files.setdefault((r["recipientAccountId"], r["awsRegion"]), []).append(r)
for (account, region), recs in files.items():
    folder = os.path.join(sys.argv[2], "AWSLogs", account, "CloudTrail", region, now.strftime("%Y/%m/%d"))
    os.makedirs(folder, exist_ok=True)
    name = f"{account}_CloudTrail_{region}_{now.strftime('%Y%m%dT%H%MZ')}_sample.json.gz"
    with gzip.open(os.path.join(folder, name), "wt") as f:
        json.dump({"Records": recs}, f)
PY
  set -- "$sample/AWSLogs"
fi

echo "== Import the log files"
localtrail import "$@"

echo
echo "== Everything Alice did"
localtrail events --user Alice --limit 100

echo
echo "== What did Alice do in account 111122223333, us-west-2? LookupEvents, asked with the AWS CLI as that account"
AWS_ACCESS_KEY_ID=111122223333 aws --endpoint-url "$ENDPOINT" --region us-west-2 cloudtrail lookup-events \
  --lookup-attributes AttributeKey=Username,AttributeValue=Alice \
  --query 'Events[].[EventName,Username]' --output text

echo
echo "== Calls that failed, and why"
localtrail events --json --limit 10000 | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r.get("errorCode"):
        who = r["userIdentity"].get("userName") or r["userIdentity"].get("arn", "?").split("/")[-1]
        call = r["eventSource"].split(".")[0] + ":" + r["eventName"]
        print(r["eventTime"], r["recipientAccountId"], who, call, r["errorCode"] + ":", r.get("errorMessage", "")[:80])
'
