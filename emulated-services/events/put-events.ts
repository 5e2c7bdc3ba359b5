import type { PutEventsResultEntry } from "../../src/generated/types/events.js";
import { own } from "../../src/state/own-entries.js";
import { validation } from "./errors.js";
import type { Op } from "./op.js";
import { eventTime, type Publication } from "./runtime/bus-event.js";
import { eventsRuntime } from "./runtime/events-runtime.js";
import { busName, DEFAULT_BUS, eventsState } from "./state.js";

/** The entries of one PutEvents call together stay within 256 KB (EventBridge quotas). */
const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * Puts custom events on buses. Each entry succeeds or fails on its own (FailedEntryCount); `aws.` sources
 * belong to AWS services. Matching and delivery happen after the answer, as in AWS.
 */
export const putEvents: Op<"PutEvents"> = (input, ctx) => {
  const size = input.Entries.reduce((n, e) => n + entrySize(e), 0);
  if (size > MAX_REQUEST_BYTES) throw validation("Total size of the entries in the request is over the limit.");
  const accepted: Publication[] = [];
  const results = input.Entries.map((entry): PutEventsResultEntry => {
    const fail = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });
    if (!entry.Source) return fail("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
    if (!entry.DetailType) return fail("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
    if (entry.Detail === undefined) return fail("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      detail = undefined;
    }
    if (detail === null || typeof detail !== "object" || Array.isArray(detail)) return fail("MalformedDetail", "Detail is malformed.");
    if (entry.Source.startsWith("aws.")) return fail("NotAuthorizedForSourceException", "Not authorized for the source.");
    const bus = busName(entry.EventBusName);
    if (bus !== DEFAULT_BUS && !own(eventsState(ctx).buses, bus)) return fail("ResourceNotFoundException", `Event bus ${bus} does not exist.`);
    const id = ctx.env.ids.uuid();
    accepted.push({
      accountId: ctx.accountId,
      region: ctx.region,
      bus,
      event: {
        version: "0",
        id,
        "detail-type": entry.DetailType,
        source: entry.Source,
        account: ctx.accountId,
        time: eventTime(entry.Time ?? ctx.now),
        region: ctx.region,
        resources: entry.Resources ?? [],
        detail,
      },
    });
    return { EventId: id };
  });
  const runtime = eventsRuntime(ctx.env);
  setImmediate(() => accepted.forEach((p) => void runtime.publish(p)));
  return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
};

/** How AWS counts an entry's size: its strings in UTF-8, 14 bytes for a time. */
function entrySize(entry: { Source?: string; DetailType?: string; Detail?: string; Resources?: string[]; Time?: Date }): number {
  const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s) : 0);
  return (entry.Time ? 14 : 0) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + (entry.Resources ?? []).reduce((n, r) => n + bytes(r), 0);
}
