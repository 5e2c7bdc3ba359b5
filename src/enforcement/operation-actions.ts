import type { ActionRequirement, ArnContext, ArnVariable, ServiceAuthorization } from "../types/authorization.js";
import { actionResourceTypes } from "./action-catalogue.js";

/** One action an operation needs, on the resources it names, with the condition keys it brings. */
export interface ActionRequest {
  action: string;
  /** ARNs, or `*` for an action with no resource type (or none the input names). */
  resources: string[];
  /** Condition keys of this action: the service keys its input carries and those the requirement adds. */
  conditionKeys: Record<string, string[]>;
}

/**
 * The IAM actions and resource ARNs of one call, from data: the operation's requirements (by default
 * `<prefix>:<Operation>`), each action's resource types from the catalogue, and each ARN template filled from
 * the input members the service's table names (reference/iam-enforcement.md §3). A required resource type
 * whose variable the input does not give (the instance RunInstances is about to create) is named with `*`
 * in that place, as AWS's denials show (`instance/*`).
 */
export function actionRequests(auth: ServiceAuthorization, operation: string, input: Record<string, unknown>, ctx: ArnContext): ActionRequest[] {
  const requirements = auth.operations?.[operation] ?? [{ action: `${auth.prefix}:${operation}` }];
  const serviceKeys = memberValues(auth.conditionKeys ?? {}, input);
  const out: ActionRequest[] = [];
  for (const req of requirements) {
    if (req.when !== undefined && !present(input[req.when])) continue;
    if (req.unless !== undefined && present(input[req.unless])) continue;
    if (req.unlessEquals !== undefined && input[req.unlessEquals[0]] === req.unlessEquals[1]) continue;
    const conditionKeys = { ...serviceKeys };
    for (const [k, v] of Object.entries(req.conditionKeys ?? {})) conditionKeys[k] = [v];
    out.push({ action: req.action, resources: resourcesOf(auth, req, input, ctx), conditionKeys });
  }
  return out;
}

function resourcesOf(auth: ServiceAuthorization, req: ActionRequirement, input: Record<string, unknown>, ctx: ArnContext): string[] {
  const arns: string[] = [];
  for (const type of actionResourceTypes(req.action)) {
    if (req.resourceTypes && !req.resourceTypes.includes(type.name)) continue;
    const resolver = req.resolvers?.[type.name] ?? auth.resolvers?.[type.name];
    if (resolver) {
      const resolved = resolver(input, ctx);
      if (resolved) arns.push(...resolved);
      continue;
    }
    const filled = fillTemplate(type.arnTemplate, (name) => variable(req.variables?.[name] ?? auth.variables[name], input, ctx), ctx, type.required);
    arns.push(...filled);
  }
  return arns.length > 0 ? [...new Set(arns)] : ["*"];
}

function variable(source: ArnVariable | undefined, input: Record<string, unknown>, ctx: ArnContext): string[] | undefined {
  if (source === undefined) return undefined;
  const value = typeof source === "string" ? input[source] : source(input, ctx);
  if (value === undefined || value === null || value === "") return undefined;
  const list = ([] as unknown[]).concat(value).filter((v) => typeof v === "string" || typeof v === "number").map(String);
  return list.length > 0 ? list : undefined;
}

/** An ARN template cut once into its text and its variables: `arn:`, Partition, `:iam::`, Account, ... */
const templateParts = new Map<string, { literals: string[]; names: string[] }>();

function partsOf(template: string): { literals: string[]; names: string[] } {
  let parts = templateParts.get(template);
  if (!parts) {
    const pieces = template.split(/\$\{([A-Za-z0-9]+)\}/);
    parts = { literals: pieces.filter((_, i) => i % 2 === 0), names: pieces.filter((_, i) => i % 2 === 1) };
    templateParts.set(template, parts);
  }
  return parts;
}

/** Fills `${Partition}`, `${Region}`, `${Account}` and the type's own variables; one ARN per combination. */
function fillTemplate(template: string, lookup: (name: string) => string[] | undefined, ctx: ArnContext, required: boolean): string[] {
  const { literals, names } = partsOf(template);
  let results = [""];
  for (let i = 0; i < names.length; i++) {
    const literal = literals[i]!;
    const name = names[i]!;
    let values: string[] | undefined;
    if (name === "Partition") values = ["aws"];
    else if (name === "Region") values = [ctx.region];
    else if (name === "Account") values = [ctx.accountId];
    else values = lookup(name);
    if (values === undefined) {
      if (!required) return [];
      values = ["*"];
    }
    results = results.length === 1 && values.length === 1 ? [results[0] + literal + values[0]] : results.flatMap((prefix) => values.map((v) => prefix + literal + v));
  }
  const tail = literals[names.length]!;
  return results.map((r) => r + tail);
}

/** Condition-key values from input members: strings, numbers and booleans as text, lists item by item. */
function memberValues(keys: Record<string, string>, input: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, member] of Object.entries(keys)) {
    const value = input[member];
    if (!present(value)) continue;
    const list = ([] as unknown[]).concat(value).filter((v) => ["string", "number", "boolean"].includes(typeof v)).map(String);
    if (list.length > 0) out[key] = list;
  }
  return out;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
