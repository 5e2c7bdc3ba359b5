import { AwsError } from "../../src/types/aws-error.js";

/** CloudTrail's errors carry no status in the model: all are 400 (reference/cloudtrail.md §1). */
export const cloudTrailError = (shape: string, message: string) => new AwsError(shape, message, { status: 400 });

export const trailNotFound = (nameOrArn: string, accountId: string) => cloudTrailError("TrailNotFoundException", `Unknown trail: ${nameOrArn} for the user: ${accountId}`);
// The model's own words for InvalidHomeRegionException (PutEventSelectors documentation).
export const invalidHomeRegion = (homeRegion: string) =>
  cloudTrailError("InvalidHomeRegionException", `This operation must be called from the Region in which the trail was created (${homeRegion}).`);
