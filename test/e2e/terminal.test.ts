import { TOOL_PATH } from "../helpers/cli.js";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startProcess } from "../helpers/process.js";
import { clientConfig, failure } from "../helpers/clients.js";

const BIN = join(import.meta.dirname, "../../bin/localtrail.js");

/** Waits until the process's output holds what is looked for (the line is printed once the record is durable). */
const outputHas = (output: () => string, pattern: RegExp) => expect.poll(output, { timeout: 300_000, interval: 50 }).toMatch(pattern);

/** Runs the command to its end: exit code and everything it printed. */
function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [BIN, ...args], { env: { PATH: TOOL_PATH }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  proc.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => proc.once("close", (code) => resolve({ code, stdout, stderr })));
}

describe("the terminal of the localtrail command", () => {
  it("starts with a banner, then the ready lines, then prints a readable line per call", async () => {
    const proc = await startProcess(["--ephemeral", "--port", "0"]);
    try {
      expect(proc.output()).toMatch(
        /^localtrail \S+\n {2}endpoint +http:\/\/127\.0\.0\.1:\d+\n {2}data dir +in memory \(--ephemeral\).*\n {2}signatures +verified .*\n {2}IAM policies +not enforced .*\n.*\nlocaltrail ready on http:\/\/127\.0\.0\.1:\d+\nReady\.\n$/,
      );
      const iam = new IAMClient(clientConfig(proc.url));
      await iam.send(new CreateUserCommand({ UserName: "John" }));
      await failure(iam.send(new GetUserCommand({ UserName: "Nobody" })));
      await outputHas(proc.output, /GetUser/);
      const lines = proc.output().split("Ready.\n")[1]!.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^\d{2}:\d{2}:\d{2} 000000000000 root +iam:CreateUser +John +OK +aws-sdk-js\/3\.\d+\.\d+$/);
      expect(lines[1]).toMatch(/^\d{2}:\d{2}:\d{2} 000000000000 root +iam:GetUser +Nobody +NoSuchEntityException +aws-sdk-js\//);
      // Not a terminal: no colour codes.
      expect(proc.output()).not.toContain("\x1b[");
    } finally {
      proc.proc.kill("SIGTERM");
      await proc.exited;
    }
  });

  it("--log-format json prints one JSON object per call", async () => {
    const proc = await startProcess(["--ephemeral", "--port", "0", "--log-format", "json"]);
    try {
      const iam = new IAMClient(clientConfig(proc.url));
      await failure(iam.send(new GetUserCommand({ UserName: "Nobody" })));
      await outputHas(proc.output, /"operation":"GetUser"/);
      const line = proc.output().split("Ready.\n")[1]!.trim();
      expect(JSON.parse(line)).toEqual({
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        account: "000000000000",
        region: "us-east-1",
        who: "root",
        identityType: "Root",
        service: "iam",
        operation: "GetUser",
        resource: "Nobody",
        outcome: "error",
        errorCode: "NoSuchEntityException",
        tool: expect.stringMatching(/^aws-sdk-js\//),
        sourceIPAddress: "127.0.0.1",
        eventID: expect.stringMatching(/^[0-9a-f-]{36}$/),
        eventCategory: "Management",
      });
    } finally {
      proc.proc.kill("SIGTERM");
      await proc.exited;
    }
  });

  it("--quiet prints only the ready lines", async () => {
    const proc = await startProcess(["--ephemeral", "--port", "0", "--quiet"]);
    try {
      await new IAMClient(clientConfig(proc.url)).send(new CreateUserCommand({ UserName: "Quiet" }));
      // The record is durable before the answer, and the line would be written in the same turn.
      const health = await fetch(`${proc.url}/_localtrail/health`);
      expect(health.status).toBe(200);
      expect(proc.output()).toMatch(/^localtrail ready on http:\/\/127\.0\.0\.1:\d+\nReady\.\n$/);
    } finally {
      proc.proc.kill("SIGTERM");
      await proc.exited;
    }
  });

  it("a port in use is one clear line and exit code 3, never a stack trace", async () => {
    const first = await startProcess(["--ephemeral", "--port", "0", "--quiet"]);
    try {
      const port = new URL(first.url).port;
      const second = await runToExit(["--ephemeral", "--port", port]);
      expect(second.code).toBe(3);
      expect(second.stderr).toBe(`localtrail: port ${port} on 127.0.0.1 is already in use (another localtrail or LocalStack?). Stop it, or choose another port with --port.\n`);
      expect(second.stdout).not.toContain("Ready.");
    } finally {
      first.proc.kill("SIGTERM");
      await first.exited;
    }
  });

  it("a data dir it cannot use is one clear line and exit code 4", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localtrail-terminal-"));
    try {
      const file = join(dir, "not-a-dir");
      writeFileSync(file, "x");
      const result = await runToExit(["--port", "0", "--data-dir", join(file, "data")]);
      expect(result.code).toBe(4);
      expect(result.stderr).toBe(`localtrail: cannot use the data dir ${join(file, "data")}: a file is in the way. Choose another with --data-dir, or run with --ephemeral.\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a bad flag is exit code 2 with the help", async () => {
    const result = await runToExit(["--log-format", "xml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^localtrail: --log-format: expected text or json, got xml\n\nlocaltrail: a local AWS API emulator/);
  });
});

describe("call lines", () => {
  const record = {
    eventVersion: "1.11",
    userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/deployer/ci-run-7", accountId: "111122223333" },
    eventTime: "2026-03-01T09:15:02Z",
    eventSource: "s3.amazonaws.com",
    eventName: "DeleteBucket",
    awsRegion: "eu-west-1",
    sourceIPAddress: "127.0.0.1",
    userAgent: "[Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0]",
    errorCode: "AccessDenied",
    requestParameters: { bucketName: "prod-data" },
    responseElements: null,
    requestID: "r",
    eventID: "e",
    readOnly: false,
    resources: [{ type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::prod-data" }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management" as const,
  };

  it("name the role session, the resource, the error and the tool; colour only on a terminal", async () => {
    const { callLine } = await import("../../src/terminal/call-lines.js");
    expect(callLine(record, false)).toMatch(/^09:15:02 111122223333 deployer\/ci-run-7 +s3:DeleteBucket +prod-data +AccessDenied +Boto3\/1\.34\.0$/);
    expect(callLine(record, false, true)).toMatch(/^2026-03-01 09:15:02 111122223333 /);
    const coloured = callLine(record, true);
    expect(coloured).toContain("\x1b[31mAccessDenied");
    expect(coloured).toContain("\x1b[36mdeployer/ci-run-7");
  });
});
