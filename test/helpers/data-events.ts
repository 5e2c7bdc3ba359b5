import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";
import type { Localtrail } from "../../src/app.js";

/**
 * Every record in the event history, oldest first, data events included. LookupEvents never returns data
 * events (S3 object calls, Lambda Invoke), so tests that check them read the history itself.
 */
export function allRecords(localtrail: Localtrail): CloudTrailRecord[] {
  return localtrail.eventLog.eventsAfter(-1, Number.MAX_SAFE_INTEGER).map((e) => e.event.record);
}

/** The newest record of an event name (data events included), failing the test if there is none. */
export function lastRecord(localtrail: Localtrail, eventName: string, requestId?: string): CloudTrailRecord {
  const found = allRecords(localtrail).filter((r) => r.eventName === eventName && (requestId === undefined || r.requestID === requestId));
  const record = found[found.length - 1];
  if (!record) throw new Error(`no ${eventName} record${requestId ? ` with requestID ${requestId}` : ""}`);
  return record;
}
