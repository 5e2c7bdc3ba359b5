import type { Filter } from "../../src/generated/types/ec2.js";
import { invalidFilter } from "./errors.js";
import type { StoredTag } from "./state.js";

/** What a filter compares: one value, several (an instance's security groups), or none. */
export type FilterValue = string | number | boolean | undefined | (string | number | boolean | undefined)[];

/** The filter names an operation accepts, each with how to read it from an item. */
export type FilterFields<T> = Record<string, (item: T) => FilterValue>;

/**
 * EC2's filter semantics (DescribeInstances and every Describe* with Filter.N): the values of one filter
 * are ORed, the filters ANDed; `*` and `?` are wildcards; `tag:Key`, `tag-key` and `tag-value` read the
 * item's tags. A name the operation does not know is InvalidParameterValue.
 */
export function applyFilters<T>(items: T[], filters: Filter[] | undefined, fields: FilterFields<T>, tagsOf?: (item: T) => StoredTag[]): T[] {
  if (!filters || filters.length === 0) return items;
  const tests = filters.map((filter) => compile(filter, fields, tagsOf));
  return items.filter((item) => tests.every((test) => test(item)));
}

function compile<T>(filter: Filter, fields: FilterFields<T>, tagsOf: ((item: T) => StoredTag[]) | undefined): (item: T) => boolean {
  const name = filter.Name ?? "";
  const patterns = (filter.Values ?? []).map(wildcard);
  const read = reader(name, fields, tagsOf);
  return (item) => {
    const values = [read(item)].flat().filter((v) => v !== undefined).map(String);
    return values.some((v) => patterns.some((p) => p.test(v)));
  };
}

function reader<T>(name: string, fields: FilterFields<T>, tagsOf: ((item: T) => StoredTag[]) | undefined): (item: T) => FilterValue {
  const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (field) return field;
  if (tagsOf) {
    if (name.startsWith("tag:")) {
      const key = name.slice(4);
      return (item) => tagsOf(item).filter((t) => t.Key === key).map((t) => t.Value);
    }
    if (name === "tag-key") return (item) => tagsOf(item).map((t) => t.Key);
    if (name === "tag-value") return (item) => tagsOf(item).map((t) => t.Value);
  }
  throw invalidFilter(name);
}

/** A filter value as a whole-string match: `*` any run of characters, `?` any one character. */
function wildcard(value: string): RegExp {
  const escaped = value.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "s");
}
