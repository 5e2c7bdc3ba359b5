import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { FileBlobStore } from "../../src/state/blob-store.js";

const dir = mkdtempSync(join(tmpdir(), "localtrail-blobs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = async (stream: Readable) => {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p as Buffer);
  return Buffer.concat(parts).toString();
};

describe("FileBlobStore", () => {
  it("keeps small bodies in packs and large ones in files of their own, readable whole and by range", async () => {
    const store = new FileBlobStore(join(dir, "a"));
    const small = await store.put(Readable.from([Buffer.from("hello "), Buffer.from("world")]));
    const large = await store.put(Readable.from([Buffer.alloc(100 * 1024, 120)]));
    expect(small).toMatchObject({ size: 11 });
    expect(small.id).toMatch(/^p\d+\.\d+\.11$/);
    expect(large.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await text(store.read(small.id))).toBe("hello world");
    expect(await text(store.read(small.id, { start: 6, end: 10 }))).toBe("world");
    expect((await store.readAll(large.id)).length).toBe(100 * 1024);
    expect(await store.size(small.id)).toBe(11);
  });

  it("finds packed bodies after a restart and appends after them", async () => {
    const first = new FileBlobStore(join(dir, "b"));
    const a = await first.put(Buffer.from("first"));
    const second = new FileBlobStore(join(dir, "b"));
    const b = await second.put(Buffer.from("second"));
    expect((await second.readAll(a.id)).toString()).toBe("first");
    expect((await second.readAll(b.id)).toString()).toBe("second");
  });

  it("keeps a pack while it takes bodies, and removes one nobody appends to once all of it is deleted", async () => {
    const path = join(dir, "c");
    const writer = new FileBlobStore(path);
    const ids = [await writer.put(Buffer.from("one")), await writer.put(Buffer.from("two"))].map((b) => b.id);
    const pack = join(path, "packs", `${ids[0]!.split(".")[0]!.slice(1)}.pack`);
    await writer.delete(ids[0]!);
    await writer.delete(ids[1]!);
    expect(existsSync(pack)).toBe(true);
    // After a restart the dead bytes are known from the .dead file; the next deletion there removes the pack.
    const third = await writer.put(Buffer.from("three"));
    const restarted = new FileBlobStore(path);
    await restarted.delete(third.id);
    expect(existsSync(pack)).toBe(false);
    expect(readdirSync(join(path, "packs"))).toEqual([]);
  });

  it("refuses ids that are not its own", () => {
    const store = new FileBlobStore(join(dir, "d"));
    expect(() => store.read("../../etc/passwd")).toThrow();
  });
});
