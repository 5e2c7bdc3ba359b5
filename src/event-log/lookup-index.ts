import type { LookupAttributeKey } from "./event-history.js";
import { PostingList } from "./posting-list.js";

interface Partition {
  all: PostingList;
  byAttribute: Map<string, PostingList>;
}

/**
 * In-memory indexes for LookupEvents: per (account, region, category) partition, one time-ordered list of
 * all events and one per attribute value. Event ids are unique, so they get a plain map.
 */
export class LookupIndex {
  private readonly partitions = new Map<string, Partition>();
  private readonly eventIds = new Map<string, number>();

  constructor(private readonly timeOf: (ordinal: number) => number) {}

  add(ordinal: number, partitionKey: string, attributes: [LookupAttributeKey, string][]): void {
    const partition = this.partition(partitionKey);
    partition.all.add(ordinal);
    const seen = new Set<string>();
    for (const [key, value] of attributes) {
      if (key === "EventId") {
        this.eventIds.set(value, ordinal);
        continue;
      }
      const k = `${key}\u0000${value}`;
      if (seen.has(k)) continue; // an event naming one resource twice is listed once
      seen.add(k);
      let list = partition.byAttribute.get(k);
      if (!list) partition.byAttribute.set(k, (list = new PostingList(this.timeOf)));
      list.add(ordinal);
    }
  }

  /** Ordinals of matching events, newest first. */
  query(
    partitionKey: string,
    attribute: { key: LookupAttributeKey; value: string } | undefined,
    startTime: number,
    endTime: number,
    limit: number,
    before?: { time: number; ordinal: number },
    partitionOf?: (ordinal: number) => string,
  ): number[] {
    const partition = this.partitions.get(partitionKey);
    if (!partition) return [];
    if (attribute?.key === "EventId") {
      const ordinal = this.eventIds.get(attribute.value);
      if (ordinal === undefined || partitionOf?.(ordinal) !== partitionKey) return [];
      const t = this.timeOf(ordinal);
      const afterCursor = !before || t < before.time || (t === before.time && ordinal < before.ordinal);
      return t >= startTime && t <= endTime && afterCursor ? [ordinal] : [];
    }
    const list = attribute ? partition.byAttribute.get(`${attribute.key}\u0000${attribute.value}`) : partition.all;
    return list ? list.newestFirst(startTime, endTime, limit, before) : [];
  }

  /** Drops every ordinal `keep` rejects (retention). */
  retain(keep: (ordinal: number) => boolean): void {
    for (const partition of this.partitions.values()) {
      partition.all.filter(keep);
      for (const [k, list] of partition.byAttribute) {
        list.filter(keep);
        if (list.size === 0) partition.byAttribute.delete(k);
      }
    }
    for (const [id, ordinal] of this.eventIds) if (!keep(ordinal)) this.eventIds.delete(id);
  }

  clear(): void {
    this.partitions.clear();
    this.eventIds.clear();
  }

  private partition(key: string): Partition {
    let p = this.partitions.get(key);
    if (!p) this.partitions.set(key, (p = { all: new PostingList(this.timeOf), byAttribute: new Map() }));
    return p;
  }
}
