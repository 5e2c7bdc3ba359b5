import { own } from "../../src/state/own-entries.js";
import type { CallContext } from "../../src/types/service.js";
import { notFound } from "./errors.js";
import type { Op } from "./op.js";
import { busName, DEFAULT_BUS, eventsState, findBus, type StoredBus } from "./state.js";

/** The tags of the rule or bus an ARN names (`rule/<name>`, `rule/<bus>/<name>`, `event-bus/<name>`). */
function taggable(ctx: CallContext, arn: string): { tags: Record<string, string> } {
  const m = /^arn:aws[a-z-]*:events:([^:]*):(\d{12}):(rule|event-bus)\/(.+)$/.exec(arn);
  const missing = () => notFound(`Resource ${arn} does not exist.`);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.accountId) throw missing();
  if (m[3] === "event-bus") {
    try {
      return findBus(ctx, busName(m[4]));
    } catch {
      throw missing();
    }
  }
  const [bus, rule] = m[4]!.includes("/") ? (m[4]!.split("/", 2) as [string, string]) : [DEFAULT_BUS, m[4]!];
  const found = bus === DEFAULT_BUS ? findBus(ctx, undefined) : (own(eventsState(ctx).buses, bus) as StoredBus | undefined);
  const target = found && own(found.rules, rule);
  if (!target) throw missing();
  return target;
}

export const tagResource: Op<"TagResource"> = (input, ctx) => {
  const target = taggable(ctx, input.ResourceARN);
  for (const tag of input.Tags) target.tags[tag.Key] = tag.Value;
  return {};
};

export const untagResource: Op<"UntagResource"> = (input, ctx) => {
  const target = taggable(ctx, input.ResourceARN);
  for (const key of input.TagKeys) delete target.tags[key];
  return {};
};

export const listTagsForResource: Op<"ListTagsForResource"> = (input, ctx) => {
  const target = taggable(ctx, input.ResourceARN);
  return { Tags: Object.entries(target.tags).map(([Key, Value]) => ({ Key, Value })) };
};
