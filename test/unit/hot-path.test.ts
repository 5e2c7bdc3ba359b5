import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JournalTable } from "../../src/state/journal-table.js";
import { presentMembers } from "../../src/protocols/shapes.js";
import { checksumOf, newChecksum } from "../../src/protocols/checksums.js";
import type { StructureShape } from "../../src/types/model.js";

const dir = mkdtempSync(join(tmpdir(), "localtrail-hot-path-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** CRC-64/NVME bit by bit, the definition the tables are derived from. */
function crc64Reference(data: Buffer): string {
  const poly = 0x9a6c9329ac4bc9b5n; // 0xAD93D23594C93659 reflected
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(crc ^ 0xffffffffffffffffn);
  return out.toString("base64");
}

describe("the per-call hot path", () => {
  it("finds the members a value sets in model order, walking the value's keys for a large shape", () => {
    const members = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`M${i}`, { shape: "S" }]));
    const shape = { type: "structure", members } as StructureShape;
    const value = { M42: "x", M3: "y", NotAMember: "z", M17: undefined, M0: null };
    expect(presentMembers(shape, value).map(([name]) => name)).toEqual(["M0", "M3", "M42"]);
    const small = { type: "structure", members: { B: { shape: "S" }, A: { shape: "S" } } } as StructureShape;
    expect(presentMembers(small, { A: 1, B: 2 }).map(([name]) => name)).toEqual(["B", "A"]);
  });

  it("computes CRC64NVME eight bytes a step exactly as bit by bit, whatever the lengths and chunk splits", () => {
    expect(checksumOf("CRC64NVME", Buffer.from("123456789"))).toBe(Buffer.from("ae8b14860a799888", "hex").toString("base64"));
    for (let n = 0; n < 70; n++) {
      const data = Buffer.from(Array.from({ length: n * 3 + (n % 7) }, (_, i) => (i * 31 + n) & 0xff));
      expect(checksumOf("CRC64NVME", data)).toBe(crc64Reference(data));
      const split = newChecksum("CRC64NVME");
      for (let i = 0; i < data.length; i += 5) split.update(data.subarray(i, i + 5));
      expect(split.digest().toString("base64")).toBe(crc64Reference(data));
    }
  });

  it("keeps appending to the journal it holds open, across a rewrite that replaces the file", async () => {
    const file = join(dir, "rewrite.ndjson");
    const table = new JournalTable<number>(file);
    // Enough overwrites of one key for dead lines to outnumber live ones: the next write rewrites the file.
    for (let i = 0; i < 1500; i++) {
      table.set("k", i);
      if (i % 100 === 0) await table.settled();
    }
    await table.settled();
    table.set("after", 1);
    await table.settled();
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.length).toBeLessThan(1500);
    const again = new JournalTable<number>(file);
    again.load();
    expect([again.get("k"), again.get("after")]).toEqual([1499, 1]);
    await table.close();
  });
});
