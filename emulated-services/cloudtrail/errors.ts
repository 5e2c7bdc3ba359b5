import { AwsError } from "../../src/types/aws-error.js";

/** CloudTrail's errors carry no status in the model: all are 400 (reference/cloudtrail.md §1). */
export const cloudTrailError = (shape: string, message: string) => new AwsError(shape, message, { status: 400 });
