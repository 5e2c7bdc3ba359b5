import type { LineLocation } from "./segment-files.js";

/** A position in the history: events sort by eventTime, then by append order (seq). */
export interface Cursor {
  time: number;
  seq: number;
}

/** Local indexes fit 24 bits: a segment rotates long before 16 million events. */
export const SEQ_PER_SEGMENT = 2 ** 24;
export const seqOf = (segment: number, local: number) => segment * SEQ_PER_SEGMENT + local;

/**
 * Per event, in append order: when it happened, where its line is, which partition it belongs to. Offsets
 * fit 32 bits: a segment rotates at 64 MB (plus one batch of at most 8 MB).
 */
class EventColumns {
  times = new Float64Array(256);
  offsets = new Uint32Array(256);
  lengths = new Uint32Array(256);
  partitions = new Uint16Array(256);
  count = 0;
  /** The newest eventTime so far (events may arrive out of time order: imports, clock steps). */
  newestTime = -Infinity;
  readonly partitionNames: string[] = [];
  private readonly partitionCodes = new Map<string, number>();

  push(time: number, location: LineLocation, partition: string): number {
    if (this.count === this.times.length) this.grow();
    let code = this.partitionCodes.get(partition);
    if (code === undefined) {
      code = this.partitionNames.length;
      this.partitionNames.push(partition);
      this.partitionCodes.set(partition, code);
    }
    const local = this.count++;
    this.times[local] = time;
    if (time > this.newestTime) this.newestTime = time;
    this.offsets[local] = location.offset;
    this.lengths[local] = location.length;
    this.partitions[local] = code;
    return local;
  }

  /** Drops the spare capacity once no more events come (a sealed segment). */
  trim(): void {
    this.times = this.times.slice(0, this.count);
    this.offsets = this.offsets.slice(0, this.count);
    this.lengths = this.lengths.slice(0, this.count);
    this.partitions = this.partitions.slice(0, this.count);
  }

  private grow(): void {
    const n = this.times.length * 2;
    const grow = <T extends Float64Array | Uint32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.times = grow(this.times, (k) => new Float64Array(k));
    this.offsets = grow(this.offsets, (k) => new Uint32Array(k));
    this.lengths = grow(this.lengths, (k) => new Uint32Array(k));
    this.partitions = grow(this.partitions, (k) => new Uint16Array(k));
  }
}

/** What every segment's index answers, sealed or still being appended to. */
export interface SegmentIndex {
  readonly segment: number;
  readonly count: number;
  /**
   * eventTime of the newest event: retention drops segments whose newest event expired, and a lookup stops
   * at segments too old to change its page.
   */
  readonly newestTime: number;
  time(local: number): number;
  partition(local: number): string;
  location(local: number): LineLocation;
  /**
   * Up to `max` events under key hash `hash` with startTime <= time <= endTime, strictly before `before`,
   * newest first.
   */
  newestFirst(hash: number, startTime: number, endTime: number, before: Cursor | undefined, max: number): Cursor[];
}

abstract class ColumnarIndex implements SegmentIndex {
  constructor(
    readonly segment: number,
    protected readonly columns: EventColumns,
  ) {}

  get count(): number {
    return this.columns.count;
  }

  get newestTime(): number {
    return this.columns.newestTime;
  }

  time(local: number): number {
    return this.columns.times[local]!;
  }

  partition(local: number): string {
    return this.columns.partitionNames[this.columns.partitions[local]!]!;
  }

  location(local: number): LineLocation {
    return { segment: this.segment, offset: this.columns.offsets[local]!, length: this.columns.lengths[local]! };
  }

  abstract newestFirst(hash: number, startTime: number, endTime: number, before: Cursor | undefined, max: number): Cursor[];

  /** Walks `locals` (sorted by time, then local) from the newest entry allowed by endTime and the cursor. */
  protected collect(count: number, localAt: (i: number) => number, startTime: number, endTime: number, before: Cursor | undefined, max: number): Cursor[] {
    const times = this.columns.times;
    // First position sorting after (endTime, +inf) or after the cursor: everything below it qualifies.
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const local = localAt(mid);
      const t = times[local]!;
      const seq = seqOf(this.segment, local);
      const beyond = t > endTime || (before !== undefined && (t > before.time || (t === before.time && seq >= before.seq)));
      if (beyond) hi = mid;
      else lo = mid + 1;
    }
    const out: Cursor[] = [];
    for (let i = lo - 1; i >= 0 && out.length < max; i--) {
      const local = localAt(i);
      const t = times[local]!;
      if (t < startTime) break;
      out.push({ time: t, seq: seqOf(this.segment, local) });
    }
    return out;
  }
}

/**
 * The index of the segment being appended to: key hash -> local indexes in time order. Live appends come
 * in time order; imported or clock-stepped ones mark their list for a sort before the next read.
 */
export class ActiveSegmentIndex extends ColumnarIndex {
  private readonly lists = new Map<number, number[]>();
  private readonly unsorted = new Set<number>();

  constructor(segment: number) {
    super(segment, new EventColumns());
  }

  add(time: number, location: LineLocation, partition: string, hashes: number[]): void {
    const local = this.columns.push(time, location, partition);
    for (const hash of hashes) {
      let list = this.lists.get(hash);
      if (!list) this.lists.set(hash, (list = []));
      const last = list[list.length - 1];
      if (last !== undefined && this.columns.times[last]! > time) this.unsorted.add(hash);
      list.push(local);
    }
  }

  newestFirst(hash: number, startTime: number, endTime: number, before: Cursor | undefined, max: number): Cursor[] {
    const list = this.sortedList(hash);
    return list ? this.collect(list.length, (i) => list[i]!, startTime, endTime, before, max) : [];
  }

