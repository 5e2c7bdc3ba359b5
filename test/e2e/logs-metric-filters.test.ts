import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, StartLoggingCommand, UpdateTrailCommand } from "@aws-sdk/client-cloudtrail";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteMetricFilterCommand,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { cloudTrailBucketPolicy, flush } from "../helpers/trails.js";

const ACCOUNT = "000000000000";
const GROUP = "CloudTrail/cis";

/**
 * The CIS AWS Foundations Benchmark's metric filters (v1.4-3.0 section 4, v1.2 section 3), as AWS Security
 * Hub's CloudWatch.1-14 controls and the benchmark's remediation commands give them.
 */
const CIS = {
  unauthorizedApiCalls: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  consoleSignInWithoutMfa: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
  rootUsage: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  iamPolicyChanges:
    "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
  cloudTrailChanges: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
  consoleAuthenticationFailures: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  s3BucketPolicyChanges:
    "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
};

/** Signs in to the console as the root user, with the password given (the emulator's root password is `test`). */
async function consoleSignIn(url: string, password: string): Promise<void> {
  const page = await fetch(`${url}/_localtrail/console/signin`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const cookie = page.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const form = new URLSearchParams({ csrf, redirect: "/_localtrail/console/", kind: "root", account: ACCOUNT, password });
  await fetch(`${url}/_localtrail/console/signin`, { method: "POST", body: form, headers: { cookie }, redirect: "manual" });
}

describe("CloudWatch Logs metric filters over a trail's log group", () => {
  let server: TestServer;
  let logs: CloudWatchLogsClient;
  let messages: string[];

  beforeAll(async () => {
    // IAM policies are enforced, so an IAM user's unauthorized call is recorded with AccessDenied.
    server = await startTestServer({ flags: ["--enforce-iam"] });
    const config = clientConfig(server.url);
    logs = new CloudWatchLogsClient(config);
    const s3 = new S3Client(config);
    const iam = new IAMClient(config);
    const ct = new CloudTrailClient(config);

    await s3.send(new CreateBucketCommand({ Bucket: "cis-trail" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "cis-trail", Policy: cloudTrailBucketPolicy("cis-trail") }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const role = (await iam.send(new CreateRoleCommand({ RoleName: "CloudTrail_CloudWatchLogs_Role", AssumeRolePolicyDocument: trust }))).Role!;
    await ct.send(
      new CreateTrailCommand({ Name: "cis", S3BucketName: "cis-trail", IsMultiRegionTrail: true, CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`, CloudWatchLogsRoleArn: role.Arn }),
    );
    await ct.send(new StartLoggingCommand({ Name: "cis" }));

    // What the benchmark watches for: the root user at work, an IAM policy change, an IAM user's denied call,
    // trail and bucket policy changes, console sign-ins (one failed, one without MFA).
    await iam.send(new CreateUserCommand({ UserName: "alice" }));
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:GetUser", Resource: "*" }] });
    await iam.send(new PutUserPolicyCommand({ UserName: "alice", PolicyName: "self", PolicyDocument: policy }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!;
    const alice = new IAMClient(clientConfig(server.url, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }));
    await alice.send(new GetUserCommand({}));
    expect((await failure(alice.send(new ListUsersCommand({})))).name).toBe("AccessDenied");
    await ct.send(new UpdateTrailCommand({ Name: "cis", IncludeGlobalServiceEvents: true }));
    await ct.send(new CreateTrailCommand({ Name: "short-lived", S3BucketName: "cis-trail" }));
    await ct.send(new DeleteTrailCommand({ Name: "short-lived" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "cis-trail", Policy: cloudTrailBucketPolicy("cis-trail") }));
    await consoleSignIn(server.url, "wrong");
    await consoleSignIn(server.url, "test");
    await flush(server.url);

    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    messages = events!.map((e) => e.message!);
  });
  afterAll(() => server.close());

  /** What a pattern matches among the delivered records, as TestMetricFilter answers (50 messages a call). */
  async function matched(pattern: string): Promise<string[]> {
    const names: string[] = [];
    for (let i = 0; i < messages.length; i += 50) {
      const { matches } = await logs.send(new TestMetricFilterCommand({ filterPattern: pattern, logEventMessages: messages.slice(i, i + 50) }));
      for (const m of matches ?? []) {
        expect(m.eventMessage).toBe(messages[i + m.eventNumber!]);
        const record = JSON.parse(m.eventMessage!) as { eventName: string; errorCode?: string };
        names.push(record.errorCode ? `${record.eventName}:${record.errorCode}` : record.eventName);
      }
    }
    return names.sort();
  }

  it("the CIS benchmark's filters find, among the records the trail delivered to CloudWatch Logs, the calls they watch for", async () => {
    expect(messages.length).toBeGreaterThan(10);
    expect(await matched(CIS.unauthorizedApiCalls)).toEqual(["ListUsers:AccessDenied"]);
    expect(await matched(CIS.consoleSignInWithoutMfa)).toEqual(["ConsoleLogin", "ConsoleLogin"]);
    expect(await matched(CIS.consoleAuthenticationFailures)).toEqual(["ConsoleLogin"]);
    expect(await matched(CIS.iamPolicyChanges)).toEqual(["PutUserPolicy"]);
    expect(await matched(CIS.cloudTrailChanges)).toEqual(["CreateTrail", "DeleteTrail", "StartLogging", "UpdateTrail"]);
    expect(await matched(CIS.s3BucketPolicyChanges)).toEqual(["PutBucketPolicy"]);
    // Every root call but none of alice's, nor CloudTrail's own service calls (invokedBy).
    const root = await matched(CIS.rootUsage);
    expect(root).toEqual(expect.arrayContaining(["ConsoleLogin", "CreateAccessKey", "CreateTrail", "CreateUser", "DeleteTrail", "PutBucketPolicy", "PutUserPolicy", "UpdateTrail"]));
    expect(root).not.toContain("GetUser");
    expect(root).not.toContain("ListUsers:AccessDenied");
  });

  it("FilterLogEvents reads the same patterns the same way", async () => {
    for (const pattern of Object.values(CIS)) {
      const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: pattern }));
      const viaTest: string[] = [];
      for (let i = 0; i < messages.length; i += 50) {
        const { matches } = await logs.send(new TestMetricFilterCommand({ filterPattern: pattern, logEventMessages: messages.slice(i, i + 50) }));
        viaTest.push(...(matches ?? []).map((m) => m.eventMessage!));
      }
      expect(events!.map((e) => e.message).sort()).toEqual(viaTest.sort());
    }
  });

  it("tests term, JSON and space-delimited patterns, extracting a space-delimited pattern's fields", async () => {
    const apache = [
      '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
      '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
      '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
    ];
    const all = await logs.send(new TestMetricFilterCommand({ filterPattern: "[ip, identity, user_id, timestamp, request, status_code, size]", logEventMessages: apache }));
    expect(all.matches![0]).toEqual({
      eventNumber: 0,
      eventMessage: apache[0],
      extractedValues: { $ip: "127.0.0.1", $identity: "-", $user_id: "frank", $timestamp: "10/Oct/2000:13:25:15 -0700", $request: "GET /apache_pb.gif HTTP/1.0", $status_code: "200", $size: "1534" },
    });
    const numbers = async (filterPattern: string, logEventMessages = apache) =>
      ((await logs.send(new TestMetricFilterCommand({ filterPattern, logEventMessages }))).matches ?? []).map((m) => m.eventNumber);
    expect(await numbers("[ip, identity, user_id, timestamp, request, status_code = 5*, size]")).toEqual([1]);
    expect(await numbers("[..., status_code = 200, size > 4000]")).toEqual([2]);
    expect(await numbers("[ip, ..., status_code != 200 && status_code != 404, size]")).toEqual([1]);
    expect(await numbers("[ip, user_id]")).toEqual([]);
    expect(await numbers("500")).toEqual([1]);
    expect(await numbers("?5324 ?4355")).toEqual([1, 2]);
    expect(await numbers('frank -"13:25:15"')).toEqual([1, 2]);
    const json = ['{"latency": 120, "user": {"id": "a"}, "ok": true}', '{"latency": 80, "user": null, "ok": false}', "not json"];
    expect(await numbers("{ $.latency >= 100 }", json)).toEqual([0]);
    expect(await numbers("{ $.user IS NULL }", json)).toEqual([1]);
    expect(await numbers("{ $.user.id NOT EXISTS && $.ok IS FALSE }", json)).toEqual([1]);
    expect(await numbers("{ $.user.id = a* }", json)).toEqual([0]);
    expect(await failure(logs.send(new TestMetricFilterCommand({ filterPattern: "{ $.latency = ", logEventMessages: json })))).toMatchObject({ name: "InvalidParameterException", status: 400 });
  });

  it("puts, describes (by group, name prefix, metric, in pages) and deletes metric filters, with the model's errors", async () => {
    const put = (filterName: string, filterPattern: string, metricName: string, logGroupName = GROUP) =>
      logs.send(new PutMetricFilterCommand({ logGroupName, filterName, filterPattern, metricTransformations: [{ metricName, metricNamespace: "CISBenchmark", metricValue: "1" }] }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "other" }));
    for (const [name, pattern] of Object.entries(CIS)) await put(`cis-${name}`, pattern, name);
    await put("app-errors", "ERROR", "errors", "other");
    await put("cis-rootUsage", CIS.rootUsage, "RootAccountUsage");

    const all = await logs.send(new DescribeMetricFiltersCommand({}));
    expect(all.metricFilters!.map((f) => f.filterName)).toEqual(["app-errors", ...Object.keys(CIS).map((n) => `cis-${n}`).sort()]);
    const root = all.metricFilters!.find((f) => f.filterName === "cis-rootUsage")!;
    expect(root).toMatchObject({ logGroupName: GROUP, filterPattern: CIS.rootUsage, metricTransformations: [{ metricName: "RootAccountUsage", metricNamespace: "CISBenchmark", metricValue: "1" }] });
    expect(typeof root.creationTime).toBe("number");

    const prefixed = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP, filterNamePrefix: "cis-console" }));
    expect(prefixed.metricFilters!.map((f) => f.filterName)).toEqual(["cis-consoleAuthenticationFailures", "cis-consoleSignInWithoutMfa"]);
    const byMetric = await logs.send(new DescribeMetricFiltersCommand({ metricName: "errors", metricNamespace: "CISBenchmark" }));
    expect(byMetric.metricFilters!.map((f) => [f.logGroupName, f.filterName])).toEqual([["other", "app-errors"]]);

    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP, limit: 3, nextToken }));
      expect(page.metricFilters!.length).toBeLessThanOrEqual(3);
      seen.push(...page.metricFilters!.map((f) => f.filterName!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(Object.keys(CIS).map((n) => `cis-${n}`).sort());

    await logs.send(new DeleteMetricFilterCommand({ logGroupName: "other", filterName: "app-errors" }));
    expect((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: "other" }))).metricFilters).toEqual([]);

    expect(await failure(logs.send(new DeleteMetricFilterCommand({ logGroupName: "other", filterName: "app-errors" })))).toMatchObject({ name: "ResourceNotFoundException", status: 400 });
    expect(await failure(put("x", "ERROR", "m", "missing"))).toMatchObject({ name: "ResourceNotFoundException", status: 400 });
    expect(await failure(put("x", "{ $.a = ", "m"))).toMatchObject({ name: "InvalidParameterException", status: 400 });
    expect(await failure(logs.send(new DescribeMetricFiltersCommand({ metricName: "errors" })))).toMatchObject({ name: "InvalidParameterException", status: 400 });
    expect(await failure(logs.send(new DescribeMetricFiltersCommand({ logGroupName: "missing" })))).toMatchObject({ name: "ResourceNotFoundException", status: 400 });
  });
});
