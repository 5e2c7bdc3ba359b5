import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../clock.js";
import type { EventHistory, SequencedEvent, StoredEvent } from "../event-log/event-history.js";
import { startDurableSink } from "../sinks/durable-sink.js";
import type { CloudTrailRecord } from "../types/cloudtrail-record.js";
import type { InsightsScope, InsightType } from "../types/insights.js";
import type { Ids } from "../types/service.js";
import { asHistoryRecord, buildInsightRecord, type InsightSubject } from "./insight-record.js";
import { MinuteSeries, mergeCounts, type AttributeCounts, type Baseline, type MinuteCount } from "./minute-series.js";

/** The baseline: the seven days before an Insights event starts (AWS's baselineDuration, 10080 minutes). */
export const BASELINE_MINUTES = 7 * 24 * 60;
/**
 * When a minute is unusual. AWS does not publish its model; the emulator's rule is documented in the README:
 * at least MIN_COUNT calls (or errors) in the minute, and at least RATIO times the baseline average, and
 * more than SIGMAS standard deviations above it.
 */
const MIN_COUNT = 10;
const RATIO = 2;
const SIGMAS = 4;
/** An Insights event ends once this many minutes in a row were back to normal. */
const SETTLE_MINUTES = 5;
/** How often the engine looks at the minutes that passed when nothing else makes it (real seconds). */
const TICK_MS = 60_000;
const SAVE_EVERY_MS = 5_000;

const MINUTE = 60_000;
const minuteOf = (time: string | Date) => Math.floor((typeof time === "string" ? Date.parse(time) : time.getTime()) / MINUTE);

interface OpenInsight {
  sharedEventId: string;
  start: number;
  lastUnusual: number;
  threshold: number;
  baseline: { average: number; by: AttributeCounts };
}

interface Tracked {
  subject: InsightSubject;
  series: MinuteSeries;
  open?: OpenInsight;
}

interface Snapshot {
  evaluatedThrough?: number;
  since: [string, number][];
  series: { subject: InsightSubject; minutes: MinuteCount[]; open?: OpenInsight }[];
}

export interface InsightsOptions {
  history: EventHistory;
  /** Where the counters are kept between runs (`<dataDir>/insights/state.json`); undefined when ephemeral. */
  dataDir?: string;
  clock: Clock;
  ids: Ids;
  scope: InsightsScope;
  /** Appends an Insights event to the history: LookupEvents finds it, trails deliver it. */
  append: (event: StoredEvent) => Promise<void>;
}