  /** Freezes this segment's index into the compact sorted form written beside a full segment. */
  seal(): SealedSegmentIndex {
    let total = 0;
    for (const list of this.lists.values()) total += list.length;
    const keys = Float64Array.from(this.lists.keys()).sort();
    const starts = new Uint32Array(keys.length + 1);
    const locals = new Uint32Array(total);
    let i = 0;
    keys.forEach((hash, k) => {
      starts[k] = i;
      for (const local of this.sortedList(hash)!) locals[i++] = local;
    });
    starts[keys.length] = i;
    this.columns.trim();
    return new SealedSegmentIndex(this.segment, this.columns, keys, starts, locals);
  }

  private sortedList(hash: number): number[] | undefined {
    const list = this.lists.get(hash);
    if (list && this.unsorted.delete(hash)) list.sort((a, b) => this.columns.times[a]! - this.columns.times[b]! || a - b);
    return list;
  }
}

/**
 * The index of a full segment, in typed arrays: the distinct key hashes sorted, and for each the run of its
 * events (local indexes, in time order) in one shared array. A lookup is one binary search. The arrays are
 * the sidecar as it is on disk, so a restart maps them from one read instead of parsing the segment.
 * Per event about 18 bytes of columns and 4 per key it is found by, plus 12 per distinct key.
 */
export class SealedSegmentIndex extends ColumnarIndex {
  constructor(
    segment: number,
    columns: EventColumns,
    private readonly keys: Float64Array,
    /** Run k of `locals` is starts[k] .. starts[k + 1]. */
    private readonly starts: Uint32Array,
    private readonly locals: Uint32Array,
  ) {
    super(segment, columns);
  }

  newestFirst(hash: number, startTime: number, endTime: number, before: Cursor | undefined, max: number): Cursor[] {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    if (keys[lo] !== hash) return [];
    const from = this.starts[lo]!;
    const locals = this.locals;
    return this.collect(this.starts[lo + 1]! - from, (i) => locals[from + i]!, startTime, endTime, before, max);
  }

  /** The sidecar: a small JSON header, then the typed arrays, each 8-byte aligned. */
  serialize(segmentBytes: number): Buffer {
    const c = this.columns;
    const header = Buffer.from(JSON.stringify({ version: 2, count: c.count, keys: this.keys.length, entries: this.locals.length, segmentBytes, partitions: c.partitionNames }));
    const parts: Buffer[] = [MAGIC, u32(header.length), header];
    const add = (view: ArrayBufferView) => {
      parts.push(pad(parts), Buffer.from(view.buffer, view.byteOffset, view.byteLength));
    };
    add(c.times.subarray(0, c.count));
    add(c.offsets.subarray(0, c.count));
    add(c.lengths.subarray(0, c.count));
    add(c.partitions.subarray(0, c.count));
    add(this.keys);
    add(this.starts);
    add(this.locals);
    return Buffer.concat(parts);
  }

  /**
   * Reads a sidecar; undefined when it is damaged, of an older format, or belongs to a segment of another
   * size (the segment is then parsed and the sidecar written again). The arrays are views of `data`, not copies.
   */
  static deserialize(segment: number, data: Buffer, segmentBytes: number): SealedSegmentIndex | undefined {
    try {
      if (!data.subarray(0, 4).equals(MAGIC)) return undefined;
      const headerLength = data.readUInt32LE(4);
      const header = JSON.parse(data.toString("utf8", 8, 8 + headerLength)) as { version: number; count: number; keys: number; entries: number; segmentBytes: number; partitions: string[] };
      if (header.version !== 2 || header.segmentBytes !== segmentBytes) return undefined;
      // Typed arrays need their offsets aligned to their element size: copy once if the buffer's start is not.
      const aligned = data.byteOffset % 8 === 0 ? data : Buffer.from(data);
      let at = 8 + headerLength;
      const take = <T>(n: number, size: number, make: (b: ArrayBuffer, offset: number, n: number) => T): T => {
        at = Math.ceil(at / 8) * 8;
        if (at + n * size > aligned.length) throw new Error("truncated sidecar");
        const view = make(aligned.buffer as ArrayBuffer, aligned.byteOffset + at, n);
        at += n * size;
        return view;
      };
      const columns = new EventColumns();
      columns.times = take(header.count, 8, (b, o, n) => new Float64Array(b, o, n));
      columns.offsets = take(header.count, 4, (b, o, n) => new Uint32Array(b, o, n));
      columns.lengths = take(header.count, 4, (b, o, n) => new Uint32Array(b, o, n));
      columns.partitions = take(header.count, 2, (b, o, n) => new Uint16Array(b, o, n));
      columns.count = header.count;
      for (let i = 0; i < header.count; i++) if (columns.times[i]! > columns.newestTime) columns.newestTime = columns.times[i]!;
      for (const p of header.partitions) columns.partitionNames.push(p);
      const keys = take(header.keys, 8, (b, o, n) => new Float64Array(b, o, n));
      const starts = take(header.keys + 1, 4, (b, o, n) => new Uint32Array(b, o, n));
      const locals = take(header.entries, 4, (b, o, n) => new Uint32Array(b, o, n));
      return new SealedSegmentIndex(segment, columns, keys, starts, locals);
    } catch {
      return undefined;
    }
  }
}

const MAGIC = Buffer.from("LTIX");

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/** Zero bytes that bring the concatenated parts to a multiple of 8. */
function pad(parts: Buffer[]): Buffer {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return Buffer.alloc((8 - (length % 8)) % 8);
}
