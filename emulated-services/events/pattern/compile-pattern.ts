/**
 * EventBridge event patterns (User Guide, "Creating event patterns" and "Content filtering"), compiled from
 * their JSON text into a tree the matcher walks. Validation follows AWS's rule engine (aws/event-ruler's
 * JsonRuleCompiler): every field is an object or an array, no empty objects or arrays, match expressions
 * with one key each, `$or` with at least two objects; the reasons are its messages, which EventBridge
 * returns after "Event pattern is not valid. Reason: ".
 */
import { parseIpAddress, type IpRange, cidrRange, exactIpRange } from "./ip-ranges.js";
import { compileWildcard } from "./wildcard.js";
import { PatternError } from "./pattern-error.js";

export { PatternError };

/** One alternative a leaf value may satisfy. */
export type LeafMatcher =
  | { kind: "exact"; value: string | number | boolean | null }
  | { kind: "ip"; range: IpRange }
  | { kind: "prefix" | "suffix" | "equals-ignore-case"; value: string; ignoreCase: boolean }
  | { kind: "wildcard"; test: (s: string) => boolean }
  | { kind: "numeric"; test: (n: number) => boolean }
  | { kind: "exists"; value: boolean }
  | { kind: "anything-but"; test: (v: string | number | boolean | null) => boolean };

/** An object in the pattern: its fields (all must match) and its `$or` groups (one alternative of each). */
export interface PatternNode {
  fields: [string, PatternNode | LeafMatcher[]][];
  ors: PatternNode[][];
}

