import type { Env, Hono } from "hono";
import type { EventLog, HistoryEntry } from "../event-log/event-log.js";
import { parseSince } from "./since.js";

/** Records in one answer, at most. */
const MAX_LIMIT = 10_000;
/** Lines read for one answer, at most: a filter that matches little over a long history answers in parts. */
const MAX_SCAN = 200_000;
/** The longest a request waits for new events (`wait`). */
const MAX_WAIT_SECONDS = 30;

export interface EventsQuery {
  after: number;
  /** The newest `last` matching events instead of the ones after `after`. */
  last?: number;
  limit: number;
  since?: number;
  until?: number;
  user?: string;
  eventName?: string;
  resource?: string;
}

/**
 * GET /_localtrail/events: the whole history as records, every account, region and category, imported logs
 * included, for the history CLI (`localtrail events`) and the test helpers (`localtrail/testing`). Unlike
 * LookupEvents it is not AWS's API, so it can read data events and follow the history as it grows:
 *
 *   ?after=<cursor>   records after a cursor of an earlier answer, oldest first (default: from the start)
 *   ?last=<n>         the n newest matching records instead, oldest first
 *   ?limit=<n>        at most n records (default 1000)
 *   ?since= ?until=   eventTime bounds: an ISO time or a span back from the emulated now (1h, 90m, 7d)
 *   ?user= ?eventName= ?resource=   the record's Username as Event history shows it, its eventName, a resource
 *                     it names (name or ARN, or the last part of an ARN)
 *   ?wait=<s>         with nothing new after `after`, wait up to s seconds (at most 30) for new calls
 *
 * Answers `{"cursor": n, "more": bool, "records": [...]}`: `cursor` goes into the next request's `after`;
 * `more` says the history holds more after it than one answer gave.
 */
export function addEventsRoute<E extends Env>(app: Hono<E>, target: { eventLog: EventLog; now: () => Date }): void {
  const waiters = new Set<() => void>();
  target.eventLog.onAppend(() => {
    for (const wake of waiters) wake();
    waiters.clear();
  });
  const nextAppend = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waiters.delete(wake);
        resolve();
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      waiters.add(wake);
    });

  app.get("/_localtrail/events", async (c) => {
    const parsed = parseQuery((name) => c.req.query(name), target.now());
    if (typeof parsed === "string") return c.json({ error: parsed }, 400);
    const wait = Math.min(Number(c.req.query("wait") ?? 0) || 0, MAX_WAIT_SECONDS);
    let answer = readEvents(target.eventLog, parsed);
    if (wait > 0 && parsed.last === undefined && answer.records.length === 0 && !answer.more) {
      await nextAppend(wait * 1000);
      answer = readEvents(target.eventLog, { ...parsed, after: answer.cursor });
    }
    c.header("content-type", "application/json");
    return c.body(`{"cursor":${answer.cursor},"more":${answer.more},"records":[${answer.records.join(",")}]}`);
  });
}

function parseQuery(query: (name: string) => string | undefined, now: Date): EventsQuery | string {
  const int = (name: string, fallback: number | undefined, min: number, max: number): number | undefined | string => {
    const text = query(name);
    if (text === undefined || text === "") return fallback;
    const n = Number(text);
    return Number.isInteger(n) && n >= min && n <= max ? n : `${name}: expected an integer from ${min} to ${max}, got ${text}`;
  };
  const time = (name: string): number | undefined | string => {
    const text = query(name);
    if (text === undefined || text === "") return undefined;
    const at = parseSince(text, now);
    return at === null ? `${name}: not an ISO time or a span such as 1h: ${text}` : at.getTime();
  };
  const after = int("after", -1, -1, Number.MAX_SAFE_INTEGER);
  const last = int("last", undefined, 1, MAX_LIMIT);
  const limit = int("limit", 1000, 1, MAX_LIMIT);
  const since = time("since");
  const until = time("until");
  for (const v of [after, last, limit, since, until]) if (typeof v === "string") return v;
  return {
    after: after as number,
    last: last as number | undefined,
    limit: limit as number,
    since: since as number | undefined,
    until: until as number | undefined,
    user: query("user") || undefined,
    eventName: query("eventName") || undefined,
    resource: query("resource") || undefined,
  };
}

/** The records a query asks for, as their stored JSON text, and where the next request goes on from. */
export function readEvents(eventLog: EventLog, q: EventsQuery): { cursor: number; more: boolean; records: string[] } {
  const matches = matcher(q);
  if (q.last !== undefined) {
    const cursor = eventLog.lastSeq();
    const found: string[] = [];
    for (const entry of eventLog.scan({ newestFirst: true })) {
      if (entry.seq > cursor) continue;
      if (matches(entry)) found.push(entry.event.recordJson);
      if (found.length === q.last) break;
    }
    return { cursor, more: false, records: found.reverse() };
  }
  const records: string[] = [];
  let cursor = q.after;
  let scanned = 0;
  for (const entry of eventLog.scan({ after: q.after })) {
    if (records.length === q.limit || scanned === MAX_SCAN) return { cursor, more: true, records };
    scanned++;
    cursor = entry.seq;
    if (matches(entry)) records.push(entry.event.recordJson);
  }
  return { cursor, more: false, records };
}

function matcher(q: EventsQuery): (entry: HistoryEntry) => boolean {
  const namesResource = (name: string) => name === q.resource || name.endsWith(`/${q.resource}`) || name.endsWith(`:${q.resource}`);
  return ({ event }) => {
    if (q.eventName !== undefined && event.eventName !== q.eventName) return false;
    if (q.user !== undefined && event.username !== q.user) return false;
    if (q.resource !== undefined && !event.resources.some((r) => namesResource(r.name))) return false;
    if (q.since !== undefined || q.until !== undefined) {
      const t = Date.parse(event.eventTime);
      if ((q.since !== undefined && t < q.since) || (q.until !== undefined && t > q.until)) return false;
    }
    return true;
  };
}
