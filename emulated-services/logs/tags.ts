import { own } from "../../src/state/own-entries.js";
import type { CallContext } from "../../src/types/service.js";
import { notFound } from "./errors.js";
import type { Op } from "./op.js";
import { logsState, type StoredLogGroup } from "./state.js";

const GROUP_ARN = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(:\*)?$/;

/** TagResource and friends name a log group by its ARN (with or without `:*`). */
function groupOfArn(ctx: CallContext, arn: string): StoredLogGroup {
  const m = GROUP_ARN.exec(arn);
  const group = m && m[1] === ctx.region && m[2] === ctx.accountId ? own(logsState(ctx).groups, m[3]!) : undefined;
  if (!group) throw notFound(`The specified resource does not exist.`);
  return group;
}

export const tagResource: Op<"TagResource"> = (input, ctx) => {
  const group = groupOfArn(ctx, input.resourceArn);
  Object.assign(group.tags, input.tags);
};

export const untagResource: Op<"UntagResource"> = (input, ctx) => {
  const group = groupOfArn(ctx, input.resourceArn);
  for (const key of input.tagKeys) delete group.tags[key];
};

export const listTagsForResource: Op<"ListTagsForResource"> = (input, ctx) => ({ tags: { ...groupOfArn(ctx, input.resourceArn).tags } });
