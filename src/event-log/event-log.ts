import type { CloudTrailRecord, LookupResource } from "../types/cloudtrail-record.js";
import type { EventHistory, LookupPage, LookupQuery, StoredEvent } from "./event-history.js";
import { lookupAttributes } from "./lookup-attributes.js";
import { LookupIndex } from "./lookup-index.js";
import { PageTokens } from "./page-token.js";
import type { LineLocation, SegmentStorage } from "./segment-files.js";

/** One stored line: the record and its LookupEvents resources. */
interface StoredLine {
  r: CloudTrailRecord;
  lr?: [string, string][];
}

export interface EventLogOptions {
  /** Events older than this are dropped and never returned (CloudTrail Event history keeps 90 days). */
  retentionDays: number;
  now: () => Date;
  /** Key that signs NextTokens. */
  tokenSecret: Buffer;
}

/** Told about every batch once it is durable and indexed (trail delivery, later sinks). */
export type AppendListener = (events: { ordinal: number; event: StoredEvent }[]) => void;

interface Pending {
  line: string;
  event: StoredEvent;
  done: (error?: Error) => void;
}

/**
 * The event history: an append-only log of every record with in-memory indexes for LookupEvents.
 * append() resolves only when the record is durable (one write and fdatasync serve every record that
 * arrived meanwhile: group commit) and indexed, so a caller that awaits it before responding guarantees
 * that the event is visible to LookupEvents before the response leaves.
 */
export class EventLog implements EventHistory {
  private times = new Float64Array(1024);
  private segments = new Int32Array(1024);
  private offsets = new Float64Array(1024);
  private lengths = new Int32Array(1024);
  private partitions: string[] = [];
  private count = 0;
  private readonly index = new LookupIndex((o) => this.times[o]!);
  private readonly tokens: PageTokens;
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;
  private readonly listeners: AppendListener[] = [];

  constructor(
    private readonly storage: SegmentStorage,
    private readonly options: EventLogOptions,
  ) {
    this.tokens = new PageTokens(options.tokenSecret);
  }

  /** Loads and indexes what is on disk, then drops what retention no longer keeps. */
  open(): void {
    this.storage.load((location, line) => {
      let parsed: StoredLine;
      try {
        parsed = JSON.parse(line) as StoredLine;
      } catch {
        return false;
      }
      if (!parsed?.r?.eventTime) return false;
      this.addToIndex(location, toStoredEvent(parsed));
      return true;
    });
    this.enforceRetention();
  }

  get size(): number {
    return this.count;
  }

  onAppend(listener: AppendListener): void {
    this.listeners.push(listener);
  }

  /** Resolves once the event is durable and visible to lookup(). */
  append(event: StoredEvent): Promise<void> {
    const line = JSON.stringify({ lr: event.lookupResources.map((r) => [r.type, r.name]), r: event.record } satisfies StoredLine);
    return new Promise((resolve, reject) => {
      this.queue.push({ line, event, done: (e) => (e ? reject(e) : resolve()) });
      this.writing ??= this.writeQueued();
    });
  }

  lookup(query: LookupQuery): LookupPage {
    const queryKey = JSON.stringify([query.accountId, query.region, query.tokenScope]);
    const before = query.nextToken ? this.tokens.decode(queryKey, query.nextToken) : undefined;
    const oldest = this.options.now().getTime() - this.options.retentionDays * 86_400_000;
    const partition = partitionKey(query.accountId, query.region, "Management");
    // One more than asked tells whether another page exists.
    const ordinals = this.index.query(
      partition,
      query.attribute,
      Math.max(query.startTime, oldest),
      query.endTime,
      query.maxResults + 1,
      before,
      (o) => this.partitions[o]!,
    );
    const page = ordinals.slice(0, query.maxResults);
    const last = page[page.length - 1];
    return {
      events: page.map((o) => this.read(o)),
      nextToken: ordinals.length > query.maxResults && last !== undefined ? this.tokens.encode(queryKey, { time: this.times[last]!, ordinal: last }) : undefined,
    };
  }

  read(ordinal: number): StoredEvent {
    const line = this.storage.read({ segment: this.segments[ordinal]!, offset: this.offsets[ordinal]!, length: this.lengths[ordinal]! });
    return toStoredEvent(JSON.parse(line) as StoredLine);
  }

  /** Drops events older than the retention window: whole segments from disk, and their index entries. */
  enforceRetention(): void {
    const oldest = this.options.now().getTime() - this.options.retentionDays * 86_400_000;
    const newestBySegment = new Map<number, number>();
    for (let o = 0; o < this.count; o++) {
      const s = this.segments[o]!;
      newestBySegment.set(s, Math.max(newestBySegment.get(s) ?? -Infinity, this.times[o]!));
    }
    const expired = [...newestBySegment].filter(([, newest]) => newest < oldest).map(([s]) => s);
    if (expired.length === 0 && !this.hasOlderThan(oldest)) return;
    const gone = new Set(expired);
    this.storage.drop(expired);
    this.index.retain((o) => !gone.has(this.segments[o]!) && this.times[o]! >= oldest);
  }

  async reset(): Promise<void> {
    await this.drain();
    await this.storage.reset();
    this.index.clear();
    this.count = 0;
    this.partitions = [];
  }

  async close(): Promise<void> {
    await this.drain();
    await this.storage.close();
  }

  /** Waits for every queued append. */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const locations = await this.storage.append(batch.map((p) => p.line));
        const appended = batch.map((p, i) => ({ ordinal: this.addToIndex(locations[i]!, p.event), event: p.event }));
        for (const listener of this.listeners) listener(appended);
        for (const p of batch) p.done();
      } catch (e) {
        for (const p of batch) p.done(e instanceof Error ? e : new Error(String(e)));
      }
    }
    this.writing = undefined;
  }

  private addToIndex(location: LineLocation, event: StoredEvent): number {
    const o = this.count++;
    if (o === this.times.length) this.grow();
    const r = event.record;
    this.times[o] = Date.parse(r.eventTime);
    this.segments[o] = location.segment;
    this.offsets[o] = location.offset;
    this.lengths[o] = location.length;
    const key = partitionKey(r.recipientAccountId, r.awsRegion, r.eventCategory);
    this.partitions[o] = key;
    // Event history holds management (and Insights) events only; data events are kept for trails.
    if (r.eventCategory !== "Data") this.index.add(o, key, lookupAttributes(event));
    return o;
  }

  private hasOlderThan(time: number): boolean {
    for (let o = 0; o < this.count; o++) if (this.times[o]! < time) return true;
    return false;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const times = new Float64Array(n);
    times.set(this.times);
    this.times = times;
    const segments = new Int32Array(n);
    segments.set(this.segments);
    this.segments = segments;
    const offsets = new Float64Array(n);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const lengths = new Int32Array(n);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}

const partitionKey = (accountId: string, region: string, category: string) => `${accountId}/${region}/${category}`;

function toStoredEvent(line: StoredLine): StoredEvent {
  const lookupResources: LookupResource[] = (line.lr ?? []).map(([type, name]) => ({ type, name }));
  return { record: line.r, lookupResources };
}
