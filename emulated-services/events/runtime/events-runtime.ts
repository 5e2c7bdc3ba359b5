import type { StateStore } from "../../../src/state/store.js";
import type { ServiceEnv, ServiceRuntime } from "../../../src/types/service.js";
import type { Target } from "../../../src/generated/types/events.js";
import { startDurableSink, type DurableSink } from "../../../src/sinks/durable-sink.js";
import { EmulatedTimers } from "../../../src/timers/emulated-timers.js";
import { loggedByTrail } from "../../cloudtrail/logged-by-trail.js";
import { compilePattern, type CompiledPattern } from "../pattern/compile-pattern.js";
import { matchesPattern } from "../pattern/match-pattern.js";
import { ruleArn, type EventsState, type StoredRule } from "../state.js";
import { eventTime, type Publication } from "./bus-event.js";
import { cloudTrailPublication } from "./cloudtrail-feed.js";
import { targetInput } from "./input-transform.js";
import { Schedules } from "./schedules.js";
import { deliverOnce, type TargetCall } from "./target-delivery.js";

/** A target's RetryPolicy defaults (EventBridge User Guide, "Retry policy"): 185 attempts over 24 hours. */
const DEFAULT_RETRIES = 185;
const DEFAULT_MAX_AGE_S = 86_400;
/** Backoff between attempts: exponential from 1 s, at most 3 minutes, with jitter. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 180_000;

/** What CloudWatch would show for a rule (AWS/Events metrics), kept in memory. */
export interface RuleMetrics {
  MatchedEvents: number;
  TriggeredRules: number;
  Invocations: number;
  FailedInvocations: number;
}

interface Job {
  call: TargetCall;
  retries: number;
  maxRetries: number;
  deadline: number;
}

/**
 * EventBridge at work: puts events on buses, matches them against the rules, and delivers to targets in
 * order per target, asynchronously: a call that produced an event never waits for a target. CloudTrail's
 * events come from the history through a durable sink (src/sinks/durable-sink.ts), so events recorded
 * before a crash are delivered after the restart.
 */
export class EventsRuntime implements ServiceRuntime {
  private readonly patterns = new Map<string, CompiledPattern>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly metrics = new Map<string, RuleMetrics>();
  private readonly timers: EmulatedTimers;
  private readonly feed: DurableSink;
  private readonly schedules: Schedules;

  constructor(
    private readonly store: StateStore,
    private readonly env: ServiceEnv,
  ) {
    this.timers = new EmulatedTimers(env.clock);
    this.feed = startDurableSink({
      name: "eventbridge",
      history: env.events,
      dataDir: env.dataDir,
      handle: async (events) => {
        const first: Promise<void>[] = [];
        for (const { seq, event } of events) {
          const publication = cloudTrailPublication(event.record, env.ids, () => loggedByTrail(store, seq, event.record));
          if (publication) first.push(this.publish(publication));
        }
        await Promise.all(first);
      },
    });
    this.schedules = new Schedules(store, env, this.timers, (publication) => void this.publish(publication));
  }

  /**
   * Puts an event on a bus: resolves once each matching target has had its first attempt (retries go on
   * in the background), so the CloudTrail feed moves its cursor only past events handed over.
   */
  publish(publication: Publication): Promise<void> {
    const state = this.store.get<EventsState>("events", publication.accountId, publication.region, () => ({ buses: {} }));
    const bus = state.buses[publication.bus];
    if (!bus) return Promise.resolve();
    const ingestedAt = eventTime(this.env.now());
    const attempts: Promise<void>[] = [];
    for (const rule of Object.values(bus.rules)) {
      const arn = ruleArn(publication.region, publication.accountId, bus.name, rule.name);
      if (publication.scheduled ? publication.scheduled !== arn : !this.matches(rule, publication)) continue;
      const metrics = this.metricsOf(arn);
      metrics.MatchedEvents++;
      metrics.TriggeredRules++;
      for (const target of rule.targets) {
        const call: TargetCall = {
          env: this.env,
          accountId: publication.accountId,
          ruleArn: arn,
          targetArn: target.Arn,
          input: targetInput(target, publication.event, { arn, name: rule.name }, ingestedAt),
          event: publication.event,
          publish: (next) => this.publish(next),
          from: publication,
        };
        attempts.push(this.enqueue(`${arn}#${target.Id}`, this.job(call, target)));
      }
    }
    return Promise.all(attempts).then(() => undefined);
  }

