import { TOOL_PATH } from "../helpers/cli.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";

const run = promisify(execFile);

// The examples are documentation users run: they must keep working against the current code.
describe("examples/trail-story.sh", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("delivers the story's files, validates them, and catches the tampered log file", async () => {
    const { stdout, stderr } = await run("bash", ["examples/trail-story.sh", server.url], { env: { PATH: TOOL_PATH, HOME: process.env.HOME } });
    const suffix = /trail\/story-(\d+)/.exec(stdout)![1];
    expect(stdout).toMatch(new RegExp(`AWSLogs/000000000000/CloudTrail/us-east-1/\\d{4}/\\d\\d/\\d\\d/000000000000_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz`));
    expect(stdout).toMatch(new RegExp(`000000000000_CloudTrail-Digest_us-east-1_story-${suffix}_us-east-1_\\d{8}T\\d{6}Z\\.json\\.gz`));
    expect(stdout).toMatch(new RegExp(`alice-${suffix}\\s+iam\\.amazonaws\\.com\\s+CreateUser`));
    expect(stdout).toMatch(new RegExp(`bob-${suffix}\\s+iam\\.amazonaws\\.com\\s+ListUsers`));
    // First validation: all valid; the second: the rewritten log file.
    expect(stdout).toContain("\n1/1 digest files valid\n1/1 log files valid\n");
    expect(stdout).toContain("\n1/1 digest files valid\n0/1 log files valid, 1/1 log files INVALID\n");
    expect(stderr).toMatch(/^Log file\ts3:\/\/trail-story-\d+\/AWSLogs\/000000000000\/CloudTrail\/us-east-1\/.+\.json\.gz\tINVALID: hash value doesn't match$/m);
  });
});
