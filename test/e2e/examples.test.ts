import { TOOL_PATH } from "../helpers/cli.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";

const run = promisify(execFile);

// The examples are documentation users run: they must keep working against the current code.
describe("examples", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("john-and-mary.sh tells the story and finds John", async () => {
    const { stdout } = await run("bash", ["examples/john-and-mary.sh", server.url], { env: { PATH: TOOL_PATH, HOME: process.env.HOME } });
    expect(stdout).toMatch(/arn:aws:iam::000000000000:user\/John-\d+/);
    expect(stdout).toMatch(/\|\s*CreateUser\s*\|/);
    const record = JSON.parse(stdout.slice(stdout.lastIndexOf("{\n  \"userIdentity\"")));
    expect(record.userIdentity).toMatchObject({ type: "IAMUser", userName: expect.stringMatching(/^John-\d+$/) });
    expect(record.sourceIPAddress).toBe("127.0.0.1");
    expect(record.userAgent).toMatch(/^aws-cli\//);
  });

  it("enforce-iam.sh: John's AttachUserPolicy of AdministratorAccess is refused, recorded, and his policy generated", async () => {
    const enforced = await startTestServer({ flags: ["--enforce-iam"] });
    try {
      const { stdout } = await run("bash", ["examples/enforce-iam.sh", enforced.url], { env: { PATH: TOOL_PATH, HOME: process.env.HOME } });
      expect(stdout).toMatch(/An error occurred \(AccessDenied\) when calling the AttachUserPolicy operation: User: arn:aws:iam::000000000000:user\/John-\d+ is not authorized to perform: iam:AttachUserPolicy on resource: arn:aws:iam::000000000000:user\/Mary-\d+ with an explicit deny in an identity-based policy: arn:aws:iam::000000000000:policy\/UserAdmin-\d+/);
      expect(stdout).toMatch(/^AttachUserPolicy AccessDenied User: arn:aws:iam::000000000000:user\/John-\d+ is not authorized/m);
      expect(stdout).toMatch(/^CreateUser - $/m);
      const generated = JSON.parse(stdout.slice(stdout.lastIndexOf("{\n    \"Version\"")));
      expect(generated.Statement.map((s: { Action: string | string[] }) => s.Action).flat().sort()).toEqual(["iam:AttachUserPolicy", "iam:CreateUser"]);
    } finally {
      await enforced.close();
    }
  });

  it("assert-audit-in-ci.ts passes against a clean emulator", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/assert-audit-in-ci.ts", server.url], { env: { PATH: TOOL_PATH, HOME: process.env.HOME } });
    expect(stdout).toMatch(/^audit check passed: deploy-\w+ created exactly one user \(svc-\w+\) as deployer-\w+, deleted nothing/m);
  });

  it("intrusion-detection/run.ts: each intrusion raises its alert, the benign work none, and the Python function scans the trail's log file", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/intrusion-detection/run.ts", server.url], { env: { PATH: TOOL_PATH, HOME: process.env.HOME } });
    const alerts = stdout.split("\n").filter((l) => l.startsWith('{"alert"')).map((l) => JSON.parse(l) as { alert: string; actor: string });
    expect(alerts.map((a) => a.alert).sort()).toEqual(["cloudtrail:DeleteTrail", "cloudtrail:StopLogging", "iam:AttachUserPolicy", "iam:CreateAccessKey", "iam:CreateUser"]);
    expect(alerts.every((a) => a.actor === "arn:aws:iam::000000000000:root")).toBe(true);
    const findings = stdout.split("\n").filter((l) => l.startsWith('{"file"')).map((l) => JSON.parse(l) as { eventName: string; file: string });
    expect(findings.map((f) => f.eventName).sort()).toEqual(["AttachUserPolicy", "CreateAccessKey", "CreateUser"]);
    expect(findings[0]!.file).toMatch(/^AWSLogs\/000000000000\/CloudTrail\/us-east-1\/.+\.json\.gz$/);
    expect(stdout).toMatch(/^intrusion detected: 5 alerts, none for the benign work/m);
  });

  it("examples/pytest: a fixture starts localtrail and helpers assert its records from Python", async () => {
    const { stdout } = await run("python3", ["-m", "pytest", "examples/pytest", "-q", "-p", "no:cacheprovider"], {
      env: { PATH: TOOL_PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: "1" },
    });
    expect(stdout).toMatch(/\b3 passed\b/);
  });

  it("investigate-logs.sh imports documentation log files and finds Alice's calls, by localtrail events and by LookupEvents", async () => {
    const fresh = await startTestServer();
    try {
      const { stdout } = await run("bash", ["examples/investigate-logs.sh", fresh.url], { env: { PATH: TOOL_PATH, HOME: process.env.HOME } });
      expect(stdout).toMatch(/^imported 21 records from 11 of 11 files \(1 already there, 0 not CloudTrail records\)$/m);
      expect(stdout).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 111122223333 Alice +kms:CreateKey +key\/1234abcd-12ab-34cd-56ef-1234567890ab +OK/m);
      // Newest first; the documentation's older records (no eventCategory) are management events too.
      expect(stdout).toMatch(/== What did Alice do in account 111122223333, us-west-2\?.*\nDecrypt\tAlice\nCreateAlias\tAlice\nCreateKey\tAlice\nUpdateAlias\tAlice\n/);
      expect(stdout).toMatch(/ 123456789012 Alice cloudtrail:UpdateTrail TrailNotFoundException: Unknown trail: myTrail2/);
    } finally {
      await fresh.close();
    }
  });

  it("ci-suite: a vitest suite asserts the audit trail with localtrail/testing's matchers", async () => {
    const { stdout } = await run(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--config", "examples/ci-suite/vitest.config.ts"], {
      env: { PATH: TOOL_PATH, HOME: process.env.HOME, NO_COLOR: "1" },
    });
    expect(stdout).toMatch(/Tests {2}3 passed \(3\)/);
  });
});
