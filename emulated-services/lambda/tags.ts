import type { CallContext } from "../../src/types/service.js";
import { invalidParameter } from "./errors.js";
import { findFunction, functionRef } from "./names.js";
import type { Op } from "./op.js";
import { setOwn, type StoredFunction } from "./state.js";

export const tagResource: Op<"TagResource"> = (input, ctx) => {
  const fn = taggedFunction(ctx, input.Resource, "lambda:TagResource");
  for (const [key, value] of Object.entries(input.Tags)) setOwn(fn.tags, key, value);
};

export const untagResource: Op<"UntagResource"> = (input, ctx) => {
  const fn = taggedFunction(ctx, input.Resource, "lambda:UntagResource");
  for (const key of input.TagKeys) delete fn.tags[key];
};

export const listTags: Op<"ListTags"> = (input, ctx) => ({ Tags: { ...taggedFunction(ctx, input.Resource, "lambda:ListTags").tags } });

/** Tags belong to the function itself: a version's or an alias's ARN is refused. */
function taggedFunction(ctx: CallContext, resource: string, action: string): StoredFunction {
  const ref = functionRef(ctx, resource, undefined, action);
  if (ref.qualifier !== undefined) throw invalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.");
  return findFunction(ctx, ref);
}
