import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SegmentWriter } from "./segment-writer.js";

/** Where one stored line lives. */
export interface LineLocation {
  segment: number;
  offset: number;
  length: number;
}

/**
 * Append-only storage of NDJSON lines in numbered segments, plus one index sidecar per full segment:
 * files on disk, or memory for --ephemeral. The event log decides which segment is active and when one is full.
 */
export interface SegmentStorage {
  /** Segments present, oldest first, with their sizes in bytes. */
  list(): { segment: number; bytes: number }[];
  /**
   * Calls `onLine` for every complete line of a segment, oldest first; it returns false for a line it cannot
   * use. A torn tail (a crash mid-write) is cut off the file; a bad line in the middle is skipped. Returns
   * the segment's size once cut.
   */
  scan(segment: number, onLine: (location: LineLocation, line: string) => boolean): number;
  /** Appends the lines to a segment (created if new) and returns once they are durable. */
  append(segment: number, lines: string[]): Promise<LineLocation[]>;
  read(location: LineLocation): string;
  readSidecar(segment: number): Buffer | undefined;
  writeSidecar(segment: number, data: Buffer): void;
  /** Removes whole segments and their sidecars (retention). */
  drop(segments: number[]): void;
  reset(): Promise<void>;
  close(): Promise<void>;
  /** What an SQL engine reads: the segment files, or the lines themselves when they live in memory. */
  sqlSource(): { files: string[] } | { lines: string[] };
}

const NAME = /^(\d{8})\.ndjson$/;

/**
 * Segment files `events/<8 digits>.ndjson` with sidecars `<8 digits>.idx`. A batch of lines is written with
 * one write and one fdatasync, on the writer's thread: the group commit that makes a record durable before
 * its call is answered. Reads (and the scan at start) stay on the calling thread.
 */
export class FileSegments implements SegmentStorage {
  private readonly readers = new Map<number, number>();
  /** Writes and fdatasyncs on a worker thread. */
  private readonly writer: SegmentWriter;
  /** The segment the writer holds open. */
  private writing: number | undefined;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.writer = new SegmentWriter(dir);
  }

  list(): { segment: number; bytes: number }[] {
    return readdirSync(this.dir)
      .map((f) => NAME.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b)
      .map((segment) => ({ segment, bytes: statSync(this.file(segment)).size }));
  }

  scan(segment: number, onLine: (location: LineLocation, line: string) => boolean): number {
    const path = this.file(segment);
    const data = readFileSync(path);
    let start = 0;
    let good = 0;
    while (start < data.length) {
      const end = data.indexOf(10, start);
      if (end === -1) break; // torn tail: no newline
      const location = { segment, offset: start, length: end - start };
      if (onLine(location, data.toString("utf8", start, end))) good = end + 1;
      else if (end + 1 >= data.length) break; // a garbled last line is a torn write too
      else good = end + 1; // a bad line in the middle is skipped, the rest kept
      start = end + 1;
    }
    if (good < data.length) {
      const fd = openSync(path, "r+");
      ftruncateSync(fd, good);
      closeSync(fd);
    }
    return good;
  }

  sqlSource(): { files: string[] } {
    return { files: this.list().map(({ segment }) => this.file(segment)) };
  }

  async append(segment: number, lines: string[]): Promise<LineLocation[]> {
    const { start, lengths } = await this.writer.append(segment, `${lines.join("\n")}\n`);
    this.writing = segment;
    let offset = start;
    return lengths.map((length) => {
      const location = { segment, offset, length };
      offset += length + 1;
      return location;
    });
  }

  read(location: LineLocation): string {
    let fd = this.readers.get(location.segment);
    if (fd === undefined) this.readers.set(location.segment, (fd = openSync(this.file(location.segment), "r")));
    const buffer = Buffer.allocUnsafe(location.length);
    readSync(fd, buffer, 0, location.length, location.offset);
    return buffer.toString("utf8");
  }

  readSidecar(segment: number): Buffer | undefined {
    const path = this.sidecar(segment);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  writeSidecar(segment: number, data: Buffer): void {
    const path = this.sidecar(segment);
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
  }

  drop(segments: number[]): void {
    for (const segment of segments) {
      if (this.writing === segment) continue;
      const fd = this.readers.get(segment);
      if (fd !== undefined) closeSync(fd);
      this.readers.delete(segment);
      rmSync(this.file(segment), { force: true });
      rmSync(this.sidecar(segment), { force: true });
    }
  }

  async reset(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  async close(): Promise<void> {
    await this.writer.close();
    this.writing = undefined;
    for (const fd of this.readers.values()) closeSync(fd);
    this.readers.clear();
  }

  private file(segment: number): string {
    return join(this.dir, `${String(segment).padStart(8, "0")}.ndjson`);
  }

  private sidecar(segment: number): string {
    return join(this.dir, `${String(segment).padStart(8, "0")}.idx`);
  }
}

/** The same, in memory (--ephemeral). */
export class MemorySegments implements SegmentStorage {
  private segments = new Map<number, { lines: string[]; bytes: number }>();

  list(): { segment: number; bytes: number }[] {
    return [...this.segments].sort(([a], [b]) => a - b).map(([segment, s]) => ({ segment, bytes: s.bytes }));
  }

  scan(segment: number, onLine: (location: LineLocation, line: string) => boolean): number {
    const s = this.segments.get(segment);
    s?.lines.forEach((line, i) => onLine({ segment, offset: i, length: line.length }, line));
    return s?.bytes ?? 0;
  }

  async append(segment: number, lines: string[]): Promise<LineLocation[]> {
    let s = this.segments.get(segment);
    if (!s) this.segments.set(segment, (s = { lines: [], bytes: 0 }));
    const target = s;
    return lines.map((line) => {
      target.lines.push(line);
      target.bytes += Buffer.byteLength(line) + 1;
      return { segment, offset: target.lines.length - 1, length: line.length };
    });
  }

  sqlSource(): { lines: string[] } {
    return { lines: this.list().flatMap(({ segment }) => this.segments.get(segment)!.lines) };
  }

  read(location: LineLocation): string {
    const line = this.segments.get(location.segment)?.lines[location.offset];
    if (line === undefined) throw new Error("event is gone");
    return line;
  }

  // Sidecars exist to skip parsing at start; memory is never reopened.
  readSidecar(): Buffer | undefined {
    return undefined;
  }

  writeSidecar(): void {}

  drop(segments: number[]): void {
    for (const segment of segments) this.segments.delete(segment);
  }

  async reset(): Promise<void> {
    this.segments = new Map();
  }

  async close(): Promise<void> {}
}
