import type { CallContext } from "../../src/types/service.js";
import { cloudTrailError, invalidHomeRegion } from "./errors.js";
import { mergeTags } from "./trail-checks.js";
import type { Op } from "./op.js";
import { trailsOf, visibleIn, type StoredTrail } from "./trails-state.js";

const ARN = /^arn:aws:cloudtrail:[a-z0-9-]+:\d{12}:trail\/.+$/;

/** Tag operations name a trail by its ARN only (CloudTrailARNInvalidException), one visible in this region. */
function trailOfResource(ctx: CallContext, resourceId: string, homeRegionOnly: boolean): StoredTrail {
  if (!ARN.test(resourceId)) throw cloudTrailError("CloudTrailARNInvalidException", `Invalid trail ARN: ${resourceId}`);
  const trail = trailsOf(ctx.state, ctx.accountId).trails[resourceId];
  if (!trail || !visibleIn(trail, ctx.region)) throw cloudTrailError("ResourceNotFoundException", `Resource ${resourceId} not found.`);
  if (homeRegionOnly && trail.homeRegion !== ctx.region) throw invalidHomeRegion(trail.homeRegion);
  return trail;
}

/** Adds tags or overwrites the values of existing keys. */
export const addTags: Op<"AddTags"> = (input, ctx) => {
  const trail = trailOfResource(ctx, input.ResourceId, true);
  trail.tags = mergeTags(trail.tags, input.TagsList);
  return {};
};

export const removeTags: Op<"RemoveTags"> = (input, ctx) => {
  const trail = trailOfResource(ctx, input.ResourceId, true);
  const keys = new Set(input.TagsList.map((t) => t.Key));
  trail.tags = trail.tags.filter((t) => !keys.has(t.Key));
  return {};
};

export const listTags: Op<"ListTags"> = (input, ctx) => {
  if (input.ResourceIdList.length > 20) throw cloudTrailError("InvalidParameterException", "ResourceIdList can contain at most 20 ARNs.");
  return { ResourceTagList: input.ResourceIdList.map((id) => ({ ResourceId: id, TagsList: trailOfResource(ctx, id, false).tags })) };
};
