import type { Attribution, AttributionValue } from "../types/insights.js";

/** The attributes Insights events break a rate down by (reference/cloudtrail.md §9). */
export type AttributeName = Attribution["attribute"];
export type AttributeCounts = Partial<Record<AttributeName, Record<string, number>>>;

/** The calls (or errors) of one minute, with how many came from each user, user agent and error code. */
export interface MinuteCount {
  /** Minutes since the epoch. */
  minute: number;
  count: number;
  by: AttributeCounts;
}

/** What the window of minutes before an instant holds: the baseline an Insights event compares with. */
export interface Baseline {
  /** Calls per minute over the window, zero minutes included. */
  average: number;
  /** Standard deviation of the per-minute counts over the window. */
  deviation: number;
  by: AttributeCounts;
}

/**
 * The per-minute counts of one API (or one API's one error code) in one account and region, kept sparse
 * (minutes without calls are not stored) for the trailing baseline window, with running sums over that
 * window so that moving it one minute on costs what the minutes entering and leaving it hold, whatever the
 * rate: this is what keeps Insights incremental.
 */
export class MinuteSeries {
  /** Ascending by minute. */
  readonly minutes: MinuteCount[] = [];
  /** minutes[lo..hi) is the window: hi is the first entry at or after its end, lo the first inside it. */
  private lo = 0;
  private hi = 0;
  private sum = 0;
  private squares = 0;
  private readonly windowBy: Record<string, Map<string, number>> = {};

  constructor(private readonly windowMinutes: number) {}

  /** Counts one call (or error) made in `minute`, by the attribute values given. */
  add(minute: number, attributes: Partial<Record<AttributeName, string>>): void {
    let i = this.minutes.length;
    while (i > 0 && this.minutes[i - 1]!.minute > minute) i--;
    let entry = this.minutes[i - 1];
    if (!entry || entry.minute !== minute) {
      // A minute already older than the window is of no use any more.
      if (i < this.lo) return;
      entry = { minute, count: 0, by: {} };
      this.minutes.splice(i, 0, entry);
      // A late minute inserted inside the window is counted into its sums below, call by call.
      if (i < this.hi) this.hi++;
      i++;
    }
    const inWindow = i - 1 < this.hi;
    const before = entry.count;
    entry.count++;
    for (const [name, value] of Object.entries(attributes) as [AttributeName, string][]) {
      const counts = (entry.by[name] ??= {});
      counts[value] = (counts[value] ?? 0) + 1;
      if (inWindow) bump(this.windowBy, name, value, 1);
    }
    if (inWindow) {
      this.sum += 1;
      this.squares += entry.count * entry.count - before * before;
    }
  }

  /** Entries of the minutes from `from` to `to`, both included, oldest first (found by bisection). */
  between(from: number, to: number): MinuteCount[] {
    let lo = 0;
    let hi = this.minutes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.minutes[mid]!.minute < from) lo = mid + 1;
      else hi = mid;
    }
    const out: MinuteCount[] = [];
    for (let i = lo; i < this.minutes.length && this.minutes[i]!.minute <= to; i++) out.push(this.minutes[i]!);
    return out;
  }

  /** The baseline of `minute`: the window of minutes that ends where it starts. Minutes only move forward. */
  baselineBefore(minute: number): Baseline {
    while (this.hi < this.minutes.length && this.minutes[this.hi]!.minute < minute) this.addToWindow(this.minutes[this.hi++]!, 1);
    const start = minute - this.windowMinutes;
    while (this.lo < this.hi && this.minutes[this.lo]!.minute < start) this.addToWindow(this.minutes[this.lo++]!, -1);
    const average = this.sum / this.windowMinutes;
    const variance = Math.max(0, this.squares / this.windowMinutes - average * average);
    const by: AttributeCounts = {};
    for (const [name, values] of Object.entries(this.windowBy)) by[name as AttributeName] = Object.fromEntries([...values].filter(([, n]) => n > 0));
    return { average, deviation: Math.sqrt(variance), by };
  }

  /** Forgets the minutes that left the window before `keepFrom`; true when nothing is left. */
  prune(keepFrom: number): boolean {
    let drop = 0;
    while (drop < this.lo && this.minutes[drop]!.minute < keepFrom) drop++;
    if (drop > 0) {
      this.minutes.splice(0, drop);
      this.lo -= drop;
      this.hi -= drop;
    }
    return this.minutes.length === 0;
  }

  private addToWindow(entry: MinuteCount, sign: 1 | -1): void {
    this.sum += sign * entry.count;
    this.squares += sign * entry.count * entry.count;
    for (const [name, values] of Object.entries(entry.by)) {
      for (const [value, n] of Object.entries(values)) bump(this.windowBy, name, value, sign * n);
    }
  }
}

function bump(into: Record<string, Map<string, number>>, name: string, value: string, n: number): void {
  const values = (into[name] ??= new Map());
  const next = (values.get(value) ?? 0) + n;
  if (next === 0) values.delete(value);
  else values.set(value, next);
}

/** Up to five values, the most frequent first, as averages per minute over `minutes`. */
export function topValues(counts: Record<string, number> | undefined, minutes: number): AttributionValue[] {
  return Object.entries(counts ?? {})
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, 5)
    .map(([value, n]) => ({ value, average: n / minutes }));
}

/** Sums the attribute counts of several minutes. */
export function mergeCounts(minutes: MinuteCount[]): AttributeCounts {
  const out: AttributeCounts = {};
  for (const m of minutes) {
    for (const [name, values] of Object.entries(m.by) as [AttributeName, Record<string, number>][]) {
      const into = (out[name] ??= {});
      for (const [value, n] of Object.entries(values)) into[value] = (into[value] ?? 0) + n;
    }
  }
  return out;
}
