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
    const { stdout } = await run("bash", ["examples/john-and-mary.sh", server.url], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
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
      const { stdout } = await run("bash", ["examples/enforce-iam.sh", enforced.url], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
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
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/assert-audit-in-ci.ts", server.url], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    expect(stdout).toMatch(/^audit check passed: deploy-\w+ created exactly one user \(svc-\w+\) as deployer-\w+, deleted nothing/m);
  });

  it("examples/pytest: a fixture starts localtrail and helpers assert its records from Python", async () => {
    const { stdout } = await run("python3", ["-m", "pytest", "examples/pytest", "-q", "-p", "no:cacheprovider"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: "1" },
    });
    expect(stdout).toMatch(/\b3 passed\b/);
  });
});
