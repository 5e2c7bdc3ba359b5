import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTrailClient, CreateTrailCommand, ListPublicKeysCommand, StartLoggingCommand, StopLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { aws } from "../helpers/cli.js";
import { cloudTrailBucketPolicy, flush, keysUnder } from "../helpers/trails.js";
import { displayDate, validateTrailFiles, type ValidationReport } from "../../src/delivery/validate-files.js";

const ACCOUNT = "000000000000";
const BUCKET = "validated-trail-logs";
const PREFIX = "org/audit";
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/checked`;

/**
 * validateTrailFiles over the files localtrail really delivered, read through S3's storage interface: its
 * verdicts, and its output compared byte for byte with the real `aws cloudtrail validate-logs --verbose` run
 * over the same window, untouched and after each kind of tampering.
 */
describe("validating a trail's delivered files", () => {
  let server: TestServer;
  let s3: S3Client;
  let ct: CloudTrailClient;
  let start: Date;
  let digests: string[];
  let logs: string[];

  const ours = async (): Promise<ValidationReport> =>
    validateTrailFiles(
      { trailArn: TRAIL_ARN, bucket: BUCKET, prefix: PREFIX, start, end: new Date() },
      {
        objects: server.localtrail.objects!,
        publicKeys: async (from, to) => ((await ct.send(new ListPublicKeysCommand({ StartTime: from, EndTime: to }))).PublicKeyList ?? []).map((k) => ({ fingerprint: k.Fingerprint!, der: Buffer.from(k.Value!) })),
      },
    );
  /** Ours and the CLI's over the same window. */
  const both = async () => {
    const report = await ours();
    const cli = await aws(server.url, ["cloudtrail", "validate-logs", "--trail-arn", TRAIL_ARN, "--start-time", displayDate(start), "--end-time", displayDate(report.end), "--verbose"]);
    return { report, cli };
  };
  const object = async (key: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return { body: Buffer.from(await out.Body!.transformToByteArray()), metadata: out.Metadata };
  };
  const put = (key: string, body: Buffer, metadata?: Record<string, string>) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, Metadata: metadata }));

  beforeAll(async () => {
    server = await startTestServer();
    start = new Date(Date.now() - 60_000);
    s3 = new S3Client(clientConfig(server.url));
    ct = new CloudTrailClient(clientConfig(server.url));
    const iam = new IAMClient(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: cloudTrailBucketPolicy(BUCKET, [ACCOUNT], PREFIX) }));
    await ct.send(new CreateTrailCommand({ Name: "checked", S3BucketName: BUCKET, S3KeyPrefix: PREFIX, EnableLogFileValidation: true }));
    await ct.send(new StartLoggingCommand({ Name: "checked" }));
    await iam.send(new CreateUserCommand({ UserName: "alice" }));
    await flush(server.url);
    await iam.send(new CreateUserCommand({ UserName: "bob" }));
    await flush(server.url);
    // Logging stopped and started again: the chain breaks, and a new one begins (a gap, not a failure).
    await ct.send(new StopLoggingCommand({ Name: "checked" }));
    await flush(server.url);
    await new Promise((r) => setTimeout(r, 1100));
    await ct.send(new StartLoggingCommand({ Name: "checked" }));
    await iam.send(new ListUsersCommand({}));
    await flush(server.url);
    digests = await keysUnder(s3, BUCKET, `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/`);
    logs = await keysUnder(s3, BUCKET, `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/`);
  });
  afterAll(() => server.close());

  it("finds every file valid, as the CLI does", async () => {
    const { report, cli } = await both();
    expect(report.digests.map((d) => d.verdict)).toEqual(digests.map(() => "valid"));
    expect(report.logs.map((l) => l.key).sort()).toEqual([...logs].sort());
    expect(report.logs.every((l) => l.verdict === "valid")).toBe(true);
    expect(report.gaps).toHaveLength(1);
    expect(report.exitCode).toBe(0);
    expect(cli.code).toBe(0);
    expect(report.stdout).toBe(cli.stdout);
    expect(report.stderr).toBe(cli.stderr);
  });

  it("calls a tampered log file modified", async () => {
    const original = await object(logs[0]!);
    const records = JSON.parse(gunzipSync(original.body).toString()) as { Records: { sourceIPAddress: string }[] };
    records.Records[0]!.sourceIPAddress = "203.0.113.7";
    await put(logs[0]!, gzipSync(JSON.stringify(records)));
    try {
      const { report, cli } = await both();
      expect(report.logs.find((l) => l.key === logs[0])?.verdict).toBe("modified");
      expect(report.logs.filter((l) => l.verdict === "valid")).toHaveLength(logs.length - 1);
      expect(report.exitCode).toBe(1);
      expect(cli.code).toBe(1);
      expect(report.stdout).toBe(cli.stdout);
      expect(report.stderr).toBe(cli.stderr);
    } finally {
      await put(logs[0]!, original.body);
    }
  });

  it("calls a deleted log file missing and a deleted digest missing", async () => {
    const log = await object(logs[1]!);
    const digest = await object(digests[0]!);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: logs[1]! }));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: digests[0]! }));
    try {
      const { report, cli } = await both();
      expect(report.logs.find((l) => l.key === logs[1])?.verdict).toBe("missing");
      expect(report.digests.find((d) => d.key === digests[0])?.verdict).toBe("missing");
      expect(report.stdout).toBe(cli.stdout);
      expect(report.stderr).toBe(cli.stderr);
    } finally {
      await put(logs[1]!, log.body);
      await put(digests[0]!, digest.body, digest.metadata);
    }
  });

  it("calls an edited digest invalid: its signature no longer matches", async () => {
    const newest = digests[digests.length - 1]!;
    const original = await object(newest);
    const data = JSON.parse(gunzipSync(original.body).toString()) as { logFiles: unknown[] };
    data.logFiles = [];
    await put(newest, gzipSync(JSON.stringify(data)), original.metadata);
    try {
      const { report, cli } = await both();
      const checked = report.digests.find((d) => d.key === newest)!;
      expect(checked.verdict).toBe("invalid");
      expect(checked.message).toBe(`Digest file\ts3://${BUCKET}/${newest}\tINVALID: signature verification failed`);
      expect(report.stdout).toBe(cli.stdout);
      expect(report.stderr).toBe(cli.stderr);
    } finally {
      await put(newest, original.body, original.metadata);
    }
  });
});
