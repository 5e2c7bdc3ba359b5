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
    const { stdout } = await run("bash", ["examples/john-and-mary.sh", server.url], { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 60_000 });
    expect(stdout).toMatch(/arn:aws:iam::000000000000:user\/John-\d+/);
    expect(stdout).toMatch(/\|\s*CreateUser\s*\|/);
    const record = JSON.parse(stdout.slice(stdout.lastIndexOf("{\n  \"userIdentity\"")));
    expect(record.userIdentity).toMatchObject({ type: "IAMUser", userName: expect.stringMatching(/^John-\d+$/) });
    expect(record.sourceIPAddress).toBe("127.0.0.1");
    expect(record.userAgent).toMatch(/^aws-cli\//);
  });

  it("assert-audit-in-ci.ts passes against a clean emulator", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/assert-audit-in-ci.ts", server.url], { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 60_000 });
    expect(stdout).toMatch(/^audit check passed: deploy-\w+ created exactly one user \(svc-\w+\) as deployer-\w+, deleted nothing/m);
  });
});
