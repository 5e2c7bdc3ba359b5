import type { Tag } from "../../src/generated/types/iam.js";
import { invalidInput, limitExceeded } from "./errors.js";
import type { StoredTag } from "./state.js";

/** The kinds of IAM entity that carry tags. */
export type TaggedEntity = "User" | "Role" | "Policy" | "InstanceProfile" | "OpenIDConnectProvider";

// Users', roles' and instance profiles' tag keys compare case-insensitively; a customer managed policy keeps `a` and `A` apart
// (AWS accepts both on one policy and untags them one at a time).
const keyOf = (entity: TaggedEntity, key: string) => (entity === "Policy" ? key : key.toLowerCase());

const duplicateKeys = (entity: TaggedEntity) =>
  invalidInput(entity === "Policy" ? "Duplicate tag keys found." : "Duplicate tag keys found. Please note that Tag keys are case insensitive.");

/** Adds or overwrites tags; at most 50 per entity. */
export function applyTags(existing: StoredTag[], added: Tag[] | undefined, entity: TaggedEntity = "User"): StoredTag[] {
  const out = [...existing];
  const seen = new Set<string>();
  for (const tag of added ?? []) {
    const k = keyOf(entity, tag.Key);
    if (seen.has(k)) throw duplicateKeys(entity);
    seen.add(k);
    const i = out.findIndex((t) => keyOf(entity, t.Key) === k);
    if (i >= 0) out[i] = { Key: tag.Key, Value: tag.Value };
    else out.push({ Key: tag.Key, Value: tag.Value });
  }
  if (out.length > 50) throw limitExceeded(`Cannot exceed quota for TagsPer${entity}: 50`);
  return out;
}

export function removeTags(existing: StoredTag[], keys: string[], entity: TaggedEntity = "User"): StoredTag[] {
  const drop = new Set(keys.map((k) => keyOf(entity, k)));
  return existing.filter((t) => !drop.has(keyOf(entity, t.Key)));
}
