import type { Tag } from "../../src/generated/types/iam.js";
import { invalidInput, limitExceeded } from "./errors.js";
import type { StoredTag } from "./state.js";

/** Adds or overwrites tags (keys compare case-insensitively, as IAM's do); at most 50 per entity. */
export function applyTags(existing: StoredTag[], added: Tag[] | undefined): StoredTag[] {
  const out = [...existing];
  const seen = new Set<string>();
  for (const tag of added ?? []) {
    const k = tag.Key.toLowerCase();
    if (seen.has(k)) throw invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    seen.add(k);
    const i = out.findIndex((t) => t.Key.toLowerCase() === k);
    if (i >= 0) out[i] = { Key: tag.Key, Value: tag.Value };
    else out.push({ Key: tag.Key, Value: tag.Value });
  }
  if (out.length > 50) throw limitExceeded("Cannot exceed quota for TagsPerUser: 50");
  return out;
}

export function removeTags(existing: StoredTag[], keys: string[]): StoredTag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.Key.toLowerCase()));
}
