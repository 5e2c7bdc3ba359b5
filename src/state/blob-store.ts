import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { BlobPacks, parsePackId } from "./blob-packs.js";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { randomUUID } from "node:crypto";

/**
 * Bytes too big for the control-plane JSON (object bodies, function code), stored under ids this store
 * generates. No user string (an S3 key, a function name) ever becomes part of a path, so nothing a client
 * sends can write outside the data dir.
 */
export interface BlobStore {
  /** Streams `source` into a new blob and returns its id; nothing is visible under the id until it is complete. */
  put(source: Readable | Uint8Array): Promise<{ id: string; size: number }>;
  /** A stream of the blob's bytes, or of the inclusive byte range [start, end]. */
  read(id: string, range?: { start: number; end: number }): Readable;
  readAll(id: string): Promise<Buffer>;
  size(id: string): Promise<number>;
  delete(id: string): Promise<void>;
  reset(): Promise<void>;
}

const ID = /^[0-9a-f-]{36}$/;

/** Bodies up to this size go into a pack (src/state/blob-packs.ts); larger ones stream to a file of their own. */
const SMALL_BODY = 64 * 1024;

export class FileBlobStore implements BlobStore {
  private readonly shards = new Set<string>();
  private packs: BlobPacks;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.packs = new BlobPacks(join(dir, "packs"));
  }

  /**
   * Writes straight to where the blob lives: the id is returned (and so referenced anywhere) only once the
   * bytes are complete, and a crash mid-write leaves bytes nothing points to.
   */
  async put(source: Readable | Uint8Array): Promise<{ id: string; size: number }> {
    if (source instanceof Uint8Array && source.length <= SMALL_BODY) return this.packed(source);
    const head = source instanceof Uint8Array ? undefined : await readUpTo(source, SMALL_BODY);
    if (head?.ended) return this.packed(Buffer.concat(head.chunks, head.size));
    const id = randomUUID();
    const path = this.newPath(id);
    try {
      if (source instanceof Uint8Array) {
        await writeFile(path, source);
        return { id, size: source.length };
      }
      let size = head!.size;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      const file = createWriteStream(path);
      for (const chunk of head!.chunks) file.write(chunk);
      await pipeline(source, count, file);
      return { id, size };
    } catch (e) {
      await rm(path, { force: true });
      throw e;
    }
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    const packed = parsePackId(id);
    if (packed) return this.packs.read(packed, range);
    return createReadStream(this.path(id), range ? { start: range.start, end: range.end } : undefined);
  }

  async readAll(id: string): Promise<Buffer> {
    const packed = parsePackId(id);
    return packed ? this.packs.readAll(packed) : readFile(this.path(id));
  }

  async size(id: string): Promise<number> {
    const packed = parsePackId(id);
    return packed ? packed.length : (await stat(this.path(id))).size;
  }

  async delete(id: string): Promise<void> {
    const packed = parsePackId(id);
    if (packed) await this.packs.delete(packed);
    else await rm(this.path(id), { force: true });
  }

  async reset(): Promise<void> {
    this.packs.close();
    await rm(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    this.shards.clear();
    this.packs = new BlobPacks(join(this.dir, "packs"));
  }

  private packed(data: Uint8Array): { id: string; size: number } {
    const blob = this.packs.append(data);
    return { id: `p${blob.pack}.${blob.offset}.${blob.length}`, size: data.length };
  }

  /** The path of a new blob, its shard directory made once. */
  private newPath(id: string): string {
    const shard = join(this.dir, id.slice(0, 2));
    if (!this.shards.has(shard)) {
      mkdirSync(shard, { recursive: true });
      this.shards.add(shard);
    }
    return this.path(id);
  }

  private path(id: string): string {
    if (!ID.test(id)) throw new Error(`invalid blob id ${id}`);
    return join(this.dir, id.slice(0, 2), id);
  }
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  async put(source: Readable | Uint8Array): Promise<{ id: string; size: number }> {
    const id = randomUUID();
    let data: Buffer;
    if (source instanceof Uint8Array) data = Buffer.from(source);
    else {
      const chunks: Buffer[] = [];
      for await (const chunk of source) chunks.push(chunk as Buffer);
      data = Buffer.concat(chunks);
    }
    this.blobs.set(id, data);
    return { id, size: data.length };
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    const data = this.get(id);
    return Readable.from([range ? data.subarray(range.start, range.end + 1) : data]);
  }

  async readAll(id: string): Promise<Buffer> {
    return this.get(id);
  }

  async size(id: string): Promise<number> {
    return this.get(id).length;
  }

  async delete(id: string): Promise<void> {
    this.blobs.delete(id);
  }

  async reset(): Promise<void> {
    this.blobs.clear();
  }

  private get(id: string): Buffer {
    const data = this.blobs.get(id);
    if (!data) throw new Error(`no blob ${id}`);
    return data;
  }
}

/** Reads `source` until it ends or passes `limit` bytes; in the second case it is left paused for a pipe. */
function readUpTo(source: Readable, limit: number): Promise<{ chunks: Buffer[]; size: number; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (ended: boolean) => {
      source.off("data", onData);
      source.off("end", onEnd);
      // A paused source keeps this listener until the pipe takes over: an error in between must not go unheard.
      if (ended) source.off("error", onError);
      resolve({ chunks, size, ended });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        source.pause();
        done(false);
      }
    };
    const onEnd = () => done(true);
    const onError = (e: Error) => {
      source.off("data", onData);
      source.off("end", onEnd);
      reject(e);
    };
    source.on("data", onData);
    source.once("end", onEnd);
    source.once("error", onError);
  });
}
