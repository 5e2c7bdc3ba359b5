import { GLOBAL_REGION, type StateStore, type StateView } from "../../../src/state/store.js";
import type { ServiceEnv } from "../../../src/types/service.js";
import type { DeliveryStatus, StoredTrail, TrailsState } from "../trails-state.js";

/**
 * One pass of delivery (log files, or digests): the state it reads and writes, the moment it runs at. What
 * it changes is written when it ends (`persist`), as a call's changes are before its answer.
 */
export interface Round {
  state: StateView;
  env: ServiceEnv;
  now: Date;
  /** Every account that has trails, with its trails (and its digest chains). */
  accounts(): { accountId: string; trails: TrailsState }[];
  /** An account's trails, to change: the round writes them when it ends. */
  changed(accountId: string): TrailsState;
  persist(): Promise<void>;
}

/** Every account that has trails, with its trails. */
export function trailAccounts(store: StateStore): { accountId: string; trails: TrailsState }[] {
  return [...store.all<TrailsState>("cloudtrail")].filter((d) => d.region === GLOBAL_REGION).map(({ accountId, value }) => ({ accountId, trails: value }));
}

export function newRound(store: StateStore, env: ServiceEnv): Round {
  const touched = new Set<string>();
  const state = store.view(touched);
  return {
    state,
    env,
    now: env.now(),
    accounts: () => trailAccounts(store),
    changed: (accountId) => state.get<TrailsState>("cloudtrail", accountId, GLOBAL_REGION, () => ({ trails: {} })),
    persist: () => store.persist(touched),
  };
}

/** The trail's delivery status in a region (GetTrailStatus answers for the region it is called in). */
export function statusOf(round: Round, trail: StoredTrail, region: string): DeliveryStatus {
  round.changed(trail.accountId);
  return (trail.delivery[region] ??= {});
}
