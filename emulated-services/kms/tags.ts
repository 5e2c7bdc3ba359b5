import type { Tag } from "../../src/generated/types/kms.js";
import { tagError } from "./errors.js";
import { touchKey } from "./audit.js";
import { findOwnKey, requireNotPendingDeletion } from "./keys-access.js";
import type { Op } from "./op.js";
import { page } from "./pagination.js";
import type { StoredTag } from "./state.js";

const MAX_TAGS = 50;

/** Adds or overwrites tags; keys starting with `aws:` are reserved, and a key holds at most 50 tags. */
export function applyTags(existing: StoredTag[], added: Tag[] | undefined): StoredTag[] {
  const out = [...existing];
  for (const tag of added ?? []) {
    if (tag.TagKey.toLowerCase().startsWith("aws:")) throw tagError("Tags beginning with aws: are reserved");
    const i = out.findIndex((t) => t.TagKey === tag.TagKey);
    if (i >= 0) out[i] = { TagKey: tag.TagKey, TagValue: tag.TagValue };
    else out.push({ TagKey: tag.TagKey, TagValue: tag.TagValue });
  }
  if (out.length > MAX_TAGS) throw tagError(`Too many tags. A KMS key can have at most ${MAX_TAGS} tags.`);
  return out;
}

export const tagResource: Op<"TagResource"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  key.tags = applyTags(key.tags, input.Tags);
};

export const untagResource: Op<"UntagResource"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  const drop = new Set(input.TagKeys);
  key.tags = key.tags.filter((t) => !drop.has(t.TagKey));
};

export const listResourceTags: Op<"ListResourceTags"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  const p = page(key.tags, input.Marker, input.Limit);
  return { Tags: p.items, Truncated: p.Truncated, NextMarker: p.NextMarker };
};
