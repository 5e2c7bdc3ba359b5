import type { LineLocation } from "./segment-files.js";

/** A position in the history: events sort by eventTime, then by append order (seq). */
export interface Cursor {
  time: number;
  seq: number;
}

/** Local indexes fit 24 bits: a segment rotates long before 16 million events. */
export const SEQ_PER_SEGMENT = 2 ** 24;
export const seqOf = (segment: number, local: number) => segment * SEQ_PER_SEGMENT + local;

/** Per event, in append order: when it happened, where its line is, which partition it belongs to. */
class EventColumns {
  times = new Float64Array(256);
  offsets = new Float64Array(256);
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

  private grow(): void {
    const n = this.times.length * 2;
    const grow = <T extends Float64Array | Uint32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.times = grow(this.times, (k) => new Float64Array(k));
    this.offsets = grow(this.offsets, (k) => new Float64Array(k));
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
    const order = [...this.lists.keys()].sort((a, b) => a - b);
    const hashes = new Float64Array(total);
    const locals = new Uint32Array(total);
    let i = 0;
    for (const hash of order) {
      for (const local of this.sortedList(hash)!) {
        hashes[i] = hash;
        locals[i++] = local;
      }
    }
    return new SealedSegmentIndex(this.segment, this.columns, hashes, locals);
  }

  private sortedList(hash: number): number[] | undefined {
    const list = this.lists.get(hash);
    if (list && this.unsorted.delete(hash)) list.sort((a, b) => this.columns.times[a]! - this.columns.times[b]! || a - b);
    return list;
  }
}

/**
 * The index of a full segment: every (key hash, event) pair in two typed arrays sorted by hash, then time.
 * A lookup is two binary searches; the arrays are written to disk as they are (sidecar), so a restart loads
 * them instead of parsing the segment.
 */
export class SealedSegmentIndex extends ColumnarIndex {
  constructor(
    segment: number,
    columns: EventColumns,
    private readonly hashes: Float64Array,
    private readonly locals: Uint32Array,
  ) {
    super(segment, columns);
  }

  newestFirst(hash: number, startTime: number, endTime: number, before: Cursor | undefined, max: number): Cursor[] {
    const from = this.lowerBound(hash);
    let to = from;
    // The run of one hash is short next to the whole array: find its end by galloping, then bisecting.
    let step = 1;
    while (to + step <= this.hashes.length && this.hashes[to + step - 1] === hash) step *= 2;
    to = this.lowerBound(hash + 1, to, Math.min(this.hashes.length, to + step));
    return this.collect(to - from, (i) => this.locals[from + i]!, startTime, endTime, before, max);
  }

  /** The sidecar: a small JSON header, then the typed arrays, each 8-byte aligned. */
  serialize(segmentBytes: number): Buffer {
    const c = this.columns;
    const header = Buffer.from(JSON.stringify({ version: 1, count: c.count, entries: this.hashes.length, segmentBytes, partitions: c.partitionNames }));
    const parts: Buffer[] = [MAGIC, u32(header.length), header];
    const add = (view: ArrayBufferView) => {
      parts.push(pad(parts), Buffer.from(view.buffer, view.byteOffset, view.byteLength));
    };
    add(c.times.subarray(0, c.count));
    add(c.offsets.subarray(0, c.count));
    add(c.lengths.subarray(0, c.count));
    add(c.partitions.subarray(0, c.count));
    add(this.hashes);
    add(this.locals);
    return Buffer.concat(parts);
  }

  /** Reads a sidecar; undefined when it is damaged or belongs to a segment of another size. */
  static deserialize(segment: number, data: Buffer, segmentBytes: number): SealedSegmentIndex | undefined {
    try {
      if (!data.subarray(0, 4).equals(MAGIC)) return undefined;
      const headerLength = data.readUInt32LE(4);
      const header = JSON.parse(data.toString("utf8", 8, 8 + headerLength)) as { version: number; count: number; entries: number; segmentBytes: number; partitions: string[] };
      if (header.version !== 1 || header.segmentBytes !== segmentBytes) return undefined;
      let at = 8 + headerLength;
      const take = <T>(bytes: number, make: (b: ArrayBuffer) => T): T => {
        at = Math.ceil(at / 8) * 8;
        if (at + bytes > data.length) throw new Error("truncated sidecar");
        // Copy into a fresh, aligned buffer: typed arrays need alignment the file buffer may not have.
        const copy = new ArrayBuffer(bytes);
        new Uint8Array(copy).set(data.subarray(at, at + bytes));
        at += bytes;
        return make(copy);
      };
      const columns = new EventColumns();
      columns.times = take(header.count * 8, (b) => new Float64Array(b));
      columns.offsets = take(header.count * 8, (b) => new Float64Array(b));
      columns.lengths = take(header.count * 4, (b) => new Uint32Array(b));
      columns.partitions = take(header.count * 2, (b) => new Uint16Array(b));
      columns.count = header.count;
      for (let i = 0; i < header.count; i++) columns.newestTime = Math.max(columns.newestTime, columns.times[i]!);
      for (const p of header.partitions) columns.partitionNames.push(p);
      const hashes = take(header.entries * 8, (b) => new Float64Array(b));
      const locals = take(header.entries * 4, (b) => new Uint32Array(b));
      return new SealedSegmentIndex(segment, columns, hashes, locals);
    } catch {
      return undefined;
    }
  }

  private lowerBound(hash: number, lo = 0, hi = this.hashes.length): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
