import type { FilteredLogEvent } from "../../src/generated/types/logs.js";
import { invalidParameter } from "./errors.js";
import { eventKey, eventsBetween } from "./event-store.js";
import { compileFilterPattern, FilterPatternError, type MessagePredicate } from "./filter-pattern.js";
import type { Op } from "./op.js";
import { findGroup, type StoredLogStream } from "./state.js";

interface Hit {
  stream: StoredLogStream;
  key: string;
  event: FilteredLogEvent;
}

/**
 * The group's events that match the filter pattern, across its streams (all, named ones or a name
 * prefix), in time order. searchedLogStreams has been empty since May 2020 (API Reference).
 */
export const filterLogEvents: Op<"FilterLogEvents"> = (input, ctx) => {
  const group = findGroup(ctx, input);
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  }
  let matches: MessagePredicate;
  try {
    matches = compileFilterPattern(input.filterPattern);
  } catch (e) {
    if (e instanceof FilterPatternError) throw invalidParameter(`Invalid filter pattern: ${e.message}`);
    throw e;
  }
  const names = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
  const streams = Object.values(group.streams)
    .filter((s) => names === undefined || names.has(s.name))
    .filter((s) => input.logStreamNamePrefix === undefined || s.name.startsWith(input.logStreamNamePrefix));
  const lower = input.startTime !== undefined ? eventKey(input.startTime, 0) : "";
  const upper = input.endTime !== undefined ? eventKey(input.endTime + 1, 0) : undefined;

  const hits: Hit[] = [];
  for (const stream of streams) {
    for (const { key, event } of eventsBetween(ctx.state, stream, lower, upper)) {
      if (!matches(event.message)) continue;
      hits.push({ stream, key, event: { logStreamName: stream.name, timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime, eventId: eventId(stream, key) } });
    }
  }
  hits.sort((a, b) => a.event.timestamp! - b.event.timestamp! || cmp(a.stream.name, b.stream.name) || cmp(a.key, b.key));

  let start = 0;
  if (input.nextToken !== undefined) {
    const after = decodeToken(input.nextToken);
    start = hits.findIndex((h) => h.event.eventId === after) + 1;
    if (start === 0) throw invalidParameter("The specified nextToken is invalid.");
  }
  const limit = input.limit ?? 10000;
  const page = hits.slice(start, start + limit);
  const more = start + limit < hits.length;
  return {
    events: page.map((h) => h.event),
    searchedLogStreams: [],
    nextToken: more ? Buffer.from(page[page.length - 1]!.event.eventId!, "utf8").toString("base64url") : undefined,
  };
};

/** Event ids are 56-digit numbers: the event's key, then digits that tell its stream apart. */
function eventId(stream: StoredLogStream, key: string): string {
  const streamDigits = BigInt(`0x${stream.id.replace(/-/g, "").slice(0, 24)}`).toString().padStart(30, "0").slice(-30);
  return `${key}${streamDigits}`;
}

function decodeToken(token: string): string {
  const id = Buffer.from(token, "base64url").toString("utf8");
  if (!/^\d{56}$/.test(id)) throw invalidParameter("The specified nextToken is invalid.");
  return id;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
