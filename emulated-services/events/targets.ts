import type { PutTargetsResultEntry, Target } from "../../src/generated/types/events.js";
import { limitExceeded, validation } from "./errors.js";
import type { Op } from "./op.js";
import { pageOf } from "./pagination.js";
import { findBus, findRule } from "./state.js";

/** A rule has at most five targets (EventBridge quotas). */
const TARGETS_PER_RULE = 5;

/** The target kinds localtrail delivers to: Lambda functions, log groups, event buses. */
const DELIVERABLE = /^arn:aws:(lambda:[^:]+:\d{12}:function:|logs:[^:]+:\d{12}:log-group:|events:[^:]+:\d{12}:event-bus\/)/;

export const putTargets: Op<"PutTargets"> = (input, ctx) => {
  const rule = findRule(findBus(ctx, input.EventBusName), input.Rule);
  const failed: PutTargetsResultEntry[] = [];
  const accepted: Target[] = [];
  for (const target of input.Targets) {
    const transforms = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length;
    if (transforms > 1) throw validation("Only one of Input, InputPath, or InputTransformer must be provided.");
    if (target.Input !== undefined && !isJson(target.Input)) throw validation("Target Input is not valid JSON text.");
    if (!DELIVERABLE.test(target.Arn)) {
      failed.push({ TargetId: target.Id, ErrorCode: "ValidationException", ErrorMessage: `localtrail does not deliver to ${target.Arn}: targets are Lambda functions, CloudWatch Logs log groups and event buses.` });
      continue;
    }
    accepted.push(target);
  }
  const ids = new Set(rule.targets.map((t) => t.Id));
  const added = accepted.filter((t) => !ids.has(t.Id)).length;
  if (rule.targets.length + added > TARGETS_PER_RULE) throw limitExceeded(`The requested resource exceeds the maximum number allowed.`);
  for (const target of accepted) {
    const at = rule.targets.findIndex((t) => t.Id === target.Id);
    if (at >= 0) rule.targets[at] = target;
    else rule.targets.push(target);
  }
  return { FailedEntryCount: failed.length, FailedEntries: failed };
};

export const removeTargets: Op<"RemoveTargets"> = (input, ctx) => {
  const rule = findRule(findBus(ctx, input.EventBusName), input.Rule);
  const remove = new Set(input.Ids);
  rule.targets = rule.targets.filter((t) => !remove.has(t.Id));
  return { FailedEntryCount: 0, FailedEntries: [] };
};

export const listTargetsByRule: Op<"ListTargetsByRule"> = (input, ctx) => {
  const rule = findRule(findBus(ctx, input.EventBusName), input.Rule);
  const page = pageOf(rule.targets, (t) => t.Id, input.NextToken, input.Limit);
  return { Targets: page.items, NextToken: page.nextToken };
};

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
