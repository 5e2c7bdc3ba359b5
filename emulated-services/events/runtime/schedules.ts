import type { StateStore } from "../../../src/state/store.js";
import type { ServiceEnv } from "../../../src/types/service.js";
import type { EmulatedTimers } from "../../../src/timers/emulated-timers.js";
import { parseSchedule } from "../schedule.js";
import { DEFAULT_BUS, ruleArn, type EventsState } from "../state.js";
import { eventTime, type Publication } from "./bus-event.js";

/**
 * Rules with a ScheduleExpression fire "Scheduled Event"s on the default bus when emulated time reaches
 * their next time (EventBridge User Guide, "Scheduled events"). A jump of the clock over several times
 * fires once, for the last of them. Each rule keeps the time it fired through, so a restart neither
 * repeats nor forgets one.
 */
export class Schedules {
  private pending = false;
  /** The time the timer is set for, so refreshing does not set another for the same time. */
  private wakeAt: number | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly env: ServiceEnv,
    private readonly timers: EmulatedTimers,
    private readonly publish: (publication: Publication) => void,
  ) {
    this.refresh();
  }

  refresh(): void {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.run();
    });
  }

  private run(): void {
    const now = this.env.now();
    const touched = new Set<string>();
    const view = this.store.view(touched);
    let earliest: number | undefined;
    for (const { accountId, region } of this.store.all<EventsState>("events")) {
      const bus = view.get<EventsState>("events", accountId, region, () => ({ buses: {} })).buses[DEFAULT_BUS];
      for (const rule of Object.values(bus?.rules ?? {})) {
        const schedule = rule.scheduleExpression && parseSchedule(rule.scheduleExpression);
        if (!schedule || rule.scheduledThrough === undefined) continue;
        const createdAt = new Date(rule.scheduledThrough);
        let next = schedule.next(new Date(rule.scheduledThrough), createdAt);
        let fire: Date | undefined;
        while (next && next.getTime() <= now.getTime()) {
          fire = next;
          next = schedule.next(next, createdAt);
        }
        if (fire) {
          rule.scheduledThrough = fire.getTime();
          if (rule.state !== "DISABLED" && rule.targets.length > 0) {
            this.publish({
              accountId,
              region,
              bus: DEFAULT_BUS,
              event: {
                version: "0",
                id: this.env.ids.uuid(),
                "detail-type": "Scheduled Event",
                source: "aws.events",
                account: accountId,
                time: eventTime(fire),
                region,
                resources: [ruleArn(region, accountId, DEFAULT_BUS, rule.name)],
                detail: {},
              },
              scheduled: ruleArn(region, accountId, DEFAULT_BUS, rule.name),
            });
          }
        }
        if (next && (earliest === undefined || next.getTime() < earliest)) earliest = next.getTime();
      }
    }
    if (touched.size > 0) void this.store.persist(touched);
    if (earliest !== undefined && earliest !== this.wakeAt) {
      this.wakeAt = earliest;
      this.timers.at(earliest, () => {
        this.wakeAt = undefined;
        this.refresh();
      });
    }
  }
}
