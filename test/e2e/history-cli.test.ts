import { TOOL_PATH } from "../helpers/cli.js";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";

const BIN = join(import.meta.dirname, "../../bin/localtrail.js");
const exec = promisify(execFile);

/** Runs `localtrail <args>` to its end; resolves whatever the exit code. */
async function localtrail(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { env: { PATH: TOOL_PATH } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A CloudTrail log file of another account, as a trail delivers it. */
function logFile(n: number, eventTime: string) {
  const alice = { type: "IAMUser", principalId: "AIDAEXAMPLEALICE00001", arn: "arn:aws:iam::123456789012:user/Alice", accountId: "123456789012", accessKeyId: "AKIAEXAMPLEALICE0001", userName: "Alice" };
  return {
    Records: Array.from({ length: n }, (_, i) => ({
      eventVersion: "1.08",
      userIdentity: alice,
      eventTime,
      eventSource: "iam.amazonaws.com",
      eventName: "CreateUser",
      awsRegion: "us-east-1",
      sourceIPAddress: "198.51.100.7",
      userAgent: "aws-cli/2.15.17",
      requestParameters: { userName: `imported-${eventTime}-${i}` },
      responseElements: null,
      requestID: `r${i}`,
      eventID: `00000000-0000-4000-8000-${String(Date.parse(eventTime) + i).padStart(12, "0").slice(-12)}`,
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "123456789012",
      eventCategory: "Management",
    })),
  };
}

describe("localtrail events and localtrail import, against a running server", () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), "localtrail-cli-"));
    const iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "John" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "John" }));
    await new IAMClient(clientConfig(server.url, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! })).send(new CreateUserCommand({ UserName: "Mary" }));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("events prints a table of the newest calls", async () => {
    const { code, stdout } = await localtrail("events", "--endpoint", server.url);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TIME +ACCOUNT +WHO +CALL +RESOURCE +OUTCOME +TOOL$/);
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 000000000000 root +iam:CreateUser +John +OK +aws-sdk-js\//);
    expect(lines[3]).toMatch(/ John +iam:CreateUser +Mary +OK /);
  });

  it("events filters by user, event name and resource, and --json prints one record per line", async () => {
    const byJohn = await localtrail("events", "--endpoint", server.url, "--user", "John", "--json");
    const records = byJohn.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { eventName: string; requestParameters: unknown });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ eventName: "CreateUser", requestParameters: { userName: "Mary" }, userIdentity: { userName: "John" } });

    const keys = await localtrail("events", "--endpoint", server.url, "--event-name", "CreateAccessKey");
    expect(keys.stdout.trimEnd().split("\n")).toHaveLength(2);
    const mary = await localtrail("events", "--endpoint", server.url, "--resource", "Mary", "--json");
    expect(mary.stdout.trimEnd().split("\n")).toHaveLength(1);
    const none = await localtrail("events", "--endpoint", server.url, "--user", "Nobody");
    expect(none).toMatchObject({ code: 0, stdout: "", stderr: "localtrail: no recorded calls match.\n" });
  });

  it("events --since reads a span back from the emulated now", async () => {
    const recent = await localtrail("events", "--endpoint", server.url, "--since", "1h", "--json");
    expect(recent.stdout.trimEnd().split("\n")).toHaveLength(3);
    const bad = await localtrail("events", "--endpoint", server.url, "--since", "yesterday");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("since: not an ISO time or a span such as 1h: yesterday");
  });

  it("events --follow prints new calls as they are recorded", async () => {
    const proc = spawn(process.execPath, [BIN, "events", "--endpoint", server.url, "--follow", "--json", "--event-name", "CreateUser"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout.on("data", (c: Buffer) => (out += c.toString()));
    try {
      await expect.poll(() => out.split("\n").filter(Boolean).length, { timeout: 300_000, interval: 50 }).toBe(2);
      await new IAMClient(clientConfig(server.url)).send(new CreateUserCommand({ UserName: "Followed" }));
      await expect.poll(() => out, { timeout: 300_000, interval: 50 }).toContain('"userName":"Followed"');
      expect(out.trimEnd().split("\n")).toHaveLength(3);
    } finally {
      proc.kill("SIGTERM");
    }
  });

  it("import reads files and folders (digests skipped), reports progress, and importing again adds nothing", async () => {
    const logs = join(dir, "AWSLogs", "123456789012", "CloudTrail", "us-east-1", "2026", "03", "01");
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, "123456789012_CloudTrail_us-east-1_20260301T0915Z_a.json.gz"), gzipSync(JSON.stringify(logFile(3, "2026-03-01T09:15:00Z"))));
    writeFileSync(join(logs, "123456789012_CloudTrail_us-east-1_20260301T0920Z_b.json.gz"), gzipSync(JSON.stringify(logFile(2, "2026-03-01T09:20:00Z"))));
    const digests = join(dir, "AWSLogs", "123456789012", "CloudTrail-Digest", "us-east-1");
    mkdirSync(digests, { recursive: true });
    writeFileSync(join(digests, "123456789012_CloudTrail-Digest_us-east-1_x.json.gz"), gzipSync("{}"));
    const single = join(dir, "plain.json");
    writeFileSync(single, JSON.stringify(logFile(1, "2026-03-02T10:00:00Z")));

    const first = await localtrail("import", join(dir, "AWSLogs"), single, "--endpoint", server.url);
    expect(first).toMatchObject({ code: 0, stdout: "imported 6 records from 3 of 3 files (0 already there, 0 not CloudTrail records)\n" });
    const again = await localtrail("import", join(dir, "AWSLogs"), "--endpoint", server.url);
    expect(again.stdout).toBe("imported 0 records from 2 of 2 files (5 already there, 0 not CloudTrail records)\n");

    const alice = await localtrail("events", "--endpoint", server.url, "--user", "Alice", "--json", "--limit", "100");
    expect(alice.stdout.trimEnd().split("\n")).toHaveLength(6);
    const table = await localtrail("events", "--endpoint", server.url, "--user", "Alice", "--limit", "1");
    expect(table.stdout).toMatch(/\n2026-03-02 10:00:00 123456789012 Alice +iam:CreateUser +imported-2026-03-02T10:00:00Z-0 +OK +aws-cli\/2\.15\.17\n$/);
  });

  it("import names a file the server refused and exits 1", async () => {
    const bad = join(dir, "not-a-log.json");
    writeFileSync(bad, '{"hello": 1}');
    const result = await localtrail("import", bad, "--endpoint", server.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("imported 0 records from 0 of 1 files (0 already there, 0 not CloudTrail records)\n");
    expect(result.stderr).toBe(`  not imported: ${bad}: 400 Expected a CloudTrail log file: {"Records":[...]}.\n`);
  });

  it("says plainly when no localtrail answers, and lists its commands in --help", async () => {
    const result = await localtrail("events", "--endpoint", "http://127.0.0.1:9");
    expect(result).toMatchObject({ code: 1, stderr: "localtrail: nothing answers at http://127.0.0.1:9. Is localtrail running? Start it with `localtrail` (or give --endpoint).\n" });
    const help = await localtrail("--help");
    expect(help.stdout).toMatch(/\n {2}localtrail events +show the recorded calls/);
    expect(help.stdout).toMatch(/\n {2}localtrail import +add real CloudTrail log files/);
    const usage = await localtrail("events", "--bogus");
    expect(usage.code).toBe(2);
  });
});
