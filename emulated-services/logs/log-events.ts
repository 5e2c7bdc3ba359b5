import type { OutputLogEvent } from "../../src/generated/types/logs.js";
import { invalidParameter } from "./errors.js";
import { appendEvents, eventKey, eventsBetween } from "./event-store.js";
import { acceptEvents } from "./ingest.js";
import { sequenceToken } from "./log-streams.js";
import type { Op } from "./op.js";
import { forwardToSubscriptions } from "./subscription-filters.js";
import { findGroup, findStream } from "./state.js";

/** Sequence tokens are no longer required (since January 2023): any token, or none, is accepted. */
export const putLogEvents: Op<"PutLogEvents"> = (input, ctx) => {
  const group = findGroup(ctx, { logGroupName: input.logGroupName });
  const stream = findStream(group, input.logStreamName);
  const { accepted, rejected } = acceptEvents(input.logEvents, ctx.now.getTime(), group.retentionInDays);
  appendEvents(ctx.state, stream, accepted, ctx.now.getTime());
  forwardToSubscriptions(ctx.env, ctx.accountId, ctx.region, group, stream.name, accepted);
  stream.uploadSequenceToken = sequenceToken(ctx.env.ids);
  return { nextSequenceToken: stream.uploadSequenceToken, rejectedLogEventsInfo: rejected };
};

// GetLogEvents tokens: `f/` (forward) or `b/` (backward), a 56-digit position, `/s`, as AWS writes them.
// The position is the event key (event-store.ts): forward reads from it, backward reads before it.
const TOKEN = /^([fb])\/(\d{56})\/s$/;
const token = (direction: "f" | "b", position: bigint) => `${direction}/${position.toString().padStart(56, "0")}/s`;

/**
 * A page of a stream's events in time order: the newest `limit` events unless startFromHead, else the
 * oldest; a forward or backward token continues from where the last page ended. At either end the
 * token of that direction comes back unchanged.
 */
export const getLogEvents: Op<"GetLogEvents"> = (input, ctx) => {
  const group = findGroup(ctx, input);
  const stream = findStream(group, input.logStreamName);
  const lower = input.startTime !== undefined ? eventKey(input.startTime, 0) : "";
  const upper = input.endTime !== undefined ? eventKey(input.endTime, 0) : undefined;
  const all = [...eventsBetween(ctx.state, stream, lower, upper)];
  const limit = input.limit ?? 10000;

  let start: number;
  let end: number;
  let position: bigint;
  if (input.nextToken !== undefined) {
    const m = TOKEN.exec(input.nextToken);
    if (!m) throw invalidParameter("The specified nextToken is invalid.");
    const direction = m[1];
    position = BigInt(m[2]!);
    const at = all.findIndex((e) => BigInt(e.key) >= position);
    const boundary = at < 0 ? all.length : at;
    [start, end] = direction === "f" ? [boundary, Math.min(all.length, boundary + limit)] : [Math.max(0, boundary - limit), boundary];
  } else {
    [start, end] = input.startFromHead ? [0, Math.min(all.length, limit)] : [Math.max(0, all.length - limit), all.length];
    position = BigInt(all[start]?.key ?? (lower || "0"));
  }
  const page = all.slice(start, end);
  const first = page[0];
  const last = page[page.length - 1];
  const events: OutputLogEvent[] = page.map(({ event }) => ({ timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime }));
  return {
    events,
    nextForwardToken: last ? token("f", BigInt(last.key) + 1n) : token("f", position),
    nextBackwardToken: first ? token("b", BigInt(first.key)) : token("b", position),
  };
};
