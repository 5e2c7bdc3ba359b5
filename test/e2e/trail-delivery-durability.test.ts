import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CloudTrailClient, CreateTrailCommand, paginateLookupEvents, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { clientConfig } from "../helpers/clients.js";
import { startProcess, type ServerProcess } from "../helpers/process.js";
import { aws } from "../helpers/cli.js";
import { cloudTrailBucketPolicy, deliveredRecords, flush, keysUnder, readGzipJson } from "../helpers/trails.js";

const dir = mkdtempSync(join(tmpdir(), "localtrail-delivery-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUCKET = "durable-trail-logs";
const LOGS = "AWSLogs/000000000000/CloudTrail/us-east-1/";
const DIGESTS = "AWSLogs/000000000000/CloudTrail-Digest/us-east-1/";

async function kill(server: ServerProcess): Promise<void> {
  server.proc.kill("SIGKILL");
  await server.exited;
}

describe("trail delivery across kill -9", () => {
  it("delivers after a restart every event recorded before the crash, and the digest chain goes on", async () => {
    const startTime = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    // The default delivery interval (5 minutes) never comes: only flushes deliver.
    let server = await startProcess(["--port", "0", "--data-dir", dir]);
    const clients = (url: string) => ({ s3: new S3Client(clientConfig(url)), iam: new IAMClient(clientConfig(url)), ct: new CloudTrailClient(clientConfig(url)) });
    let { s3, iam, ct } = clients(server.url);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: cloudTrailBucketPolicy(BUCKET) }));
    await ct.send(new CreateTrailCommand({ Name: "durable", S3BucketName: BUCKET, EnableLogFileValidation: true }));
    await ct.send(new StartLoggingCommand({ Name: "durable" }));

    const created: string[] = [];
    const createUsers = async (prefix: string, n: number) => {
      await Promise.all(Array.from({ length: n }, (_, i) => iam.send(new CreateUserCommand({ UserName: `${prefix}-${i}` }))));
      for (let i = 0; i < n; i++) created.push(`${prefix}-${i}`);
    };
    await createUsers("delivered", 10);
    await flush(server.url);
    // Answered, recorded, not yet delivered: then the process dies.
    await createUsers("pending", 20);
    await kill(server);

    server = await startProcess(["--port", "0", "--data-dir", dir]);
    try {
      ({ s3, iam, ct } = clients(server.url));
      await createUsers("after-restart", 5);
      await flush(server.url);

      const recorded = new Set<string>();
      for await (const page of paginateLookupEvents({ client: ct }, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateUser" }] })) {
        for (const e of page.Events ?? []) recorded.add(e.EventId!);
      }
      const delivered = await deliveredRecords(s3, BUCKET, LOGS);
      const deliveredUsers = new Set(delivered.filter((r) => r.eventName === "CreateUser").map((r) => r.requestParameters!.userName as string));
      for (const name of created) expect(deliveredUsers.has(name), `CreateUser ${name}`).toBe(true);
      const deliveredIds = new Set(delivered.map((r) => r.eventID));
      for (const id of recorded) expect(deliveredIds.has(id), `event ${id}`).toBe(true);

      // The digest written after the restart follows the one written before the crash.
      const digestKeys = await keysUnder(s3, BUCKET, DIGESTS);
      expect(digestKeys).toHaveLength(2);
      const second = await readGzipJson<{ previousDigestS3Object: string | null }>(s3, BUCKET, digestKeys[1]!);
      expect(second.previousDigestS3Object).toBe(digestKeys[0]);
      const result = await aws(server.url, ["cloudtrail", "validate-logs", "--trail-arn", "arn:aws:cloudtrail:us-east-1:000000000000:trail/durable", "--start-time", startTime]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("\n2/2 digest files valid\n");
    } finally {
      await kill(server);
    }
  });
});
