import type { CloudTrailRecord } from "../types/cloudtrail-record.js";
import { describeRecord } from "../terminal/describe-record.js";
import { matchesFilter, show, type RecordFilter } from "./record-filter.js";
import { nearestText } from "./start-localtrail.js";

/** What vitest and Jest both hand a matcher as `this`. */
interface MatcherContext {
  isNot: boolean;
}

interface MatcherResult {
  pass: boolean;
  message(): string;
}

/** A running localtrail (`startLocaltrail()`), or records already read. */
type Received = { events(): Promise<CloudTrailRecord[]> } | CloudTrailRecord[];

async function recordsOf(received: unknown): Promise<CloudTrailRecord[]> {
  if (Array.isArray(received)) return received as CloudTrailRecord[];
  if (received && typeof (received as { events?: unknown }).events === "function") return (received as { events(): Promise<CloudTrailRecord[]> }).events();
  throw new TypeError(`expected a localtrail from startLocaltrail() or an array of records, received ${show(received)}`);
}

const line = (r: CloudTrailRecord) => {
  const f = describeRecord(r);
  return `  - ${f.call} by ${f.who} at ${f.time}${f.ok ? "" : ` (${f.outcome})`}, eventID ${r.eventID}`;
};

/**
 * `expect(trail).toHaveRecorded(filter)`, `.toHaveRecordedTimes(n, filter)` and their `.not`, for vitest and
 * Jest (`expect.extend(localtrailMatchers)`). They read the history, so they are awaited:
 * `await expect(trail).toHaveRecorded({ eventName: "CreateUser" })`. A failure names the nearest records
 * and the fields in which each differs.
 */
export const localtrailMatchers = {
  async toHaveRecorded(this: MatcherContext, received: Received, filter: RecordFilter): Promise<MatcherResult> {
    const records = await recordsOf(received);
    const found = records.filter((r) => matchesFilter(r, filter));
    const pass = found.length > 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected no record matching ${show(filter)}, found ${found.length}:\n${found.slice(0, 5).map(line).join("\n")}`
          : `expected a record matching ${show(filter)}, found none.${nearestText(records, filter)}`,
    };
  },

  async toHaveRecordedTimes(this: MatcherContext, received: Received, times: number, filter: RecordFilter): Promise<MatcherResult> {
    const records = await recordsOf(received);
    const found = records.filter((r) => matchesFilter(r, filter));
    const pass = found.length === times;
    return {
      pass,
      message: () =>
        pass
          ? `expected other than ${times} record${times === 1 ? "" : "s"} matching ${show(filter)}, found exactly ${times}.`
          : `expected ${times} record${times === 1 ? "" : "s"} matching ${show(filter)}, found ${found.length}${found.length > 0 ? `:\n${found.slice(0, 5).map(line).join("\n")}` : "."}${found.length < times ? nearestText(records.filter((r) => !found.includes(r)), filter) : ""}`,
    };
  },
};

/**
 * The matchers' types, to add to your test framework's assertion type:
 *
 *   declare module "vitest" { interface Assertion<T = any> extends LocaltrailMatchers<Promise<void>> {} }
 *   declare global { namespace jest { interface Matchers<R> extends LocaltrailMatchers<Promise<R>> {} } }
 */
export interface LocaltrailMatchers<R = Promise<void>> {
  toHaveRecorded(filter: RecordFilter): R;
  toHaveRecordedTimes(times: number, filter: RecordFilter): R;
}
