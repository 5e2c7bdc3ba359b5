import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { readFile, rename, rm, stat, writeFile, mkdir } from "node:fs/promises";
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

export class FileBlobStore implements BlobStore {
  constructor(private readonly dir: string) {
    mkdirSync(join(dir, "tmp"), { recursive: true });
  }

  async put(source: Readable | Uint8Array): Promise<{ id: string; size: number }> {
    const id = randomUUID();
    const tmp = join(this.dir, "tmp", id);
    let size = 0;
    try {
      if (source instanceof Uint8Array) {
        await writeFile(tmp, source);
        size = source.length;
      } else {
        const count = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            done(null, chunk);
          },
        });
        await pipeline(source, count, createWriteStream(tmp));
      }
      await mkdir(this.shard(id), { recursive: true });
      await rename(tmp, this.path(id));
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return { id, size };
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(id), range ? { start: range.start, end: range.end } : undefined);
  }

  readAll(id: string): Promise<Buffer> {
    return readFile(this.path(id));
  }

  async size(id: string): Promise<number> {
    return (await stat(this.path(id))).size;
  }

  async delete(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }

  async reset(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    mkdirSync(join(this.dir, "tmp"), { recursive: true });
  }

  private shard(id: string): string {
    return join(this.dir, id.slice(0, 2));
  }

  private path(id: string): string {
    if (!ID.test(id)) throw new Error(`invalid blob id ${id}`);
    return join(this.shard(id), id);
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
