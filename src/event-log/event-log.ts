import type { CloudTrailRecord, LookupResource } from "../types/cloudtrail-record.js";
import type { AppendListener, EventHistory, HistoryEvent, LookupPage, LookupQuery, SequencedEvent, StoredEvent } from "./event-history.js";
import { keyHash } from "./key-hash.js";
import { hasLookupAttribute, lookupAttributes, summarize, type EventSummary } from "./lookup-attributes.js";
import { PageTokens } from "./page-token.js";
import { ActiveSegmentIndex, SealedSegmentIndex, SEQ_PER_SEGMENT, seqOf, type Cursor, type SegmentIndex } from "./segment-index.js";
import type { SegmentStorage } from "./segment-files.js";

/**
 * One stored line: the LookupEvents resources, the summary Event history reads, then the record, last, so
 * that its JSON text can be served as CloudTrailEvent without parsing it: `{"lr":...,"summary":...,"r":{...}}`.
 */
interface StoredLine {
  r: CloudTrailRecord;
  lr?: [string, string][];
  summary?: EventSummary;
  /** 1 for an imported event. */
  im?: 1;
}

/** What precedes the record in a line: `,"r":` cannot occur unescaped inside the resources or the summary. */
const RECORD_MARK = ',"r":';

/** An event of the history with its place in it (scan()). */
export interface HistoryEntry {
  seq: number;
  event: HistoryEvent;
  imported: boolean;
}

/** How many read events the log keeps parsed (about 2 KB each): a page of LookupEvents is 50. */
const RECENT_EVENTS = 10_000;

/** An event as Event history reads it: its summary, its resources, and its record's text. */
interface HistoryHit {
  summary: EventSummary;
  resources: LookupResource[];
  recordJson: string;
}

export interface EventLogOptions {
  /** Events older than this are dropped and never returned (CloudTrail Event history keeps 90 days). */
  retentionDays: number;
  now: () => Date;
  /** Key that signs NextTokens. */
  tokenSecret: Buffer;
  /** A segment is sealed (indexed to a sidecar) once it holds this many bytes. */
  segmentBytes?: number;
}

interface Pending {
  line: string;
  event: StoredEvent;
  summary: EventSummary;
  done: (error?: Error) => void;
}

const SEGMENT_BYTES = 64 * 1024 * 1024;
/** A group commit writes at most this much at once, so a large import does not swell one segment. */
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * The event history: an append-only log of every record in segment files, each full segment with an index
 * sidecar, so a million events load in a moment and LookupEvents reads only the records it returns.
 * append() resolves only when the record is durable (one write and fdatasync, on the storage's writer thread,
 * serve every record that arrived meanwhile: group commit) and indexed here, on the calling thread: a caller that awaits it before answering guarantees that
 * the event is visible to LookupEvents before the answer leaves.
 */
export class EventLog implements EventHistory {
  private sealed: SealedSegmentIndex[] = [];
  private active = new ActiveSegmentIndex(1);
  private activeBytes = 0;
  private readonly bySegment = new Map<number, SegmentIndex>();
  private readonly tokens: PageTokens;
  private readonly segmentBytes: number;
  /** Recently read events by seq: written events never change, so a hit is always current. */
  private readonly recent = new Map<number, HistoryHit>();
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;
  private readonly listeners: AppendListener[] = [];

  constructor(
    private readonly storage: SegmentStorage,
    private readonly options: EventLogOptions,
  ) {
    this.tokens = new PageTokens(options.tokenSecret);
    this.segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
  }

  /**
   * Loads the history: full segments from their sidecars (parsed and re-indexed when a sidecar is missing or
   * stale), the last segment by parsing its lines. Then drops what retention no longer keeps.
   */
  open(): void {
    const segments = this.storage.list();
    let active: ActiveSegmentIndex | undefined;
    segments.forEach(({ segment, bytes }, i) => {
      const last = i === segments.length - 1;
      // The last segment has a sidecar when it was closed cleanly: it stays sealed, appends go to a new one.
      const sidecar = this.storage.readSidecar(segment);
      const loaded = sidecar && SealedSegmentIndex.deserialize(segment, sidecar, bytes);
      if (loaded) return this.addSealed(loaded);
      const index = new ActiveSegmentIndex(segment);
      const kept = this.storage.scan(segment, (location, line) => {
        let parsed: StoredLine;
        try {
          parsed = JSON.parse(line) as StoredLine;
        } catch {
          return false;
        }
        if (!parsed?.r?.eventTime) return false;
        const event = toStoredEvent(parsed);
        const summary = parsed.summary ?? summarize(event);
        index.add(Date.parse(summary.time), location, summary.partition, indexKeys(summary, event.lookupResources));
        return true;
      });
      if (last && kept < this.segmentBytes) {
        active = index;
        this.activeBytes = kept;
      } else {
        const sealed = index.seal();
        this.storage.writeSidecar(segment, sealed.serialize(kept));
        this.addSealed(sealed);
      }
    });
    // Appends continue a partly filled last segment, or start a new one.
    this.active = active ?? new ActiveSegmentIndex((segments[segments.length - 1]?.segment ?? 0) + 1);
    this.bySegment.set(this.active.segment, this.active);
    this.enforceRetention();
  }

