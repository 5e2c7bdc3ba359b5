import type { CompiledPattern, LeafMatcher, PatternNode } from "./compile-pattern.js";
import { ipInRange } from "./ip-ranges.js";

type Leaf = string | number | boolean | null;

/**
 * Whether an event matches a compiled pattern (EventBridge User Guide, "Event patterns"): every field of
 * the pattern matches, a field matching when one of the event's values there satisfies one of the listed
 * alternatives. An array in the event matches when one of its elements does, and the fields of one pattern
 * object must all be met by the same element of an array of objects, as in AWS's engine.
 */
export function matchesPattern(pattern: CompiledPattern, event: unknown): boolean {
  return matchNode(pattern, event);
}

function matchNode(node: PatternNode, value: unknown): boolean {
  const candidates = objectsAt(value);
  // A field absent or not an object is matched as an empty object: only `exists: false` can then hold.
  if (candidates.length === 0) candidates.push({});
  return candidates.some((obj) => node.fields.every(([key, child]) => matchField(obj, key, child)) && node.ors.every((group) => group.some((alt) => matchNode(alt, obj))));
}

function matchField(obj: Record<string, unknown>, key: string, child: PatternNode | LeafMatcher[]): boolean {
  const value = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  if (!Array.isArray(child)) return matchNode(child, value);
  const leaves = leavesAt(value);
  return child.some((m) => (m.kind === "exists" ? m.value === leaves.length > 0 : leaves.some((leaf) => matchLeaf(m, leaf))));
}

function objectsAt(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(objectsAt);
  return typeof value === "object" && value !== null ? [value as Record<string, unknown>] : [];
}

/** Exists and the other filters see only leaves: an object at the field is no value there. */
function leavesAt(value: unknown): Leaf[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leavesAt);
  if (typeof value === "object" && value !== null) return [];
  return [value as Leaf];
}

function matchLeaf(m: LeafMatcher, leaf: Leaf): boolean {
  switch (m.kind) {
    case "exact":
      return leaf === m.value;
    case "ip":
      return typeof leaf === "string" && ipInRange(leaf, m.range);
    case "prefix":
      return typeof leaf === "string" && (m.ignoreCase ? leaf.toLowerCase() : leaf).startsWith(m.value);
    case "suffix":
      return typeof leaf === "string" && (m.ignoreCase ? leaf.toLowerCase() : leaf).endsWith(m.value);
    case "equals-ignore-case":
      return typeof leaf === "string" && leaf.toLowerCase() === m.value;
    case "wildcard":
      return typeof leaf === "string" && m.test(leaf);
    case "numeric":
      return typeof leaf === "number" && m.test(leaf);
    case "anything-but":
      return m.test(leaf);
    case "exists":
      return m.value;
  }
}
