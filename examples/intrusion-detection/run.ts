/**
 * Intrusion detection with CloudTrail, EventBridge and Lambda, near real time (README, "EventBridge and
 * intrusion detection"):
 *  1. alert/ (Node.js): EventBridge rules on "AWS API Call via CloudTrail" invoke it for CreateUser,
 *     CreateAccessKey, AttachUserPolicy of AdministratorAccess, StopLogging and DeleteTrail; it writes one
 *     alert per event to the log group security-alerts;
 *  2. scan-trail-file/ (Python): each new CloudTrail log file in the trail's bucket invokes it through the
 *     bucket's S3 event notification; it writes what it finds in the file to the log group trail-file-scans;
 *  3. benign work that raises no alert, then an intruder with the root's keys doing all five things.
 * Prints the alerts and the findings; exits 1 if an alert is missing or a benign call raised one.
 *
 *   npx tsx examples/intrusion-detection/run.ts [endpoint]        (localtrail running, e.g. npm start)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";
import { AttachGroupPolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreateRoleCommand, CreateUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, StartLoggingCommand, StopLoggingCommand } from "@aws-sdk/client-cloudtrail";

const endpoint = process.argv[2] ?? process.env.LOCALTRAIL_ENDPOINT ?? "http://127.0.0.1:4566";
const config = { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
const account = "000000000000";
const here = import.meta.dirname;
const run = Date.now().toString(36);

const iam = new IAMClient(config);
const lambda = new LambdaClient(config);
const events = new EventBridgeClient(config);
const logs = new CloudWatchLogsClient(config);
const s3 = new S3Client({ ...config, forcePathStyle: true });
const cloudtrail = new CloudTrailClient(config);

const zipDir = (dir: string) => zipSync(Object.fromEntries(readdirSync(join(here, dir)).map((f) => [f, readFileSync(join(here, dir, f))])));

/** The messages of a log group that mention this run, parsed. */
async function messages(group: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${run}"`, nextToken }));
    out.push(...(page.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Polls until `done` holds (delivery is asynchronous), at most ten minutes. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 600_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  for (const group of ["security-alerts", "trail-file-scans"]) await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch(() => undefined);

  console.log("== The functions: alert (Node.js) and scan-trail-file (Python), one execution role");
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: `detector-${run}`,
      AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    }),
  );
  const alert = await lambda.send(
    new CreateFunctionCommand({ FunctionName: `alert-${run}`, Runtime: "nodejs20.x", Handler: "index.handler", Timeout: 30, Role: role.Role!.Arn, Code: { ZipFile: zipDir("alert") }, Environment: { Variables: { ALERT_LOG_GROUP: "security-alerts" } } }),
  );
  const scan = await lambda.send(
    new CreateFunctionCommand({ FunctionName: `scan-trail-file-${run}`, Runtime: "python3.12", Handler: "lambda_function.handler", Timeout: 30, Role: role.Role!.Arn, Code: { ZipFile: zipDir("scan-trail-file") }, Environment: { Variables: { SCAN_LOG_GROUP: "trail-file-scans" } } }),
  );

  console.log("== EventBridge rules on CloudTrail's events, each invoking the alert function");
  const rules: Record<string, unknown> = {
    "new-identities": { source: ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: ["CreateUser", "CreateAccessKey"] } },
    "admin-granted": { source: ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: ["AttachUserPolicy"], requestParameters: { policyArn: ["arn:aws:iam::aws:policy/AdministratorAccess"] } } },
    "trail-tampering": { source: ["aws.cloudtrail"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventSource: ["cloudtrail.amazonaws.com"], eventName: ["StopLogging", "DeleteTrail"] } },
  };
  for (const [name, pattern] of Object.entries(rules)) {
    const rule = await events.send(new PutRuleCommand({ Name: `${name}-${run}`, EventPattern: JSON.stringify(pattern) }));
    await events.send(new PutTargetsCommand({ Rule: `${name}-${run}`, Targets: [{ Id: "alert", Arn: alert.FunctionArn }] }));
    await lambda.send(new AddPermissionCommand({ FunctionName: alert.FunctionArn, StatementId: name, Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: rule.RuleArn }));
    console.log(rule.RuleArn);
  }

  console.log("== The trail, its bucket, and the bucket's notification for each new log file");
  const bucket = `trail-${run}`;
  const trail = `watch-${run}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${bucket}` },
          { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/AWSLogs/${account}/*`, Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } } },
        ],
      }),
    }),
  );
  await lambda.send(new AddPermissionCommand({ FunctionName: scan.FunctionArn, StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceArn: `arn:aws:s3:::${bucket}`, SourceAccount: account }));
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          { Id: "scan", LambdaFunctionArn: scan.FunctionArn, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "prefix", Value: `AWSLogs/${account}/CloudTrail/` }, { Name: "suffix", Value: ".json.gz" }] } } },
        ],
      },
    }),
  );
  await cloudtrail.send(new CreateTrailCommand({ Name: trail, S3BucketName: bucket }));
  await cloudtrail.send(new StartLoggingCommand({ Name: trail }));

  console.log("== Benign work: none of it raises an alert");
  await iam.send(new ListUsersCommand({}));
  await s3.send(new CreateBucketCommand({ Bucket: `benign-${run}` }));
  await iam.send(new CreateGroupCommand({ GroupName: `readers-${run}` }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: `readers-${run}`, PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));

  console.log("== The intruder: a user with a key and AdministratorAccess, then the trail stopped and deleted");
  await iam.send(new CreateUserCommand({ UserName: `backdoor-${run}` }));
  await iam.send(new CreateAccessKeyCommand({ UserName: `backdoor-${run}` }));
  await iam.send(new AttachUserPolicyCommand({ UserName: `backdoor-${run}`, PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
  // Deliver the trail's pending log file now rather than in five minutes, then cover the tracks.
  await fetch(`${endpoint}/_localtrail/flush`, { method: "POST" });
  await cloudtrail.send(new StopLoggingCommand({ Name: trail }));
  await cloudtrail.send(new DeleteTrailCommand({ Name: trail }));

  console.log("== Alerts (security-alerts), as the alert function wrote them");
  const alerts = await waitFor(() => messages("security-alerts"), (a) => a.length >= 5);
  for (const a of alerts) console.log(JSON.stringify(a));

  console.log("== Findings in the trail's log files (trail-file-scans), as the Python function wrote them");
  const findings = await waitFor(() => messages("trail-file-scans"), (f) => f.length >= 3);
  for (const f of findings) console.log(JSON.stringify(f));

  const expected = ["iam:CreateUser", "iam:CreateAccessKey", "iam:AttachUserPolicy", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail"];
  const raised = alerts.map((a) => String(a.alert)).sort();
  if (JSON.stringify(raised) !== JSON.stringify([...expected].sort())) {
    console.error(`expected exactly the alerts ${expected.join(", ")}; got ${raised.join(", ")}`);
    process.exit(1);
  }
  console.log(`intrusion detected: ${expected.length} alerts, none for the benign work; ${findings.length} findings in the trail's log files`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
