import { own, setEntry } from "../../src/state/own-entries.js";
import { alreadyExists, validation } from "./errors.js";
import type { Op } from "./op.js";
import { byName, pageOf } from "./pagination.js";
import { busArn, defaultBus, DEFAULT_BUS, eventsState, findBus, type StoredBus } from "./state.js";

// Custom bus names cannot start with `aws.` (those are partner buses) nor contain `/` (CreateEventBus, API Reference).
const CUSTOM_NAME = /^[\w.\-]+$/;

export const createEventBus: Op<"CreateEventBus"> = (input, ctx) => {
  const state = eventsState(ctx);
  if (input.Name === DEFAULT_BUS || own(state.buses, input.Name)) throw alreadyExists(`Event bus ${input.Name} already exists.`);
  if (input.EventSourceName !== undefined) throw validation("Event source names are not supported.");
  if (!CUSTOM_NAME.test(input.Name) || input.Name.startsWith("aws.")) throw validation(`Event bus name ${input.Name} is not valid.`);
  const now = ctx.now.getTime();
  const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value]));
  setEntry(state.buses, input.Name, { name: input.Name, description: input.Description, creationTime: now, lastModifiedTime: now, tags, rules: {} });
  return { EventBusArn: busArn(ctx.region, ctx.accountId, input.Name), Description: input.Description };
};

export const describeEventBus: Op<"DescribeEventBus"> = (input, ctx) => {
  const bus = findBus(ctx, input.Name);
  return {
    Name: bus.name,
    Arn: busArn(ctx.region, ctx.accountId, bus.name),
    Description: bus.description,
    CreationTime: new Date(bus.creationTime),
    LastModifiedTime: new Date(bus.lastModifiedTime),
  };
};

export const listEventBuses: Op<"ListEventBuses"> = (input, ctx) => {
  const state = eventsState(ctx);
  defaultBus(state, ctx.now.getTime());
  const buses = Object.values(state.buses)
    .filter((b) => input.NamePrefix === undefined || b.name.startsWith(input.NamePrefix))
    .sort(byName);
  const page = pageOf(buses, (b) => b.name, input.NextToken, input.Limit);
  return { EventBuses: page.items.map((b: StoredBus) => ({ Name: b.name, Arn: busArn(ctx.region, ctx.accountId, b.name), Description: b.description, CreationTime: new Date(b.creationTime), LastModifiedTime: new Date(b.lastModifiedTime) })), NextToken: page.nextToken };
};

/** Deleting a bus that does not exist succeeds; the default bus cannot be deleted; a bus with rules cannot either. */
export const deleteEventBus: Op<"DeleteEventBus"> = (input, ctx) => {
  if (input.Name === DEFAULT_BUS) throw validation("Cannot delete event bus default.");
  const state = eventsState(ctx);
  const bus = own(state.buses, input.Name);
  if (!bus) return;
  if (Object.keys(bus.rules).length > 0) throw validation(`Cannot delete event bus ${input.Name} because it has rules.`);
  delete state.buses[input.Name];
};
