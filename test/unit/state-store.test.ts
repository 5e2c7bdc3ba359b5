import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StateStore } from "../../src/state/store.js";

const dir = mkdtempSync(join(tmpdir(), "localtrail-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("StateStore", () => {
  it("writes documents per account and region and reads them back", async () => {
    const store = new StateStore(join(dir, "a"));
    await store.open();
    const doc = store.get("iam", "000000000000", "global", () => ({ users: [] as string[] }));
    doc.users.push("john");
    await store.persistAll();
    const again = new StateStore(join(dir, "a"));
    await again.open();
    expect(again.get("iam", "000000000000", "global", () => ({ users: [] as string[] })).users).toEqual(["john"]);
  });

  it("keeps a damaged document aside and starts anyway", async () => {
    mkdirSync(join(dir, "b", "000000000000"), { recursive: true });
    writeFileSync(join(dir, "b", "000000000000", "us-east-1.json"), '{"ec2": {"vpcs": [');
    const store = new StateStore(join(dir, "b"));
    await store.open();
    expect(store.get("ec2", "000000000000", "us-east-1", () => ({ vpcs: [] }))).toEqual({ vpcs: [] });
    expect(readdirSync(join(dir, "b", "000000000000")).some((f) => f.startsWith("us-east-1.json.damaged-"))).toBe(true);
  });

  it("refuses account or region names that could leave the data dir", () => {
    const store = new StateStore(join(dir, "c"));
    expect(() => store.get("iam", "../../etc", "global", () => ({}))).toThrow();
    expect(() => store.get("iam", "000000000000", "../x", () => ({}))).toThrow();
  });
});
