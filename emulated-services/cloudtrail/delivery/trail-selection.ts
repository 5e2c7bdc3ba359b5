import type { CloudTrailRecord } from "../../../src/types/cloudtrail-record.js";
import { trailSelects } from "../event-selection.js";
import type { StoredTrail, TrailsState } from "../trails-state.js";

/**
 * Whether the trail was logging when the event at `seq` was recorded: StartLogging and StopLogging keep
 * the positions (trails-state.ts LoggingPeriod), so this holds after a restart too.
 */
export function loggedAt(trail: StoredTrail, seq: number): boolean {
  return (trail.loggingPeriods ?? []).some((p) => seq > p.afterSeq && (p.untilSeq === undefined || seq <= p.untilSeq));
}

/**
 * The trails of the record's account that deliver it (reference/cloudtrail.md §3.4): logging when it was
 * recorded and selecting it. Each delivers it into the folder of the record's region.
 */
export function trailsDelivering(states: ReadonlyMap<string, TrailsState>, seq: number, record: CloudTrailRecord): StoredTrail[] {
  const state = states.get(record.recipientAccountId);
  if (!state) return [];
  return Object.values(state.trails).filter((t) => loggedAt(t, seq) && (t.deliveredThroughSeq === undefined || seq > t.deliveredThroughSeq) && trailSelects({ ...t, isLogging: true }, record));
}
