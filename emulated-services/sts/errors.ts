import { AwsError } from "../../src/types/aws-error.js";

/** STS answers a refused AssumeRole with AccessDenied (403), not NoSuchEntity, whether or not the role exists. */
export const accessDenied = (message: string) => new AwsError("AccessDenied", message, { status: 403 });

export const validationError = (message: string) => new AwsError("ValidationError", message, { status: 400, recordedCode: "ValidationException" });
