import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
  type EventSelector,
  type AdvancedEventSelector,
} from "@aws-sdk/client-cloudtrail";
import { CreateUserCommand, CreateRoleCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, DeleteBucketCommand, DeleteBucketPolicyCommand, GetObjectCommand, HeadObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { AwsCredentialIdentity } from "@smithy/types";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { cloudTrailBucketPolicy, deliveredRecords, flush, keysUnder, readGzipJson } from "../helpers/trails.js";
import { bucketTable, objectTable } from "../../emulated-services/s3/state.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";

const logsOf = (account: string, region: string, prefix = "") => `${prefix ? `${prefix}/` : ""}AWSLogs/${account}/CloudTrail/${region}/`;
const digestsOf = (account: string, region: string) => `AWSLogs/${account}/CloudTrail-Digest/${region}/`;

/** The root of an account (a 12-digit access key), with the clients a test needs there. */
function accountClients(url: string, account: string, region = "us-east-1") {
  const credentials: AwsCredentialIdentity = { accessKeyId: account, secretAccessKey: "test" };
  const config = clientConfig(url, credentials, region);
  return { account, s3: new S3Client(config), ct: new CloudTrailClient(config), iam: new IAMClient(config), config };
}

describe("trail delivery", () => {
  let server: TestServer;
  // Each test works in its own account: CloudTrail allows 5 trails per region, and trails of one account see each other's calls.
  let s3: S3Client;
  let ct: CloudTrailClient;
  let iam: IAMClient;
  let ACCOUNT: string;
  let next = 100000000000;

  beforeAll(async () => {
    server = await startTestServer();
  });
  beforeEach(() => {
    ({ s3, ct, iam, account: ACCOUNT } = accountClients(server.url, String(++next)));
  });
  afterAll(() => server.close());

  /** A bucket with CloudTrail's policy and a trail writing into it, logging. */
  async function loggingTrail(name: string, options: { prefix?: string; selectors?: EventSelector[]; advanced?: AdvancedEventSelector[]; trail?: Record<string, unknown> } = {}) {
    const bucket = `${name}-logs`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: cloudTrailBucketPolicy(bucket, [ACCOUNT], options.prefix) }));
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: bucket, S3KeyPrefix: options.prefix, ...options.trail }));
    if (options.selectors || options.advanced) {
      await ct.send(new PutEventSelectorsCommand({ TrailName: name, EventSelectors: options.selectors, AdvancedEventSelectors: options.advanced }));
    }
    await ct.send(new StartLoggingCommand({ Name: name }));
    return { bucket, arn: TrailARN! };
  }

  it("delivers one gzipped JSON log file per delivery at AWS's key, holding the records LookupEvents shows", async () => {
    const { bucket } = await loggingTrail("layout", { prefix: "team/audit" });
    await iam.send(new CreateUserCommand({ UserName: "layout-user" }));
    await iam.send(new ListUsersCommand({}));
    await flush(server.url);
    // No new event, no new file.
    await flush(server.url);

    const keys = await keysUnder(s3, bucket, "");
    expect(keys).toHaveLength(1);
    const m = new RegExp(`^team/audit/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/(\\d{4})/(\\d\\d)/(\\d\\d)/${ACCOUNT}_CloudTrail_us-east-1_(\\d{4})(\\d\\d)(\\d\\d)T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`).exec(keys[0]!);
    expect(m).not.toBeNull();
    expect(m!.slice(1, 4)).toEqual(m!.slice(4, 7));

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keys[0]! }));
    expect(head).toMatchObject({ ContentType: "application/json", ContentEncoding: "gzip", ServerSideEncryption: "AES256" });
    const { Records } = await readGzipJson<{ Records: CloudTrailRecord[] }>(s3, bucket, keys[0]!);
    expect(Records.map((r) => r.eventName)).toEqual(["StartLogging", "CreateUser", "ListUsers"]);
    const [looked] = await lookupRecords(server.url, "ResourceName", "layout-user", "us-east-1", { accessKeyId: ACCOUNT, secretAccessKey: "test" });
    expect(Records[1]).toEqual(looked);

    const status = await ct.send(new GetTrailStatusCommand({ Name: "layout" }));
    expect(status.LatestDeliveryTime).toBeInstanceOf(Date);
    expect(status.LatestDeliveryAttemptSucceeded).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(status.LatestDeliveryAttemptTime).toBe(status.LatestDeliveryAttemptSucceeded);
    expect(status.LatestDeliveryError).toBeUndefined();
  });

  it("delivers the management events of the read/write type its selector names", async () => {
    const { bucket } = await loggingTrail("writes-only", { selectors: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true }] });
    await iam.send(new ListUsersCommand({}));
    await iam.send(new CreateUserCommand({ UserName: "written-user" }));
    await flush(server.url);
    const records = await deliveredRecords(s3, bucket, logsOf(ACCOUNT, "us-east-1"));
    expect(records.map((r) => r.eventName)).toEqual(["StartLogging", "CreateUser"]);
    expect(records.every((r) => r.readOnly === false)).toBe(true);
  });

  it("delivers data events chosen by basic and by advanced selectors, and only those", async () => {
    for (const Bucket of ["watched-objects", "other-objects"]) await s3.send(new CreateBucketCommand({ Bucket }));
    const basic = await loggingTrail("basic-data", {
      selectors: [{ ReadWriteType: "All", IncludeManagementEvents: false, DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::watched-objects/"] }] }],
    });
    const advanced = await loggingTrail("advanced-data", {
      advanced: [
        {
          Name: "puts into other-objects",
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Data"] },
            { Field: "resources.type", Equals: ["AWS::S3::Object"] },
            { Field: "eventName", Equals: ["PutObject"] },
            { Field: "resources.ARN", StartsWith: ["arn:aws:s3:::other-objects/"] },
          ],
        },
      ],
    });
    for (const Bucket of ["watched-objects", "other-objects"]) {
      await s3.send(new PutObjectCommand({ Bucket, Key: "report.txt", Body: "numbers" }));
      await (await s3.send(new GetObjectCommand({ Bucket, Key: "report.txt" }))).Body!.transformToString();
    }
    await flush(server.url);

    const basicRecords = await deliveredRecords(s3, basic.bucket, logsOf(ACCOUNT, "us-east-1"));
    expect(basicRecords.map((r) => [r.eventName, r.eventCategory, r.requestParameters?.bucketName])).toEqual([
      ["PutObject", "Data", "watched-objects"],
      ["GetObject", "Data", "watched-objects"],
    ]);
    expect(basicRecords[0]!.resources).toContainEqual({ type: "AWS::S3::Object", ARN: "arn:aws:s3:::watched-objects/report.txt" });
    const advancedRecords = await deliveredRecords(s3, advanced.bucket, logsOf(ACCOUNT, "us-east-1"));
    expect(advancedRecords.map((r) => [r.eventName, r.requestParameters?.bucketName])).toEqual([["PutObject", "other-objects"]]);
  });

  it("files a multi-region trail's events by region and a single-region trail's from its home region only", async () => {
    const everywhere = await loggingTrail("everywhere", { trail: { IsMultiRegionTrail: true } });
    const west = accountClients(server.url, ACCOUNT, "us-west-2");
    await west.s3.send(new CreateBucketCommand({ Bucket: "west-only-logs", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
    await west.s3.send(new PutBucketPolicyCommand({ Bucket: "west-only-logs", Policy: cloudTrailBucketPolicy("west-only-logs", [ACCOUNT]) }));
    await west.ct.send(new CreateTrailCommand({ Name: "west-only", S3BucketName: "west-only-logs" }));
    await west.ct.send(new StartLoggingCommand({ Name: "west-only" }));

    await iam.send(new CreateUserCommand({ UserName: "global-user" }));
    await west.ct.send(new DescribeTrailsCommand({}));
    await new CloudWatchLogsClient(accountClients(server.url, ACCOUNT, "eu-west-1").config).send(new DescribeLogGroupsCommand({}));
    await flush(server.url);

    const regions = async (bucket: string) => {
      const byRegion: Record<string, string[]> = {};
      for (const key of await keysUnder(s3, bucket, `AWSLogs/${ACCOUNT}/CloudTrail/`)) {
        const region = key.split("/")[3]!;
        expect(key).toContain(`/${ACCOUNT}_CloudTrail_${region}_`);
        const { Records } = await readGzipJson<{ Records: CloudTrailRecord[] }>(s3, bucket, key);
        expect(new Set(Records.map((r) => r.awsRegion))).toEqual(new Set([region]));
        (byRegion[region] ??= []).push(...Records.map((r) => r.eventName));
      }
      return byRegion;
    };
    expect(await regions(everywhere.bucket)).toEqual({
      "eu-west-1": ["DescribeLogGroups"],
      "us-east-1": ["StartLogging", "CreateUser"],
      "us-west-2": ["CreateBucket", "PutBucketPolicy", "CreateTrail", "StartLogging", "DescribeTrails"],
    });
    // IAM's events are recorded in us-east-1: a trail homed in us-west-2 does not see them.
    expect(await regions("west-only-logs")).toEqual({ "us-west-2": ["StartLogging", "DescribeTrails"] });
  });

  it("stores an SSE-KMS trail's log files encrypted under its key and S3 decrypts them on GetObject; digests stay SSE-S3", async () => {
    const kms = new KMSClient(accountClients(server.url, ACCOUNT).config);
    const key = (await kms.send(new CreateKeyCommand({ Policy: cloudTrailKeyPolicy(ACCOUNT) }))).KeyMetadata!;
    const { bucket } = await loggingTrail("encrypted", { trail: { KmsKeyId: key.KeyId, EnableLogFileValidation: true } });
    await iam.send(new CreateUserCommand({ UserName: "secret-user" }));
    await flush(server.url);

    const [logKey] = await keysUnder(s3, bucket, logsOf(ACCOUNT, "us-east-1"));
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: logKey! }));
    expect(out).toMatchObject({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: key.Arn, ContentType: "application/json" });
    const plain = Buffer.from(await out.Body!.transformToByteArray());
    expect(out.ContentLength).toBe(plain.length);
    const records = (JSON.parse(gunzipSync(plain).toString()) as { Records: CloudTrailRecord[] }).Records;
    expect(records.map((r) => r.eventName)).toEqual(["StartLogging", "CreateUser"]);
    expect((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: logKey!, Range: "bytes=0-1" }))).Body).toBeDefined();

    // CloudTrail asked KMS for the file's data key itself, and the call is recorded as AWS records it.
    const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/encrypted`;
    const [asked] = await lookupRecords(server.url, "EventName", "GenerateDataKey", "us-east-1", { accessKeyId: ACCOUNT, secretAccessKey: "test" });
    expect(asked).toMatchObject({
      userIdentity: { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" },
      eventSource: "kms.amazonaws.com",
      awsRegion: "us-east-1",
      sourceIPAddress: "cloudtrail.amazonaws.com",
      userAgent: "cloudtrail.amazonaws.com",
      requestParameters: { keyId: key.Arn, keySpec: "AES_256", encryptionContext: { "aws:cloudtrail:arn": trailArn, "aws:s3:arn": `arn:aws:s3:::${bucket}/${logKey}` } },
      responseElements: null,
      readOnly: true,
      resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: key.Arn }],
      managementEvent: true,
      recipientAccountId: ACCOUNT,
    });
    expect(Object.keys(asked!.userIdentity)).toEqual(["type", "invokedBy"]);

    // At rest, the object's body is ciphertext, not the gzip a reader gets.
    const state = server.localtrail.store.view(new Set());
    const stored = objectTable(state, bucketTable(state).get(bucket)!).get(logKey!)!;
    const atRest = await server.localtrail.env.blobs.readAll(stored.blobId);
    expect(atRest.equals(plain)).toBe(false);
    expect(atRest.includes(plain.subarray(10, 40))).toBe(false);
    expect(() => gunzipSync(atRest)).toThrow();

    const [digestKey] = await keysUnder(s3, bucket, digestsOf(ACCOUNT, "us-east-1"));
    const digest = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: digestKey! }));
    expect(digest.ServerSideEncryption).toBe("AES256");
    expect(digest.Metadata).toEqual({ signature: expect.stringMatching(/^[0-9a-f]{512}$/), "signature-algorithm": "SHA256withRSA" });
    expect((await ct.send(new GetTrailStatusCommand({ Name: "encrypted" }))).LatestDigestDeliveryTime).toBeInstanceOf(Date);
  });

  it("sends every record it delivers to the trail's CloudWatch Logs group, one event per record", async () => {
    const logs = new CloudWatchLogsClient(accountClients(server.url, ACCOUNT).config);
    await logs.send(new CreateLogGroupCommand({ logGroupName: "CloudTrail/watched" }));
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const role = (await iam.send(new CreateRoleCommand({ RoleName: "CloudTrail_CloudWatchLogs_Role", AssumeRolePolicyDocument: trust }))).Role!;
    const { bucket } = await loggingTrail("watched", {
      trail: { CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:CloudTrail/watched:*`, CloudWatchLogsRoleArn: role.Arn },
    });
    await iam.send(new CreateUserCommand({ UserName: "watched-user" }));
    await flush(server.url);

    const delivered = await deliveredRecords(s3, bucket, logsOf(ACCOUNT, "us-east-1"));
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: "CloudTrail/watched", logStreamName: `${ACCOUNT}_CloudTrail_us-east-1`, startFromHead: true }));
    expect(events!.map((e) => JSON.parse(e.message!))).toEqual(delivered);
    expect(delivered.map((r) => r.eventName)).toEqual(["StartLogging", "CreateUser"]);
    expect((await ct.send(new GetTrailStatusCommand({ Name: "watched" }))).LatestCloudWatchLogsDeliveryTime).toBeInstanceOf(Date);
  });

  it("reports a deleted bucket and a policy that no longer allows CloudTrail in GetTrailStatus, and delivers once they are fixed", async () => {
    const { bucket } = await loggingTrail("fragile");
    await iam.send(new CreateUserCommand({ UserName: "during-outage" }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    await flush(server.url);
    const failed = await ct.send(new GetTrailStatusCommand({ Name: "fragile" }));
    expect(failed).toMatchObject({ LatestDeliveryError: "NoSuchBucket", LatestDeliveryAttemptSucceeded: "" });
    expect(failed.LatestDeliveryAttemptTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(failed.LatestDeliveryTime).toBeUndefined();

    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: cloudTrailBucketPolicy(bucket, [ACCOUNT]) }));
    await flush(server.url);
    // The file refused earlier, then the one of the calls made since (S3 lists them by their random names).
    const retried = (await deliveredRecords(s3, bucket, logsOf(ACCOUNT, "us-east-1"))).map((r) => r.eventName).sort();
    expect(retried).toEqual(["CreateBucket", "CreateUser", "DeleteBucket", "GetTrailStatus", "PutBucketPolicy", "StartLogging"]);
    const recovered = await ct.send(new GetTrailStatusCommand({ Name: "fragile" }));
    expect(recovered.LatestDeliveryError).toBeUndefined();
    expect(recovered.LatestDeliveryTime).toBeInstanceOf(Date);

    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await iam.send(new CreateUserCommand({ UserName: "while-denied" }));
    await flush(server.url);
    expect((await ct.send(new GetTrailStatusCommand({ Name: "fragile" }))).LatestDeliveryError).toBe("AccessDenied");
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: cloudTrailBucketPolicy(bucket, [ACCOUNT]) }));
    await flush(server.url);
    const names = (await deliveredRecords(s3, bucket, logsOf(ACCOUNT, "us-east-1"))).map((r) => r.eventName);
    expect(names).toContain("CreateUser");
    expect(names.filter((n) => n === "CreateUser")).toHaveLength(2);
    expect((await ct.send(new GetTrailStatusCommand({ Name: "fragile" }))).LatestDeliveryError).toBeUndefined();
  });

  it("stops delivering what happens after StopLogging, ends the digest chain, and starts a new one after StartLogging", async () => {
    const { bucket } = await loggingTrail("stopped", { trail: { EnableLogFileValidation: true } });
    await iam.send(new CreateUserCommand({ UserName: "before-stop" }));
    await ct.send(new StopLoggingCommand({ Name: "stopped" }));
    await iam.send(new CreateUserCommand({ UserName: "after-stop" }));
    await flush(server.url);
    const users = async () => (await deliveredRecords(s3, bucket, logsOf(ACCOUNT, "us-east-1"))).filter((r) => r.eventName === "CreateUser").map((r) => r.requestParameters!.userName);
    expect(await users()).toEqual(["before-stop"]);
    // The trail's own StopLogging is in its log files, as AWS delivers it (CIS 3.5 / 4.5 alarms look for it there).
    const delivered = await deliveredRecords(s3, bucket, logsOf(ACCOUNT, "us-east-1"));
    expect(delivered.map((r) => r.eventName)).toEqual(["StartLogging", "CreateUser", "StopLogging"]);

    type Digest = { previousDigestSignature: string | null; logFiles: { s3Object: string }[] };
    const digests = async () => Promise.all((await keysUnder(s3, bucket, digestsOf(ACCOUNT, "us-east-1"))).map((k) => readGzipJson<Digest>(s3, bucket, k)));
    // One digest, both starting and final: it lists the log file delivered after the stop.
    const [final] = await digests();
    expect(final).toMatchObject({ previousDigestSignature: null, logFiles: [{ s3Object: (await keysUnder(s3, bucket, logsOf(ACCOUNT, "us-east-1")))[0] }] });
    await flush(server.url);
    expect(await digests()).toHaveLength(1);

    await ct.send(new StartLoggingCommand({ Name: "stopped" }));
    await iam.send(new CreateUserCommand({ UserName: "after-restart" }));
    await flush(server.url);
    expect((await users()).sort()).toEqual(["after-restart", "before-stop"]);
    const chains = await digests();
    expect(chains).toHaveLength(2);
    expect(chains[1]!.previousDigestSignature).toBeNull();
  });

  it("ends the digest chain with a final digest when validation is turned off or the trail is deleted", async () => {
    type Digest = { previousDigestS3Object: string | null; logFiles: { s3Object: string }[] };
    const chain = async (bucket: string) => {
      const keys = await keysUnder(s3, bucket, digestsOf(ACCOUNT, "us-east-1"));
      return Promise.all(keys.map(async (key) => ({ key, ...(await readGzipJson<Digest>(s3, bucket, key)) })));
    };
    const validated = { trail: { EnableLogFileValidation: true } };
    const turnedOff = await loggingTrail("turned-off", validated);
    const deleted = await loggingTrail("deleted", validated);
    await flush(server.url);
    await iam.send(new CreateUserCommand({ UserName: "last-words" }));
    await ct.send(new UpdateTrailCommand({ Name: "turned-off", EnableLogFileValidation: false }));
    await ct.send(new DeleteTrailCommand({ Name: "deleted" }));
    await flush(server.url);
    await flush(server.url);

    // The deleted trail delivered its own DeleteTrail; the other trail saw it too, and its own UpdateTrail.
    expect((await deliveredRecords(s3, deleted.bucket, logsOf(ACCOUNT, "us-east-1"))).map((r) => r.eventName).slice(-3)).toEqual(["CreateUser", "UpdateTrail", "DeleteTrail"]);
    for (const { bucket } of [turnedOff, deleted]) {
      const [first, final, ...more] = await chain(bucket);
      expect(more).toEqual([]);
      expect(final!.previousDigestS3Object).toBe(first!.key);
      // The final digest lists the log file of the calls made before the change.
      const files = await keysUnder(s3, bucket, logsOf(ACCOUNT, "us-east-1"));
      expect(files).toHaveLength(2);
      expect(first!.logFiles).toHaveLength(1);
      expect(final!.logFiles.map((f) => f.s3Object)).toEqual(files.filter((f) => f !== first!.logFiles[0]!.s3Object));
    }
  });

  it("delivers the trails of several accounts into one central bucket, each under its own AWSLogs/<account>/", async () => {
    const central: AwsCredentialIdentity = { accessKeyId: "111111111111", secretAccessKey: "test" };
    const member: AwsCredentialIdentity = { accessKeyId: "222222222222", secretAccessKey: "test" };
    const s3Central = new S3Client(clientConfig(server.url, central));
    await s3Central.send(new CreateBucketCommand({ Bucket: "central-trail-logs" }));
    await s3Central.send(new PutBucketPolicyCommand({ Bucket: "central-trail-logs", Policy: cloudTrailBucketPolicy("central-trail-logs", ["111111111111", "222222222222"]) }));
    for (const [credentials, name] of [[central, "central-own"], [member, "member-to-central"]] as const) {
      const client = new CloudTrailClient(clientConfig(server.url, credentials));
      await client.send(new CreateTrailCommand({ Name: name, S3BucketName: "central-trail-logs" }));
      await client.send(new StartLoggingCommand({ Name: name }));
      await new IAMClient(clientConfig(server.url, credentials)).send(new CreateUserCommand({ UserName: `${name}-user` }));
    }
    await flush(server.url);

    const byAccount = async (account: string) => (await deliveredRecords(s3Central, "central-trail-logs", logsOf(account, "us-east-1"))).map((r) => [r.recipientAccountId, r.eventName]);
    expect(await byAccount("111111111111")).toEqual([
      ["111111111111", "StartLogging"],
      ["111111111111", "CreateUser"],
    ]);
    expect(await byAccount("222222222222")).toEqual([
      ["222222222222", "StartLogging"],
      ["222222222222", "CreateUser"],
    ]);
    const [memberKey] = await keysUnder(s3Central, "central-trail-logs", logsOf("222222222222", "us-east-1"));
    expect(memberKey).toMatch(/^AWSLogs\/222222222222\/CloudTrail\/us-east-1\/.+\/222222222222_CloudTrail_us-east-1_/);
  });
});

