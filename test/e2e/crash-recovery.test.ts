import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IAMClient, CreateUserCommand, paginateListUsers } from "@aws-sdk/client-iam";
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { EC2Client, CreateSecurityGroupCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { KMSClient, CreateKeyCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { CloudTrailClient, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import { clientConfig } from "../helpers/clients.js";
import { startProcess } from "../helpers/process.js";

const dir = mkdtempSync(join(tmpdir(), "localtrail-crash-"));
/** Kills per run: 3 in the suite, more through `npm run soak`. */
const ROUNDS = Number(process.env.LOCALTRAIL_CRASH_ROUNDS ?? 3);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `write(i)` in `workers` loops until the server dies: `acked` grows as answers come, `done` resolves with them all. */
function writers<T>(workers: number, write: (worker: number, i: number) => Promise<T>): { acked: T[]; done: Promise<T[]> } {
  const acked: T[] = [];
  const done = Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; ; i++) {
        try {
          acked.push(await write(w, i));
        } catch {
          return;
        }
      }
    }),
  ).then(() => acked);
  return { acked, done };
}

/** Every record in the event segments on disk (data events too, which LookupEvents never shows). */
function recordsOnDisk(): { eventName: string; requestParameters?: Record<string, unknown> | null; errorCode?: string }[] {
  const events = join(dir, "events");
  return readdirSync(events)
    .filter((f) => f.endsWith(".ndjson"))
    .flatMap((f) => readFileSync(join(events, f), "utf8").split("\n"))
    .filter((l) => l.startsWith("{") && l.endsWith("}"))
    .map((l) => JSON.parse(l).r);
}

describe("crash recovery", () => {
  it("after kill -9 under mixed concurrent writers and torn files, every acknowledged call has its state and its record", async () => {
    const users: string[] = [];
    const objects: string[] = [];
    const groups: string[] = [];
    const keys: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startProcess(["--port", "0", "--data-dir", dir]);
      const config = clientConfig(server.url);
      if (round === 0) await new S3Client(config).send(new CreateBucketCommand({ Bucket: "crash" }));
      const iam = new IAMClient(config);
      const s3 = new S3Client({ ...config, requestChecksumCalculation: "WHEN_REQUIRED" });
      const ec2 = new EC2Client(config);
      const kms = new KMSClient(config);
      const kinds = [
        writers(6, async (w, i) => (await iam.send(new CreateUserCommand({ UserName: `r${round}-w${w}-${i}` })), `r${round}-w${w}-${i}`)),
        writers(6, async (w, i) => {
          const key = `r${round}/w${w}/${i}`;
          await s3.send(new PutObjectCommand({ Bucket: "crash", Key: key, Body: key }));
          return key;
        }),
        writers(3, async (w, i) => (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `g${round}-${w}-${i}`, Description: "crash test" }))).GroupId!),
        writers(2, async () => (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!),
      ];
      const work = Promise.all(kinds.map((k) => k.done));
      // Pull the plug once every kind of writer has had answers (however long a busy machine takes).
      await expect.poll(() => Math.min(...kinds.map((k) => k.acked.length)), { timeout: 300_000, interval: 20 }).toBeGreaterThanOrEqual(5);
      server.proc.kill("SIGKILL");
      await work;
      const [u, o, g, k] = kinds.map((kind) => kind.acked) as [string[], string[], string[], string[]];
      await server.exited;
      users.push(...u);
      objects.push(...o);
      groups.push(...g);
      keys.push(...k);
    }
    expect(Math.min(users.length, objects.length, groups.length, keys.length)).toBeGreaterThan(0);

    // A crash mid-write leaves half a line: tear the event segment and an S3 journal on purpose.
    const segment = readdirSync(join(dir, "events")).filter((f) => f.endsWith(".ndjson")).sort().pop()!;
    appendFileSync(join(dir, "events", segment), '{"lr":[],"r":{"eventVersion":"1.11","userIdentity":{"type":"Ro');
    const journals = join(dir, "state", "tables", "s3");
    const objectTable = readdirSync(journals).find((f) => f.startsWith("objects-"))!;
    appendFileSync(join(journals, objectTable), '{"k":"torn","v":{"si');

    const server = await startProcess(["--port", "0", "--data-dir", dir]);
    try {
      const config = clientConfig(server.url);
      const listed = new Set<string>();
      for await (const page of paginateListUsers({ client: new IAMClient(config) }, {})) for (const u of page.Users ?? []) listed.add(u.UserName!);
      const s3 = new S3Client(config);
      const ec2 = new EC2Client(config);
      const kms = new KMSClient(config);
      const describedGroups = new Set((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.map((g) => g.GroupId));

      const managementRecords = new Map<string, number>();
      for await (const page of paginateLookupEvents({ client: new CloudTrailClient(config) }, {})) {
        for (const e of page.Events ?? []) {
          if (JSON.parse(e.CloudTrailEvent!).errorCode) continue;
          for (const r of e.Resources ?? []) managementRecords.set(`${e.EventName}:${r.ResourceName}`, 1);
        }
      }
      const disk = recordsOnDisk();
      const putKeys = new Set(disk.filter((r) => r.eventName === "PutObject" && !r.errorCode).map((r) => String(r.requestParameters?.key)));

      for (const name of users) {
        expect(listed.has(name), `user ${name}`).toBe(true);
        expect(managementRecords.has(`CreateUser:${name}`), `CreateUser record of ${name}`).toBe(true);
      }
      for (const key of objects) {
        const got = await s3.send(new GetObjectCommand({ Bucket: "crash", Key: key }));
        expect(await got.Body!.transformToString(), `object ${key}`).toBe(key);
        expect(putKeys.has(key), `PutObject record of ${key}`).toBe(true);
      }
      for (const id of groups) {
        expect(describedGroups.has(id), `security group ${id}`).toBe(true);
        expect(managementRecords.has(`CreateSecurityGroup:${id}`), `CreateSecurityGroup record of ${id}`).toBe(true);
      }
      for (const id of keys) {
        expect((await kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyId).toBe(id);
        expect(disk.some((r) => r.eventName === "CreateKey" && !r.errorCode && JSON.stringify(r).includes(id)), `CreateKey record of ${id}`).toBe(true);
      }
      // And it takes new work on the same files.
      await new IAMClient(config).send(new CreateUserCommand({ UserName: "after-the-crash" }));
    } finally {
      server.proc.kill("SIGTERM");
      await server.exited;
    }
  }, 60_000 + ROUNDS * 10_000);
});
