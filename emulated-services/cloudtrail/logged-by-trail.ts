import { GLOBAL_REGION, type StateStore } from "../../src/state/store.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";
import { loggedAt } from "./delivery/trail-selection.js";
import { trailSelects } from "./event-selection.js";
import type { TrailsState } from "./trails-state.js";

/**
 * Whether some trail of the record's account logged it: data events reach EventBridge only then
 * (reference/cloudtrail.md §10). Asked by EventBridge, which otherwise knows nothing of trails.
 */
export function loggedByTrail(store: StateStore, seq: number, record: CloudTrailRecord): boolean {
  for (const doc of store.all<TrailsState>("cloudtrail")) {
    if (doc.region !== GLOBAL_REGION || doc.accountId !== record.recipientAccountId) continue;
    return Object.values(doc.value.trails ?? {}).some((t) => loggedAt(t, seq) && trailSelects({ ...t, isLogging: true }, record));
  }
  return false;
}
