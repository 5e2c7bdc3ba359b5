import type { InputLogEvent, RejectedLogEventsInfo } from "../../src/generated/types/logs.js";
import { invalidParameter } from "./errors.js";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Which events of a PutLogEvents batch CloudWatch Logs accepts (API Reference, PutLogEvents): the batch
 * must be in chronological order and span at most 24 hours; events more than 2 hours in the future are
 * too new, events older than 14 days too old, events older than the retention period expired. Rejected
 * events are reported by index, never as an error.
 */
export function acceptEvents(events: InputLogEvent[], now: number, retentionInDays: number | undefined): { accepted: InputLogEvent[]; rejected?: RejectedLogEventsInfo } {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) throw invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
  }
  if (events.length > 0 && events[events.length - 1]!.timestamp - events[0]!.timestamp > DAY_MS) {
    throw invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
  }
  const rejected: RejectedLogEventsInfo = {};
  const tooNew = events.findIndex((e) => e.timestamp > now + 2 * HOUR_MS);
  if (tooNew >= 0) rejected.tooNewLogEventStartIndex = tooNew;
  const lastIndex = (old: (t: number) => boolean) => events.reduce((last, e, i) => (old(e.timestamp) ? i : last), -1);
  const tooOld = lastIndex((t) => t < now - 14 * DAY_MS);
  if (tooOld >= 0) rejected.tooOldLogEventEndIndex = tooOld;
  const expired = retentionInDays === undefined ? -1 : lastIndex((t) => t < now - retentionInDays * DAY_MS);
  if (expired >= 0) rejected.expiredLogEventEndIndex = expired;
  const start = Math.max(tooOld, expired) + 1;
  const end = tooNew >= 0 ? tooNew : events.length;
  return { accepted: events.slice(start, Math.max(start, end)), rejected: Object.keys(rejected).length > 0 ? rejected : undefined };
}
