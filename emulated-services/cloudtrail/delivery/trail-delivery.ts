import type { StateStore } from "../../../src/state/store.js";
import type { ServiceEnv, ServiceRuntime } from "../../../src/types/service.js";
import type { TrailsState } from "../trails-state.js";
import { catchUp, owes } from "./catch-up.js";
import { syncChains, writeDigests } from "./digest-chains.js";
import { deliverBatch } from "./log-delivery.js";
import { PendingBatches } from "./pending-batches.js";
import { newRound, trailAccounts, type Round } from "./round.js";
import { deliveringTrails, trailsDelivering } from "./trail-selection.js";

/**
 * Trail delivery, started with the emulator (reference/cloudtrail.md §6-8): every new event goes to the
 * batches of the trails that select it; every `--delivery-interval` seconds (and on flush) each batch
 * becomes a log file in the trail's bucket and events in its CloudWatch Logs group; every
 * `--digest-interval` seconds (and on flush, after the log files) each digest chain gets its digest.
 * One delivery or digest pass runs at a time.
 */
export function startTrailDelivery({ store, env }: { store: StateStore; env: ServiceEnv }): ServiceRuntime {
  const pending = new PendingBatches();
  catchUp(env.events, trailAccounts(store), pending);

  env.events.onAppend((events) => {
    // The listener runs inside the event log's write: whatever goes wrong here must not fail the calls.
    try {
      const states = new Map(trailAccounts(store).map((a) => [a.accountId, a.trails] as [string, TrailsState]));
      if (states.size === 0) return;
      for (const { seq, event } of events) {
        for (const trail of trailsDelivering(states, seq, event.record)) pending.add(trail, seq, event.record);
      }
    } catch (e) {
      console.error("localtrail: trail delivery:", e);
    }
  });

  let tail: Promise<void> = Promise.resolve();
  const serially = (pass: () => Promise<void>) => (tail = tail.then(pass).catch((e: unknown) => console.error("localtrail: trail delivery:", e)));
  const deliverLogFiles = () => serially(() => deliveryPass(store, env, pending));
  const deliverDigests = () =>
    serially(async () => {
      const round = newRound(store, env);
      await writeDigests(round);
      await round.persist();
    });
  let timers: NodeJS.Timeout[] = [];
  const arm = () => {
    timers = [setInterval(deliverLogFiles, env.config.deliveryInterval * 1000), setInterval(deliverDigests, env.config.digestInterval * 1000)];
    for (const timer of timers) timer.unref();
  };
  const disarm = () => timers.forEach(clearInterval);
  arm();
  // Emulated time that jumps forward has passed delivery and digest periods: AWS would have delivered by now.
  env.clock.onChange(() => {
    void deliverLogFiles();
    void deliverDigests();
  });

  return {
    async flush() {
      await deliverLogFiles();
      await deliverDigests();
    },
    // The state is cleared right after this returns: the timers start over, so no pass runs meanwhile.
    async reset() {
      disarm();
      await tail;
      pending.clear();
      arm();
    },
    async close() {
      disarm();
      await tail;
    },
  };
}

/**
 * Delivers every batch, then moves each trail's cursor to the newest event it no longer owes and ends or
 * starts digest chains. A batch that fails is kept and retried at the next pass; one of a deleted trail
 * is tried once.
 */
async function deliveryPass(store: StateStore, env: ServiceEnv, pending: PendingBatches): Promise<void> {
  const round = newRound(store, env);
  // Every live event up to here is in a batch: the event log tells its listeners before lastSeq moves on.
  const through = env.events.lastSeq();
  for (const batch of pending.seal()) {
    const delivered = await deliverBatch(round, batch);
    const trails = round.accounts().find((a) => a.accountId === batch.trail.accountId)?.trails;
    const current = trails?.trails[batch.trail.arn] === batch.trail || trails?.retired?.[batch.trail.arn] === batch.trail;
    if (delivered || !current) pending.remove(batch);
  }
  advanceCursors(round, pending, through);
  await syncChains(round);
  await round.persist();
}

function advanceCursors(round: Round, pending: PendingBatches, through: number): void {
  for (const { accountId, trails } of round.accounts()) {
    for (const trail of deliveringTrails(trails)) {
      const oldest = pending.oldestSeq(trail.arn);
      const cursor = oldest === undefined ? through : Math.min(through, oldest - 1);
      if (trail.deliveredThroughSeq === cursor) continue;
      round.changed(accountId);
      trail.deliveredThroughSeq = cursor;
      // Periods that ended before the cursor can select nothing more (once their closing call's record came).
      trail.loggingPeriods = trail.loggingPeriods?.filter((p) => p.untilSeq === undefined || p.untilSeq > cursor || p.closedBy !== undefined);
    }
    // A deleted trail is forgotten once it has delivered all it logged and its final digests are written.
    for (const trail of Object.values(trails.retired ?? {})) {
      if (owes(trail) || pending.oldestSeq(trail.arn) !== undefined) continue;
      if (Object.values(trails.digestChains ?? {}).some((c) => c.trailArn === trail.arn && c.active)) continue;
      const changed = round.changed(accountId);
      const { [trail.arn]: _gone, ...rest } = changed.retired ?? {};
      changed.retired = rest;
    }
  }
}
