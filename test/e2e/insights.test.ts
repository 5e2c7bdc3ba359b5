import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTrailClient, CreateTrailCommand, GetInsightSelectorsCommand, LookupEventsCommand, PutInsightSelectorsCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateAccessKeyCommand, CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTagsCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import type { AwsCredentialIdentity } from "@smithy/types";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { awsJson } from "../helpers/cli.js";
import { cloudTrailBucketPolicy, deliveredRecords, flush, keysUnder } from "../helpers/trails.js";
import type { InsightRecord } from "../../src/types/cloudtrail-record.js";

const ACCOUNT = "000000000000";
const OTHER = "222222222222";
const MINUTE_ALIGNED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/;

/**
 * The seed's scenario with the emulated clock: a week of a few EC2 launches a day is the baseline; then a
 * burst of launches in one minute is unusual, and CloudTrail Insights says so (reference/cloudtrail.md §9).
 */
describe("CloudTrail Insights", () => {
  let server: TestServer;
  let ct: CloudTrailClient;
  let opsEc2: EC2Client;
  let opsIam: IAMClient;
  let otherEc2: EC2Client;
  let opsArn: string;
  let imageId: string;
  let instanceId: string;

  const setClock = async (iso: string) => {
    const res = await fetch(`${server.url}/_localtrail/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ set: iso }) });
    expect(res.status).toBe(200);
  };
  const insights = async (client = ct): Promise<InsightRecord[]> => {
    const out: InsightRecord[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new LookupEventsCommand({ EventCategory: "insight", NextToken: token }));
      out.push(...(page.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as InsightRecord));
      token = page.NextToken;
    } while (token);
    return out;
  };
  const find = (records: InsightRecord[], eventName: string, state: "Start" | "End") => records.find((r) => r.insightDetails.eventName === eventName && r.insightDetails.state === state);
  const launch = (ec2: EC2Client) => ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }));
  /** A launch whose instance is done with the same day (an account runs at most 20 instances). */
  const launchAndTerminate = async (ec2: EC2Client) => {
    const id = (await launch(ec2)).Instances![0]!.InstanceId!;
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  };

  beforeAll(async () => {
    server = await startTestServer();
    await setClock("2030-03-01T00:00:00Z");
    ct = new CloudTrailClient(clientConfig(server.url));
    const s3 = new S3Client(clientConfig(server.url));
    const iam = new IAMClient(clientConfig(server.url));
    for (const [bucket, trail] of [["insights-logs", "insights"], ["plain-logs", "plain"]]) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: cloudTrailBucketPolicy(bucket!) }));
      await ct.send(new CreateTrailCommand({ Name: trail, S3BucketName: bucket }));
      await ct.send(new StartLoggingCommand({ Name: trail }));
    }
    await ct.send(new PutInsightSelectorsCommand({ TrailName: "insights", InsightSelectors: [{ InsightType: "ApiCallRateInsight" }, { InsightType: "ApiErrorRateInsight" }] }));

    // The operator whose launches Insights attributes.
    opsArn = (await iam.send(new CreateUserCommand({ UserName: "ops" }))).User!.Arn!;
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "ops" }))).AccessKey!;
    const ops: AwsCredentialIdentity = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    opsEc2 = new EC2Client(clientConfig(server.url, ops));
    opsIam = new IAMClient(clientConfig(server.url, ops));
    imageId = (await opsEc2.send(new DescribeImagesCommand({ Filters: [{ Name: "name", Values: ["al2023-ami-*-x86_64"] }] }))).Images![0]!.ImageId!;
    instanceId = (await launch(opsEc2)).Instances![0]!.InstanceId!;
    // Another account has a trail without Insights: its bursts open nothing.
    const other = clientConfig(server.url, { accessKeyId: OTHER, secretAccessKey: "test" });
    otherEc2 = new EC2Client(other);
    await new S3Client(other).send(new CreateBucketCommand({ Bucket: "other-logs" }));
    await new S3Client(other).send(new PutBucketPolicyCommand({ Bucket: "other-logs", Policy: cloudTrailBucketPolicy("other-logs", [OTHER]) }));
    await new CloudTrailClient(other).send(new CreateTrailCommand({ Name: "other", S3BucketName: "other-logs" }));
    await new CloudTrailClient(other).send(new StartLoggingCommand({ Name: "other" }));

    // Seven emulated days: three launches and three taggings a day, at 09:00, 13:00 and 17:00.
    for (let day = 1; day <= 7; day++) {
      for (const hour of ["09", "13", "17"]) {
        await setClock(`2030-03-0${day}T${hour}:00:00Z`);
        await launchAndTerminate(opsEc2);
        await opsEc2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: "seen", Value: `${day}-${hour}` }] }));
        await launchAndTerminate(otherEc2);
      }
    }
    // Day eight starts as usual.
    await setClock("2030-03-08T09:00:00Z");
    await launchAndTerminate(opsEc2);
    await opsEc2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: "seen", Value: "8-09" }] }));
  }, 600_000);
  afterAll(() => server.close());

  it("keeps the trail's Insights selectors", async () => {
    const selectors = await ct.send(new GetInsightSelectorsCommand({ TrailName: "insights" }));
    expect(selectors.InsightSelectors).toEqual([{ InsightType: "ApiCallRateInsight" }, { InsightType: "ApiErrorRateInsight" }]);
  });

  it("a steady week opens nothing", async () => {
    await setClock("2030-03-08T09:30:00Z");
    await flush(server.url);
    expect(await insights()).toEqual([]);
  });

  it("a burst of launches opens an ApiCallRateInsight attributed to the caller, and an hour of normal rate ends it", async () => {
    await setClock("2030-03-08T10:00:00Z");
    for (let i = 0; i < 15; i++) await launch(opsEc2);
    for (let i = 0; i < 15; i++) await launch(otherEc2);
    // The minute must be over before it is judged.
    await setClock("2030-03-08T10:02:00Z");
    await expect.poll(async () => find(await insights(), "RunInstances", "Start"), { timeout: 300_000 }).toBeDefined();
    const start = find(await insights(), "RunInstances", "Start")!;
    // The week before the burst: 3 launches a day from 10:00 on March 1 to 10:00 on March 8 (21), per minute.
    const baseline = 21 / 10080;
    expect(start).toEqual({
      eventVersion: "1.07",
      eventTime: "2030-03-08T10:00:00Z",
      awsRegion: "us-east-1",
      eventID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      eventType: "AwsCloudTrailInsight",
      recipientAccountId: ACCOUNT,
      sharedEventID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      insightDetails: {
        state: "Start",
        eventSource: "ec2.amazonaws.com",
        eventName: "RunInstances",
        insightType: "ApiCallRateInsight",
        insightContext: {
          statistics: { baseline: { average: expect.closeTo(baseline, 12) }, insight: { average: 15 }, insightDuration: 1, baselineDuration: 10080 },
          attributions: [
            { attribute: "userIdentityArn", insight: [{ value: opsArn, average: 15 }], baseline: [{ value: opsArn, average: expect.closeTo(baseline, 12) }] },
            { attribute: "userAgent", insight: [{ value: expect.stringContaining("aws-sdk-js"), average: 15 }], baseline: [{ value: expect.stringContaining("aws-sdk-js"), average: expect.closeTo(baseline, 12) }] },
            { attribute: "errorCode", insight: [{ value: "null", average: 15 }], baseline: [{ value: "null", average: expect.closeTo(baseline, 12) }] },
          ],
        },
      },
      eventCategory: "Insight",
    });
    // Not over yet: the rate has been normal for a minute only.
    expect(find(await insights(), "RunInstances", "End")).toBeUndefined();

    await setClock("2030-03-08T11:00:00Z");
    await expect.poll(async () => find(await insights(), "RunInstances", "End"), { timeout: 300_000 }).toBeDefined();
    const end = find(await insights(), "RunInstances", "End")!;
    expect(end.sharedEventID).toBe(start.sharedEventID);
    expect(end.eventID).not.toBe(start.eventID);
    expect(end.eventTime).toBe("2030-03-08T10:01:00Z");
    expect(end.insightDetails).toMatchObject({ state: "End", eventName: "RunInstances", insightType: "ApiCallRateInsight" });
    expect(end.insightDetails.insightContext.statistics).toEqual(start.insightDetails.insightContext.statistics);

    // The other account launched as many, but no trail of its enables Insights.
    expect(await insights(new CloudTrailClient(clientConfig(server.url, { accessKeyId: OTHER, secretAccessKey: "test" })))).toEqual([]);
  });

  it("Insights events are found by EventName, never by a default lookup, and listed as the CLI shows them", async () => {
    const byName = await ct.send(new LookupEventsCommand({ EventCategory: "insight", LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "RunInstances" }] }));
    expect(byName.Events!.map((e) => JSON.parse(e.CloudTrailEvent!).insightDetails.state)).toEqual(["End", "Start"]);
    expect(byName.Events![0]).toEqual({ EventId: expect.any(String), EventName: "RunInstances", EventTime: new Date("2030-03-08T10:01:00Z"), EventSource: "ec2.amazonaws.com", CloudTrailEvent: expect.any(String) });
    const management = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "RunInstances" }], MaxResults: 50 }));
    expect(management.Events!.every((e) => JSON.parse(e.CloudTrailEvent!).eventType === "AwsApiCall")).toBe(true);

    const cli = await awsJson<{ Events: { EventName: string; CloudTrailEvent: string }[] }>(server.url, ["cloudtrail", "lookup-events", "--event-category", "insight"]);
    expect(cli.Events.map((e) => e.EventName)).toEqual(["RunInstances", "RunInstances"]);
    expect(MINUTE_ALIGNED.test(JSON.parse(cli.Events[1]!.CloudTrailEvent).eventTime)).toBe(true);
  });

  it("the trail with Insights selectors delivers both events under CloudTrail-Insight, the trail without none", async () => {
    await flush(server.url);
    const s3 = new S3Client(clientConfig(server.url));
    const prefix = `AWSLogs/${ACCOUNT}/CloudTrail-Insight/us-east-1/`;
    const keys = await keysUnder(s3, "insights-logs", prefix);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^AWSLogs\/000000000000\/CloudTrail-Insight\/us-east-1\/2030\/03\/08\/000000000000_CloudTrail-Insight_us-east-1_20300308T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/);
    const delivered = (await deliveredRecords(s3, "insights-logs", prefix)) as unknown as InsightRecord[];
    const wanted = await insights();
    expect(delivered.map((r) => r.eventID).sort()).toEqual(wanted.map((r) => r.eventID).sort());
    // Insights events stay out of the API activity files.
    const activity = await deliveredRecords(s3, "insights-logs", `AWSLogs/${ACCOUNT}/CloudTrail/`);
    expect(activity.some((r) => r.eventCategory === "Insight")).toBe(false);
    expect(await keysUnder(s3, "plain-logs", `AWSLogs/${ACCOUNT}/CloudTrail-Insight/`)).toEqual([]);
    expect((await deliveredRecords(s3, "plain-logs", `AWSLogs/${ACCOUNT}/CloudTrail/`)).length).toBeGreaterThan(0);
  });

  it("a burst of NoSuchEntity errors opens an ApiErrorRateInsight for that error", async () => {
    await setClock("2030-03-08T12:00:00Z");
    for (let i = 0; i < 15; i++) await opsIam.send(new GetUserCommand({ UserName: `ghost-${i}` })).catch(() => undefined);
    await setClock("2030-03-08T12:03:00Z");
    await expect.poll(async () => find(await insights(), "GetUser", "Start"), { timeout: 300_000 }).toBeDefined();
    const start = find(await insights(), "GetUser", "Start")!;
    expect(start.eventTime).toBe("2030-03-08T12:00:00Z");
    expect(start.insightDetails).toEqual({
      state: "Start",
      eventSource: "iam.amazonaws.com",
      eventName: "GetUser",
      insightType: "ApiErrorRateInsight",
      errorCode: "NoSuchEntityException",
      insightContext: {
        statistics: { baseline: { average: 0 }, insight: { average: 15 }, insightDuration: 1, baselineDuration: 10080 },
        // An error rate is attributed to users and user agents only.
        attributions: [
          { attribute: "userIdentityArn", insight: [{ value: opsArn, average: 15 }], baseline: [] },
          { attribute: "userAgent", insight: [{ value: expect.stringContaining("aws-sdk-js"), average: 15 }], baseline: [] },
        ],
      },
    });
    // The tagging went on at its usual pace: no Insights event for it.
    expect((await insights()).filter((r) => r.insightDetails.eventName === "CreateTags")).toEqual([]);
  });
});

describe("CloudTrail Insights across a restart", () => {
  it("keeps the week's counts: a burst after the restart is judged against the baseline before it", async () => {
    let server = await startTestServer({ persistent: true });
    const dataDir = server.dataDir!;
    try {
      const setClock = async (iso: string) => {
        const res = await fetch(`${server.url}/_localtrail/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ set: iso }) });
        expect(res.status).toBe(200);
      };
      await setClock("2030-05-01T00:00:00Z");
      const s3 = new S3Client(clientConfig(server.url));
      await s3.send(new CreateBucketCommand({ Bucket: "logs" }));
      await s3.send(new PutBucketPolicyCommand({ Bucket: "logs", Policy: cloudTrailBucketPolicy("logs") }));
      const ct = new CloudTrailClient(clientConfig(server.url));
      await ct.send(new CreateTrailCommand({ Name: "week", S3BucketName: "logs" }));
      await ct.send(new StartLoggingCommand({ Name: "week" }));
      await ct.send(new PutInsightSelectorsCommand({ TrailName: "week", InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] }));
      for (let day = 1; day <= 8; day++) {
        await setClock(`2030-05-0${day}T09:00:00Z`);
        await new IAMClient(clientConfig(server.url)).send(new CreateUserCommand({ UserName: `day-${day}` }));
      }
      // Counted, then the emulator stops and starts again on the same data dir.
      await flush(server.url);
      await server.stop();
      server = await startTestServer({ dataDir });
      await setClock("2030-05-08T10:00:00Z");
      const iam = new IAMClient(clientConfig(server.url));
      for (let i = 0; i < 12; i++) await iam.send(new CreateUserCommand({ UserName: `burst-${i}` }));
      await setClock("2030-05-08T10:01:00Z");
      const lookup = () => new CloudTrailClient(clientConfig(server.url)).send(new LookupEventsCommand({ EventCategory: "insight" }));
      await expect.poll(async () => (await lookup()).Events?.length, { timeout: 300_000 }).toBe(1);
      const start = JSON.parse((await lookup()).Events![0]!.CloudTrailEvent!) as InsightRecord;
      // Seven of the eight days' CreateUser calls lie in the week before 10:00 on May 8.
      expect(start.insightDetails).toMatchObject({ state: "Start", eventSource: "iam.amazonaws.com", eventName: "CreateUser", insightContext: { statistics: { baseline: { average: 7 / 10080 }, insight: { average: 12 } } } });
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