  get size(): number {
    return this.sealed.reduce((n, s) => n + s.count, this.active.count);
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at !== -1) this.listeners.splice(at, 1);
    };
  }

  /** Resolves once the event is durable and visible to lookup(). */
  append(event: StoredEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      const summary = summarize(event);
      this.queue.push({ line: serialize(event, summary), event, summary, done: (e) => (e ? reject(e) : resolve()) });
      this.writing ??= this.writeQueued();
    });
  }

  /** Appends many events (an import); resolves once all are durable. */
  async appendMany(events: StoredEvent[]): Promise<void> {
    await Promise.all(events.map((event) => this.append(event)));
  }

  /** Whether the history already holds this record (same event id in its partition). */
  contains(record: CloudTrailRecord): boolean {
    const partition = `${record.recipientAccountId}/${record.awsRegion}/${record.eventCategory}`;
    const hash = keyHash(`${partition}\u0000EventId\u0000${record.eventID}`);
    return this.segmentsNewestFirst().some((s) =>
      s.newestFirst(hash, -Infinity, Infinity, undefined, 8).some((c) => this.readHistory(c.seq).eventId === record.eventID),
    );
  }

  lookup(query: LookupQuery): LookupPage {
    const queryKey = JSON.stringify([query.accountId, query.region, query.tokenScope]);
    const before = query.nextToken ? this.tokens.decode(queryKey, query.nextToken) : undefined;
    const oldest = this.options.now().getTime() - this.options.retentionDays * 86_400_000;
    const startTime = Math.max(query.startTime, oldest);
    const partition = `${query.accountId}/${query.region}/${query.category ?? "Management"}`;
    const attribute = query.attribute;
    const hash = keyHash(attribute ? `${partition}\u0000${attribute.key}\u0000${attribute.value}` : `${partition}\u0000*`);
    const matches = (hit: HistoryHit) =>
      hit.summary.partition === partition && (!attribute || hasLookupAttribute(hit.summary, hit.resources, attribute.key, attribute.value));

    // One more than asked tells whether another page exists.
    const need = query.maxResults + 1;
    const found: { cursor: Cursor; event: HistoryEvent }[] = [];
    let bound = before;
    for (;;) {
      const candidates = this.newestCandidates(hash, startTime, query.endTime, bound, need);
      for (const cursor of candidates) {
        const hit = this.readSummary(cursor.seq);
        // A hash collision can bring a foreign event: only events that really match count.
        if (matches(hit)) found.push({ cursor, event: toHistoryEvent(hit) });
        if (found.length === need) break;
      }
      if (found.length === need || candidates.length < need) break;
      bound = candidates[candidates.length - 1];
    }
    const page = found.slice(0, query.maxResults);
    const last = page[page.length - 1];
    return {
      events: page.map((f) => f.event),
      nextToken: found.length > query.maxResults && last ? this.tokens.encode(queryKey, last.cursor) : undefined,
    };
  }

  /** The event at a position of the history. */
  read(seq: number): StoredEvent {
    return toStoredEvent(JSON.parse(this.line(seq)) as StoredLine);
  }

  /** What Event history shows of the event at a position, read without parsing its record. */
  readHistory(seq: number): HistoryEvent {
    return toHistoryEvent(this.readSummary(seq));
  }

  private readSummary(seq: number): HistoryHit {
    const cached = this.recent.get(seq);
    if (cached) return cached;
    const hit = this.parseSummary(this.line(seq));
    if (this.recent.size >= RECENT_EVENTS) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(seq, hit);
    return hit;
  }

  private parseSummary(line: string): HistoryHit {
    const mark = line.indexOf(RECORD_MARK);
    const head = mark === -1 ? undefined : (JSON.parse(`${line.slice(0, mark)}}`) as Omit<StoredLine, "r">);
    if (!head?.summary) {
      // A line written before summaries existed: parse it whole.
      const event = toStoredEvent(JSON.parse(line) as StoredLine);
      return { summary: summarize(event), resources: event.lookupResources, recordJson: JSON.stringify(event.record) };
    }
    return { summary: head.summary, resources: resourcesOf(head.lr), recordJson: line.slice(mark + RECORD_MARK.length, -1) };
  }

  private line(seq: number): string {
    const index = this.bySegment.get(Math.floor(seq / SEQ_PER_SEGMENT));
    if (!index) throw new Error(`event ${seq} is gone`);
    return this.storage.read(index.location(seq % SEQ_PER_SEGMENT));
  }

  /** What SQL reads of the history: the segment files (or lines in memory), records under "r". */
  sqlSource(): { files: string[] } | { lines: string[] } {
    return this.storage.sqlSource();
  }

  /** Events appended after `seq`, oldest first, at most `limit` (a sink catching up after a restart). */
  eventsAfter(seq: number, limit: number): SequencedEvent[] {
    const out: SequencedEvent[] = [];
    for (const index of [...this.sealed, this.active]) {
      if (seqOf(index.segment, index.count - 1) <= seq) continue;
      for (let local = 0; local < index.count && out.length < limit; local++) {
        const s = seqOf(index.segment, local);
        if (s <= seq) continue;
        // Imported events are skipped by their line's head, without parsing their record.
        const line = this.line(s);
        if (!isImportedLine(line)) out.push({ seq: s, event: toStoredEvent(JSON.parse(line) as StoredLine) });
      }
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Every event of the history with its place, imported ones included, oldest first (after `after`) or
   * newest first: what the history CLI and the test helpers read. Reads each line's head, not its record.
   */
  *scan(options: { after?: number; newestFirst?: boolean } = {}): Generator<HistoryEntry> {
    const after = options.after ?? -1;
    const indexes = options.newestFirst ? this.segmentsNewestFirst() : [...this.sealed, this.active];
    for (const index of indexes) {
      if (index.count === 0) continue;
      if (seqOf(index.segment, index.count - 1) <= after) {
        if (options.newestFirst) return;
        continue;
      }
      for (let i = 0; i < index.count; i++) {
        const local = options.newestFirst ? index.count - 1 - i : i;
        const seq = seqOf(index.segment, local);
        if (seq <= after) {
          if (options.newestFirst) return;
          continue;
        }
        const line = this.line(seq);
        yield { seq, event: toHistoryEvent(this.parseSummary(line)), imported: isImportedLine(line) };
      }
    }
  }

  lastSeq(): number {
    for (const index of [this.active, ...[...this.sealed].reverse()]) if (index.count > 0) return seqOf(index.segment, index.count - 1);
    return -1;
  }

  /** Drops the full segments whose newest event is older than the retention window. */
  enforceRetention(): void {
    const oldest = this.options.now().getTime() - this.options.retentionDays * 86_400_000;
    const expired = this.sealed.filter((s) => s.newestTime < oldest);
    if (expired.length === 0) return;
    this.storage.drop(expired.map((s) => s.segment));
    this.recent.clear();
    for (const s of expired) this.bySegment.delete(s.segment);
    this.sealed = this.sealed.filter((s) => !expired.includes(s));
  }

  async reset(): Promise<void> {
    await this.drain();
    await this.storage.reset();
    this.recent.clear();
    this.sealed = [];
    this.bySegment.clear();
    this.active = new ActiveSegmentIndex(1);
    this.activeBytes = 0;
    this.bySegment.set(1, this.active);
  }

  /**
   * Drains the appends, then seals the active segment, so that the next start loads its index instead of
   * parsing its lines (a crash leaves no sidecar: that start parses it, as before).
   */
  async close(): Promise<void> {
    await this.drain();
    await this.storage.close();
    if (this.active.count > 0) this.storage.writeSidecar(this.active.segment, this.active.seal().serialize(this.activeBytes));
  }

  /** Waits for every queued append. */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      let bytes = 0;
      let n = 0;
      while (n < this.queue.length && (n === 0 || bytes < BATCH_BYTES)) bytes += this.queue[n++]!.line.length;
      const batch = this.queue.splice(0, n);
      try {
        const segment = this.active;
        const locations = await this.storage.append(segment.segment, batch.map((p) => p.line));
        const appended = batch.map((p, i) => {
          const location = locations[i]!;
          segment.add(Date.parse(p.summary.time), location, p.summary.partition, indexKeys(p.summary, p.event.lookupResources));
          this.activeBytes = location.offset + location.length + 1;
          return { seq: seqOf(segment.segment, segment.count - 1), event: p.event };
        });
        if (this.activeBytes >= this.segmentBytes) this.rotate();
        // Sinks hear of live events only, not of imported history.
        const live = appended.filter((a) => !a.event.imported);
        if (live.length > 0) for (const listener of [...this.listeners]) listener(live);
        for (const p of batch) p.done();
      } catch (e) {
        for (const p of batch) p.done(e instanceof Error ? e : new Error(String(e)));
      }
    }
    this.writing = undefined;
  }

  /** Seals the full active segment: its index becomes a sidecar, and appends go to a new segment. */
  private rotate(): void {
    const sealed = this.active.seal();
    this.storage.writeSidecar(this.active.segment, sealed.serialize(this.activeBytes));
    this.addSealed(sealed);
    this.active = new ActiveSegmentIndex(this.active.segment + 1);
    this.activeBytes = 0;
    this.bySegment.set(this.active.segment, this.active);
  }

  private addSealed(index: SealedSegmentIndex): void {
    this.sealed.push(index);
    this.bySegment.set(index.segment, index);
  }

  /**
   * The `need` newest events under a key hash, across segments. Segments are visited by their newest
   * eventTime (not by file order: imports add old events late), and the walk stops at the first segment whose
   * newest event is older than the `need`-th found: nothing in it or after it can enter the page, so a
   * lookup reads one or two segments, not all.
   */
  private newestCandidates(hash: number, startTime: number, endTime: number, before: Cursor | undefined, need: number): Cursor[] {
    const byNewest = (a: Cursor, b: Cursor) => b.time - a.time || b.seq - a.seq;
    const segments = this.segmentsNewestFirst().sort((a, b) => b.newestTime - a.newestTime);
    let found: Cursor[] = [];
    for (const segment of segments) {
      if (found.length >= need && found[need - 1]!.time > segment.newestTime) break;
      found = found.concat(segment.newestFirst(hash, startTime, endTime, before, need)).sort(byNewest).slice(0, need);
    }
    return found;
  }

  private segmentsNewestFirst(): SegmentIndex[] {
    return [this.active, ...[...this.sealed].reverse()];
  }
}

