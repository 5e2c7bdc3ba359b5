import type { EventHistory } from "../../../src/event-log/event-history.js";
import type { StoredTrail, TrailsState } from "../trails-state.js";
import type { PendingBatches } from "./pending-batches.js";
import { deliveringTrails, trailsDelivering } from "./trail-selection.js";

const PAGE = 1000;

/** Where a trail's delivery resumes: its cursor, or the start of its first logging period. */
const resumeAfter = (trail: StoredTrail) => trail.deliveredThroughSeq ?? trail.loggingPeriods?.[0]?.afterSeq;

/** Whether some event after the trail's cursor may still be the trail's to deliver (its closing call's record included). */
export function owes(trail: StoredTrail): boolean {
  const after = resumeAfter(trail);
  return after !== undefined && (trail.loggingPeriods ?? []).some((p) => p.untilSeq === undefined || p.untilSeq > after || p.closedBy !== undefined);
}

/**
 * After a start (a restart after kill -9 included), puts back into the batches every event recorded but
 * not yet delivered: those after each trail's cursor that the trail selects. A file delivered just before
 * a crash whose cursor was not yet written is delivered again: duplicates are allowed (AWS has them too),
 * losses are not.
 */
export function catchUp(events: EventHistory, accounts: { trails: TrailsState }[], pending: PendingBatches): void {
  const states = new Map<string, TrailsState>();
  let from: number | undefined;
  for (const { trails } of accounts) {
    for (const trail of deliveringTrails(trails)) {
      // Trails that were logging before their periods were kept: from now on.
      if (!trail.loggingPeriods && trail.isLogging) trail.loggingPeriods = [{ afterSeq: events.lastSeq() }];
      if (!owes(trail)) continue;
      states.set(trail.accountId, trails);
      from = Math.min(from ?? Infinity, resumeAfter(trail)!);
    }
  }
  if (from === undefined) return;
  for (let page = events.eventsAfter(from, PAGE); page.length > 0; page = events.eventsAfter(page[page.length - 1]!.seq, PAGE)) {
    for (const { seq, event } of page) {
      for (const trail of trailsDelivering(states, seq, event.record)) pending.add(trail, seq, event.record);
    }
  }
}
