import type { StateTable, StateView } from "../../src/state/store.js";
import type { StoredLogStream } from "./state.js";

/** One stored log event. */
export interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/**
 * A stream's events live in a table of their own (`events-<stream id>`), not in the lowdb document: a
 * stream that CloudTrail feeds grows without bound. Keys are `<timestamp, 16 digits><sequence, 10 digits>`,
 * so the table's key order is the order GetLogEvents returns (by timestamp, then arrival).
 */
const table = (state: StateView, stream: StoredLogStream): StateTable<StoredEvent> => state.table<StoredEvent>("logs", `events-${stream.id}`);

export const eventKey = (timestamp: number, sequence: number) => `${String(timestamp).padStart(16, "0")}${String(sequence).padStart(10, "0")}`;
export const keyTimestamp = (key: string) => Number(key.slice(0, 16));

export function appendEvents(state: StateView, stream: StoredLogStream, events: { timestamp: number; message: string }[], ingestionTime: number): void {
  if (events.length === 0) return;
  const t = table(state, stream);
  for (const e of events) t.set(eventKey(e.timestamp, stream.eventCount++), { timestamp: e.timestamp, message: e.message, ingestionTime });
  const first = Math.min(...events.map((e) => e.timestamp));
  const last = Math.max(...events.map((e) => e.timestamp));
  stream.firstEventTimestamp = stream.firstEventTimestamp === undefined ? first : Math.min(stream.firstEventTimestamp, first);
  stream.lastEventTimestamp = stream.lastEventTimestamp === undefined ? last : Math.max(stream.lastEventTimestamp, last);
  stream.lastIngestionTime = ingestionTime;
}

/** The stream's events with keys in [from, to), in key order. */
export function* eventsBetween(state: StateView, stream: StoredLogStream, from = "", to?: string): Generator<{ key: string; event: StoredEvent }> {
  const t = table(state, stream);
  for (const key of t.keysFrom(from)) {
    if (to !== undefined && key >= to) return;
    const event = t.get(key);
    if (event) yield { key, event };
  }
}

/** Forgets a deleted stream's events. */
export function dropEvents(state: StateView, stream: StoredLogStream): Promise<void> {
  return table(state, stream).drop();
}
