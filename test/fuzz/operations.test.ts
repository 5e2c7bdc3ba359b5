import { TOOL_PATH } from "../helpers/cli.js";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "../../emulated-services/index.js";
import { startProcess, type ServerProcess } from "../helpers/process.js";
import { findMarker } from "./marker.js";

const run = promisify(execFile);

interface Outcome {
  service: string;
  operation: string;
  variant: string;
  status: number | string | null;
  seed?: number;
}

/**
 * Every operation of every service table, three times (no input, required members only, every member),
 * with absurd values serialised by botocore: each must get an AWS-style answer below 500, the server must
 * stay up, and nothing may be written outside the data dir.
 */
/** Fuzzer seeds per run: one in the suite, more through `npm run soak`. */
const SEEDS = Number(process.env.LOCALTRAIL_FUZZ_SEEDS ?? 1);

describe("hostile input to every operation", () => {
  const workDir = mkdtempSync(join(tmpdir(), "localtrail-fuzz-cwd-"));
  const dataDir = join(workDir, "data");
  const marker = `lt-fuzz-evil-${process.pid}`;
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startProcess(["--port", "0", "--data-dir", dataDir], {}, workDir);
  });
  afterAll(async () => {
    server.proc.kill("SIGKILL");
    await server.exited;
    rmSync(workDir, { recursive: true, force: true });
  });

  it("answers each with a 4xx or a 2xx, never a 5xx, and keeps running", async () => {
    const operations = Object.fromEntries(services.map((s) => [s.name, Object.keys(s.operations)]));
    const file = join(workDir, "operations.json");
    writeFileSync(file, JSON.stringify(operations));
    const outcomes: Outcome[] = [];
    for (let seed = 20261124; seed < 20261124 + SEEDS; seed++) {
      const { stdout } = await run("python3", [join(import.meta.dirname, "fuzz_operations.py"), server.url, file, String(seed), marker], {
        env: { PATH: TOOL_PATH, HOME: process.env.HOME, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 600_000,
      });
      // The seed goes with each outcome: `python3 fuzz_operations.py ... <seed>` replays a failure.
      outcomes.push(...stdout.trim().split("\n").map((l) => ({ ...(JSON.parse(l) as Outcome), seed })));
    }
    const answered = outcomes.filter((o) => typeof o.status === "number");
    const failures = outcomes.filter((o) => (typeof o.status === "number" && o.status >= 500) || (typeof o.status === "string" && o.status.startsWith("no-answer")));
    expect(failures).toEqual([]);
    // The fuzzer really reached the operations: most calls got an answer.
    expect(answered.length).toBeGreaterThan(outcomes.length / 2);
    expect(new Set(answered.map((o) => o.service))).toEqual(new Set(Object.keys(operations)));
    expect((await fetch(`${server.url}/_localtrail/health`)).status).toBe(200);
  }, SEEDS * 120_000);

  it("wrote nothing outside the data dir", () => {
    expect(readdirSync(workDir).sort()).toEqual(["data", "operations.json"]);
    expect(findMarker(marker, [tmpdir(), workDir, process.cwd(), homedir()], dataDir)).toEqual([]);
    expect(existsSync(`/tmp/${marker}`)).toBe(false);
  });

  it("still starts on the same data dir with its history", async () => {
    server.proc.kill("SIGKILL");
    await server.exited;
    server = await startProcess(["--port", "0", "--data-dir", dataDir], {}, workDir);
    const res = await fetch(`${server.url}/_localtrail/health`);
    expect(res.status).toBe(200);
  });
});
