import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { open, rename, rm, writeFile, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * A keyed collection too large for a lowdb document (S3 objects: 100k keys in one bucket). lowdb rewrites
 * its whole file on every write; a table appends one line per change instead (`{"k":key,"v":value}`, or
 * `{"k":key}` for a delete) and replays the file at start. Changes made while a write is under way go out
 * together in the next one (group commit). When dead lines outnumber live ones the next write rewrites
 * the file whole (temp file + rename), so the file stays within twice the live data.
 *
 * Keys iterate in code-point order, which is UTF-8 byte order (S3 lists keys in that order).
 */
export class JournalTable<T> {
  private readonly entries = new Map<string, T>();
  private sorted: string[] | undefined;
  private pending: string[] = [];
  private lines = 0;
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private dropped = false;
  private dirMade = false;
  /** The journal, open for appending from the first write until a rewrite replaces the file (or close()). */
  private handle: FileHandle | undefined;

  /** `file` undefined: in memory only (--ephemeral). */
  constructor(private readonly file: string | undefined) {}

  /** Replays the journal; a last line cut short by a crash was never acknowledged and is dropped. */
  load(): void {
    if (!this.file || !existsSync(this.file)) return;
    const bytes = readFileSync(this.file);
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end < bytes.length) {
      // Cut the torn line off, so the next append starts on a line of its own.
      const fd = openSync(this.file, "r+");
      try {
        ftruncateSync(fd, end);
      } finally {
        closeSync(fd);
      }
    }
    for (const line of bytes.subarray(0, end).toString("utf8").split("\n")) {
      if (!line) continue;
      let change: { k: string; v?: T };
      try {
        change = JSON.parse(line) as { k: string; v?: T };
      } catch {
        // A damaged line never stops a start; the rest of the journal still counts.
        continue;
      }
      if (typeof change?.k !== "string") continue;
      if (change.v === undefined) this.entries.delete(change.k);
      else this.entries.set(change.k, change.v);
      this.lines++;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Stores a value; it is written as it is now, so set it again after changing it. */
  set(key: string, value: T): void {
    if (this.sorted && !this.entries.has(key)) this.sorted.splice(lowerBound(this.sorted, key), 0, key);
    this.entries.set(key, value);
    this.log(JSON.stringify({ k: key, v: value }));
  }

  delete(key: string): boolean {
    if (!this.entries.delete(key)) return false;
    if (this.sorted) this.sorted.splice(lowerBound(this.sorted, key), 1);
    this.log(JSON.stringify({ k: key }));
    return true;
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }

  /** Keys in code-point order, starting with the first key >= `from`. */
  *keysFrom(from = ""): Generator<string> {
    this.sorted ??= [...this.entries.keys()].sort(compareCodePoints);
    const keys = this.sorted;
    for (let i = lowerBound(keys, from); i < keys.length; i++) yield keys[i]!;
  }

  /** Resolves once every change made so far is on disk. */
  settled(): Promise<void> {
    return this.writing;
  }

  /** Forgets every entry and removes the file (a deleted bucket's objects). */
  async drop(): Promise<void> {
    this.dropped = true;
    this.entries.clear();
    this.sorted = undefined;
    this.pending = [];
    await this.writing;
    await this.closeHandle();
    if (this.file) await rm(this.file, { force: true });
  }

  /** Waits for the writes under way and closes the journal (the store's reset). */
  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.closeHandle();
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private log(line: string): void {
    if (!this.file) return;
    this.dropped = false;
    this.pending.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    // A failed write fails the calls waiting for it, not every later one.
    this.writing = this.writing.catch(() => undefined).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0 || this.dropped || !this.file) return;
    if (!this.dirMade) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.dirMade = true;
    }
    this.lines += lines.length;
    if (this.lines > 2 * this.entries.size + 1000) {
      // More dead lines than live ones: write the live entries only.
      const live = [...this.entries].map(([k, v]) => JSON.stringify({ k, v }));
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, live.length ? `${live.join("\n")}\n` : "");
      await this.closeHandle();
      await rename(tmp, this.file);
      this.lines = live.length;
      return;
    }
    // Kept open: a batch costs one write, not an open, a write and a close.
    this.handle ??= await open(this.file, "a");
    await this.handle.appendFile(`${lines.join("\n")}\n`);
  }
}

/** Orders strings by code point (UTF-8 byte order); plain `<` compares UTF-16 units, which differs past U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..U+DFFF) stand for code points above U+FFFF: move them above U+E000..U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) return shift(x) - shift(y);
    return x - y;
  }
  return a.length - b.length;
}

const shift = (c: number) => (c >= 0xe000 ? c - 0x800 : c + 0x2000);

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareCodePoints(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
