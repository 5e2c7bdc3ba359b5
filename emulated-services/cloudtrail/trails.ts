import type { CreateTrailResponse } from "../../src/generated/types/cloudtrail.js";
import type { CallContext } from "../../src/types/service.js";
import { cloudTrailError } from "./errors.js";
import { checkBucket, checkCloudWatchLogs, checkKmsKey, mergeTags, type DeliverySettings } from "./trail-checks.js";
import { checkTrailName, findTrail } from "./trail-names.js";
import type { Op } from "./op.js";
import { closePeriod } from "./trail-status.js";
import { defaultEventSelectors, toTrail, trailArn, trailsOf, visibleIn, type StoredTrail } from "./trails-state.js";

const MAX_TRAILS_PER_REGION = 5;

/** CreateTrail and UpdateTrail answer with the trail's settings, without HomeRegion or Has*Selectors. */
function trailResponse(t: StoredTrail): CreateTrailResponse {
  const { HomeRegion: _home, HasCustomEventSelectors: _custom, HasInsightSelectors: _insights, ...rest } = toTrail(t);
  return rest;
}

/** Checks a trail's settings as CloudTrail does at create and update, in the order of §5.4; returns the key ARN. */
function checkSettings(ctx: CallContext, t: StoredTrail): string | undefined {
  if (t.isMultiRegionTrail && !t.includeGlobalServiceEvents) {
    throw cloudTrailError("InvalidParameterCombinationException", "Multi-Region trail must include global service events.");
  }
  if (t.isOrganizationTrail) throw cloudTrailError("OrganizationsNotInUseException", "This account is not a member of an organization.");
  const settings: DeliverySettings = t;
  const bucketRegion = checkBucket(ctx, settings);
  if (t.snsTopicName !== undefined) {
    throw cloudTrailError("InsufficientSnsTopicPolicyException", "SNS Topic does not exist or the topic policy is incorrect!");
  }
  checkCloudWatchLogs(ctx, settings);
  return settings.kmsKeyId === undefined ? undefined : checkKmsKey(ctx, settings, bucketRegion);
}

export const createTrail: Op<"CreateTrail"> = (input, ctx) => {
  checkTrailName(input.Name);
  const state = trailsOf(ctx.state, ctx.accountId);
  const arn = trailArn(ctx.region, ctx.accountId, input.Name);
  if (state.trails[arn]) throw cloudTrailError("TrailAlreadyExistsException", `Trail ${input.Name} already exists for customer: ${ctx.accountId}`);
  if (Object.values(state.trails).filter((t) => visibleIn(t, ctx.region)).length >= MAX_TRAILS_PER_REGION) {
    throw cloudTrailError("MaximumNumberOfTrailsExceededException", `User: ${ctx.accountId} already has ${MAX_TRAILS_PER_REGION} trails in ${ctx.region}.`);
  }
  const trail: StoredTrail = {
    name: input.Name,
    arn,
    accountId: ctx.accountId,
    homeRegion: ctx.region,
    s3BucketName: input.S3BucketName,
    s3KeyPrefix: input.S3KeyPrefix || undefined,
    snsTopicName: input.SnsTopicName || undefined,
    includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
    isMultiRegionTrail: input.IsMultiRegionTrail ?? false,
    logFileValidationEnabled: input.EnableLogFileValidation ?? false,
    cloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn || undefined,
    cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn || undefined,
    kmsKeyId: input.KmsKeyId || undefined,
    isOrganizationTrail: input.IsOrganizationTrail ?? false,
    eventSelectors: defaultEventSelectors(),
    hasCustomEventSelectors: false,
    insightSelectors: [],
    tags: mergeTags([], input.TagsList ?? []),
    createdAt: ctx.now.toISOString(),
    // A trail made through the API does not log until StartLogging (the console starts it for you).
    isLogging: false,
    delivery: {},
  };
  trail.kmsKeyId = checkSettings(ctx, trail);
  state.trails[arn] = trail;
  return trailResponse(trail);
};

