import type { CloudTrailRecord } from "../types/cloudtrail-record.js";

/**
 * A partial record: every field given must match, at any depth. A string, number, boolean or null matches
 * itself; a RegExp matches a string it finds; an object matches an object holding (at least) its fields; an
 * array matches an array in which each of its elements matches some element.
 */
export type RecordFilter = DeepPartial<CloudTrailRecord> & Record<string, unknown>;

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | RegExp }
    : T | RegExp;

/** One field where a record differs from a filter: `userIdentity.userName`, wanted "John", found "Mary". */
export interface FieldDifference {
  path: string;
  expected: unknown;
  /** undefined when the record lacks the field. */
  actual: unknown;
}

export function matchesFilter(record: unknown, filter: unknown): boolean {
  return differences(record, filter).length === 0;
}

/** The fields where a record departs from a filter, deepest first named by their dotted path. */
export function differences(actual: unknown, expected: unknown, path = ""): FieldDifference[] {
  if (expected instanceof RegExp) return typeof actual === "string" && expected.test(actual) ? [] : [{ path, expected, actual }];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path, expected, actual }];
    return expected.flatMap((want, i) => (actual.some((have) => matchesFilter(have, want)) ? [] : [{ path: `${path}[${i}]`, expected: want, actual }]));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [{ path, expected, actual }];
    return Object.entries(expected).flatMap(([key, want]) =>
      want === undefined ? [] : differences((actual as Record<string, unknown>)[key], want, path ? `${path}.${key}` : key),
    );
  }
  return Object.is(actual, expected) ? [] : [{ path, expected, actual }];
}

/** The records closest to a filter, fewest differing fields first (newest first among equals). */
export function nearest(records: CloudTrailRecord[], filter: unknown, count: number): { record: CloudTrailRecord; differences: FieldDifference[] }[] {
  return records
    .map((record, i) => ({ record, i, differences: differences(record, filter) }))
    .sort((a, b) => a.differences.length - b.differences.length || b.i - a.i)
    .slice(0, count)
    .map(({ record, differences }) => ({ record, differences }));
}

/** A value as a failure message shows it: JSON, with RegExps as themselves. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value instanceof RegExp) return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v));
}
