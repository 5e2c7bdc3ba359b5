import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JournalTable, compareCodePoints } from "../../src/state/journal-table.js";

const dir = mkdtempSync(join(tmpdir(), "localtrail-journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("journal table", () => {
  it("appends one line per change and replays them after a restart", async () => {
    const file = join(dir, "replay.ndjson");
    const table = new JournalTable<{ n: number }>(file);
    table.set("a", { n: 1 });
    table.set("b", { n: 2 });
    table.set("a", { n: 3 });
    table.delete("b");
    await table.settled();
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(4);
    const again = new JournalTable<{ n: number }>(file);
    again.load();
    expect([again.size, again.get("a"), again.has("b")]).toEqual([1, { n: 3 }, false]);
  });

  it("drops a last line cut short by a crash, and appends after it cleanly", async () => {
    const file = join(dir, "torn.ndjson");
    const table = new JournalTable<string>(file);
    table.set("kept", "yes");
    await table.settled();
    appendFileSync(file, '{"k":"half","v":"writ');
    const reopened = new JournalTable<string>(file);
    reopened.load();
    expect([reopened.get("kept"), reopened.has("half")]).toEqual(["yes", false]);
    reopened.set("next", "ok");
    await reopened.settled();
    const third = new JournalTable<string>(file);
    third.load();
    expect([third.get("kept"), third.get("next")]).toEqual(["yes", "ok"]);
  });

  it("rewrites the file with the live entries once dead lines outnumber them", async () => {
    const file = join(dir, "compact.ndjson");
    const table = new JournalTable<number>(file);
    for (let i = 0; i < 3000; i++) {
      table.set("same", i);
      if (i % 100 === 0) await table.settled();
    }
    await table.settled();
    expect(readFileSync(file, "utf8").trim().split("\n").length).toBeLessThan(1100);
    const reopened = new JournalTable<number>(file);
    reopened.load();
    expect(reopened.get("same")).toBe(2999);
  });

  it("lists keys in code-point (UTF-8 byte) order from any starting key", () => {
    const table = new JournalTable<number>(undefined);
    for (const k of ["b", "a/2", "\u{1F600}", "\uFF01", "a/1", "z"]) table.set(k, 1);
    expect([...table.keysFrom()]).toEqual(["a/1", "a/2", "b", "z", "\uFF01", "\u{1F600}"]);
    expect([...table.keysFrom("a/2")]).toEqual(["a/2", "b", "z", "\uFF01", "\u{1F600}"]);
    table.delete("b");
    table.set("c", 1);
    expect([...table.keysFrom("b")]).toEqual(["c", "z", "\uFF01", "\u{1F600}"]);
    expect(compareCodePoints("\uFF01", "\u{1F600}")).toBeLessThan(0);
  });

  it("skips a damaged line in the middle instead of refusing to start", async () => {
    const file = join(dir, "damaged.ndjson");
    appendFileSync(file, '{"k":"a","v":1}\n{garbage\n{"k":"b","v":2}\n');
    const table = new JournalTable<number>(file);
    table.load();
    expect([table.get("a"), table.get("b"), table.size]).toEqual([1, 2, 2]);
  });
});