export interface InsightsEngine {
  /** Looks at every minute that has passed, now (POST /_localtrail/flush, before trails deliver). */
  flush(): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * CloudTrail Insights (reference/cloudtrail.md §9): a durable sink counts, per minute, the write management
 * calls of each API (ApiCallRateInsight) and the errors of each API and error code (ApiErrorRateInsight) in
 * the accounts and regions where a logging trail enables that type; as emulated minutes pass (the clock's
 * moves included) each minute is compared with the seven days before it, and an unusual one opens an
 * Insights event (Start) that ends (End) once the rate is back to normal. Counting is all a recorded call
 * costs, and it happens after the answer, off the request's path.
 */
export function startInsights(options: InsightsOptions): InsightsEngine {
  const file = options.dataDir && join(options.dataDir, "insights", "state.json");
  const tracked = new Map<string, Tracked>();
  /**
   * The first minute counted for each account, region and type (counting starts when a trail enables that
   * type there): a baseline needs seven days of counts.
   */
  const since = new Map<string, number>();
  let evaluatedThrough: number | undefined;
  let lastSave = 0;
  restore();

  const sink = startDurableSink({
    name: "insights",
    history: options.history,
    dataDir: options.dataDir,
    handle: async (events) => {
      count(events);
      await evaluate();
    },
  });

  let tail: Promise<void> = Promise.resolve();
  /** Evaluations take turns, each after the sink has counted every event recorded so far. */
  const catchUp = () =>
    (tail = tail
      .then(async () => {
        await sink.idle();
        await evaluate();
      })
      .catch((e: unknown) => console.error("localtrail: insights:", e)));
  const timer = setInterval(() => void catchUp(), TICK_MS);
  timer.unref();
  options.clock.onChange(() => void catchUp());

  /** Counts the calls of the accounts and regions where a trail enables Insights; nothing elsewhere. */
  function count(events: SequencedEvent[]): void {
    const enabled = enabledTypes();
    for (const { event } of events) {
      const r = event.record;
      if (r.eventCategory !== "Management" || r.eventType !== "AwsApiCall") continue;
      const types = enabled(r.recipientAccountId, r.awsRegion);
      if (types.size === 0) continue;
      const minute = minuteOf(r.eventTime);
      evaluatedThrough ??= minute - 1;
      // A call without errors counts towards the error baseline too: as a minute of none.
      for (const type of types) if (!since.has(`${r.recipientAccountId}/${r.awsRegion}/${type}`)) since.set(`${r.recipientAccountId}/${r.awsRegion}/${type}`, minute);
      const who = { userIdentityArn: r.userIdentity?.arn ?? r.userIdentity?.invokedBy, userAgent: r.userAgent };
      if (!r.readOnly && types.has("ApiCallRateInsight")) seriesOf(r, "ApiCallRateInsight").add(minute, defined({ ...who, errorCode: r.errorCode ?? "null" }));
      if (r.errorCode && types.has("ApiErrorRateInsight")) seriesOf(r, "ApiErrorRateInsight", r.errorCode).add(minute, defined(who));
    }
  }

  /** The Insights types enabled per account and region, read once per batch or evaluation. */
  function enabledTypes(): (accountId: string, region: string) => ReadonlySet<InsightType> {
    const known = new Map<string, ReadonlySet<InsightType>>();
    return (accountId, region) => {
      const partition = `${accountId}/${region}`;
      let types = known.get(partition);
      if (!types) known.set(partition, (types = options.scope.enabledTypes(accountId, region)));
      return types;
    };
  }

  function seriesOf(r: CloudTrailRecord, insightType: InsightType, errorCode?: string): MinuteSeries {
    const key = [r.recipientAccountId, r.awsRegion, insightType, r.eventSource, r.eventName, errorCode ?? ""].join("\u0000");
    let t = tracked.get(key);
    if (!t) {
      const subject: InsightSubject = { accountId: r.recipientAccountId, region: r.awsRegion, insightType, eventSource: r.eventSource, eventName: r.eventName, ...(errorCode !== undefined && { errorCode }) };
      tracked.set(key, (t = { subject, series: new MinuteSeries(BASELINE_MINUTES) }));
    }
    return t.series;
  }

  /** Looks at the minutes that ended since the last look; appends the Insights events they open or end. */
  async function evaluate(): Promise<void> {
    const upTo = minuteOf(options.clock.now()) - 1;
    if (evaluatedThrough === undefined || upTo <= evaluatedThrough) return;
    const from = evaluatedThrough + 1;
    const records: StoredEvent[] = [];
    const enabled = enabledTypes();
    for (const [key, t] of tracked) {
      for (const m of t.series.between(from, upTo)) {
        if (t.open && m.minute - t.open.lastUnusual > SETTLE_MINUTES) records.push(end(t, t.open));
        if (t.open) {
          if (m.count >= t.open.threshold) t.open.lastUnusual = m.minute;
          continue;
        }
        const baseline = t.series.baselineBefore(m.minute);
        const threshold = thresholdOf(baseline);
        const observed = m.minute - (since.get(`${t.subject.accountId}/${t.subject.region}/${t.subject.insightType}`) ?? m.minute);
        if (m.count < threshold || observed < BASELINE_MINUTES || !enabled(t.subject.accountId, t.subject.region).has(t.subject.insightType)) continue;
        t.open = { sharedEventId: options.ids.uuid(), start: m.minute, lastUnusual: m.minute, threshold, baseline: { average: baseline.average, by: baseline.by } };
        records.push(start(t, t.open, m));
      }
      if (t.open && upTo - t.open.lastUnusual >= SETTLE_MINUTES) records.push(end(t, t.open));
      const oldest = Math.min(upTo - BASELINE_MINUTES - 1, t.open?.start ?? Infinity);
      if (t.series.prune(oldest) && !t.open) tracked.delete(key);
    }
    evaluatedThrough = upTo;
    await Promise.all(records.map((e) => options.append(e)));
    save(false);
  }

  function start(t: Tracked, open: OpenInsight, m: MinuteCount): StoredEvent {
    return toEvent(
      buildInsightRecord({
        subject: t.subject,
        state: "Start",
        eventId: options.ids.uuid(),
        sharedEventId: open.sharedEventId,
        eventTime: new Date(open.start * MINUTE),
        baseline: { ...open.baseline, minutes: BASELINE_MINUTES },
        insight: { count: m.count, by: m.by, minutes: 1 },
        insightDuration: 1,
      }),
    );
  }

  function end(t: Tracked, open: OpenInsight): StoredEvent {
    t.open = undefined;
    const minutes = t.series.between(open.start, open.lastUnusual);
    const duration = open.lastUnusual - open.start + 1;
    return toEvent(
      buildInsightRecord({
        subject: t.subject,
        state: "End",
        eventId: options.ids.uuid(),
        sharedEventId: open.sharedEventId,
        eventTime: new Date((open.lastUnusual + 1) * MINUTE),
        baseline: { ...open.baseline, minutes: BASELINE_MINUTES },
        insight: { count: minutes.reduce((n, m) => n + m.count, 0), by: mergeCounts(minutes), minutes: duration },
        insightDuration: duration,
      }),
    );
  }

  function restore(): void {
    if (!file) return;
    let snapshot: Snapshot;
    try {
      snapshot = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
    } catch {
      return;
    }
    evaluatedThrough = snapshot.evaluatedThrough;
    for (const [partition, minute] of snapshot.since ?? []) since.set(partition, minute);
    for (const s of snapshot.series ?? []) {
      const series = new MinuteSeries(BASELINE_MINUTES);
      series.minutes.push(...s.minutes);
      tracked.set([s.subject.accountId, s.subject.region, s.subject.insightType, s.subject.eventSource, s.subject.eventName, s.subject.errorCode ?? ""].join("\u0000"), {
        subject: s.subject,
        series,
        open: s.open,
      });
    }
  }

  /** Keeps the counters at most every few seconds: a crash costs the counts of those seconds, never records. */
  function save(force: boolean): void {
    if (!file || (!force && Date.now() - lastSave < SAVE_EVERY_MS)) return;
    lastSave = Date.now();
    const snapshot: Snapshot = {
      evaluatedThrough,
      since: [...since],
      series: [...tracked.values()].map((t) => ({ subject: t.subject, minutes: t.series.minutes, ...(t.open && { open: t.open }) })),
    };
    try {
      mkdirSync(join(options.dataDir!, "insights"), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
      renameSync(`${file}.tmp`, file);
    } catch (e) {
      console.error("localtrail: insights: cannot keep the counters:", e);
    }
  }

  return {
    async flush() {
      await catchUp();
    },
    async reset() {
      await tail;
      await sink.reset();
      tracked.clear();
      since.clear();
      evaluatedThrough = undefined;
      save(true);
    },
    async close() {
      clearInterval(timer);
      await tail;
      await sink.close();
      save(true);
    },
  };
}

function thresholdOf(b: Baseline): number {
  return Math.max(MIN_COUNT, RATIO * b.average, b.average + SIGMAS * b.deviation);
}

const toEvent = (record: Parameters<typeof asHistoryRecord>[0]): StoredEvent => ({ record: asHistoryRecord(record), lookupResources: [] });

/** Attribute values that are known: an identity without an ARN is not attributed. */
function defined<T extends Record<string, string | undefined>>(values: T): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