/** Only the members given change; an empty string removes an optional setting (KmsKeyId "" turns SSE-KMS off). */
export const updateTrail: Op<"UpdateTrail"> = (input, ctx) => {
  const trail = findTrail(ctx, input.Name, { homeRegionOnly: true });
  const next: StoredTrail = { ...trail };
  const optional = (value: string | undefined, current: string | undefined) => (value === undefined ? current : value === "" ? undefined : value);
  if (input.S3BucketName !== undefined) next.s3BucketName = input.S3BucketName;
  next.s3KeyPrefix = optional(input.S3KeyPrefix, trail.s3KeyPrefix);
  next.snsTopicName = optional(input.SnsTopicName, trail.snsTopicName);
  next.cloudWatchLogsLogGroupArn = optional(input.CloudWatchLogsLogGroupArn, trail.cloudWatchLogsLogGroupArn);
  next.cloudWatchLogsRoleArn = optional(input.CloudWatchLogsRoleArn, trail.cloudWatchLogsRoleArn);
  next.kmsKeyId = optional(input.KmsKeyId, trail.kmsKeyId);
  if (input.IncludeGlobalServiceEvents !== undefined) next.includeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
  if (input.IsMultiRegionTrail !== undefined) next.isMultiRegionTrail = input.IsMultiRegionTrail;
  if (input.EnableLogFileValidation !== undefined) next.logFileValidationEnabled = input.EnableLogFileValidation;
  if (input.IsOrganizationTrail !== undefined) next.isOrganizationTrail = input.IsOrganizationTrail;
  next.kmsKeyId = checkSettings(ctx, next);
  Object.assign(trail, next);
  for (const k of Object.keys(trail) as (keyof StoredTrail)[]) if (trail[k] === undefined) delete trail[k];
  return trailResponse(trail);
};

/** Deleting a trail leaves its bucket, objects and log group alone; shadow trails cannot be deleted. */
export const deleteTrail: Op<"DeleteTrail"> = (input, ctx) => {
  const trail = findTrail(ctx, input.Name, { homeRegionOnly: true });
  const trails = trailsOf(ctx.state, ctx.accountId);
  delete trails.trails[trail.arn];
  // A deleted trail still delivers what it logged, its own DeleteTrail included (AWS delivers that record).
  if (trail.isLogging) {
    trail.isLogging = false;
    closePeriod(trail, ctx.env.events.lastSeq(), ctx.requestId);
    trails.retired = { ...trails.retired, [trail.arn]: trail };
  }
  return {};
};

export const getTrail: Op<"GetTrail"> = (input, ctx) => ({ Trail: toTrail(findTrail(ctx, input.Name)) });

/**
 * Without trailNameList: the trails homed in this region plus, unless includeShadowTrails is false, the
 * multi-region trails homed elsewhere. Names match trails homed here only; ARNs any visible trail;
 * unknown entries are left out silently.
 */
export const describeTrails: Op<"DescribeTrails"> = (input, ctx) => {
  const shadows = input.includeShadowTrails ?? true;
  const visible = Object.values(trailsOf(ctx.state, ctx.accountId).trails).filter((t) => t.homeRegion === ctx.region || (shadows && visibleIn(t, ctx.region)));
  const wanted = input.trailNameList?.length ? input.trailNameList : undefined;
  const trails = wanted ? visible.filter((t) => wanted.includes(t.arn) || (t.homeRegion === ctx.region && wanted.includes(t.name))) : visible;
  return { trailList: trails.map(toTrail) };
};

/** Every trail of the account, with its home region (§5.4 ListTrails); one page holds them all. */
export const listTrails: Op<"ListTrails"> = (input, ctx) => {
  if (input.NextToken !== undefined) throw cloudTrailError("InvalidNextTokenException", "Invalid NextToken");
  return { Trails: Object.values(trailsOf(ctx.state, ctx.accountId).trails).map((t) => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.homeRegion })) };
};

