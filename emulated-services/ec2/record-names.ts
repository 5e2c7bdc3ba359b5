import type { AuditView } from "../../src/types/service.js";

/**
 * EC2's records name request lists by the legacy names of its old SOAP API, not by the model's: InstanceId.N
 * is `instancesSet: {items: [{instanceId}]}`, Filter.N is `filterSet` with each filter's values in a
 * `valueSet`; a Describe call names its lists even when the caller gave none (`"vpcSet": {}`). Seen in
 * real records: the CloudTrail User Guide's StartInstances/StopInstances examples, DescribeInstances
 * `{"instancesSet": {}, "filterSet": {}}` from the AWS CLI, CreateTags `resourcesSet`/`tagSet`, RunInstances
 * `tagSpecificationSet` whose items carry a bare `tags` array.
 */
export interface LegacySet {
  /** The set's name in the record. */
  set: string;
  /** Items that are strings become objects with this one key. */
  item?: string;
  /** Written as {} when the caller gave no list. */
  always?: boolean;
  /** A bare array rather than {items: [...]}. */
  plain?: boolean;
  /** Renames inside each item. */
  inner?: LegacySets;
}

/** Keyed by the name the generic EC2 shaping gives the list (its locationName, lower-camel). */
export type LegacySets = Record<string, LegacySet>;

export const FILTERS: LegacySet = { set: "filterSet", always: true, inner: { value: { set: "valueSet", item: "value" } } };
export const TAG_SPECIFICATIONS: LegacySet = { set: "tagSpecificationSet", inner: { tag: { set: "tags", plain: true } } };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function renameSet(value: unknown, spec: LegacySet): unknown {
  const items = isRecord(value) && Array.isArray(value.items) ? value.items : [];
  const renamed = items.map((item) => {
    if (!isRecord(item)) return spec.item ? { [spec.item]: item } : item;
    return spec.inner ? renameKeys(item, spec.inner) : item;
  });
  if (spec.plain) return renamed;
  return renamed.length > 0 ? { items: renamed } : {};
}

/** The legacy sets first, in the order given (the order of EC2's own request types), then the rest. */
export function renameKeys(shaped: Record<string, unknown> | null, sets: LegacySets): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(sets)) {
    const value = shaped?.[key];
    if (value !== undefined) out[spec.set] = renameSet(value, spec);
    else if (spec.always) out[spec.set] = {};
  }
  for (const [key, value] of Object.entries(shaped ?? {})) if (!Object.hasOwn(sets, key)) out[key] = value;
  return out;
}

/** An audit `requestParameters` override that renames an operation's lists to EC2's legacy names. */
export const legacyRequest =
  (sets: LegacySets) =>
  (_call: AuditView<unknown, unknown>, shaped: () => Record<string, unknown> | null): Record<string, unknown> | null => {
    const out = renameKeys(shaped(), sets);
    return Object.keys(out).length > 0 ? out : null;
  };
