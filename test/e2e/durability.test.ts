import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IAMClient, CreateUserCommand, paginateListUsers } from "@aws-sdk/client-iam";
import { CloudTrailClient, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import { clientConfig } from "../helpers/clients.js";
import { startProcess } from "../helpers/process.js";

const dir = mkdtempSync(join(tmpdir(), "localtrail-kill-"));
/** Kills per run: 3 in the suite, more through `npm run soak`. */
const ROUNDS = Number(process.env.LOCALTRAIL_CRASH_ROUNDS ?? 3);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("kill -9", () => {
  it("loses no call that was answered 2xx: its record and its state are there after a restart", async () => {
    const acknowledged = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startProcess(["--port", "0", "--data-dir", dir]);
      const iam = new IAMClient(clientConfig(server.url));
      // Concurrent writers; the server dies under them once some answers are in.
      const writers = Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; ; i++) {
          const name = `r${round}-w${w}-u${i}`;
          try {
            await iam.send(new CreateUserCommand({ UserName: name }));
            acknowledged.add(name);
          } catch {
            return;
          }
        }
      });
      while (acknowledged.size < (round + 1) * 40) await new Promise((r) => setTimeout(r, 5));
      server.proc.kill("SIGKILL");
      await Promise.all(writers);
      await server.exited;
    }

    const server = await startProcess(["--port", "0", "--data-dir", dir]);
    try {
      const users = new Set<string>();
      for await (const page of paginateListUsers({ client: new IAMClient(clientConfig(server.url)) }, {})) for (const u of page.Users ?? []) users.add(u.UserName!);
      const recorded = new Set<string>();
      const cloudtrail = new CloudTrailClient(clientConfig(server.url));
      for await (const page of paginateLookupEvents({ client: cloudtrail }, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateUser" }] })) {
        for (const e of page.Events ?? []) if (!JSON.parse(e.CloudTrailEvent!).errorCode) recorded.add(e.Resources![0]!.ResourceName!);
      }
      for (const name of acknowledged) {
        expect(users.has(name), `user ${name}`).toBe(true);
        expect(recorded.has(name), `record of ${name}`).toBe(true);
      }
      // And the restarted server keeps working on the same files.
      await new IAMClient(clientConfig(server.url)).send(new CreateUserCommand({ UserName: "after" }));
      let listed = 0;
      for await (const page of paginateListUsers({ client: new IAMClient(clientConfig(server.url)) }, {})) listed += page.Users!.length;
      expect(listed).toBeGreaterThan(acknowledged.size);
    } finally {
      server.proc.kill("SIGTERM");
      await server.exited;
    }
  }, 60_000 + ROUNDS * 5_000);
});