/**
 * The key hashes an event is found by: every event of its partition, and each (attribute, value) pair.
 * Data events are kept for trails but Event history never shows them: only their id is indexed, so that
 * an import can tell a record it already has.
 */
function indexKeys(summary: EventSummary, resources: LookupResource[]): number[] {
  const partition = summary.partition;
  if (partition.endsWith("/Data")) return [keyHash(`${partition}\u0000EventId\u0000${summary.id}`)];
  const keys = new Set<number>([keyHash(`${partition}\u0000*`)]);
  for (const [key, value] of lookupAttributes(summary, resources)) keys.add(keyHash(`${partition}\u0000${key}\u0000${value}`));
  return [...keys];
}

/** The record goes last and is serialised on its own, so its text in the line is exactly JSON.stringify(record). */
function serialize(event: StoredEvent, summary: EventSummary): string {
  const head = JSON.stringify({ lr: event.lookupResources.map((r) => [r.type, r.name]), summary, im: event.imported ? 1 : undefined });
  return `${head.slice(0, -1)}${RECORD_MARK}${JSON.stringify(event.record)}}`;
}

/** serialize() writes `im` last in the head, just before the record. */
const IMPORTED_MARK = ',"im":1';
const isImportedLine = (line: string): boolean => {
  const mark = line.indexOf(RECORD_MARK);
  return mark >= IMPORTED_MARK.length && line.startsWith(IMPORTED_MARK, mark - IMPORTED_MARK.length);
};

const resourcesOf = (lr: [string, string][] | undefined): LookupResource[] => (lr ?? []).map(([type, name]) => ({ type, name }));

function toStoredEvent(line: StoredLine): StoredEvent {
  return { record: line.r, lookupResources: resourcesOf(line.lr), imported: line.im === 1 || undefined };
}

function toHistoryEvent(hit: HistoryHit): HistoryEvent {
  const s = hit.summary;
  return { eventId: s.id, eventName: s.name, eventTime: s.time, eventSource: s.source, readOnly: s.readOnly, username: s.user, accessKeyId: s.key, resources: hit.resources, recordJson: hit.recordJson };
}