export type CompiledPattern = PatternNode;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function compilePattern(text: string): CompiledPattern {
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (e) {
    throw new PatternError((e as Error).message);
  }
  if (!isObject(parsed)) throw new PatternError("Filter is not an object");
  return compileObject(parsed);
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function compileObject(obj: { [k: string]: Json }): PatternNode {
  const node: PatternNode = { fields: [], ors: [] };
  const keys = Object.keys(obj);
  if (keys.length === 0) throw new PatternError("Empty objects are not allowed");
  for (const key of keys) {
    const value = obj[key]!;
    if (key === "$or") {
      node.ors.push(compileOr(value));
      continue;
    }
    if (isObject(value)) node.fields.push([key, compileObject(value)]);
    else if (Array.isArray(value)) node.fields.push([key, compileLeaf(value)]);
    else throw new PatternError(`"${key}" must be an object or an array`);
  }
  return node;
}

function compileOr(value: Json): PatternNode[] {
  if (!Array.isArray(value)) throw new PatternError("It must be an Array followed with $or.");
  const alternatives = value.map((item) => {
    if (!isObject(item)) throw new PatternError("Only JSON object is allowed in array of $or relationship.");
    return compileObject(item);
  });
  if (alternatives.length < 2) throw new PatternError("There must have at least 2 Objects in $or relationship.");
  return alternatives;
}

function compileLeaf(values: Json[]): LeafMatcher[] {
  if (values.length === 0) throw new PatternError("Empty arrays are not allowed");
  return values.map((v): LeafMatcher => {
    if (isObject(v)) return compileExpression(v);
    if (Array.isArray(v)) throw new PatternError("Match value must be String, number, true, false, or null");
    // A string that is an IP address matches the same address however the event writes it.
    if (typeof v === "string") {
      const ip = parseIpAddress(v);
      if (ip) return { kind: "ip", range: exactIpRange(ip) };
    }
    return { kind: "exact", value: v };
  });
}

function compileExpression(expr: { [k: string]: Json }): LeafMatcher {
  const keys = Object.keys(expr);
  if (keys.length === 0) throw new PatternError("Match expression name not found");
  if (keys.length > 1) throw new PatternError(keys[0] === "numeric" || keys[0] === "anything-but" ? "Too many elements in numeric expression" : "Only one key allowed in match expression");
  const kind = keys[0]!;
  const arg = expr[kind]!;
  switch (kind) {
    case "prefix":
    case "suffix": {
      // `{"prefix": {"equals-ignore-case": "EventB"}}` matches the prefix in any case.
      if (isObject(arg) && Object.keys(arg).length === 1 && typeof arg["equals-ignore-case"] === "string") {
        return { kind, value: arg["equals-ignore-case"].toLowerCase(), ignoreCase: true };
      }
      if (typeof arg !== "string") throw new PatternError(`${kind} match pattern must be a string`);
      return { kind, value: arg, ignoreCase: false };
    }
    case "equals-ignore-case":
      if (typeof arg !== "string") throw new PatternError("equals-ignore-case match pattern must be a string");
      return { kind, value: arg.toLowerCase(), ignoreCase: true };
    case "wildcard": {
      if (typeof arg !== "string") throw new PatternError("wildcard match pattern must be a string");
      return { kind, test: compileWildcard(arg) };
    }
    case "exists":
      if (typeof arg !== "boolean") throw new PatternError("exists match pattern must be either true or false.");
      return { kind, value: arg };
    case "cidr": {
      if (typeof arg !== "string") throw new PatternError("prefix match pattern must be a string");
      return { kind: "ip", range: cidrRange(arg) };
    }
    case "numeric":
      if (!Array.isArray(arg)) throw new PatternError("Value of numeric must be an array.");
      return { kind, test: compileNumeric(arg) };
    case "anything-but":
      return { kind, test: compileAnythingBut(arg) };
    default:
      throw new PatternError(`Unrecognized match type ${kind}`);
  }
}

type Bound = { value: number; open: boolean };

function compileNumeric(terms: Json[]): (n: number) => boolean {
  const [op, first, op2, second, ...rest] = terms;
  if (typeof op !== "string") throw new PatternError(`Invalid member in numeric match: ${JSON.stringify(op)}`);
  const num = (o: string, v: Json | undefined): number => {
    if (typeof v !== "number") throw new PatternError(`Value of ${o} must be numeric`);
    return v;
  };
  const single = () => {
    if (op2 !== undefined) throw new PatternError("Too many elements in numeric expression");
  };
  switch (op) {
    case "=": {
      const v = num(op, first);
      single();
      return (n) => n === v;
    }
    case "<":
    case "<=": {
      const top = num(op, first);
      single();
      return op === "<" ? (n) => n < top : (n) => n <= top;
    }
    case ">":
    case ">=": {
      const bottom: Bound = { value: num(op, first), open: op === ">" };
      if (op2 === undefined) return (n) => (bottom.open ? n > bottom.value : n >= bottom.value);
      if (typeof op2 !== "string") throw new PatternError(`Bad value in numeric range: ${JSON.stringify(op2)}`);
      if (op2 !== "<" && op2 !== "<=") throw new PatternError(`Bad numeric range operator: ${op2}`);
      const top: Bound = { value: num(op2, second), open: op2 === "<" };
      if (rest.length > 0) throw new PatternError("Too many terms in numeric range expression");
      return (n) => (bottom.open ? n > bottom.value : n >= bottom.value) && (top.open ? n < top.value : n <= top.value);
    }
    default:
      throw new PatternError(`Unrecognized numeric range operator: ${op}`);
  }
}

type Leaf = string | number | boolean | null;

/**
 * `anything-but`: a value, a list of strings or of numbers (not mixed), or one of prefix, suffix,
 * equals-ignore-case (a string or a list) and wildcard. Strings exclude only those strings; numbers
 * match only numbers.
 */
function compileAnythingBut(arg: Json): (v: Leaf) => boolean {
  if (isObject(arg)) {
    const keys = Object.keys(arg);
    if (keys.length === 0) throw new PatternError("Anything-But expression name not found");
    if (keys.length > 1) throw new PatternError("Only one key allowed in match expression");
    const op = keys[0]!;
    const inner = arg[op]!;
    if (op === "equals-ignore-case") {
      const list = Array.isArray(inner) ? inner : [inner];
      if (!list.every((s): s is string => typeof s === "string")) {
        throw new PatternError("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
      }
      const lowered = new Set(list.map((s) => s.toLowerCase()));
      return (v) => typeof v === "string" && !lowered.has(v.toLowerCase());
    }
    if (op === "prefix" || op === "suffix" || op === "wildcard") {
      if (typeof inner !== "string") throw new PatternError(op === "wildcard" ? "wildcard match pattern must be a string" : "prefix/suffix match pattern must be a string");
      if (inner === "" && op !== "wildcard") throw new PatternError("Null prefix/suffix not allowed");
      if (op === "wildcard") {
        const test = compileWildcard(inner);
        return (v) => typeof v === "string" && !test(v);
      }
      return op === "prefix" ? (v) => typeof v === "string" && !v.startsWith(inner) : (v) => typeof v === "string" && !v.endsWith(inner);
    }
    throw new PatternError(`Unsupported anything-but pattern: ${op}`);
  }
  const list = Array.isArray(arg) ? arg : [arg];
  if (!Array.isArray(arg) && typeof arg !== "string" && typeof arg !== "number") {
    throw new PatternError("Value of anything-but must be an array or single string/number value.");
  }
  if (list.some((v) => typeof v !== "string" && typeof v !== "number")) {
    throw new PatternError("Inside anything but list, start|null|boolean is not supported.");
  }
  const numbers = list.filter((v): v is number => typeof v === "number");
  const strings = list.filter((v): v is string => typeof v === "string");
  if ((numbers.length > 0) === (strings.length > 0)) {
    throw new PatternError("Inside anything but list, either all values are number or string, mixed type is not supported");
  }
  if (numbers.length > 0) {
    const excluded = new Set(numbers);
    return (v) => typeof v === "number" && !excluded.has(v);
  }
  const excluded = new Set(strings);
  return (v) => typeof v !== "string" || !excluded.has(v);
}
