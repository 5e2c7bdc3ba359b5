import { own } from "../../src/state/own-entries.js";
import type { StateView } from "../../src/state/store.js";
import type { Target } from "../../src/generated/types/events.js";
import type { CallContext } from "../../src/types/service.js";
import { busNotFound, ruleNotFound } from "./errors.js";

export type RuleState = "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

export interface StoredRule {
  name: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  tags: Record<string, string>;
  /** In the order PutTargets gave them; a target put again with its Id replaces itself in place. */
  targets: Target[];
  /** Epoch ms: when a schedule rule last fired (or was created), so a schedule survives restarts. */
  scheduledThrough?: number;
}

export interface StoredBus {
  name: string;
  description?: string;
  creationTime: number;
  lastModifiedTime: number;
  tags: Record<string, string>;
  rules: Record<string, StoredRule>;
}

/** One account's buses in one region. The default bus exists from the start, as in every AWS account. */
export interface EventsState {
  buses: Record<string, StoredBus>;
}

export const DEFAULT_BUS = "default";

export const eventsStateOf = (state: StateView, accountId: string, region: string): EventsState =>
  state.get<EventsState>("events", accountId, region, () => ({ buses: {} }));

export const eventsState = (ctx: CallContext): EventsState => eventsStateOf(ctx.state, ctx.accountId, ctx.region);

export const busArn = (region: string, accountId: string, name: string) => `arn:aws:events:${region}:${accountId}:event-bus/${name}`;

/** Rules of the default bus are `rule/<name>`, those of a custom bus `rule/<bus>/<name>`. */
export const ruleArn = (region: string, accountId: string, bus: string, name: string) =>
  `arn:aws:events:${region}:${accountId}:rule/${bus === DEFAULT_BUS ? "" : `${bus}/`}${name}`;

/** The default bus is made the first time anything asks for it, with the time of that call. */
export function defaultBus(state: EventsState, now: number): StoredBus {
  return (state.buses[DEFAULT_BUS] ??= { name: DEFAULT_BUS, creationTime: now, lastModifiedTime: now, tags: {}, rules: {} });
}

/** EventBusName is a name or an ARN; absent means the default bus. */
export function busName(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined) return DEFAULT_BUS;
  const m = /^arn:aws[a-z-]*:events:[^:]*:\d{12}:event-bus\/(.+)$/.exec(nameOrArn);
  return m ? m[1]! : nameOrArn;
}

export function findBus(ctx: CallContext, nameOrArn: string | undefined): StoredBus {
  const name = busName(nameOrArn);
  const state = eventsState(ctx);
  if (name === DEFAULT_BUS) return defaultBus(state, ctx.now.getTime());
  const bus = own(state.buses, name);
  if (!bus) throw busNotFound(name);
  return bus;
}

export function findRule(bus: StoredBus, name: string): StoredRule {
  const rule = own(bus.rules, name);
  if (!rule) throw ruleNotFound(name, bus.name);
  return rule;
}
