import { spawn, type ChildProcess } from "node:child_process";
import { startProcess, type ServerProcess } from "../helpers/process.js";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { IAMClient, CreateUserCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { clientConfig } from "../helpers/clients.js";

const BIN = join(import.meta.dirname, "../../bin/localtrail.js");
const running: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const p of running.splice(0)) p.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return startProcess(args, env).then((p) => {
    running.push(p.proc);
    return p;
  });
}

function exitOf(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
}

describe("the localtrail command", () => {
  it("prints the ready line and Ready., serves health on both paths, and stops cleanly on SIGTERM", async () => {
    const { proc, url, output, exited } = await start(["--port", "0", "--ephemeral"]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const path of ["/_localtrail/health", "/_localstack/health"]) {
      const health = (await (await fetch(url + path)).json()) as { services: Record<string, string>; version: string };
      expect(health.services).toMatchObject({ iam: "running", sts: "running", cloudtrail: "running" });
      expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
    }
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output()).toContain("SIGTERM, shutting down");
  });

  it("`npm start` (the documented command) passes SIGTERM on to the server, which stops with it", async () => {
    const proc = spawn("npm", ["start", "--", "--port", "0", "--ephemeral"], { cwd: join(import.meta.dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] });
    running.push(proc);
    const exited = exitOf(proc);
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /localtrail ready on (http:\/\/\S+)\nReady\./.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`npm start exited ${String(code)}: ${out}`)));
    });
    proc.kill("SIGTERM");
    await exited;
    // npm waits for its script's process: once npm is gone the server must be gone too, not orphaned.
    await expect(fetch(url + "/_localtrail/health")).rejects.toThrow();
  });

  it("takes its settings from LOCALTRAIL_* variables and keeps state in the data dir across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localtrail-cli-"));
    dirs.push(dir);
    const first = await start(["--port", "0"], { LOCALTRAIL_DATA_DIR: dir });
    const iam = new IAMClient(clientConfig(first.url));
    await iam.send(new CreateUserCommand({ UserName: "Persistent" }));
    first.proc.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(["events", "state"]));

    const second = await start(["--port", "0", "--data-dir", dir]);
    const users = await new IAMClient(clientConfig(second.url)).send(new ListUsersCommand({}));
    expect(users.Users?.map((u) => u.UserName)).toEqual(["Persistent"]);
  });

  it("binds to the loopback interface by default", async () => {
    const { url } = await start(["--port", "0", "--ephemeral"]);
    expect(new URL(url).hostname).toBe("127.0.0.1");
  });

  it("explains bad flags and exits with status 2", async () => {
    const proc = spawn(process.execPath, [BIN, "--port", "nope"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    proc.stderr.on("data", (c: Buffer) => (err += c.toString()));
    expect(await exitOf(proc)).toBe(2);
    expect(err).toMatch(/--port/);
    expect(err).toMatch(/Usage: localtrail/);
  });

  it("prints --help", async () => {
    const proc = spawn(process.execPath, [BIN, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout.on("data", (c: Buffer) => (out += c.toString()));
    expect(await exitOf(proc)).toBe(0);
    expect(out).toMatch(/--data-dir/);
    expect(out).toMatch(/LOCALTRAIL_EPHEMERAL/);
    // Every internal endpoint the server answers is named.
    for (const endpoint of ["GET /_localtrail/health", "POST /_localtrail/reset", "POST /_localtrail/flush", "POST /_localtrail/import"]) expect(out).toContain(endpoint);
  });

  it("resets all state and history on POST /_localtrail/reset", async () => {
    const { url } = await start(["--port", "0", "--ephemeral"]);
    const iam = new IAMClient(clientConfig(url));
    await iam.send(new CreateUserCommand({ UserName: "Gone" }));
    const reset = await fetch(url + "/_localtrail/reset", { method: "POST" });
    expect(reset.status).toBe(200);
    expect((await iam.send(new ListUsersCommand({}))).Users).toEqual([]);
  });
});
