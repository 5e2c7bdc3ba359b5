import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";

/** A pack is closed to new bodies once it holds this much. */
const PACK_BYTES = 64 * 1024 * 1024;
const PACK_ID = /^p(\d{1,9})\.(\d{1,15})\.(\d{1,9})$/;

export interface PackedBlob {
  pack: number;
  offset: number;
  length: number;
}

/** `p<pack>.<offset>.<length>`: the id says where the bytes are, and only digits ever reach a path. */
export const parsePackId = (id: string): PackedBlob | undefined => {
  const m = PACK_ID.exec(id);
  return m ? { pack: Number(m[1]), offset: Number(m[2]), length: Number(m[3]) } : undefined;
};

/**
 * Small bodies appended to shared pack files (`packs/<n>.pack`), as log-structured stores keep small
 * objects: one write each, where a file of their own would cost a create, a close and later an unlink.
 * A deletion is noted in `<n>.dead`; once every byte of a closed pack is dead, the pack is removed.
 * Space inside a partly dead pack is not reclaimed.
 */
export class BlobPacks {
  private active?: { pack: number; fd: number; size: number };
  private readonly dead = new Map<number, number>();
  private readonly readers = new Map<number, number>();
  /** Deletion notes not yet appended to their `.dead` file, by pack: written together, once per turn of the event loop. */
  private readonly deadNotes = new Map<number, string>();
  /** The write of the notes taken this turn, which every delete() of the turn resolves with. */
  private notesWritten: Promise<void> | undefined;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir)) {
      const m = /^(\d+)\.dead$/.exec(file);
      if (!m) continue;
      const lengths = readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean).map((l) => Number(l.split(" ")[1]) || 0);
      this.dead.set(Number(m[1]), lengths.reduce((a, b) => a + b, 0));
    }
  }

  /** Appends `data` and returns where it is; a crash mid-write leaves bytes no id points to. */
  append(data: Uint8Array): PackedBlob {
    const active = this.activePack();
    const offset = active.size;
    writeSync(active.fd, data, 0, data.length, offset);
    active.size += data.length;
    return { pack: active.pack, offset, length: data.length };
  }

  read(blob: PackedBlob, range?: { start: number; end: number }): Readable {
    if (blob.length === 0) return Readable.from([]);
    const start = blob.offset + (range?.start ?? 0);
    const end = blob.offset + (range ? range.end : blob.length - 1);
    return Readable.from([this.readBytes(blob.pack, start, end - start + 1)]);
  }

  readAll(blob: PackedBlob): Buffer {
    return this.readBytes(blob.pack, blob.offset, blob.length);
  }

  /** Notes the blob dead; resolves once the note is written. */
  delete(blob: PackedBlob): Promise<void> {
    // Overwritten objects' bodies go in bulk (10 s after their overwrite): one append per pack, not per body.
    this.deadNotes.set(blob.pack, `${this.deadNotes.get(blob.pack) ?? ""}${blob.offset} ${blob.length}\n`);
    const written = (this.notesWritten ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        try {
          this.writeDeadNotes();
          resolve();
        } catch (e) {
          reject(e as Error);
        }
      }),
    ));
    const dead = (this.dead.get(blob.pack) ?? 0) + blob.length;
    this.dead.set(blob.pack, dead);
    if (blob.pack !== this.active?.pack && existsSync(this.packFile(blob.pack)) && dead >= statSync(this.packFile(blob.pack)).size) this.remove(blob.pack);
    return written;
  }

  /** A note lost in a crash only leaves its bytes unreclaimed: a pack goes only once every byte of it is noted dead. */
  private writeDeadNotes(): void {
    this.notesWritten = undefined;
    for (const [pack, notes] of this.deadNotes) appendFileSync(this.deadFile(pack), notes);
    this.deadNotes.clear();
  }

  close(): void {
    this.writeDeadNotes();
    if (this.active) closeSync(this.active.fd);
    this.active = undefined;
    for (const fd of this.readers.values()) closeSync(fd);
    this.readers.clear();
  }

  private readBytes(pack: number, offset: number, length: number): Buffer {
    let fd = this.readers.get(pack);
    if (fd === undefined) this.readers.set(pack, (fd = openSync(this.packFile(pack), "r")));
    const out = Buffer.allocUnsafe(length);
    const read = readSync(fd, out, 0, length, offset);
    return read === length ? out : out.subarray(0, read);
  }

  private activePack(): { pack: number; fd: number; size: number } {
    if (this.active && this.active.size < PACK_BYTES) return this.active;
    const previous = this.active?.pack;
    if (this.active) closeSync(this.active.fd);
    const packs = readdirSync(this.dir)
      .map((f) => /^(\d+)\.pack$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    const last = Math.max(0, ...packs);
    // After a restart the newest pack takes more bodies while it has room.
    const pack = previous === undefined && last > 0 && statSync(this.packFile(last)).size < PACK_BYTES ? last : last + 1;
    const fd = openSync(this.packFile(pack), "a+");
    this.active = { pack, fd, size: statSync(this.packFile(pack)).size };
    return this.active;
  }

  private remove(pack: number): void {
    const fd = this.readers.get(pack);
    if (fd !== undefined) closeSync(fd);
    this.readers.delete(pack);
    rmSync(this.packFile(pack), { force: true });
    rmSync(this.deadFile(pack), { force: true });
    this.dead.delete(pack);
    this.deadNotes.delete(pack);
  }

  private packFile(pack: number): string {
    return join(this.dir, `${pack}.pack`);
  }

  private deadFile(pack: number): string {
    return join(this.dir, `${pack}.dead`);
  }
}