describe("delivery cadence", () => {
  it("delivers log files every --delivery-interval and digests every --digest-interval seconds, without a flush", async () => {
    const server = await startTestServer({ flags: ["--delivery-interval", "1", "--digest-interval", "1"] });
    try {
      const s3 = new S3Client(clientConfig(server.url));
      const ct = new CloudTrailClient(clientConfig(server.url));
      await s3.send(new CreateBucketCommand({ Bucket: "ticking-logs" }));
      await s3.send(new PutBucketPolicyCommand({ Bucket: "ticking-logs", Policy: cloudTrailBucketPolicy("ticking-logs") }));
      await ct.send(new CreateTrailCommand({ Name: "ticking", S3BucketName: "ticking-logs", EnableLogFileValidation: true }));
      await ct.send(new StartLoggingCommand({ Name: "ticking" }));
      await new IAMClient(clientConfig(server.url)).send(new CreateUserCommand({ UserName: "on-time" }));
      // Delivery comes on the trail's own timer: wait for it, however long a busy machine takes.
      const eventually = (prefix: string) => expect.poll(() => keysUnder(s3, "ticking-logs", prefix), { timeout: 300_000, interval: 100 }).not.toEqual([]);
      await eventually(digestsOf("000000000000", "us-east-1"));
      await eventually(logsOf("000000000000", "us-east-1"));
      const records = await deliveredRecords(s3, "ticking-logs", logsOf("000000000000", "us-east-1"));
      expect(records.map((r) => r.eventName)).toContain("CreateUser");
    } finally {
      await server.close();
    }
  });
});

/** A key policy that lets CloudTrail encrypt log files (CloudTrail User Guide, KMS key policy for CloudTrail). */
const cloudTrailKeyPolicy = (account: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "Allow CloudTrail to encrypt logs",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${account}:trail/*` } },
      },
      { Sid: "Allow CloudTrail to describe key", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*" },
    ],
  });