  /** The rule's counters (AWS/Events Invocations, FailedInvocations, ...) since the emulator started. */
  ruleMetrics(ruleArn: string): RuleMetrics {
    return { ...this.metricsOf(ruleArn) };
  }

  /** Every CloudTrail event recorded so far has been put on its bus and had its first attempts. */
  async idle(): Promise<void> {
    await this.feed.idle();
    await Promise.all(this.chains.values());
  }

  /** A rule was put, changed or deleted: schedules are worked out again. */
  rulesChanged(): void {
    this.schedules.refresh();
  }

  async flush(): Promise<void> {
    await this.idle();
  }

  async reset(): Promise<void> {
    this.timers.clear();
    await this.idle();
    this.metrics.clear();
    this.chains.clear();
    await this.feed.reset();
  }

  async close(): Promise<void> {
    this.timers.close();
    await this.feed.close();
  }

  private matches(rule: StoredRule, publication: Publication): boolean {
    if (rule.state === "DISABLED" || rule.eventPattern === undefined) return false;
    // Read-only management events reach only rules that ask for all of them (reference/cloudtrail.md §10).
    if (publication.readOnlyCloudTrail && rule.state !== "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") return false;
    let pattern = this.patterns.get(rule.eventPattern);
    if (!pattern) this.patterns.set(rule.eventPattern, (pattern = compilePattern(rule.eventPattern)));
    return matchesPattern(pattern, publication.event);
  }

  private job(call: TargetCall, target: Target): Job {
    const policy = target.RetryPolicy ?? {};
    return {
      call,
      retries: 0,
      maxRetries: policy.MaximumRetryAttempts ?? DEFAULT_RETRIES,
      deadline: this.env.now().getTime() + (policy.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000,
    };
  }

  /** Attempts follow one another per target, in the order the events were put. */
  private enqueue(key: string, job: Job): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.attempt(job));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  private async attempt(job: Job): Promise<void> {
    const metrics = this.metricsOf(job.call.ruleArn);
    let outcome;
    try {
      outcome = await deliverOnce(job.call);
    } catch (e) {
      outcome = { ok: false as const, code: "InternalFailure", message: e instanceof Error ? e.message : String(e), retriable: true };
    }
    metrics.Invocations++;
    if (outcome.ok) return;
    const now = this.env.now().getTime();
    if (outcome.retriable && job.retries < job.maxRetries && now < job.deadline) {
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** job.retries) * (0.5 + Math.random() / 2);
      job.retries++;
      this.timers.after(backoff, () => void this.enqueue(`${job.call.ruleArn}#retry`, job));
      return;
    }
    metrics.FailedInvocations++;
    console.error(`localtrail: events: rule ${job.call.ruleArn} could not deliver event ${job.call.event.id} to ${job.call.targetArn}: ${outcome.code}: ${outcome.message}`);
  }

  private metricsOf(arn: string): RuleMetrics {
    let m = this.metrics.get(arn);
    if (!m) this.metrics.set(arn, (m = { MatchedEvents: 0, TriggeredRules: 0, Invocations: 0, FailedInvocations: 0 }));
    return m;
  }
}

const runtimes = new WeakMap<ServiceEnv, EventsRuntime>();

/** The one EventBridge runtime of an emulator, started with it (the service's `start`). */
export function eventsRuntime(env: ServiceEnv, store?: StateStore): EventsRuntime {
  let runtime = runtimes.get(env);
  if (!runtime) {
    if (!store) throw new Error("EventBridge runtime used before the emulator started it");
    runtimes.set(env, (runtime = new EventsRuntime(store, env)));
  }
  return runtime;
}
