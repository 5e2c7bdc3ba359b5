import type { EventHistory, HistoryEvent } from "../../event-log/event-history.js";

/**
 * The Insights chart's numbers: write management calls per minute (or per hour over long windows) in the
 * session's account and region, read from the event history, and the baseline CloudTrail Insights compares
 * them with: the average rate over the 7 days before (reference/cloudtrail.md §9).
 */
export interface RateSeries {
  /** Bucket starts, epoch seconds (uPlot's x axis). */
  times: number[];
  counts: number[];
  /** The baseline, in calls per bucket. */
  baseline: number;
  bucketMinutes: number;
  /** True when the counting stopped at the cap (a very busy history). */
  capped: boolean;
}

export const WINDOWS: { hours: number; label: string }[] = [
  { hours: 1, label: "1 hour" },
  { hours: 3, label: "3 hours" },
  { hours: 12, label: "12 hours" },
  { hours: 24, label: "1 day" },
  { hours: 168, label: "7 days" },
];

const BASELINE_MINUTES = 7 * 24 * 60;
/** Events counted at most per query: the chart stays quick over a history of millions. */
const CAP = 200_000;
const PAGE = 5_000;

/** Calls `visit` with each write management event in [start, end], newest first, up to the cap; true when capped. */
function eachWrite(history: EventHistory, scope: { accountId: string; region: string; eventName?: string }, start: number, end: number, visit: (e: HistoryEvent) => void): boolean {
  let token: string | undefined;
  let seen = 0;
  const attribute = scope.eventName ? { key: "EventName" as const, value: scope.eventName } : { key: "ReadOnly" as const, value: "false" };
  const tokenScope = JSON.stringify(["insights-chart", attribute, start, end]);
  do {
    const page = history.lookup({ accountId: scope.accountId, region: scope.region, attribute, startTime: start, endTime: end, maxResults: PAGE, nextToken: token, tokenScope });
    for (const event of page.events) {
      if (!event.readOnly) visit(event);
      if (++seen >= CAP) return true;
    }
    token = page.nextToken;
  } while (token);
  return false;
}

export function writeCallRate(history: EventHistory, scope: { accountId: string; region: string; eventName?: string }, now: Date, hours: number): RateSeries {
  const bucketMinutes = hours > 24 ? 60 : 1;
  const bucketMs = bucketMinutes * 60_000;
  const end = Math.ceil(now.getTime() / bucketMs) * bucketMs;
  const start = end - hours * 3_600_000;
  const buckets = Math.round((end - start) / bucketMs);
  const counts = new Array<number>(buckets).fill(0);
  const capped = eachWrite(history, scope, start, end, (e) => {
    const i = Math.floor((Date.parse(e.eventTime) - start) / bucketMs);
    if (i >= 0 && i < buckets) counts[i]!++;
  });
  // The baseline: the average over the week before the window, per bucket.
  let before = 0;
  const baselineCapped = eachWrite(history, scope, start - BASELINE_MINUTES * 60_000, start - 1, () => before++);
  const baseline = (before / BASELINE_MINUTES) * bucketMinutes;
  return { times: counts.map((_, i) => (start + i * bucketMs) / 1000), counts, baseline, bucketMinutes, capped: capped || baselineCapped };
}

/** An Insights event as the chart marks it. */
export interface InsightMark {
  eventId: string;
  sharedEventId?: string;
  state: string;
  eventTime: string;
  eventName: string;
  eventSource: string;
  insightType: string;
  baselineAverage?: number;
  insightAverage?: number;
}

/** The marks of LookupEvents' Insights events (their CloudTrailEvent records). */
export function insightMarks(records: string[]): InsightMark[] {
  const marks: InsightMark[] = [];
  for (const text of records) {
    try {
      const r = JSON.parse(text) as {
        eventID?: string;
        sharedEventID?: string;
        eventTime?: string;
        insightDetails?: { state?: string; eventName?: string; eventSource?: string; insightType?: string; insightContext?: { statistics?: { baseline?: { average?: number }; insight?: { average?: number } } } };
      };
      const d = r.insightDetails ?? {};
      marks.push({
        eventId: r.eventID ?? "",
        sharedEventId: r.sharedEventID,
        state: d.state ?? "",
        eventTime: r.eventTime ?? "",
        eventName: d.eventName ?? "",
        eventSource: d.eventSource ?? "",
        insightType: d.insightType ?? "",
        baselineAverage: d.insightContext?.statistics?.baseline?.average,
        insightAverage: d.insightContext?.statistics?.insight?.average,
      });
    } catch {
      // A record that is not JSON is not drawn.
    }
  }
  return marks;
}
