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

/** The account's trails that may still deliver: the live ones and the deleted ones with records to deliver. */
export const deliveringTrails = (state: TrailsState): StoredTrail[] => [...Object.values(state.trails), ...Object.values(state.retired ?? {})];

/**
 * A trail's own StopLogging or DeleteTrail ends its logging period, and AWS still delivers that call's record
 * in the trail's log files (and CloudWatch Logs stream), where detection rules look for it: when the record
 * comes, the period is stretched to it.
 */
function closeOnOwnRecord(trails: StoredTrail[], seq: number, record: CloudTrailRecord): void {
  if (record.eventSource !== "cloudtrail.amazonaws.com") return;
  for (const trail of trails) {
    for (const period of trail.loggingPeriods ?? []) {
      if (period.closedBy !== record.requestID) continue;
      period.untilSeq = Math.max(period.untilSeq ?? seq, seq);
      delete period.closedBy;
    }
  }
}

/**
 * The trails of the record's account that deliver it (reference/cloudtrail.md §3.4): logging when it was
 * recorded and selecting it. Each delivers it into the folder of the record's region.
 */
export function trailsDelivering(states: ReadonlyMap<string, TrailsState>, seq: number, record: CloudTrailRecord): StoredTrail[] {
  const state = states.get(record.recipientAccountId);
  if (!state) return [];
  const trails = deliveringTrails(state);
  closeOnOwnRecord(trails, seq, record);
  return trails.filter((t) => loggedAt(t, seq) && (t.deliveredThroughSeq === undefined || seq > t.deliveredThroughSeq) && trailSelects({ ...t, isLogging: true }, record));
}
