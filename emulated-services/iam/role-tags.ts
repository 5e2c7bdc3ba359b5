import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { findRole } from "./roles.js";
import { applyTags, removeTags } from "./tags.js";

export const tagRole: Op<"TagRole"> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName);
  role.tags = applyTags(role.tags, input.Tags, "Role");
};

export const untagRole: Op<"UntagRole"> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName);
  role.tags = removeTags(role.tags, input.TagKeys, "Role");
};

export const listRoleTags: Op<"ListRoleTags"> = (input, ctx) => {
  const page = paginate(findRole(ctx, input.RoleName).tags, input.Marker, input.MaxItems);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};
