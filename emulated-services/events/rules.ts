import { own, setEntry } from "../../src/state/own-entries.js";
import type { DescribeRuleResponse } from "../../src/generated/types/events.js";
import type { CallContext } from "../../src/types/service.js";
import { compilePattern, PatternError } from "./pattern/compile-pattern.js";
import { invalidPattern, validation } from "./errors.js";
import type { Op } from "./op.js";
import { byName, pageOf } from "./pagination.js";
import { parseSchedule } from "./schedule.js";
import { eventsRuntime } from "./runtime/events-runtime.js";
import { DEFAULT_BUS, findBus, findRule, ruleArn, type StoredBus, type StoredRule } from "./state.js";

/** The event pattern as AWS checks it on PutRule and TestEventPattern. */
export function checkPattern(text: string): void {
  try {
    compilePattern(text);
  } catch (e) {
    if (e instanceof PatternError) throw invalidPattern(e.message);
    throw e;
  }
}

/**
 * Creates or updates a rule: an event pattern, a schedule (default bus only), or both. An update replaces
 * every field given and keeps the targets; tags are set on creation only (PutRule, API Reference).
 */
export const putRule: Op<"PutRule"> = (input, ctx) => {
  const bus = findBus(ctx, input.EventBusName);
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
    throw validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  }
  if (input.EventPattern !== undefined) checkPattern(input.EventPattern);
  if (input.ScheduleExpression !== undefined) {
    if (bus.name !== DEFAULT_BUS) throw validation("ScheduleExpression is supported only on the default event bus.");
    if (!parseSchedule(input.ScheduleExpression)) throw validation("Parameter ScheduleExpression is not valid.");
  }
  const existing = own(bus.rules, input.Name);
  const rule: StoredRule = {
    name: input.Name,
    eventPattern: input.EventPattern,
    scheduleExpression: input.ScheduleExpression,
    state: input.State ?? "ENABLED",
    description: input.Description,
    roleArn: input.RoleArn,
    tags: existing?.tags ?? Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value])),
    targets: existing?.targets ?? [],
    scheduledThrough: input.ScheduleExpression !== undefined ? (existing?.scheduleExpression === input.ScheduleExpression ? existing.scheduledThrough : ctx.now.getTime()) : undefined,
  };
  setEntry(bus.rules, input.Name, rule);
  eventsRuntime(ctx.env).rulesChanged();
  return { RuleArn: ruleArn(ctx.region, ctx.accountId, bus.name, input.Name) };
};

export function describe(ctx: CallContext, bus: StoredBus, rule: StoredRule): DescribeRuleResponse {
  return {
    Name: rule.name,
    Arn: ruleArn(ctx.region, ctx.accountId, bus.name, rule.name),
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: bus.name,
  };
}

export const describeRule: Op<"DescribeRule"> = (input, ctx) => {
  const bus = findBus(ctx, input.EventBusName);
  return { ...describe(ctx, bus, findRule(bus, input.Name)), CreatedBy: ctx.accountId };
};

export const listRules: Op<"ListRules"> = (input, ctx) => {
  const bus = findBus(ctx, input.EventBusName);
  const rules = Object.values(bus.rules)
    .filter((r) => input.NamePrefix === undefined || r.name.startsWith(input.NamePrefix))
    .sort(byName);
  const page = pageOf(rules, (r) => r.name, input.NextToken, input.Limit);
  return { Rules: page.items.map((r) => describe(ctx, bus, r)), NextToken: page.nextToken };
};

export const enableRule: Op<"EnableRule"> = (input, ctx) => {
  const rule = findRule(findBus(ctx, input.EventBusName), input.Name);
  rule.state = "ENABLED";
  eventsRuntime(ctx.env).rulesChanged();
};

export const disableRule: Op<"DisableRule"> = (input, ctx) => {
  const rule = findRule(findBus(ctx, input.EventBusName), input.Name);
  rule.state = "DISABLED";
  eventsRuntime(ctx.env).rulesChanged();
};

/** Deleting a rule that does not exist succeeds; a rule with targets must lose them first. */
export const deleteRule: Op<"DeleteRule"> = (input, ctx) => {
  const bus = findBus(ctx, input.EventBusName);
  const rule = own(bus.rules, input.Name);
  if (!rule) return;
  if (rule.targets.length > 0) throw validation("Rule can't be deleted since it has targets.");
  delete bus.rules[input.Name];
};

/** The rules of a bus with a target of this ARN. */
export const listRuleNamesByTarget: Op<"ListRuleNamesByTarget"> = (input, ctx) => {
  const bus = findBus(ctx, input.EventBusName);
  const names = Object.values(bus.rules)
    .filter((r) => r.targets.some((t) => t.Arn === input.TargetArn))
    .sort(byName)
    .map((r) => r.name);
  const page = pageOf(names, (n) => n, input.NextToken, input.Limit);
  return { RuleNames: page.items, NextToken: page.nextToken };
};

