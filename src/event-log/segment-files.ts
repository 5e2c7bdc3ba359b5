import { closeSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, ftruncateSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

/** Where one stored line lives. */
export interface LineLocation {
  segment: number;
  offset: number;
  length: number;
}

/** Append-only storage of NDJSON lines: files on disk, or memory for --ephemeral. */
export interface SegmentStorage {
  /** Calls `onLine` for every complete line already stored, oldest first; it returns false for a line it cannot use. */
  load(onLine: (location: LineLocation, line: string) => boolean): void;
  /** Appends the lines and returns once they are durable. */
  append(lines: string[]): Promise<LineLocation[]>;
  read(location: LineLocation): string;
  /** Removes whole segments (retention). */
  drop(segments: number[]): void;
  segmentsInUse(): number[];
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SEGMENT_BYTES = 64 * 1024 * 1024;
const NAME = /^(\d{8})\.ndjson$/;

/**
 * Segment files `events/<8 digits>.ndjson`. A batch of lines is written with one write and one fdatasync
 * (the group commit). A torn last line left by a crash is cut off at load; it never stops a start.
 */
export class FileSegments implements SegmentStorage {
  private readers = new Map<number, number>();
  private active?: { segment: number; handle: FileHandle; size: number };

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  load(onLine: (location: LineLocation, line: string) => boolean): void {
    const segments = readdirSync(this.dir)
      .map((f) => NAME.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const segment of segments) {
      const path = this.file(segment);
      const data = readFileSync(path);
      let start = 0;
      let good = 0;
      while (start < data.length) {
        const end = data.indexOf(10, start);
        if (end === -1) break; // torn tail: no newline
        const line = data.toString("utf8", start, end);
        if (onLine({ segment, offset: start, length: end - start }, line)) {
          good = end + 1;
        } else if (end + 1 >= data.length) {
          break; // a garbled last line is a torn write too
        } else {
          good = end + 1; // a bad line in the middle is skipped, the rest kept
        }
        start = end + 1;
      }
      if (good < data.length) {
        const fd = openSync(path, "r+");
        ftruncateSync(fd, good);
        closeSync(fd);
      }
      this.readers.set(segment, openSync(path, "r"));
    }
  }

  async append(lines: string[]): Promise<LineLocation[]> {
    const active = await this.activeSegment();
    const locations: LineLocation[] = [];
    const buffers: Buffer[] = [];
    let offset = active.size;
    for (const line of lines) {
      const bytes = Buffer.from(line + "\n", "utf8");
      buffers.push(bytes);
      locations.push({ segment: active.segment, offset, length: bytes.length - 1 });
      offset += bytes.length;
    }
    const batch = Buffer.concat(buffers);
    await active.handle.write(batch, 0, batch.length, active.size);
    await active.handle.datasync();
    active.size = offset;
    return locations;
  }

  read(location: LineLocation): string {
    const fd = this.readers.get(location.segment);
    if (fd === undefined) throw new Error(`segment ${location.segment} is gone`);
    const buffer = Buffer.allocUnsafe(location.length);
    readSync(fd, buffer, 0, location.length, location.offset);
    return buffer.toString("utf8");
  }

  drop(segments: number[]): void {
    for (const segment of segments) {
      if (this.active?.segment === segment) continue;
      const fd = this.readers.get(segment);
      if (fd !== undefined) closeSync(fd);
      this.readers.delete(segment);
      rmSync(this.file(segment), { force: true });
    }
  }

  segmentsInUse(): number[] {
    return [...this.readers.keys()].sort((a, b) => a - b);
  }

  async reset(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  async close(): Promise<void> {
    await this.active?.handle.close();
    this.active = undefined;
    for (const fd of this.readers.values()) closeSync(fd);
    this.readers.clear();
  }

  private async activeSegment(): Promise<{ segment: number; handle: FileHandle; size: number }> {
    if (this.active && this.active.size < SEGMENT_BYTES) return this.active;
    if (this.active) await this.active.handle.close();
    const last = Math.max(0, ...this.readers.keys());
    // Continue the newest segment after a restart while it has room.
    const segment = last > 0 && !this.active && statSync(this.file(last)).size < SEGMENT_BYTES ? last : last + 1;
    const path = this.file(segment);
    const handle = await open(path, "a+");
    const size = (await handle.stat()).size;
    if (!this.readers.has(segment)) this.readers.set(segment, openSync(path, "r"));
    this.active = { segment, handle, size };
    return this.active;
  }

  private file(segment: number): string {
    return join(this.dir, `${String(segment).padStart(8, "0")}.ndjson`);
  }
}

export class MemorySegments implements SegmentStorage {
  private lines: (string | undefined)[] = [];

  load(): void {}

  async append(lines: string[]): Promise<LineLocation[]> {
    return lines.map((line) => {
      this.lines.push(line);
      return { segment: 0, offset: this.lines.length - 1, length: line.length };
    });
  }

  read(location: LineLocation): string {
    const line = this.lines[location.offset];
    if (line === undefined) throw new Error("event is gone");
    return line;
  }

  drop(): void {}

  segmentsInUse(): number[] {
    return [0];
  }

  async reset(): Promise<void> {
    this.lines = [];
  }

  async close(): Promise<void> {}
}
