import { ipInCidr } from "./ip-address.js";
import { expandVariables, patternRegExp } from "./patterns.js";
import type { RequestContext } from "./request-context.js";

/**
 * The Condition element as IAM evaluates it (IAM User Guide, "Condition operators" and "Multivalued context
 * keys"): operators and keys are AND'ed, the values of one key OR'ed; a negated operator must match none of
 * its values. A key the request lacks makes a condition false, and a negated one true, except with
 * `…IfExists` (true), `Null`, `ForAllValues` (true) and `ForAnyValue` (false).
 */
export interface ConditionTest {
  /** As written, for explanations (`ForAnyValue:StringLikeIfExists`). */
  operator: string;
  base: string;
  set?: "ForAllValues" | "ForAnyValue";
  ifExists: boolean;
  negated: boolean;
  key: string;
  values: string[];
}

const NEGATED = new Set(["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals", "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike"]);
/** A negated operator is the negation of this positive one, compared value by value. */
const POSITIVE: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  NumericNotEquals: "NumericEquals",
  DateNotEquals: "DateEquals",
  NotIpAddress: "IpAddress",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
};

/** Reads a Condition block into tests; undefined when it is not an object of objects (IAM refused it). */
export function compileCondition(condition: unknown): ConditionTest[] | undefined {
  if (!condition || typeof condition !== "object" || Array.isArray(condition)) return undefined;
  const tests: ConditionTest[] = [];
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (!block || typeof block !== "object" || Array.isArray(block)) return undefined;
    let base = operator;
    let set: ConditionTest["set"];
    for (const prefix of ["ForAllValues:", "ForAnyValue:"] as const) {
      if (base.startsWith(prefix)) {
        set = prefix.slice(0, -1) as ConditionTest["set"];
        base = base.slice(prefix.length);
      }
    }
    const ifExists = base !== "Null" && base.endsWith("IfExists");
    if (ifExists) base = base.slice(0, -"IfExists".length);
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      const values = ([] as unknown[]).concat(value).map((v) => String(v));
      tests.push({ operator, base, set, ifExists, negated: NEGATED.has(base), key, values });
    }
  }
  return tests;
}

/** Whether every test holds for the request; `variables` is false for 2008-10-17 policies. */
export function conditionHolds(tests: readonly ConditionTest[], context: RequestContext, variables: boolean): boolean {
  for (const test of tests) if (!testHolds(test, context, variables)) return false;
  return true;
}

/** The first test that fails, for explanations. */
export function failingTest(tests: readonly ConditionTest[], context: RequestContext, variables: boolean): ConditionTest | undefined {
  return tests.find((t) => !testHolds(t, context, variables));
}

function testHolds(test: ConditionTest, context: RequestContext, variables: boolean): boolean {
  const requestValues = context.values(test.key);
  if (test.base === "Null") {
    const absent = requestValues === undefined || requestValues.length === 0;
    return test.values.some((v) => (v.toLowerCase() === "true" ? absent : !absent));
  }
  if (requestValues === undefined || requestValues.length === 0) {
    if (test.set === "ForAllValues") return true;
    if (test.set === "ForAnyValue") return false;
    return test.ifExists || test.negated;
  }
  const ctx = variables ? context : undefined;
  const positive = POSITIVE[test.base] ?? test.base;
  // Each request value against the policy values: a match of the positive operator, negated when asked.
  const holdsFor = (value: string) => test.values.some((p) => compare(positive, value, p, ctx)) !== test.negated;
  if (test.set === "ForAllValues") return requestValues.every(holdsFor);
  if (test.set === "ForAnyValue") return requestValues.some(holdsFor);
  // A single-valued test: negated operators need every value to miss, positive ones any value to match.
  return test.negated ? requestValues.every(holdsFor) : requestValues.some(holdsFor);
}

/** One request value against one policy value, by a positive operator. */
function compare(operator: string, value: string, policy: string, context: RequestContext | undefined): boolean {
  switch (operator) {
    case "StringEquals":
      return expandVariables(policy, context) === value;
    case "StringEqualsIgnoreCase": {
      const expanded = expandVariables(policy, context);
      return expanded !== undefined && expanded.toLowerCase() === value.toLowerCase();
    }
    case "StringLike":
      return patternRegExp(policy, "like", context)?.test(value) ?? false;
    case "ArnEquals":
    case "ArnLike":
      return patternRegExp(policy, "arnLike", context)?.test(value) ?? false;
    case "NumericEquals":
    case "NumericLessThan":
    case "NumericLessThanEquals":
    case "NumericGreaterThan":
    case "NumericGreaterThanEquals":
      return ordered(operator.slice("Numeric".length), Number(value), numberOf(policy));
    case "DateEquals":
    case "DateLessThan":
    case "DateLessThanEquals":
    case "DateGreaterThan":
    case "DateGreaterThanEquals":
      return ordered(operator.slice("Date".length), dateOf(value), dateOf(policy));
    case "Bool":
      return value.toLowerCase() === policy.toLowerCase();
    case "BinaryEquals":
      return value === policy;
    case "IpAddress":
      return ipInCidr(value, policy);
    default:
      // An operator IAM does not know matches nothing.
      return false;
  }
}

function ordered(relation: string, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  switch (relation) {
    case "Equals":
      return a === b;
    case "LessThan":
      return a < b;
    case "LessThanEquals":
      return a <= b;
    case "GreaterThan":
      return a > b;
    case "GreaterThanEquals":
      return a >= b;
    default:
      return false;
  }
}

const numberOf = (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : NaN);

/** W3C ISO 8601 dates and times, or epoch seconds. */
function dateOf(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? NaN : ms;
}
